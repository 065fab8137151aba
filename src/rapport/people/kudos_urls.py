"""Kudos pages under /people/kudos/."""

from __future__ import annotations

from django.urls import path

from rapport.people import kudos_views as views

urlpatterns = [
    path("kudos/", views.kudos_wall, name="kudos_wall"),
    path("kudos/compliments/<int:pk>", views.pass_on, name="pass_on_compliment"),
]
