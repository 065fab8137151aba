from __future__ import annotations

from django.apps import AppConfig


class ChainConfig(AppConfig):
    name = "rapport.chain"
    label = "chain"
    verbose_name = "Service chain"
