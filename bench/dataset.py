"""A deterministic helpdesk data set: who is who, then N tickets as plain rows.

The directory (organisations, teams, people, agreements) is small and built
through the real actions. Tickets, their messages, events, tags and search
documents are generated here as tuples, in the column order of `COLUMNS`, for
`bench.loaders` to bulk-insert.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

from rapport.agreements import actions as agreement_actions
from rapport.agreements.models import Agreement
from rapport.directory import actions as directory
from rapport.directory.models import Party, Person, Team
from rapport.testing import World, build_world
from rapport.tickets.models import Status, Tag

DAY = 86_400.0
HOUR = 3_600.0
SPAN_DAYS = 365
# The common word is the most frequent subject (about one in seven tickets); every
# 250th ticket carries the rare one, so search has both cases at any size.
COMMON_WORD = "printer"
RARE_WORD = "zeppelin"
RARE_EVERY = 250

COLUMNS: dict[str, tuple[str, ...]] = {
    "tickets_ticket": (
        "id", "subject", "priority", "status_category", "channel", "message_count",
        "reopen_count", "created_at", "updated_at", "first_response_at", "solved_at",
        "closed_at", "agreement_id", "assignee_id", "client_party_id", "provider_party_id",
        "requester_id", "status_id", "merged_into_id", "parent_id",
    ),
    # The database numbers messages, events and tags in insertion order, so a
    # batch can be generated without knowing how many rows the others have.
    "tickets_message": (
        "ticket_id", "author_id", "author_side", "is_internal", "channel", "body_html",
        "body_text", "created_at",
    ),
    "tickets_event": (
        "ticket_id", "actor_id", "created_at", "kind", "field", "old_value", "new_value", "data",
    ),
    "tickets_tickettag": ("ticket_id", "tag_id"),
    "tickets_searchdocument": ("ticket_id", "body"),
}  # fmt: skip

# --------------------------------------------------------------------------
# The directory, built through the actions
# --------------------------------------------------------------------------

EXTRA_TEAMS = ("Billing", "Facilities", "Network Operations", "HR Help Desk")
EXTRA_CUSTOMERS = (
    "Umbrella", "Hooli", "Soylent", "Cyberdyne", "Tyrell", "Wayne Enterprises",
    "Stark Industries", "Wonka", "Acme", "Oscorp", "Vandelay", "Massive Dynamic",
)  # fmt: skip
TAGS = (
    "billing", "hardware", "software", "network", "access", "vip", "bug", "how-to",
    "outage", "refund", "onboarding", "offboarding", "printing", "email", "vpn", "laptop",
    "security", "license", "delivery", "invoice", "feature-request", "escalated",
    "follow-up", "urgent-customer", "windows", "macos", "mobile", "wifi", "backup", "training",
)  # fmt: skip
FIRST_NAMES = (
    "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
    "Kai", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara",
)  # fmt: skip
LAST_NAMES = (
    "Okafor", "Schmidt", "Tanaka", "Novak", "Rossi", "Dubois", "Silva", "Kowalski",
    "Haddad", "Larsen", "Moreau", "Fischer", "Nguyen", "Costa", "Jansen", "Ivanova",
)  # fmt: skip


@dataclass(frozen=True)
class Lane:
    """One relationship tickets flow through: who asks, who provides, who answers."""

    provider_party_id: int
    client_party_id: int
    agreement_id: int
    requesters: tuple[int, ...]
    responders: tuple[int, ...]
    # Provider staff a ticket can be assigned to; empty for vendors and contractors.
    assignees: tuple[int, ...]
    weight: float


@dataclass(frozen=True)
class Cast:
    """What the ticket generator needs to know of the directory, as plain data."""

    lanes: tuple[Lane, ...]
    names: dict[int, str]
    statuses: dict[str, tuple[int, str]]
    tag_ids: tuple[int, ...]


@dataclass
class Directory:
    world: World
    cast: Cast


class _Builder:
    """Adds people, teams, customers and agreements to `build_world()` through the
    actions, and the lanes tickets will flow through."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.serial = 0
        self.lanes: list[Lane] = []
        people = world.people
        self.support = self.team(world.support, [people["agent"], people["lead"]], 8)
        self.employees = [people["employee"], *self.people("employee", 40)]
        for person in self.employees[1:]:
            directory.add_org_member(None, world.own, person)

    def people(self, prefix: str, count: int, *, role: str = "") -> list[Person]:
        made = []
        for _ in range(count):
            self.serial += 1
            first = FIRST_NAMES[self.serial % len(FIRST_NAMES)]
            last = LAST_NAMES[(self.serial * 7) % len(LAST_NAMES)]
            username = f"{prefix}{self.serial}"
            made.append(
                directory.create_person(
                    None,
                    username=username,
                    email=f"{username}@bench.example",
                    full_name=f"{first} {last}",
                    staff_role=role,
                )
            )
        return made

    def team(self, team: Team, existing: Sequence[Person], extra: int) -> tuple[int, ...]:
        added = self.people("agent", extra, role="agent")
        for person in added:
            directory.add_team_member(None, team, person)
            directory.add_org_member(None, self.world.own, person)
        return _ids([*existing, *added])

    def agreement(self, name: str, kind: str, provider: Party, client: Party) -> Agreement:
        return agreement_actions.create_agreement(
            None, name=name, kind=kind, provider=provider, client=client,
            calendar=self.world.calendar, active_from=date(2020, 1, 1),
            targets=[{"priority": "normal", "first_response_minutes": 240}],
        )  # fmt: skip

    def lane(
        self,
        provider: Party,
        client: Party,
        agreement: Agreement,
        requesters: tuple[int, ...],
        responders: tuple[int, ...],
        *,
        weight: float,
        assignable: bool = True,
    ) -> None:
        self.lanes.append(
            Lane(
                provider_party_id=provider.pk,
                client_party_id=client.pk,
                agreement_id=agreement.pk,
                requesters=requesters,
                responders=responders,
                assignees=responders if assignable else (),
                weight=weight,
            )
        )

    def customers(self) -> None:
        """Customer Support serves every customer; a few big ones raise most requests."""
        world, people = self.world, self.world.people
        known = {
            world.customer.pk: (world.sla, [people["contact"], people["colleague"],
                                            people["org_admin"]]),
            world.other_customer.pk: (world.other_sla, [people["other_contact"]]),
        }  # fmt: skip
        organisations = [world.customer, world.other_customer]
        for name in EXTRA_CUSTOMERS:
            organisation = directory.create_organisation(None, name=name, kind="customer")
            sla = self.agreement(f"{name} support", "sla", world.support.party, organisation.party)
            known[organisation.pk] = (sla, [])
            organisations.append(organisation)
        for rank, organisation in enumerate(organisations, start=1):
            sla, contacts = known[organisation.pk]
            for person in self.people("contact", 4 + 12 // rank):
                directory.add_org_member(None, organisation, person)
                contacts.append(person)
            self.lane(world.support.party, organisation.party, sla, _ids(contacts),
                      self.support, weight=0.45 / rank)  # fmt: skip

    def internal_teams(self) -> None:
        """IT and four more teams serve every employee under an OLA."""
        world, employees = self.world, _ids(self.employees)
        it = self.team(world.it, [world.people["other_agent"]], 5)
        self.lane(world.it.party, world.own.party, world.ola, employees, it, weight=0.55)
        for index, name in enumerate(EXTRA_TEAMS):
            team = directory.create_team(None, name=name)
            agents = self.team(team, [], 4)
            ola = self.agreement(f"{name} for everyone", "ola", team.party, world.own.party)
            self.lane(team.party, world.own.party, ola, employees, agents,
                      weight=0.25 / (index + 1))  # fmt: skip

    def partners(self) -> None:
        """The vendor serves Customer Support, the contractor serves Globex on site."""
        world, people = self.world, self.world.people
        vendor, contractor = _ids([people["vendor_user"]]), _ids([people["contractor_user"]])
        globex = _ids([people["contact"], people["colleague"], people["org_admin"]])
        # Nobody of ours is assigned a vendor's or a contractor's tickets.
        self.lane(world.vendor.party, world.support.party, world.uc, self.support, vendor,
                  weight=0.12, assignable=False)  # fmt: skip
        self.lane(world.contractor.party, world.customer.party, world.contractor_uc, globex,
                  contractor, weight=0.05, assignable=False)  # fmt: skip


def _ids(people: Sequence[Person]) -> tuple[int, ...]:
    return tuple(p.pk for p in people)


def build_directory() -> Directory:
    """build_world() plus enough teams, customers and people for a realistic spread."""
    builder = _Builder(build_world())
    builder.customers()
    builder.internal_teams()
    builder.partners()
    # Tags have no action of their own (tagging creates them): bulk, like the tickets.
    Tag.objects.bulk_create([Tag(name=n) for n in TAGS], ignore_conflicts=True)
    cast = Cast(
        lanes=tuple(builder.lanes),
        names={p.pk: p.display_name for p in Person.objects.all()},
        statuses={s.slug: (s.pk, s.category) for s in Status.objects.all()},
        tag_ids=tuple(Tag.objects.filter(name__in=TAGS).values_list("pk", flat=True)),
    )
    return Directory(world=builder.world, cast=cast)


# --------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------

# (object, how often it comes up); the common search word is the most frequent.
OBJECTS = (
    (COMMON_WORD, 14), ("laptop", 9), ("VPN", 8), ("mailbox", 8), ("invoice", 7),
    ("password", 8), ("Wi-Fi", 6), ("monitor", 4), ("phone", 4), ("badge", 3),
    ("order", 6), ("delivery", 5), ("account", 6), ("report", 4), ("licence", 3),
    ("server", 3), ("backup", 2), ("calendar", 2), ("keyboard", 2), ("dashboard", 3),
)  # fmt: skip
PROBLEMS = (
    "not working", "keeps crashing", "is very slow", "cannot connect", "shows an error",
    "needs replacing", "stopped syncing", "access denied", "is missing", "charged twice",
    "will not start", "locked out", "out of date", "behaves strangely", "is broken",
)  # fmt: skip
PLACES = (
    "on floor 2", "in the Berlin office", "at the warehouse", "for the whole team",
    "since the update", "after the move", "in meeting room B", "for new starters",
)  # fmt: skip
CODENAMES = (
    RARE_WORD, "quasar", "marmalade", "obelisk", "tamarind", "vortex", "juniper", "halcyon",
)  # fmt: skip
DETAILS = (
    "It happened first this morning and again after lunch.",
    "We already restarted everything twice without success.",
    "Several colleagues see the same behaviour.",
    "The error message mentions a timeout and then closes.",
    "Nothing changed on our side as far as I know.",
    "It only happens when we are connected remotely.",
    "This blocks our month-end closing, so it is rather pressing.",
    "I attached nothing yet but can send screenshots if that helps.",
    "The problem started right after the maintenance window.",
    "Our customers have noticed it as well and are asking questions.",
    "It works on one machine but not on the others.",
    "We tried the steps from the knowledge base article without luck.",
)  # fmt: skip
ACTIONS = (
    "I have reproduced the problem and escalated it to the specialists.",
    "Could you tell us the exact time it last happened?",
    "We pushed a fix; please check whether it works for you now.",
    "A technician will come by tomorrow morning to have a look.",
    "Please try signing out and in again, then let us know.",
    "We ordered a replacement; delivery usually takes two working days.",
    "I reset the configuration on our side, which should resolve it.",
    "This is a known issue and our engineers are working on it.",
)  # fmt: skip
FOLLOW_UPS = (
    "Thanks, that fixed it for us.",
    "It is better now, but still slow at times.",
    "Unfortunately the problem is back since this afternoon.",
    "Thank you, we will test it and report back.",
    "Great, the replacement arrived and works fine.",
)  # fmt: skip
NOTES = (
    "Checked the logs: the same error appears for three other clients.",
    "Customer is on the premium plan, keep them updated daily.",
    "Waiting on the vendor; reference number in the linked ticket.",
    "Second occurrence this month, consider a root-cause review.",
)  # fmt: skip


def _weighted(pairs: Sequence[tuple[str, int]]) -> list[str]:
    return [value for value, weight in pairs for _ in range(weight)]


# --------------------------------------------------------------------------
# Tickets as rows
# --------------------------------------------------------------------------

# Status slug by age of the ticket: recent ones are still open, old ones closed.
STATUS_BY_AGE = (
    (2 * DAY, _weighted([("new", 30), ("open", 30), ("pending", 20), ("on-hold", 5),
                         ("solved", 15)])),
    (14 * DAY, _weighted([("open", 25), ("pending", 15), ("on-hold", 5), ("solved", 35),
                          ("closed", 20)])),
    (float("inf"), _weighted([("open", 4), ("pending", 3), ("on-hold", 2), ("solved", 6),
                              ("closed", 85)])),
)  # fmt: skip
PRIORITIES = (1,) * 15 + (2,) * 60 + (3,) * 20 + (4,) * 5
CHANNELS = _weighted([("web", 40), ("email", 45), ("api", 5), ("phone", 10)])
TAG_COUNTS = (0,) * 35 + (1,) * 35 + (2,) * 20 + (3,) * 10
EPOCH = datetime(1970, 1, 1)
UTC_EPOCH = EPOCH.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Plan:
    """`total` tickets numbered from `first_ticket`, spread over the year before `now`.

    Tickets are numbered in order of creation, as in a real desk. With `text_stamps`
    timestamps are naive UTC text, as Django keeps them in SQLite; without, they are
    aware datetimes, which PostgreSQL's binary COPY takes without parsing.
    """

    cast: Cast
    total: int
    first_ticket: int
    now: datetime
    seed: int
    batch: int
    text_stamps: bool

    @property
    def batches(self) -> int:
        return -(-self.total // self.batch)


@dataclass
class Rows:
    """One batch of generated rows, per table, in `COLUMNS` order."""

    tables: dict[str, list[tuple[object, ...]]] = field(
        default_factory=lambda: {table: [] for table in COLUMNS}
    )

    @property
    def tickets(self) -> int:
        return len(self.tables["tickets_ticket"])

    @property
    def ticket_ids(self) -> tuple[int, int]:
        ids = self.tables["tickets_ticket"]
        return int(ids[0][0]), int(ids[-1][0])  # type: ignore[call-overload]


def generate(plan: Plan, index: int) -> Rows:
    """Batch `index` of the plan: the same rows whichever process makes it, in any order."""
    first = index * plan.batch
    return _BatchMaker(plan, index).make(range(first, min(first + plan.batch, plan.total)))


class _BatchMaker:
    def __init__(self, plan: Plan, index: int) -> None:
        self.plan = plan
        self.cast = plan.cast
        self.rng = random.Random(f"{plan.seed}:{index}")
        self.now = (plan.now.replace(tzinfo=None) - EPOCH).total_seconds()
        self.start = self.now - SPAN_DAYS * DAY
        self.step = SPAN_DAYS * DAY / max(plan.total, 1)
        self.objects = _weighted(OBJECTS)
        self.lane_bounds = list(accumulate(lane.weight for lane in self.cast.lanes))
        self.rows = Rows()

    def make(self, positions: range) -> Rows:
        for position in positions:
            self.ticket(position)
        return self.rows

    def stamp(self, seconds: float) -> str | datetime:
        if self.plan.text_stamps:
            return (EPOCH + timedelta(seconds=seconds)).isoformat(" ")
        return UTC_EPOCH + timedelta(seconds=seconds)

    def lane(self) -> Lane:
        point = self.rng.random() * self.lane_bounds[-1]
        return self.cast.lanes[bisect(self.lane_bounds, point)]

    def subject(self, obj: str, position: int) -> str:
        rng = self.rng
        problem = rng.choice(PROBLEMS)
        shape = rng.random()
        if shape < 0.4:
            subject = f"{obj.capitalize()} {problem}"
        elif shape < 0.75:
            subject = f"{obj.capitalize()} {problem} {rng.choice(PLACES)}"
        elif shape < 0.9:
            subject = f"Urgent: {obj} {problem}"
        else:
            subject = f"Question about our {obj}"
        if position % RARE_EVERY == 7:
            subject += f" (project {RARE_WORD})"
        elif shape > 0.97:
            subject += f" (project {rng.choice(CODENAMES[1:])})"
        return subject

    def times(self, created: float, category: str) -> dict[str, float | None]:
        """When the client wrote, the provider answered, the third message came, and after."""
        rng, now = self.rng, self.now
        reply = created + 120 + rng.expovariate(1 / (4 * HOUR))
        third = reply + 60 + rng.expovariate(1 / (12 * HOUR))
        if third >= now:
            reply, third = created + (now - created) * 0.4, created + (now - created) * 0.8
        solved = closed = None
        if category in ("solved", "closed"):
            solved = min(third + rng.expovariate(1 / DAY), now)
        if category == "closed" and solved is not None:
            closed = min(solved + 3 * DAY, now)
        updated = max(third, solved or 0.0, closed or 0.0)
        return {"created": created, "reply": reply, "third": third, "solved": solved,
                "closed": closed, "updated": updated}  # fmt: skip

    def ticket(self, position: int) -> None:
        rng, cast = self.rng, self.cast
        number = self.plan.first_ticket + position
        lane = self.lane()
        created = self.start + (position + rng.random()) * self.step
        slug = rng.choice(next(pool for limit, pool in STATUS_BY_AGE if self.now - created < limit))
        status_id, category = cast.statuses[slug]
        at = {
            k: self.stamp(v) if v is not None else None
            for k, v in self.times(created, category).items()
        }
        requester = rng.choice(lane.requesters)
        assignee = None
        if lane.assignees and slug != "new" and rng.random() < 0.9:
            assignee = rng.choice(lane.assignees)
        responder = assignee or rng.choice(lane.responders)
        obj = rng.choice(self.objects)
        subject = self.subject(obj, position)
        channel = rng.choice(CHANNELS)
        texts = self.messages(number, requester, responder, obj, channel, at)
        self.rows.tables["tickets_ticket"].append((
            number, subject, rng.choice(PRIORITIES), category, channel, len(texts), 0,
            at["created"], at["updated"], at["reply"], at["solved"], at["closed"],
            lane.agreement_id, assignee, lane.client_party_id, lane.provider_party_id,
            requester, status_id, None, None,
        ))  # fmt: skip
        self.rows.tables["tickets_searchdocument"].append((number, "\n".join([subject, *texts])))
        self.events(number, lane, requester, assignee, slug, channel, at)
        for tag_id in rng.sample(cast.tag_ids, rng.choice(TAG_COUNTS)):
            self.rows.tables["tickets_tickettag"].append((number, tag_id))

    def messages(
        self,
        number: int,
        requester: int,
        responder: int,
        obj: str,
        channel: str,
        at: dict[str, str | datetime | None],
    ) -> list[str]:
        """Client, provider, then client again or an internal note; returns the public texts."""
        rng, names = self.rng, self.cast.names
        client_name, agent_name = names[requester], names[responder]
        first = [
            f"Hello, our {obj} {rng.choice(PROBLEMS)} {rng.choice(PLACES)}.",
            f"{rng.choice(DETAILS)} {rng.choice(DETAILS)}",
            f"Kind regards, {client_name}",
        ]
        reply = [
            f"Hello {client_name.split()[0]}, thank you for reporting this.",
            rng.choice(ACTIONS),
            f"Best regards, {agent_name}",
        ]
        internal = rng.random() < 0.35
        third = [rng.choice(NOTES)] if internal else [rng.choice(FOLLOW_UPS), client_name]
        thread = (
            (requester, "client", False, channel, first, at["created"]),
            (responder, "provider", False, "web", reply, at["reply"]),
            (responder if internal else requester, "provider" if internal else "client",
             internal, "web" if internal else channel, third, at["third"]),
        )  # fmt: skip
        public = []
        table = self.rows.tables["tickets_message"]
        for author, side, is_internal, via, paragraphs, when in thread:
            text = "\n".join(paragraphs)  # what html_to_text makes of the paragraphs
            html = "".join(f"<p>{p}</p>" for p in paragraphs)
            table.append((number, author, side, is_internal, via, html, text, when))
            if not is_internal:
                public.append(text)
        return public

    def events(
        self,
        number: int,
        lane: Lane,
        requester: int,
        assignee: int | None,
        slug: str,
        channel: str,
        at: dict[str, str | datetime | None],
    ) -> None:
        """created, then assigned and a status change when they happened (1–3 events).

        The JSON is written out as json.dumps would: it is the hottest line of seeding.
        """
        table = self.rows.tables["tickets_event"]
        created = (
            f'{{"channel": "{channel}", "requester": {requester}, '
            f'"client": {lane.client_party_id}, "provider": {lane.provider_party_id}}}'
        )
        table.append((number, requester, at["created"], "created", "", "", f"#{number}", created))
        if assignee is not None:
            assigned = f'{{"old_id": null, "new_id": {assignee}}}'
            name = self.cast.names[assignee]
            table.append(
                (number, assignee, at["reply"], "assigned", "assignee", "", name, assigned)
            )
        if slug != "new":
            category = self.cast.statuses[slug][1]
            change = f'{{"old_category": "open", "new_category": "{category}"}}'
            table.append((number, assignee, at["updated"], "status", "status", "new", slug, change))
