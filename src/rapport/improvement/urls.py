"""The improvement app's desk pages, under /improvement/."""

from __future__ import annotations

from django.urls import path

from rapport.improvement import report_views, views

app_name = "improvement"

urlpatterns = [
    path("", views.home, name="home"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/", report_views.reviews, name="reviews"),
    path("problems/", views.problems, name="problems"),
    path("problems/<int:pk>/", views.problem, name="problem"),
    path("actions/", report_views.action_list, name="actions"),
    path("actions/<int:pk>/", report_views.action_do, name="action"),
    path("pareto/", report_views.pareto_page, name="pareto"),
    path("settings/", report_views.settings_page, name="settings"),
    path("messages/<int:message_id>/complaint/", views.flag_complaint, name="complaint"),
]
