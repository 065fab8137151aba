from __future__ import annotations

from django.urls import path

from rapport.policies import approval_views, check_views, ticket_views, views

app_name = "policies"

urlpatterns = [
    path("", views.library, name="library"),
    path("new", views.new_document, name="new"),
    path("reading/", views.reading, name="reading"),
    path("reading/<int:task_id>/acknowledge", views.acknowledge, name="acknowledge"),
    path("d/<int:pk>/", views.document, name="document"),
    path("d/<int:pk>/edit", views.edit, name="edit"),
    path("d/<int:pk>/review", views.review, name="review"),
    path("d/<int:pk>/signoff", views.sign_off, name="signoff"),
    path("d/<int:pk>/propose", views.propose, name="propose"),
    path("d/<int:pk>/check", check_views.check, name="check"),
    path("d/<int:pk>/<slug:action>", views.transition, name="transition"),
    path("proposals/<int:pk>/decide", views.decide, name="decide"),
    path("exceptions/", approval_views.approvals, name="approvals"),
    path("exceptions/<int:pk>/decide", approval_views.decide, name="decide-exception"),
    path("t/<int:number>/panel", ticket_views.panel, name="ticket-panel"),
    path("t/<int:number>/cite", ticket_views.cite, name="cite"),
    path("t/<int:number>/exception", ticket_views.record_exception, name="exception"),
    path("t/<int:number>/article", ticket_views.draft_article, name="draft-article"),
]
