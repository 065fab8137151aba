from __future__ import annotations

from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "rapport.agreements"
    label = "agreements"

    def ready(self) -> None:
        # The directory sits below agreements: it learns who serves whom from here.
        # Imported here, not at module level: models load after the app registry.
        from rapport.agreements.queries import serving_providers
        from rapport.directory.queries import register_serving_providers

        register_serving_providers(serving_providers)
