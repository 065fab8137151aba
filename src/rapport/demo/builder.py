"""The demo organisation: Northwind Services, its customers, vendors, agreements
and two months of tickets that look like real work.

Everything is written through the actions, so the demo exercises the same write
path (permissions, events, search text) as people do; `clock.travel_to` places
each step in the past. A fixed seed makes the data the same on every run,
relative to the day it runs.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from tqdm import tqdm

from rapport.agreements import actions as agreements
from rapport.agreements.models import Agreement
from rapport.agreements.queries import match_agreement
from rapport.core import clock
from rapport.core.choices import Priority, StatusCategory
from rapport.core.errors import Conflict
from rapport.demo.content import (
    AGREEMENTS,
    BILLING,
    CALENDARS,
    COURIER,
    CUSTOMERS,
    DUPLICATES,
    EMPLOYEES,
    FOLLOW_UP,
    HOSTING,
    IT,
    LOGISTICS,
    NEW_HIRES,
    NOTES,
    ON_SITE,
    ORGANISATIONS,
    PRIORITY_NOTES,
    REFIX,
    REPAIRS,
    SHAPES,
    STAFF,
    STILL,
    SUPPORT,
    TARGETS,
    TEAMS,
    THANKS,
    Handoff,
    Topic,
)
from rapport.directory import actions as directory
from rapport.directory.models import Organisation, OrgKind, Party, Person
from rapport.directory.queries import own_organisation
from rapport.mail import actions as mail_actions
from rapport.mail import outbound
from rapport.policies.demo import build_policies
from rapport.proactive.demo import build_proactive
from rapport.sla import actions as sla_actions
from rapport.sla.sweeper import sweep
from rapport.tickets import actions as tickets
from rapport.tickets.models import Ticket

ORGANISATION = "Northwind Services"
PASSWORD = "demo-Rapport-2026"
SEED = 20260
DAYS = 60
STORIES = 280  # hand-offs and duplicates add about 20 tickets to these
MAILED_RECENTLY = timedelta(days=1)

# Who to sign in as: (what they are, username).
SIGN_IN = (
    ("admin", "amara.okafor"),
    ("manager", "daniel.fischer"),
    ("agent, Customer Support", "jonas.weber"),
    ("customer contact, Contoso Retail", "peter.lindqvist"),
    ("customer org admin, Contoso Retail", "grace.kim"),
    ("employee (internal requests)", "elena.petrova"),
    ("vendor user, Nimbus Hosting", "ray.patel"),
)


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


# --- building -----------------------------------------------------------------


@dataclass
class Desk:
    """A provider and the people who answer for it."""

    name: str
    party: Party
    workers: list[Person]
    lead: Person
    is_team: bool
    hours: str  # when its people answer: "work" (office hours) or "any" (24×7)


@dataclass
class Stream:
    """Who asks which provider about what, and how often."""

    desk: str
    weight: int
    requesters: list[tuple[Person, Party]]
    topics: Sequence[Topic]


@dataclass
class Directory:
    own: Organisation
    orgs: dict[str, Organisation] = field(default_factory=dict)
    parties: dict[str, Party] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    members: dict[str, list[Person]] = field(default_factory=dict)


def _build_directory() -> Directory:
    # One hash for every demo account: the password is published anyway, and
    # hashing it afresh per person would cost Argon2's 0.3 s about thirty times.
    shared_hash = make_password(PASSWORD)
    own = directory.create_organisation(
        None, name=ORGANISATION, kind=OrgKind.OWN, email_domain="northwind.example"
    )
    found = Directory(own=own)
    found.parties["own"] = own.party
    teams = {key: directory.create_team(None, name=name) for key, name in TEAMS.items()}
    found.parties.update({key: team.party for key, team in teams.items()})

    def person(username: str, full_name: str, domain: str, role: str = "") -> Person:
        created = directory.create_person(
            None,
            username=username,
            email=f"{username}@{domain}",
            full_name=full_name,
            staff_role=role,
            password_hash=shared_hash,
        )
        found.people[username] = created
        return created

    for username, full_name, role, team_key, is_lead in STAFF:
        staff = person(username, full_name, "northwind.example", role)
        directory.add_org_member(None, own, staff)
        if team_key:
            directory.add_team_member(
                None, teams[team_key], staff, role="lead" if is_lead else "agent"
            )
            found.members.setdefault(team_key, []).append(staff)
    for username, full_name in EMPLOYEES:
        directory.add_org_member(None, own, person(username, full_name, "northwind.example"))
        found.members.setdefault("employees", []).append(found.people[username])

    for key, name, kind, domain, people in ORGANISATIONS:
        org = directory.create_organisation(None, name=name, kind=kind, email_domain=domain)
        found.orgs[key] = org
        found.parties[key] = org.party
        for username, full_name, is_admin in people:
            directory.add_org_member(
                None, org, person(username, full_name, domain), is_admin=is_admin
            )
            found.members.setdefault(key, []).append(found.people[username])
    return found


def _build_agreements(found: Directory, today: datetime) -> None:
    calendars = {}
    for key, spec in CALENDARS.items():
        extra: dict[str, Any] = {}
        if key == "berlin":
            extra["closed_dates"] = [
                {"start": f"{year}-12-24", "end": f"{year}-12-31", "name": "Year-end shutdown"}
                for year in (today.year - 1, today.year)
            ]
        calendars[key] = agreements.create_calendar(None, **spec, **extra)
    started = (today - timedelta(days=400)).date()
    for name, kind, provider, client, calendar, share, choose in AGREEMENTS:
        targets = [
            {
                "priority": priority,
                "first_response_minutes": round(first * share),
                "next_response_minutes": round(following * share),
                "resolution_minutes": round(resolution * share),
            }
            for priority, (first, following, resolution) in TARGETS.items()
        ]
        agreements.create_agreement(
            None,
            name=name,
            kind=kind,
            provider=found.parties[provider],
            client=found.parties[client],
            calendar=calendars[calendar],
            active_from=started,
            targets=targets,
            clients_choose_priority=choose,
        )


class _Timeline:
    """The moment of one ticket's next step; a story stops once it reaches the present."""

    def __init__(
        self, start: datetime, cutoff: datetime, rng: random.Random, steps: int | None = None
    ) -> None:
        self.t, self.cutoff, self.rng = start, cutoff, rng
        self.steps_left = steps  # None: the story plays out until the present

    def step(self, low: float, high: float, hours: str = "any") -> bool:
        """Move on by low–high minutes, then into working ("work") or waking ("awake") hours."""
        self.t += timedelta(minutes=self.rng.uniform(low, high))
        if hours == "work":
            self.t = _within(self.t, self.rng, 8, 18, weekdays_only=True)
        elif hours == "awake":
            self.t = _within(self.t, self.rng, 7, 22, weekdays_only=False)
        if self.steps_left is not None:
            self.steps_left -= 1
            if self.steps_left < 0:
                return False
        return self.t < self.cutoff

    def here(self) -> contextlib.AbstractContextManager[None]:
        return clock.travel_to(self.t)


