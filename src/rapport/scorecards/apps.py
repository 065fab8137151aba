from django.apps import AppConfig


class ScorecardsConfig(AppConfig):
    name = "rapport.scorecards"
    label = "scorecards"
