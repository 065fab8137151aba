from __future__ import annotations

from django.urls import path

from rapport.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read", views.read_all, name="read-all"),
    path("preferences", views.preferences_page, name="preferences"),
    path("<int:notification_id>/open", views.open_notification, name="open"),
    path("<int:notification_id>/read", views.read_notification, name="read"),
]
