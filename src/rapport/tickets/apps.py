from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TicketsConfig(AppConfig):
    name = "rapport.tickets"
    label = "tickets"

    def ready(self) -> None:
        from rapport.core import health
        from rapport.tickets import events, reactor, tasks

        # Every app's reactions.py declares its handlers; the worker drains for them.
        reactor.autodiscover()
        events.set_waker(tasks.kick)
        health.register("reactions", reactor.health)
        # Start-up wiring, not business logic: reactions new to a database in use
        # start at the end of its log instead of replaying its history.
        post_migrate.connect(reactor.start_cursors, sender=self)
