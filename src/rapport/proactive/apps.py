from __future__ import annotations

from django.apps import AppConfig


class ProactiveConfig(AppConfig):
    name = "rapport.proactive"
    label = "proactive"
    verbose_name = "Proactive service: sentiment, at-risk clients, breach forecast, outreach"

    def ready(self) -> None:
        # A client's message is scored before it is written, inside the ticket action
        # (see rapport.tickets.sentiment). Imported here: the app registry is ready.
        from rapport.proactive.sentiment import score
        from rapport.tickets import sentiment

        sentiment.register(score)
