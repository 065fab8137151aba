"""The demo company's quality reviews, kudos and staff pulse, built through the actions:
two rubrics, a quarter of reviews across teams and vendors (a few critical fails), the
weekly samples, a closed calibration session, a changed dispute and an open one,
kudos (team to team too), and three monthly pulse rounds — Logistics has too few people
to clear the anonymity threshold, so its results show suppressed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from rapport.core import clock
from rapport.directory import actions as directory
from rapport.directory.models import Person, Team, TeamMembership
from rapport.people.actions import pulse, quality, recognition, sampling
from rapport.people.models import Review, Rubric
from rapport.tickets.models import Message, Side, Ticket

SEED = 19
REVIEWS = 140
# Extra colleagues so three teams clear the pulse's anonymity threshold of 5.
EXTRA_STAFF = {"Customer Support": 4, "Billing": 4, "IT Service Desk": 3}


def _rubrics(admin: Person) -> tuple[Rubric, Rubric]:
    conversation = quality.create_rubric(
        admin, name="Conversation quality",
        description="Every written conversation, whoever answered it.",
        categories=[
            {"name": "Greeting and tone", "scale": 3, "weight": 15},
            {"name": "Understood the issue", "scale": 5, "weight": 25},
            {"name": "Right solution, per procedure", "scale": 5, "weight": 35},
            {"name": "Set expectations", "scale": 4, "weight": 15, "allow_na": True},
            {"name": "Data protection", "scale": 2, "weight": 10, "critical": True},
            {"name": "Went the extra mile", "scale": 2, "weight": 10, "bonus": True},
        ],
    )  # fmt: skip
    handoff = quality.create_rubric(
        admin, name="Hand-off and vendor work",
        description="Work handed to vendors, contractors and other teams.",
        categories=[
            {"name": "Acknowledged the request", "scale": 2, "weight": 10},
            {"name": "Kept the requester informed", "scale": 4, "weight": 30},
            {"name": "Fixed it first time", "scale": 3, "weight": 40},
            {"name": "Safety and data handling", "scale": 2, "weight": 20, "critical": True},
        ],
    )  # fmt: skip
    return conversation, handoff


def _rate(rng: random.Random, rubric: Rubric, fail: bool) -> dict[int, int | None]:
    out: dict[int, int | None] = {}
    for c in rubric.categories.all():
        if c.critical:
            out[c.pk] = 0 if fail else 1
        elif c.allow_na and rng.random() < 0.2:
            out[c.pk] = None
        elif c.bonus:
            out[c.pk] = 1 if rng.random() < 0.15 else None
        else:
            low, high = c.lowest, c.highest
            out[c.pk] = max(low, high - ((rng.random() < 0.6 and 0) or rng.randint(0, high - low)))
    return out


def _reviewed_tickets(now: datetime) -> list[Ticket]:
    since = now - timedelta(days=90)
    answered = Message.objects.filter(is_internal=False, author_side=Side.PROVIDER,
                                      author__isnull=False).values("ticket_id")  # fmt: skip
    return list(Ticket.objects.filter(solved_at__gte=since, solved_at__lt=now - timedelta(
        days=1), pk__in=answered).select_related("provider_party").order_by("pk"))  # fmt: skip


def build_quality(now: datetime) -> None:
    rng = random.Random(SEED)
    people = {p.username: p for p in Person.objects.exclude(staff_role="")}
    admin, manager = people["amara.okafor"], people["daniel.fischer"]
    with clock.travel_to(now - timedelta(days=100)):
        conversation, handoff = _rubrics(admin)
    tickets = _reviewed_tickets(now)
    rng.shuffle(tickets)
    reviews: list[Review] = []
    for ticket in sorted(tickets[:REVIEWS], key=lambda t: t.solved_at or now):
        rubric = conversation if ticket.parent_id is None else handoff
        solved = ticket.solved_at or now
        with clock.travel_to(min(now, solved + timedelta(hours=rng.randint(2, 60)))):
            reviews.append(quality.submit_review(
                manager, ticket, rubric, _rate(rng, rubric, fail=rng.random() < 0.05),
                comment="Clear and kind." if rng.random() < 0.3 else "",
            ))  # fmt: skip
    with clock.travel_to(now):
        for weeks in (1, 0):
            sampling.draw_weekly_sample((now - timedelta(weeks=weeks)).date())
        _coaching_and_disputes(rng, reviews, manager, people)
        support = [t for t in tickets[REVIEWS:] if t.provider_party.name == "Customer Support"]
        _calibration(manager, conversation, support[:3], people)
    _kudos(rng, now, people)
    _pulse(rng, now)


def _coaching_and_disputes(rng: random.Random, reviews: list[Review], manager: Person,
                           people: dict[str, Person]) -> None:  # fmt: skip
    staff_reviews = [r for r in reviews if r.agent is not None and r.agent.staff_role
                     and r.score is not None and r.score < 90]  # fmt: skip
    if len(staff_reviews) < 2:
        return
    first, second = staff_reviews[0], staff_reviews[1]
    quality.set_coaching(manager, first, note="Offer the workaround before escalating.",
                         follow_up_on=(clock.now() + timedelta(days=7)).date())  # fmt: skip
    first_agent, second_agent = first.agent, second.agent
    assert first_agent is not None and second_agent is not None
    changed = quality.dispute(
        first_agent, first, reason="The customer had asked for exactly that solution."
    )
    solution = first.rubric.categories.exclude(critical=True).exclude(bonus=True).last()
    arbitrator = _lead_of(first_agent) or people["amara.okafor"]
    quality.arbitrate(arbitrator, changed, decision="change", note="Fair: rated up.",
                      ratings={solution.pk: solution.highest} if solution else {})  # fmt: skip
    quality.dispute(second_agent, second, reason="The delay was the courier's, not mine.")


def _lead_of(person: Person) -> Person | None:
    teams = TeamMembership.objects.filter(person=person).values("team_id")
    lead = TeamMembership.objects.filter(team_id__in=teams, role="lead").exclude(
        person=person).select_related("person").first()  # fmt: skip
    return lead.person if lead else None


def _calibration(manager: Person, rubric: Rubric, tickets: list[Ticket],
                 people: dict[str, Person]) -> None:  # fmt: skip
    if len(tickets) < 2:
        return
    reviewers = [people["sofia.martins"], people["amara.okafor"], manager]
    session = quality.create_calibration(manager, name="Monthly calibration", rubric=rubric,
                                         tickets=tickets, reviewers=reviewers)  # fmt: skip
    rng = random.Random(SEED + 1)
    for reviewer in reviewers:
        for ticket in tickets:
            quality.submit_review(reviewer, ticket, rubric, _rate(rng, rubric, fail=False),
                                  session=session)  # fmt: skip
    quality.close_calibration(manager, session)


KUDOS = (
    "Stayed late to get the refund through before the weekend.",
    "Explained the outage to the customer better than our status page did.",
    "Picked up my queue while I was out — thank you!",
    "Found the root cause of the duplicate invoices.",
    "Calm and kind with a very upset customer.",
)


def _kudos(rng: random.Random, now: datetime, people: dict[str, Person]) -> None:
    with clock.travel_to(now - timedelta(days=95)):
        values = [recognition.create_value(None, name=n, description=d) for n, d in (
            ("Ownership", "We see it through."), ("Empathy", "We listen first."),
            ("Candour", "We say what we think, kindly."))]  # fmt: skip
    staff = [p for p in people.values() if p.staff_role == "agent"]
    teams = {t.name: t for t in Team.objects.all()}
    for _ in range(30):
        giver, receiver = rng.sample(staff, 2)
        with clock.travel_to(now - timedelta(days=rng.randint(1, 88), hours=rng.randint(0, 8))):
            recognition.give_kudos(giver, to_person=receiver, message=rng.choice(KUDOS),
                                   value=rng.choice(values))  # fmt: skip
    pairs = (("IT Service Desk", "Customer Support", "mateo.rossi",
              "Thanks for the clear hand-offs this month."),
             ("Logistics", "Billing", "fatima.haddad", "Credit notes sorted the same day."),
             ("Customer Support", "IT Service Desk", "sofia.martins",
              "Laptop swaps within the hour — our customers noticed."))  # fmt: skip
    for from_team, to_team, who, message in pairs:
        with clock.travel_to(now - timedelta(days=rng.randint(2, 30))):
            recognition.give_kudos(people[who], from_team=teams[from_team],
                                   to_team=teams[to_team], message=message)  # fmt: skip


PULSE_COMMENTS = (
    "The refund cap means I escalate things I could just fix.",
    "Great team, but the queue after holidays is brutal.",
    "More training on the new billing system, please.",
)


def _pulse(rng: random.Random, now: datetime) -> None:
    # The demo's people share one password hash; these sign in like the others.
    password = Person.objects.get(username="daniel.fischer").password
    for team in Team.objects.all():
        for i in range(EXTRA_STAFF.get(team.name, 0)):
            slug = team.name.lower().replace(" ", "")[:8]
            person = directory.create_person(
                None, username=f"{slug}.{i + 1}", email=f"{slug}.{i + 1}@rapport-demo.example",
                full_name=f"{team.name} colleague {i + 1}", staff_role="agent",
                password_hash=password,
            )  # fmt: skip
            directory.add_team_member(None, team, person)
    surveys = [pulse.set_up_pulse(None, team) for team in Team.objects.all()]
    for months_ago in (3, 2, 1):
        opens = now - timedelta(days=30 * months_ago - 5)
        for survey in surveys:
            with clock.travel_to(opens):
                r = pulse.open_round(survey, at=opens)
            mood = {"Customer Support": 9, "Billing": 7, "IT Service Desk": 5}.get(
                survey.team.name, 6)  # fmt: skip
            members = Person.objects.filter(team_memberships__team=survey.team)
            with clock.travel_to(opens + timedelta(hours=3)):
                for person in members:
                    comment = rng.choice(PULSE_COMMENTS) if rng.random() < 0.25 else ""
                    pulse.answer(
                        person, r, enps=max(0, min(10, mood + rng.randint(-3, 2))),
                        items={k: rng.randint(2, 5) for k in survey.items}, comment=comment,
                    )  # fmt: skip
