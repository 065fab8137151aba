from __future__ import annotations

from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "rapport.sla"
    label = "sla"

    def ready(self) -> None:
        from rapport.sla.clocks import TicketClocks
        from rapport.tickets import clocks

        # Clocks are part of a ticket's state: moved by the ticket actions in their own
        # transaction through this hook, not by a reaction (see rapport.tickets.clocks).
        clocks.register(TicketClocks())
