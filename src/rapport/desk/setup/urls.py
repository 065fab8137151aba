"""The Settings area, under /settings/ (the service-level, mail, outbox and sign-up pages
already there keep their own URLs and join its section navigation)."""

from __future__ import annotations

from django.urls import path

from rapport.desk.setup import directory_views as directory
from rapport.desk.setup import service_views as service

app_name = "settings"

urlpatterns = [
    path("", service.home, name="home"),
    path("people/", directory.people, name="people"),
    path("people/new", directory.person_new, name="person-new"),
    path("people/<int:person_id>", directory.person, name="person"),
    path("people/<int:person_id>/invite", directory.person_invite, name="person-invite"),
    path("people/<int:person_id>/team", directory.person_team, name="person-team"),
    path("people/<int:person_id>/organisation", directory.person_org, name="person-org"),
    path("organisations/", directory.organisations, name="organisations"),
    path("organisations/<int:org_id>", directory.organisation, name="organisation"),
    path(
        "organisations/<int:org_id>/members/<int:person_id>/remove",
        directory.org_member_remove,
        name="org-member-remove",
    ),
    path("teams/", directory.teams, name="teams"),
    path("teams/<int:team_id>", directory.team, name="team"),
    path(
        "teams/<int:team_id>/members/<int:person_id>/remove",
        directory.team_member_remove,
        name="team-member-remove",
    ),
    path("agreements/new", service.agreement_new, name="agreement-new"),
    path("surveys/", service.surveys, name="surveys"),
    path("mailboxes/new", service.mailbox_new, name="mailbox-new"),
    path("mailboxes/<int:mailbox_id>/imap", service.mailbox_imap, name="mailbox-imap"),
    path("mailboxes/<int:mailbox_id>/test", service.mailbox_test, name="mailbox-test"),
    path("tokens/", service.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke", service.token_revoke, name="token-revoke"),
    path("statuses/", service.statuses, name="statuses"),
    path("statuses/<int:status_id>", service.status_edit, name="status"),
]
