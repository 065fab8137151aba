"""`rapport demo`: a believable organisation, built once, that people can sign in to."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from rapport import settings as project_settings
from rapport.agreements.models import Agreement
from rapport.core.errors import Invalid
from rapport.demo import builder as demo
from rapport.demo.phrases import COMPLAINTS, FRUSTRATED
from rapport.directory import actions as directory
from rapport.directory.models import (
    Organisation,
    OrgMembership,
    Party,
    PartyKind,
    Person,
    Team,
    TeamMembership,
)
from rapport.directory.queries import scope_for
from rapport.mail import outbound
from rapport.mail.models import OutboundMessage
from rapport.notifications.models import Notification
from rapport.sla.models import TicketClock
from rapport.sla.queries import attainment
from rapport.surveys.formulas import csat_of
from rapport.surveys.models import Survey
from rapport.testing import World
from rapport.tickets.models import Event, Message, Ticket
from rapport.tickets.testing import drain_reactions

# When the demo build began: its final sweep ran after this, at the build's own
# "now", so every clock due by then has been seen, however long the tests take.
_BUILT: dict[str, datetime] = {}


@pytest.fixture(scope="class")
def _demo_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """Build the demo once per class (a few seconds), like Django's setUpTestData:
    the build is rolled back after the class, and each test's own changes after it.
    It hashes passwords as production does (the tests' MD5 is set per test, later)."""
    real_hashers = override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS)
    with django_db_blocker.unblock(), real_hashers, transaction.atomic():
        out = io.StringIO()
        _BUILT["from"] = timezone.now()
        assert demo.ensure_demo(out, progress=False) is True
        drain_reactions()  # what the worker does next: escalations, surveys, the chain
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def printed(_demo_once: str, db: None) -> str:
    return _demo_once


def _counts() -> dict[str, int]:
    models = (Person, Organisation, Team, Agreement, Ticket, Message, Event)
    return {model.__name__: model.objects.count() for model in models}


