from __future__ import annotations

from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "rapport.improvement"
    label = "improvement"
    verbose_name = "Improvement: outcome reviews, causes, corrective actions, effectiveness"
