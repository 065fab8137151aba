"""The automation pages, under /automation/."""

from __future__ import annotations

from django.urls import path

from rapport.automation import views

app_name = "automation"

urlpatterns = [
    path("", views.home, name="home"),
    path("rules/new/<slug:kind>", views.rule_edit, name="rule-new"),
    path("rules/<int:pk>/", views.rule_edit, name="rule"),
    path("rules/<int:pk>/delete", views.rule_delete, name="rule-delete"),
    path("dry-run/<slug:kind>", views.dry_run, name="dry-run"),
    path("webhooks/new", views.webhook_edit, name="webhook-new"),
    path("webhooks/<int:pk>/", views.webhook_edit, name="webhook"),
    path("macros/new", views.macro_edit, name="macro-new"),
    path("macros/<int:pk>/", views.macro_edit, name="macro"),
    path("macros/search/<int:number>", views.macro_search, name="macro-search"),
    path("macros/<int:pk>/apply/<int:number>", views.macro_apply, name="macro-apply"),
    path("sink/<int:pk>", views.sink, name="sink"),
]
