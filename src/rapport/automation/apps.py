from __future__ import annotations

from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "rapport.automation"
    label = "automation"
    verbose_name = "Automation: triggers, time-based automations, macros and webhooks"