def _within(
    t: datetime, rng: random.Random, start: int, end: int, *, weekdays_only: bool
) -> datetime:
    """`t`, or a little after `start` o'clock (UTC) on the next day people are around."""
    if start <= t.hour < end and not (weekdays_only and t.weekday() >= 5):
        return t
    if t.hour >= end:
        t += timedelta(days=1)
    while weekdays_only and t.weekday() >= 5:
        t += timedelta(days=1)
    return t.replace(hour=start, minute=0) + timedelta(minutes=rng.uniform(0, 90))


class _Stories:
    """Plays out tickets: creation, triage, a thread, hand-offs, solving and closing."""

    def __init__(self, found: Directory, now: datetime) -> None:
        self.rng = random.Random(SEED)
        self.cutoff = now - timedelta(minutes=2)
        self.solved = tickets.default_status(StatusCategory.SOLVED)
        self.closed = tickets.default_status(StatusCategory.CLOSED)
        self.pending = tickets.default_status(StatusCategory.PENDING_CLIENT)
        self.on_hold = tickets.default_status(StatusCategory.ON_HOLD)
        self.customers = [found.orgs[key].name for key in CUSTOMERS]
        members, parties = found.members, found.parties
        self.desks = {
            key: Desk(
                name=TEAMS.get(key) or found.orgs[key].name,
                party=parties[key],
                workers=members[key],
                lead=members[key][0],
                is_team=key in TEAMS,
                hours="any" if key == "nimbus" else "work",
            )
            for key in (*TEAMS, "nimbus", "swiftparcel", "fixright")
        }

        def asking(*keys: str) -> list[tuple[Person, Party]]:
            return [(p, parties[key]) for key in keys for p in members[key]]

        customers = asking(*CUSTOMERS)
        # Colleagues outside IT ask IT too: internal customers.
        employees = [(p, parties["own"]) for p in members["employees"]]
        colleagues = employees * 2 + [
            (p, parties["own"]) for key in ("support", "billing", "logistics") for p in members[key]
        ]
        self.streams = [
            Stream("support", 36, customers, SUPPORT),
            Stream("billing", 15, customers, BILLING),
            Stream("it", 22, colleagues, IT),
            Stream("logistics", 8, employees, LOGISTICS),
            Stream("fixright", 5, asking("fabrikam"), ON_SITE),
            Stream("nimbus", 5, asking("it"), HOSTING),
            Stream("swiftparcel", 5, asking("logistics"), COURIER),
            Stream("fixright", 4, asking("it"), REPAIRS),
        ]
        # Exactly the intended share of each stream, in a shuffled order.
        total = sum(s.weight for s in self.streams)
        self.mix = [s for s in self.streams for _ in range(round(STORIES * s.weight / total))]
        self.rng.shuffle(self.mix)

    # text

    def _fill(self, text: str, ctx: dict[str, Any]) -> str:
        return text.format(**ctx)

    def _from_client(self, text: str, ctx: dict[str, Any]) -> str:
        closing = self.rng.choice(("Thanks,", "Best regards,", "Kind regards,", "Cheers,"))
        return f"{self._fill(text, ctx)}\n\n{closing}\n{ctx['first']}"

    def _from_provider(self, text: str, ctx: dict[str, Any], worker: Person, desk: Desk) -> str:
        return f"Hi {ctx['first']},\n\n{self._fill(text, ctx)}\n\n{worker.full_name}\n{desk.name}"

    def _context(self, requester: Person, client: Party) -> dict[str, Any]:
        r = self.rng
        return {
            "first": requester.full_name.split()[0],
            "org": client.name,
            "customer": r.choice(self.customers),
            "order": f"NW-{r.randint(100000, 999999)}",
            "invoice": f"INV-{r.randint(24000, 26999)}",
            "amount": f"{r.randint(49, 1490)}.00",
            "digits": f"{r.randint(1000, 9999)}",
            "floor": r.randint(1, 5),
            "newhire": r.choice(NEW_HIRES),
            "agent": "",
        }

    def _priority(self) -> int:
        weights = {Priority.LOW: 15, Priority.NORMAL: 55, Priority.HIGH: 20, Priority.URGENT: 10}
        return int(self.rng.choices(list(weights), weights=list(weights.values()))[0])

    # stories

    def play(self, number: int, start: datetime) -> None:
        # Each story draws from its own generator, so a story cut short by the
        # present leaves the choices of every later story unchanged.
        self.rng = rng = random.Random(f"{SEED}:{number}")
        stream = self.mix[number % len(self.mix)]
        desk = self.desks[stream.desk]
        requester, client = rng.choice(stream.requesters)
        topic = rng.choice(stream.topics)
        ctx = self._context(requester, client)
        # Some recent requests are still being worked on, the more the newer they are.
        age = (self.cutoff - start) / timedelta(days=1)
        unfinished = rng.random() < 0.8 * max(0.0, 1 - age / 16)
        line = _Timeline(start, self.cutoff, rng, rng.randint(0, 5) if unfinished else None)

        channel = rng.choices(("web", "email", "phone"), weights=(45, 45, 10))[0]
        if channel == "phone" and not desk.is_team:
            channel = "email"
        # On the phone an agent writes the request down for the caller.
        creator = rng.choice(desk.workers) if channel == "phone" else requester
        # Staff writing down a call, or asking a vendor, tag as they create; otherwise the
        # provider's agent tags at triage.
        by_staff = bool(creator.staff_role)
        tags_now = by_staff and (creator is not requester or not desk.is_team)
        agreement, _ = match_agreement(client, desk.party, start.date())
        clients_choose = agreement is not None and agreement.clients_choose_priority
        subject = self._fill(rng.choice(topic.subjects), ctx)
        with line.here():
            ticket = tickets.create_ticket(
                creator,
                subject=subject,
                body=self._from_client(topic.body, ctx),
                provider=desk.party,
                requester=requester,
                client=client,
                priority=self._priority() if by_staff or clients_choose else None,
                channel=channel,
                tags=topic.tags if tags_now else (),
            )
        duplicate = None
        if desk.is_team and not by_staff and rng.random() < 0.05:
            if not line.step(5, 90):
                return
            with line.here():
                duplicate = tickets.create_ticket(
                    requester,
                    subject=f"Re: {subject}",
                    body=self._from_client(rng.choice(DUPLICATES), ctx),
                    provider=desk.party,
                    client=client,
                    channel="email",
                )

        if not line.step(5, 180, desk.hours):
            return
        worker = rng.choice(desk.workers)
        ctx["agent"] = worker.full_name.split()[0]
        with line.here():
            tickets.assign(desk.lead if rng.random() < 0.5 else worker, ticket, worker)
            if duplicate is not None:
                tickets.merge(worker, duplicate, ticket)
            if topic.tags and not tags_now:
                # A vendor's users are not our staff; a triage rule tags for them.
                tickets.tag(worker if desk.is_team else None, ticket, topic.tags)
            if desk.is_team and rng.random() < 0.2:
                priority = rng.choice([p for p in Priority if p != ticket.priority])
                tickets.set_priority(worker, ticket, priority)
                if rng.random() < 0.6:
                    tickets.add_note(worker, ticket, body=PRIORITY_NOTES[priority])
        if desk.is_team and rng.random() < 0.3:
            if not line.step(10, 240, "work"):
                return
            with line.here():
                tickets.add_note(worker, ticket, body=topic.note or rng.choice(NOTES))

        handoff = topic.handoff if stream.desk == "support" and rng.random() < 0.2 else None
        replies = rng.choices((1, 2, 3, 4, 5), weights=(18, 17, 35, 15, 15))[0]
        if handoff is not None or topic.hold:
            replies = max(replies, 3)
        texts = {
            "ask": topic.ask, "info": topic.info, "fix": topic.fix,
            "thanks": rng.choice(THANKS), "still": rng.choice(STILL),
            "follow_up": rng.choice(FOLLOW_UP),
        }  # fmt: skip
        for shape in SHAPES[replies]:
            side, kind = shape.split(":")
            if side == "c":
                if not line.step(20, 1800, "awake"):
                    return
                with line.here():
                    tickets.reply(requester, ticket, body=self._from_client(texts[kind], ctx))
                continue
            if not line.step(15, 600, desk.hours):
                return
            waiting = handoff is not None or topic.hold
            status = {
                "ask": self.on_hold if waiting else self.pending,
                "follow_up": self.pending,
                "fix": self.solved if shape == SHAPES[replies][-1] else self.pending,
            }[kind]
            with line.here():
                body = self._from_provider(texts[kind], ctx, worker, desk)
                tickets.reply(worker, ticket, body=body, status=status)
            if kind != "ask" or handoff is None:
                continue
            if not self._hand_off(line, ticket, worker, handoff, ctx):
                return
        if ticket.status_category != StatusCategory.SOLVED:
            if not line.step(10, 240, desk.hours):
                return
            with line.here():
                tickets.set_status(worker, ticket, self.solved)

        if rng.random() < 0.05:
            # "It's back": the client reopens, the provider fixes it for good.
            if not line.step(600, 4000, "awake"):
                return
            with line.here():
                tickets.reopen(requester, ticket)
                tickets.reply(requester, ticket, body=self._from_client(texts["still"], ctx))
            if not line.step(30, 900, desk.hours):
                return
            with line.here():
                body = self._from_provider(rng.choice(REFIX), ctx, worker, desk)
                tickets.reply(worker, ticket, body=body, status=self.solved)
        if not line.step(3 * 1440, 6 * 1440):
            return
        with line.here():
            tickets.set_status(None, ticket, self.closed)  # closed automatically after a while
        if desk.is_team and rng.random() < 0.02 and line.step(600, 5000, "work"):
            with line.here():
                tickets.reopen(worker, ticket)
                tickets.add_note(
                    worker, ticket, body="Reopened: the client called, the problem is back."
                )
            if line.step(60, 1440, "work"):
                with line.here():
                    body = self._from_provider(rng.choice(REFIX), ctx, worker, desk)
                    tickets.reply(worker, ticket, body=body, status=self.solved)

    def _hand_off(
        self, line: _Timeline, parent: Ticket, asker: Person, handoff: Handoff, ctx: dict[str, Any]
    ) -> bool:
        """Hand part of the work to another provider; True once they have finished it."""
        rng = self.rng
        if not line.step(5, 60, "work"):
            return False
        desk = self.desks[handoff.to]
        asked = {**ctx, "first": asker.full_name.split()[0]}
        with line.here():
            child = tickets.create_ticket(
                asker,
                subject=self._fill(handoff.subject, asked),
                body=self._from_client(handoff.body, asked),
                provider=desk.party,
                requester=asker,
                client=parent.provider_party,
                parent=parent,
                tags=["handoff"],
            )
        worker = rng.choice(desk.workers)
        if not line.step(5, 120, desk.hours):
            return False
        with line.here():
            tickets.assign(worker, child, worker)
            ack = "Thanks, we're on it. I'll update this ticket as soon as I know more."
            tickets.reply(worker, child, body=self._from_provider(ack, asked, worker, desk))
        then = handoff.then if rng.random() < 0.6 else None
        if then is not None and not self._hand_off(line, child, worker, then, ctx):
            return False
        if not line.step(60, 1440, desk.hours):
            return False
        with line.here():
            body = self._from_provider(handoff.fix, asked, worker, desk)
            tickets.reply(worker, child, body=body, status=self.solved)
        if not line.step(5, 120, "work"):
            return False
        with line.here():
            tickets.set_status(asker, child, self.closed)  # the asker confirms and closes
        return True


