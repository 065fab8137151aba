from __future__ import annotations

from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "rapport.sla"
    label = "sla"

    def ready(self) -> None:
        # Agreements sit below the SLA engine: when their terms change they call the
        # subscribers, and the engine recomputes the running clocks. Imported here:
        # models load only once the app registry is ready.
        from rapport.agreements.actions import on_terms_changed
        from rapport.sla.actions import schedule_recompute

        on_terms_changed("sla", schedule_recompute)

        from rapport.sla.clocks import TicketClocks
        from rapport.tickets import clocks

        # Clocks are part of a ticket's state: moved by the ticket actions in their own
        # transaction through this hook, not by a reaction (see rapport.tickets.clocks).
        clocks.register(TicketClocks())
