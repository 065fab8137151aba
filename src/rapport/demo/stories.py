"""The demo's tickets as stories: who asks which provider about what, and how each
request plays out (triage, a thread, hand-offs, solving, closing) up to the present."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rapport.agreements.queries import match_agreement
from rapport.core import clock
from rapport.core.choices import Clock, Priority, StatusCategory
from rapport.demo.content import AT_RISK, CUSTOMERS, SOURING, TEAMS
from rapport.demo.organisation import Directory
from rapport.demo.phrases import (
    COMPLAINTS,
    DUPLICATES,
    FOLLOW_UP,
    FRUSTRATED,
    NEW_HIRES,
    NOTES,
    PRIORITY_NOTES,
    REFIX,
    SHAPES,
    STILL,
    THANKS,
)
from rapport.demo.topics import BILLING, SUPPORT, Handoff, Topic
from rapport.demo.topics_internal import COURIER, HOSTING, IT, LOGISTICS, ON_SITE, REPAIRS
from rapport.directory.models import Party, Person
from rapport.sla.models import TicketClock
from rapport.tickets import actions as tickets
from rapport.tickets.models import Ticket

SEED = 20260
DAYS = 60
STORIES = 280  # hand-offs and duplicates add about 20 tickets to these

# How long a provider's steps take, as a share of the usual, by priority, for work under
# no agreement: urgent work is picked up at once, low-priority work waits its turn.
PACE = {Priority.URGENT: 0.1, Priority.HIGH: 0.2, Priority.NORMAL: 0.45, Priority.LOW: 0.8}
# The longest a provider's first answer takes, in the stories' minutes of a step:
# triage (up to 180), a note (60) and the reply (400).
FIRST_ANSWER_SPAN = 640
# A provider on time answers within this share of its first-response target at most.
ON_TIME_SHARE = 0.85
LATE_FACTOR = 4.0
# The chance that a provider's first answer is late (it was busy, or forgot): most
# keep their promises; one vendor and one contractor are the weak links of the chain.
LATE = {"fixright": 0.35, "swiftparcel": 0.25, "nimbus": 0.06, "billing": 0.02}
LATE_USUALLY = 0.07


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
            self.t = _within(self.t, self.rng, 7, 18, weekdays_only=True)
        elif hours == "long":
            self.t = _within(self.t, self.rng, 7, 22, weekdays_only=True)
        elif hours == "awake":
            self.t = _within(self.t, self.rng, 7, 22, weekdays_only=False)
        if self.steps_left is not None:
            self.steps_left -= 1
            if self.steps_left < 0:
                return False
        return self.t < self.cutoff

    def here(self) -> contextlib.AbstractContextManager[None]:
        return clock.travel_to(self.t)


def _pace(ticket: Ticket, late: bool, span: float) -> float:
    """The scale of a provider's steps on a ticket: on time, its first answer comes
    within ON_TIME_SHARE of the first-response target (business minutes, a good
    approximation of the wall-clock minutes inside working hours); late, well after."""
    target = (
        TicketClock.objects.filter(ticket=ticket, kind=Clock.FIRST_RESPONSE)
        .values_list("target_minutes", flat=True)
        .first()
    )
    pace = ON_TIME_SHARE * target / span if target else PACE.get(Priority(ticket.priority), 1.0)
    return pace * (LATE_FACTOR if late else 1.0)


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
    return t.replace(hour=start, minute=0) + timedelta(minutes=rng.uniform(0, 30))


class Stories:
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
                # Support and Billing run a late shift for their New York customers.
                hours={"nimbus": "any", "support": "long", "billing": "long"}.get(key, "work"),
            )
            for key in (*TEAMS, "nimbus", "swiftparcel", "fixright")
        }

        def asking(*keys: str) -> list[tuple[Person, Party]]:
            return [(p, parties[key]) for key in keys for p in members[key]]

        customers = asking(*CUSTOMERS)
        # How often each unhappy client writes angrily (see content.AT_RISK).
        self.unhappy = {parties[key].pk: 0.75 for key in AT_RISK}
        self.unhappy.update({parties[key].pk: 0.35 for key in SOURING})
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
        # An unfinished story still got its first answer (the first four steps at most).
        line = _Timeline(start, self.cutoff, rng, rng.randint(4, 8) if unfinished else None)

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

        # A 24×7 agreement has someone on call at night and at weekends.
        hours = "any" if agreement is not None and agreement.calendar.always_open else desk.hours
        angry = rng.random() < self.unhappy.get(client.pk, 0.0)
        # An unhappy client's tickets are the ones that went wrong.
        late = rng.random() < LATE.get(stream.desk, LATE_USUALLY) + (0.4 if angry else 0.0)
        pace = _pace(ticket, late, FIRST_ANSWER_SPAN)
        if not line.step(5 * pace, 180 * pace, hours):
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
                pace = _pace(ticket, late, FIRST_ANSWER_SPAN)
                if rng.random() < 0.6:
                    tickets.add_note(worker, ticket, body=PRIORITY_NOTES[priority])
        if desk.is_team and rng.random() < 0.3:
            if not line.step(5 * pace, 60 * pace, hours):
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
        if angry:
            texts["thanks"] = rng.choice(COMPLAINTS)
            texts["still"] = rng.choice(COMPLAINTS)
            texts["info"] = f"{texts['info']}\n\n{rng.choice(FRUSTRATED)}"
        for shape in SHAPES[replies]:
            side, kind = shape.split(":")
            if side == "c":
                if not line.step(20, 1800, "awake"):
                    return
                with line.here():
                    tickets.reply(requester, ticket, body=self._from_client(texts[kind], ctx))
                continue
            if not line.step(15 * pace, 400 * pace, hours):
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
            if not line.step(10 * pace, 240 * pace, hours):
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
            if not line.step(30 * pace, 600 * pace, hours):
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
        late = rng.random() < LATE.get(handoff.to, LATE_USUALLY)
        pace = _pace(child, late, 120)
        if not line.step(5 * pace, 120 * pace, desk.hours):
            return False
        with line.here():
            tickets.assign(worker, child, worker)
            ack = "Thanks, we're on it. I'll update this ticket as soon as I know more."
            tickets.reply(worker, child, body=self._from_provider(ack, asked, worker, desk))
        then = handoff.then if rng.random() < 0.6 else None
        if then is not None and not self._hand_off(line, child, worker, then, ctx):
            return False
        if not line.step(60 * pace, 900 * pace, desk.hours):
            return False
        with line.here():
            body = self._from_provider(handoff.fix, asked, worker, desk)
            tickets.reply(worker, child, body=body, status=self.solved)
        if not line.step(5, 120, "work"):
            return False
        with line.here():
            tickets.set_status(asker, child, self.closed)  # the asker confirms and closes
        return True


def starts_of(rng: random.Random, now: datetime) -> list[datetime]:
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
