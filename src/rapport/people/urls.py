"""The people app's desk pages, under /people/: one urls module per area, included here."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from rapport.people import kudos_urls, pulse_urls, quality_urls, training_urls

app_name = "people"

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += training_urls.urlpatterns
urlpatterns += quality_urls.urlpatterns
urlpatterns += kudos_urls.urlpatterns
urlpatterns += pulse_urls.urlpatterns
