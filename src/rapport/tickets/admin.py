from __future__ import annotations

from django.contrib import admin

from rapport.core.admin import ReadOnlyAdmin
from rapport.tickets.models import Status, Ticket


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ("id", "subject", "status", "priority", "provider_party", "assignee")
    list_filter = ("status_category", "priority")
    list_select_related = ("status", "provider_party", "assignee")
    search_fields = ("subject",)
    show_full_result_count = False  # no COUNT(*) over every ticket per page
    raw_id_fields = ("requester", "assignee", "parent", "merged_into", "agreement")


@admin.register(Status)
class StatusAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "category", "position", "is_default")
