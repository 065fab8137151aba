"""Pulse pages under /people/pulse/."""

from __future__ import annotations

from django.urls import path

from rapport.people import pulse_views as views

urlpatterns = [
    path("pulse/", views.pulse, name="pulse"),
    path("pulse/comments/<int:pk>/reply", views.reply, name="pulse_reply"),
]
