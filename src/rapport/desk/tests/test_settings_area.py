"""The Settings area: admins set up people, organisations, teams, agreements, mailboxes
and tokens in the browser through the actions; everyone else finds no such pages."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.accounts.models import ApiToken
from rapport.agreements.models import Agreement
from rapport.directory.models import Organisation, OrgMembership, Person, Team, TeamMembership
from rapport.mail import crypto
from rapport.mail.models import Mailbox, OutboundMessage
from rapport.testing import World
from rapport.tickets.models import Status

PAGES = [
    "/settings/", "/settings/people/", "/settings/people/new", "/settings/organisations/",
    "/settings/teams/", "/settings/agreements/new", "/settings/surveys/",
    "/settings/mailboxes/new", "/settings/tokens/", "/settings/statuses/",
]  # fmt: skip


def _as(world: World, role: str) -> Client:
    browser = Client()
    browser.force_login(world.people[role])
    return browser


@pytest.mark.parametrize("role", ["manager", "agent", "contact", "vendor_user"])
def test_nobody_but_an_admin_finds_the_settings(world: World, role: str) -> None:
    browser = _as(world, role)
    for url in PAGES:
        assert browser.get(url).status_code == 404, url
    response = browser.post("/settings/organisations/", {"name": "Sneaky", "kind": "customer"})
    assert response.status_code == 404
    assert not Organisation.objects.filter(name="Sneaky").exists()


def test_signed_out_visitors_are_sent_to_sign_in(world: World) -> None:
    response = Client().get("/settings/people/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_every_settings_page_renders_in_the_shell_with_its_section_navigation(
    world: World,
) -> None:
    browser = _as(world, "admin")
    pages = [*PAGES, f"/settings/people/{world.people['contact'].pk}",
             f"/settings/organisations/{world.customer.pk}", f"/settings/teams/{world.support.pk}",
             "/settings/sla/", "/settings/mail/", "/settings/outbox/", "/settings/signup/",
             "/desk/reactions", f"/surveys/settings/{world.sla.pk}/"]  # fmt: skip
    for url in pages:
        page = browser.get(url).content.decode()
        assert 'aria-label="Main"' in page, url
        assert 'aria-label="Settings"' in page, url


def test_admin_creates_an_organisation_a_team_and_a_person_with_an_invitation(
    world: World,
) -> None:
    browser = _as(world, "admin")
    response = browser.post(
        "/settings/organisations/",
        {"name": "Umbra", "kind": "customer", "email_domain": "Umbra.example"},
    )
    org = Organisation.objects.get(name="Umbra")
    assert response["Location"] == f"/settings/organisations/{org.pk}"
    assert org.email_domain == "umbra.example" and org.party.kind == "customer"
    browser.post("/settings/teams/", {"name": "Field service", "email": ""})
    team = Team.objects.get(name="Field service")
    response = browser.post(
        "/settings/people/new",
        {"username": "pat", "full_name": "Pat Doe", "email": "pat@ours.example",
         "staff_role": "agent", "team": team.pk, "team_role": "lead", "invite": "on"},
    )  # fmt: skip
    pat = Person.objects.get(username="pat")
    assert response["Location"] == f"/settings/people/{pat.pk}"
    assert pat.staff_role == "agent" and not pat.has_usable_password()
    assert TeamMembership.objects.get(team=team, person=pat).role == "lead"
    invitation = OutboundMessage.objects.get(to_address="pat@ours.example")
    assert "/accounts/reset/" in invitation.body_text
    # a contact of the new organisation, no invitation
    browser.post(
        "/settings/people/new",
        {"username": "ivy", "email": "ivy@umbra.example", "organisation": org.pk,
         "password": "Another-horse-77"},
    )  # fmt: skip
    ivy = Person.objects.get(username="ivy")
    assert OrgMembership.objects.filter(organisation=org, person=ivy).exists()
    assert ivy.check_password("Another-horse-77") and not ivy.staff_role


def test_admin_changes_a_role_deactivates_and_manages_memberships(world: World) -> None:
    browser = _as(world, "admin")
    agent = world.people["agent"]
    url = f"/settings/people/{agent.pk}"
    browser.post(url, {"full_name": "Agent Smith", "email": agent.email, "staff_role": "manager"})
    agent.refresh_from_db()
    assert agent.staff_role == "manager" and not agent.is_active  # unticked: deactivated
    browser.post(url, {"full_name": "Agent Smith", "email": agent.email, "staff_role": "agent",
                       "is_active": "on"})  # fmt: skip
    agent.refresh_from_db()
    assert agent.is_active and agent.staff_role == "agent"
    browser.post(f"{url}/team", {"team": world.it.pk, "role": "agent"})
    assert TeamMembership.objects.filter(team=world.it, person=agent).exists()
    browser.post(f"/settings/teams/{world.it.pk}/members/{agent.pk}/remove")
    assert not TeamMembership.objects.filter(team=world.it, person=agent).exists()
    browser.post(f"{url}/organisation", {"organisation": world.customer.pk})
    assert OrgMembership.objects.filter(organisation=world.customer, person=agent).exists()
    browser.post(f"/settings/organisations/{world.customer.pk}/members/{agent.pk}/remove")
    assert not OrgMembership.objects.filter(organisation=world.customer, person=agent).exists()


def test_mistakes_are_field_errors_and_change_nothing(world: World) -> None:
    browser = _as(world, "admin")
    response = browser.post("/settings/organisations/", {"name": world.customer.name,
                                                         "kind": "customer"})  # fmt: skip
    assert response.status_code == 422
    assert "exists already" in response.content.decode()
    response = browser.post("/settings/people/new", {"username": "x", "invite": "on"})
    assert response.status_code == 422
    assert "An invitation needs an e-mail address." in response.content.decode()
    response = browser.post(
        "/settings/people/new", {"username": "y", "team": world.support.pk, "staff_role": ""}
    )
    assert "Only staff can be members of a team." in response.content.decode()
    response = browser.post("/settings/people/new", {"username": world.people["agent"].username})
    assert response.status_code == 422 and "is taken" in response.content.decode()
    assert not Person.objects.filter(username__in=["x", "y"]).exists()
    response = browser.post("/settings/teams/", {"name": ""})
    assert response.status_code == 422 and "This field is required." in response.content.decode()


def test_admin_creates_an_agreement_then_edits_its_targets(world: World) -> None:
    browser = _as(world, "admin")
    data = {"name": "Umbra SLA", "kind": "sla", "provider": world.support.party_id,
            "client": world.other_customer.party_id, "calendar": world.calendar.pk,
            "active_from": "2026-01-01", "default_priority": "high"}  # fmt: skip
    response = browser.post("/settings/agreements/new", data)
    agreement = Agreement.objects.get(name="Umbra SLA")
    assert response["Location"] == f"/settings/sla/agreements/{agreement.pk}"
    assert agreement.default_priority == 3 and agreement.client_id == world.other_customer.party_id
    bad = browser.post("/settings/agreements/new", {**data, "name": "Self",
                                                    "client": world.support.party_id})  # fmt: skip
    assert bad.status_code == 422 and "cannot serve itself" in bad.content.decode()


def test_admin_creates_a_mailbox_and_saves_its_imap_credentials(world: World) -> None:
    browser = _as(world, "admin")
    response = browser.post(
        "/settings/mailboxes/new",
        {"address": "Help@Ours.example", "provider": world.support.party_id},
    )
    mailbox = Mailbox.objects.get(address="help@ours.example")
    assert response["Location"] == f"/settings/mail/mailboxes/{mailbox.pk}"
    url = f"/settings/mailboxes/{mailbox.pk}/imap"
    browser.post(url, {"imap_host": "imap.ours.example", "imap_port": "993", "imap_tls": "on",
                       "imap_username": "help", "imap_password": "s3cret",
                       "imap_folder": "INBOX"})  # fmt: skip
    mailbox.refresh_from_db()
    assert mailbox.imap_host == "imap.ours.example"
    assert crypto.decrypt(mailbox.imap_password_encrypted) == "s3cret"
    # saved again without a password: the stored one stays
    browser.post(url, {"imap_host": "imap.ours.example", "imap_port": "143",
                       "imap_username": "help", "imap_folder": "INBOX"})  # fmt: skip
    mailbox.refresh_from_db()
    assert mailbox.imap_port == 143 and crypto.decrypt(mailbox.imap_password_encrypted) == "s3cret"
    bad = browser.post(url, {"imap_port": "70000", "imap_folder": "INBOX"})
    assert bad.status_code == 422


def test_admin_creates_and_revokes_a_token_for_someone(world: World) -> None:
    browser = _as(world, "admin")
    response = browser.post(
        "/settings/tokens/", {"person": world.people["agent"].pk, "name": "CRM sync"}, follow=True
    )
    token = ApiToken.objects.get(name="CRM sync")
    assert token.person == world.people["agent"]
    assert "data-new-token" in response.content.decode()
    browser.post(f"/settings/tokens/{token.pk}/revoke")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_survey_settings_at_a_glance_show_the_defaults_as_on(world: World) -> None:
    page = _as(world, "admin").get("/settings/surveys/").content.decode()
    row = page.split(f'data-agreement="{world.sla.pk}"')[1].split("</tr>")[0]
    assert "On" in row and "defaults" in row and "CSAT" in row


def test_the_people_list_takes_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: object
) -> None:
    browser = _as(world, "admin")
    browser.get("/settings/people/")
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert browser.get("/settings/people/").status_code == 200


def test_admin_adds_renames_and_chooses_the_default_status(world: World) -> None:
    browser = _as(world, "admin")
    browser.post("/settings/statuses/", {"name": "Waiting for parts", "category": "on_hold"})
    parts = Status.objects.get(name="Waiting for parts")
    assert parts.category == "on_hold" and parts.slug == "waiting-for-parts"
    browser.post(f"/settings/statuses/{parts.pk}",
                 {"name": "Awaiting parts", "position": "7", "is_default": "on"})  # fmt: skip
    parts.refresh_from_db()
    assert (parts.name, parts.position, parts.is_default) == ("Awaiting parts", 7, True)
    assert list(Status.objects.filter(category="on_hold", is_default=True)) == [parts]
    response = browser.post("/settings/statuses/", {"name": "awaiting PARTS", "category": "open"})
    assert response.status_code == 422 and "exists already" in response.content.decode()
    response = browser.post(f"/settings/statuses/{parts.pk}", {"name": "Awaiting parts",
                                                               "position": "7"})  # fmt: skip
    assert response.status_code == 422 and "another status" in response.content.decode()
    assert (
        _as(world, "manager")
        .post(f"/settings/statuses/{parts.pk}", {"name": "X", "position": "1"})
        .status_code
        == 404
    )