class TestTheDemo:
    """The demo organisation as its users will find it."""

    def test_the_demo_looks_like_a_real_service_desk(self, printed: str) -> None:
        assert set(Team.objects.values_list("name", flat=True)) == {
            "Customer Support",
            "Billing",
            "IT Service Desk",
            "Logistics",
            "Policy Office",  # owns the policies and answers change proposals
        }
        kinds = list(Organisation.objects.values_list("kind", flat=True))
        assert (kinds.count("own"), kinds.count("customer")) == (1, 3)
        assert (kinds.count("vendor"), kinds.count("contractor")) == (2, 1)
        assert set(Agreement.objects.values_list("kind", flat=True)) == {"sla", "ola", "uc"}

        tickets = Ticket.objects.all()
        assert 250 <= tickets.count() <= 350
        now = timezone.now()
        created = list(tickets.values_list("created_at", flat=True))
        assert all(now - timedelta(days=61) < moment < now for moment in created)
        assert len({moment.date() for moment in created}) > 40
        assert not Event.objects.filter(created_at__gt=now).exists()

        categories = set(tickets.values_list("status_category", flat=True))
        assert categories == {"open", "pending_client", "on_hold", "solved", "closed"}
        assert Message.objects.filter(is_internal=True).exists()
        assert tickets.filter(merged_into__isnull=False).exists()
        assert tickets.filter(children__isnull=False).exists()
        assert tickets.filter(reopen_count__gt=0).exists()
        assert Event.objects.filter(kind="priority").exists()
        assert tickets.filter(agreement__isnull=True).count() == 0

    def test_demo_tickets_have_realistic_service_levels(self, printed: str) -> None:
        clocks = TicketClock.objects.all()
        assert clocks.filter(state="fulfilled", breached_at__isnull=True).count() > 100
        assert clocks.filter(state="fulfilled", breached_at__isnull=False).exists()  # late
        assert clocks.filter(state="paused").exists()
        running = clocks.filter(state="running")
        # Open tickets: some overdue, some warned, some still in time; the sweep saw them.
        assert running.filter(breached_at__isnull=False).exists()
        assert running.filter(breached_at__isnull=True, warned_percent__gt=0).exists()
        assert running.filter(warned_percent=0).exists()
        assert not running.filter(next_check_at__lte=_BUILT["from"]).exists()
        assert Event.objects.filter(kind="sla_warning").exists()
        assert Notification.objects.filter(kind="sla_breach").exists()
        due = Ticket.objects.filter(status_category="open", sla_due_at__isnull=False)
        assert due.exists()

    def test_a_manager_sees_believable_attainment_and_ratings(self, printed: str) -> None:
        """What the manager (daniel.fischer) sees over the last 30 days: attainment
        mostly 85-97 %, one or two weak providers, a third of solved tickets rated."""
        manager = scope_for(Person.objects.get(username="daniel.fischer"))
        until = timezone.now()
        since = until - timedelta(days=30)
        total = attainment(manager, since=since, until=until).total
        assert total.rate is not None and 0.85 <= total.rate <= 0.97, total
        rates = {}
        for party in Party.objects.filter(kind__in=("team", "vendor", "contractor")):
            clocks = attainment(manager, since=since, until=until, provider=party.pk).total
            if clocks.achieved + clocks.breached >= 10:
                rates[party.name] = clocks.rate
        weak = sorted(name for name, rate in rates.items() if rate is not None and rate < 0.85)
        assert 1 <= len(weak) <= 2, rates
        assert sum(1 for rate in rates.values() if rate is not None and rate >= 0.85) >= 4, rates
        solved = Ticket.objects.filter(solved_at__gte=until - timedelta(days=60)).count()
        rated = Survey.objects.filter(state="answered", csat__isnull=False).count()
        assert 0.25 <= rated / solved <= 0.42, (rated, solved)

    def test_one_watermelon_and_a_client_at_risk(self, printed: str) -> None:
        manager = scope_for(Person.objects.get(username="daniel.fischer"))
        until = timezone.now()
        since = until - timedelta(days=30)
        billing = Party.objects.get(name="Billing")
        kept = attainment(manager, since=since, until=until, provider=billing.pk).total.rate
        answers = Survey.objects.filter(provider_party=billing, csat__isnull=False)
        csat = csat_of(answers.values_list("csat", flat=True))
        assert kept is not None and kept >= 0.9 and csat is not None and csat < 60, (kept, csat)
        fabrikam = Party.objects.get(name="Fabrikam Manufacturing")
        theirs = Survey.objects.filter(ticket__client_party=fabrikam, csat__isnull=False)
        others = Survey.objects.exclude(ticket__client_party=fabrikam).filter(
            csat__isnull=False, provider_party__name="Customer Support"
        )
        assert csat_of(theirs.values_list("csat", flat=True)) < 40
        assert csat_of(others.values_list("csat", flat=True)) > 70
        said = Message.objects.filter(ticket__client_party=fabrikam, author_side="client")
        angry = [m for m in said.values_list("body_text", flat=True)
                 if any(phrase in m for phrase in (*COMPLAINTS, *FRUSTRATED))]  # fmt: skip
        assert len(angry) >= 6
        late = TicketClock.objects.filter(ticket__client_party=fabrikam, breached_at__isnull=False)
        assert late.values("ticket_id").distinct().count() >= 5

    def test_activity_reaches_the_moment_the_demo_was_built(self, printed: str) -> None:
        latest = Event.objects.order_by("-created_at").values_list("created_at", flat=True)[0]
        assert _BUILT["from"] - latest < timedelta(minutes=45)

    def test_recent_tickets_are_open_and_old_ones_done(self, printed: str) -> None:
        week_ago = timezone.now() - timedelta(days=7)
        recent = Ticket.objects.filter(created_at__gte=week_ago)
        old = Ticket.objects.filter(created_at__lt=week_ago - timedelta(days=14))
        active = ("open", "pending_client", "on_hold")
        assert recent.filter(status_category__in=active).count() >= recent.count() // 4
        assert old.filter(status_category__in=("solved", "closed")).count() >= 0.9 * old.count()

    def test_the_last_days_mail_is_in_the_outbox(self, printed: str) -> None:
        # Mail stays on the machine in tests (no EMAIL_HOST): the last day's replies
        # mail their people, and the links in those mails open their tickets.
        outbound.deliver_pending()
        kinds = ("new_ticket", "client_reply", "reply")  # the mail of ticket messages
        mails = list(OutboundMessage.objects.filter(kind__in=kinds).select_related("ticket"))
        assert mails
        day_ago = timezone.now() - timedelta(days=1, minutes=5)
        assert all(m.ticket is not None and m.ticket.updated_at >= day_ago for m in mails)
        assert all(f"/tickets/{m.ticket_id}" in m.body_text for m in mails)

    def test_running_it_again_creates_nothing(self, printed: str) -> None:
        before = _counts()
        out = io.StringIO()
        call_command("demo", "--no-progress", stdout=out)
        assert _counts() == before
        assert "exists already" in out.getvalue()
        assert "Sign in at http://127.0.0.1:8000/ as:" in out.getvalue()
        assert demo.ensure_demo(io.StringIO(), progress=False) is False

    def test_every_requester_belongs_to_the_client(self, printed: str) -> None:
        members = set(OrgMembership.objects.values_list("person_id", "organisation__party_id"))
        members |= set(TeamMembership.objects.values_list("person_id", "team__party_id"))
        rows = Ticket.objects.values_list(
            "pk", "requester_id", "client_party_id", "client_party__kind", "requester__staff_role"
        )
        for number, requester, client, kind, staff_role in rows:
            assert (requester, client) in members, f"#{number}"
            if kind == PartyKind.CUSTOMER:
                assert not staff_role, f"#{number}: staff asking as a customer"
        internal = Ticket.objects.filter(client_party__kind=PartyKind.OWN)
        assert internal.filter(requester__staff_role="").exists()  # employees raise requests

    def test_the_printed_accounts_sign_in(
        self, printed: str, settings: pytest.FixtureRequest
    ) -> None:
        settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
        lines = printed.split("Sign in at", 1)[1].splitlines()[1:]
        accounts = [line.split()[-2:] for line in lines if line.startswith("  ")]
        assert len(accounts) >= 6
        people = []
        for username, password in accounts:
            assert Client().login(username=username, password=password), username
            people.append(Person.objects.get(username=username))

        def member_of(person: Person, kind: str, *, admin: bool | None = None) -> bool:
            memberships = person.org_memberships.filter(organisation__kind=kind)
            return (
                memberships.filter(is_admin=admin).exists()
                if admin is not None
                else (memberships.exists())
            )

        assert any(p.staff_role == "admin" for p in people)
        assert any(p.staff_role == "agent" and p.team_memberships.exists() for p in people)
        assert any(member_of(p, "customer", admin=False) for p in people)
        assert any(member_of(p, "customer", admin=True) for p in people)
        assert any(not p.staff_role and member_of(p, "own") for p in people)
        assert any(member_of(p, "vendor") for p in people)
        assert "rapport token create" in printed


def test_a_shared_password_hash_signs_in_with_argon2(
    db: None, settings: pytest.FixtureRequest
) -> None:
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    shared = make_password(demo.PASSWORD)
    for name in ("one", "two"):
        directory.create_person(None, username=name, password_hash=shared)
    assert shared.startswith("argon2$")
    assert Client().login(username="one", password=demo.PASSWORD)
    assert Client().login(username="two", password=demo.PASSWORD)
    assert not Client().login(username="two", password="wrong")
    with pytest.raises(Invalid):
        directory.create_person(None, username="three", password_hash="plain-text")


def test_no_demo_beside_a_real_organisation(world: World) -> None:
    before = _counts()
    out = io.StringIO()
    assert demo.ensure_demo(out, progress=False) is False
    assert out.getvalue() == ""  # `serve --demo-if-empty` stays quiet
    call_command("demo", "--no-progress", stdout=out)
    assert "Rapport Ltd is set up already" in out.getvalue()
    assert _counts() == before
