from __future__ import annotations

from django.urls import path

from rapport.proactive import views

app_name = "proactive"

urlpatterns = [
    path("", views.home, name="home"),
    path("tasks/<int:task_id>/done", views.task_done, name="task-done"),
    path("outreach/", views.outreach, name="outreach"),
    path("t/<int:number>/panel", views.ticket_panel, name="ticket-panel"),
]