def _starts(rng: random.Random, now: datetime) -> list[datetime]:
    """When each story begins: mostly weekdays and working hours, over the last DAYS days."""
    first_day = (now - timedelta(days=DAYS)).replace(hour=0, minute=0, second=0, microsecond=0)
    days = [first_day + timedelta(days=i) for i in range(DAYS + 1)]
    weights = [1.0 if d.weekday() < 5 else 0.25 for d in days]
    starts: list[datetime] = []
    while len(starts) < STORIES:
        day = rng.choices(days, weights=weights)[0]
        moment = day + timedelta(hours=rng.triangular(6, 21, 11))
        if now - timedelta(days=DAYS) < moment < now - timedelta(minutes=30):
            starts.append(moment)
    return sorted(starts)


def build_demo(*, progress: bool = True) -> None:
    """Create the demo organisation; the caller checks that none exists yet."""
    now = clock.now()
    with transaction.atomic():
        with outbound.muted():  # no mail to the demo's made-up people
            found = _build_directory()
            _build_agreements(found, now)
        stories = _Stories(found, now)
        starts = _starts(random.Random(SEED), now)
        bar = tqdm(
            starts, desc="Demo tickets", unit=" tickets", disable=not progress, file=sys.stderr
        )
        for number, start in enumerate(bar):
            # While mail stays on the machine, the last day's stories mail as they would
            # live, so the outbox page has notifications to read and links to click.
            recent = settings.RAPPORT_MAIL_KEPT_LOCAL and now - start < MAILED_RECENTLY
            with contextlib.nullcontext() if recent else outbound.muted():
                stories.play(number, start)
        with outbound.muted():
            _build_mailboxes(found)
            _service_levels(now)
            build_policies(now)
            build_proactive(now)


