from __future__ import annotations

from django.urls import path

from rapport.chain import views

app_name = "chain"

urlpatterns = [
    path("t/<int:number>/handoff", views.hand_off, name="handoff"),
    path("t/<int:number>/wait", views.wait, name="wait"),
    path("requests/", views.my_requests, name="requests"),
    path("map/", views.relationship_map, name="map"),
    path("analytics/", views.chain_analytics, name="analytics"),
    path("tickets/", views.tickets, name="tickets"),
]
