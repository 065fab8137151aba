from __future__ import annotations

from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "rapport.policies"
    label = "policies"
    verbose_name = "Policies, procedures and knowledge base"
