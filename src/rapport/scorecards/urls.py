from __future__ import annotations

from django.urls import path

from rapport.scorecards import views

app_name = "scorecards"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tickets", views.tickets, name="tickets"),
    path("export.<str:fmt>", views.export, name="export"),
    path("weighted/", views.weighted_list, name="weighted-list"),
    path("weighted/new", views.weighted_new, name="weighted-new"),
    path("weighted/<int:card_id>", views.weighted_card, name="weighted"),
]
