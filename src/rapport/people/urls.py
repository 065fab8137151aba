"""The people app's desk pages, under /people/: one urls module per area, included here."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "people"

urlpatterns: list[URLPattern | URLResolver] = []
