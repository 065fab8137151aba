from __future__ import annotations

from django.contrib import admin

from rapport.core.admin import ReadOnlyAdmin
from rapport.directory.models import Organisation, Person, Team


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "email_domain", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "email_domain")


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ("name", "email", "created_at")


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("username", "full_name", "email", "staff_role", "is_active", "last_login")
    list_filter = ("staff_role", "is_active")
    search_fields = ("username", "full_name", "email")
    exclude = ("password", "user_permissions", "groups")
