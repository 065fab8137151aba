from __future__ import annotations

from django.apps import AppConfig


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
