"""The mail intake in the Django admin: read-only like every model there, with one
button for admins, "Replay", which goes through the same action as the API."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from rapport.core.admin import ReadOnlyAdmin
from rapport.core.errors import RapportError
from rapport.mail import actions
from rapport.mail.models import InboundMessage, Mailbox, OutboundMessage


@admin.register(Mailbox)
class MailboxAdmin(ReadOnlyAdmin):
    list_display = ("address", "name", "provider_party", "imap_host", "is_active")
    exclude = ("imap_password_encrypted",)


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "received_at", "state", "outcome", "sender", "subject", "ticket")
    list_filter = ("state", "outcome", "transport")
    search_fields = ("sender", "subject", "rfc_id")
    raw_id_fields = ("raw", "ticket", "message")
    show_full_result_count = False
    actions = ["replay"]

    @admin.action(description="Replay the selected quarantined messages")
    def replay(self, request: HttpRequest, queryset: QuerySet[InboundMessage]) -> None:
        outcomes: dict[str, int] = {}
        for inbound in queryset.order_by("id"):
            try:
                result = actions.replay(request.user, inbound)  # type: ignore[arg-type]
            except RapportError as exc:
                self.message_user(request, f"#{inbound.pk}: {exc.detail}", messages.WARNING)
                continue
            outcomes[result.state] = outcomes.get(result.state, 0) + 1
        summary = ", ".join(f"{n} {state}" for state, n in sorted(outcomes.items())) or "none"
        self.message_user(request, f"Replayed: {summary}.")


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "state", "kind", "to_address", "subject", "ticket")
    list_filter = ("state", "kind")
    search_fields = ("to_address", "subject", "rfc_id")
    raw_id_fields = ("ticket", "message", "mailbox")
    show_full_result_count = False
