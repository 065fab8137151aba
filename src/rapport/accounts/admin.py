from __future__ import annotations

from django.contrib import admin

from rapport.accounts.models import ApiToken
from rapport.core.admin import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "person", "name", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)
