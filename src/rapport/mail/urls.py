from __future__ import annotations

from django.urls import path

from rapport.mail import views

urlpatterns = [
    path("", views.index, name="mail-settings"),
    path("mailboxes/<int:mailbox_id>", views.mailbox_edit, name="mail-mailbox"),
    path("spam", views.spam_review, name="mail-spam"),
    path("spam/<int:inbound_id>/<str:verdict>", views.spam_verdict, name="mail-spam-verdict"),
    path("tickets/<int:number>/<str:verdict>", views.ticket_verdict, name="mail-ticket-verdict"),
]
