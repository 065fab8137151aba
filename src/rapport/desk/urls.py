from __future__ import annotations

from django.urls import path

from rapport.desk import dashboard_views, profile_views, reaction_views, ticket_views, views

app_name = "desk"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("clients/<int:party_id>/", profile_views.client, name="client"),
    path("clients/<int:party_id>/notes", profile_views.client_note, name="client-note"),
    path("people/<int:person_id>/", profile_views.person, name="person"),
    path("people/<int:person_id>/notes", profile_views.person_note, name="person-note"),
    path("q/<slug:slug>/", views.queue, name="queue"),
    path("counts", views.counts, name="counts"),
    path("clients", views.clients, name="clients"),
    path("bulk", views.bulk, name="bulk"),
    path("views", views.save_view, name="save-view"),
    path("views/<int:view_id>/delete", views.delete_view, name="delete-view"),
    path("t/<int:number>/", ticket_views.ticket_page, name="ticket"),
    path("t/<int:number>/thread", ticket_views.thread, name="thread"),
    path("t/<int:number>/history", ticket_views.history, name="history"),
    path("t/<int:number>/reply", ticket_views.reply, name="reply"),
    path("t/<int:number>/note", ticket_views.note, name="note"),
    path("t/<int:number>/subject", ticket_views.set_subject, name="subject"),
    path("t/<int:number>/status", ticket_views.set_status, name="status"),
    path("t/<int:number>/priority", ticket_views.set_priority, name="priority"),
    path("t/<int:number>/agreement", ticket_views.set_agreement, name="agreement"),
    path("t/<int:number>/clocks", ticket_views.clocks, name="clocks"),
    path("t/<int:number>/assign", ticket_views.assign, name="assign"),
    path("t/<int:number>/take", ticket_views.take, name="take"),
    path("t/<int:number>/tags", ticket_views.add_tag, name="tag"),
    path("t/<int:number>/tags/remove", ticket_views.remove_tag, name="untag"),
    path("t/<int:number>/merge", ticket_views.merge, name="merge"),
    path("reactions", reaction_views.reactions, name="reactions"),
    path("reactions/<int:reaction_id>/retry", reaction_views.retry, name="reaction-retry"),
]
