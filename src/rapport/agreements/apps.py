from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "rapport.agreements"
    label = "agreements"