def _service_levels(now: datetime) -> None:
    """Warnings and escalations on the customer SLAs, then one sweep at the present.

    The stories ran their clocks through the actions (late answers are already
    recorded as breaches); the sweep adds what a worker would have noticed by now:
    warnings on open tickets and breaches of the overdue ones, with notifications.
    """
    for agreement in Agreement.objects.filter(kind="sla"):
        sla_actions.set_sla_settings(
            None, agreement, warning_percents=[50, 75, 90],
            escalations=[
                {"at_percent": 75, "action": "notify", "recipients": ["assignee"]},
                {"at_percent": 100, "action": "notify",
                 "recipients": ["assignee", "team_lead", "provider_manager"]},
            ],
        )  # fmt: skip
    with clock.travel_to(now):
        sweep(now)


def _build_mailboxes(found: Directory) -> None:
    """support@, billing@ and it@: mail to them (`rapport serve`'s SMTP port) opens tickets."""
    for key in ("support", "billing", "it"):
        mail_actions.create_mailbox(
            None, address=f"{key}@northwind.example", provider=found.parties[key],
            name=f"Northwind {TEAMS[key]}",
        )  # fmt: skip


def demo_exists() -> bool:
    return Organisation.objects.filter(kind=OrgKind.OWN, name=ORGANISATION).exists()


