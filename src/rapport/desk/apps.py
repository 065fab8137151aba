from __future__ import annotations

from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "rapport.desk"
    label = "desk"
    verbose_name = "Agent desk"
