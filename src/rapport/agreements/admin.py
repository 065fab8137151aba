from __future__ import annotations

from django.contrib import admin

from rapport.agreements.models import Agreement, Calendar
from rapport.core.admin import ReadOnlyAdmin


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "provider", "client", "active_from", "active_until")
    list_filter = ("kind",)
    list_select_related = ("provider", "client")


@admin.register(Calendar)
class CalendarAdmin(ReadOnlyAdmin):
    list_display = ("name", "time_zone", "always_open", "holiday_country")
