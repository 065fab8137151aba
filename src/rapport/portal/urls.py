from __future__ import annotations

from django.urls import path

from rapport.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("new", views.new_request, name="new"),
    path("new/priority", views.priority_field, name="priority"),
    path("r/<int:number>/", views.request_page, name="request"),
    path("r/<int:number>/reply", views.reply, name="reply"),
    path("r/<int:number>/resolve", views.resolve, name="resolve"),
    path("r/<int:number>/reopen", views.reopen, name="reopen"),
]
