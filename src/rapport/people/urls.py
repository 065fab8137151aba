"""The people app's desk pages, under /people/: one urls module per area, included here."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from rapport.people import training_urls

app_name = "people"

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += training_urls.urlpatterns
