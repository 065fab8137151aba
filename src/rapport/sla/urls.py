from __future__ import annotations

from django.urls import path

from rapport.sla import views

urlpatterns = [
    path("", views.index, name="sla-settings"),
    path("calendars/new", views.calendar_edit, name="sla-calendar-new"),
    path("calendars/<int:calendar_id>", views.calendar_edit, name="sla-calendar"),
    path("agreements/<int:agreement_id>", views.agreement_edit, name="sla-agreement"),
]