def ensure_demo(stdout: Writer, *, progress: bool = True, base_url: str | None = None) -> bool:
    """Create the demo organisation if the database has no organisation of its own yet.

    Prints how to sign in when the demo is (or already was) there; True if created now.
    """
    if own_organisation() is None:
        began = time.monotonic()
        try:
            build_demo(progress=progress)
        except (Conflict, IntegrityError):
            if own_organisation() is None:  # not another process creating it at the same time
                raise
        else:
            stdout.write(
                f"Created the demo organisation {ORGANISATION}: {Person.objects.count()} people, "
                f"{Ticket.objects.count()} tickets ({time.monotonic() - began:.1f} s).\n"
            )
            write_sign_in(stdout, base_url)
            return True
    if demo_exists():
        stdout.write(f"The demo organisation {ORGANISATION} exists already.\n")
        write_sign_in(stdout, base_url)
    return False


def write_sign_in(stdout: Writer, base_url: str | None = None) -> None:
    url = base_url or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/"
    width = max(len(role) for role, _ in SIGN_IN) + 2
    lines = [f"Sign in at {url} as:"]
    lines += [f"  {role:<{width}}{username:<18}{PASSWORD}" for role, username in SIGN_IN]
    lines += [
        f"Every demo account has the password {PASSWORD}.",
        f"API token: `rapport token create <username>` prints one (e.g. for {SIGN_IN[0][1]});",
        f"send it as 'Authorization: Bearer <token>'. API docs: {url}api/v1/docs",
    ]
    stdout.write("\n".join(lines) + "\n")
