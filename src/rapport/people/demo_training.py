"""The demo company's hiring and training, written through the actions like the rest of
the demo: six scenarios (two drawn from solved demo tickets, anonymised), a pre-hire
exam, three candidates at different stages with panel scores, practice with the leads,
an onboarding plan per team, and assignments in every state (open, overdue, done on
time, done late, a must-read, a recertification due)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from rapport.core import clock
from rapport.core.choices import StatusCategory
from rapport.directory.models import Person, Team
from rapport.people.actions import training
from rapport.people.models import Assessment, Assignment, Scenario
from rapport.policies.models import Document, Status
from rapport.tickets.models import Message, Side, Ticket

TEAMS = {"support": "Customer Support", "billing": "Billing", "it": "IT Service Desk",
         "logistics": "Logistics"}  # fmt: skip
LEADS = {"support": "sofia.martins", "billing": "lucas.moreau", "it": "mateo.rossi",
         "logistics": "fatima.haddad"}  # fmt: skip


def _anchors(*levels: str) -> list[str]:
    return list(levels)


SCENARIOS: list[dict[str, Any]] = [
    {"title": "The late parcel and the deadline", "channel": "phone", "temperament": "red",
     "persona_name": "Mr Grant", "persona_situation": "A parcel promised for Monday has not come; "
     "his shop opens on Friday.", "persona_wants": "A date he can rely on, now.",
     "steps": [
         {"line": "I don't have time for this. Where is my parcel?",
          "expected": "Get to the point: find the order within a minute, no small talk.",
          "branches": [{"when": "the agent asks many questions first",
                        "line": "You are wasting my time. Just look it up."}]},
         {"line": "Friday. Can you guarantee Friday or not?",
          "expected": "Give a straight answer and the express option from the delivery policy."},
     ],
     "dimensions": [{"name": "Offered the express option", "anchors": _anchors(
         "Not offered", "Mentioned vaguely", "Offered when asked", "Offered unprompted",
         "Offered with the cost and the cut-off time")}]},
    {"title": "The customer who wants to chat", "channel": "chat", "temperament": "yellow",
     "persona_name": "Lena", "persona_situation": "Loves the product; her discount code failed.",
     "persona_wants": "To be heard, and the discount.",
     "steps": [
         {"line": "Hiii! I've told all my friends about you, but the code SPRING didn't work :(",
          "expected": "Match her warmth, thank her, then check the code."},
         {"line": "Oh and while you're there, can you tell me about the new colours?",
          "expected": "Answer briefly and steer back to fixing the code."},
     ]},
    {"title": "Worried about the upgrade", "channel": "email", "temperament": "green",
     "persona_name": "Mrs Olsen", "persona_situation": "Was told her account will move to a new "
     "plan and fears losing her data.", "persona_wants": "Reassurance and no surprises.",
     "steps": [
         {"line": "I got your letter about the upgrade. Will I lose my files?",
          "expected": "Reassure plainly; explain each step and when it happens."},
         {"line": "What if something goes wrong on the day?",
          "expected": "Name the fallback and a person she can write to."},
     ]},
    {"title": "The invoice that doesn't add up", "channel": "counter", "temperament": "blue",
     "persona_name": "Mr Novak", "persona_situation": "Has a printed invoice with highlighted "
     "lines and a calculator.", "persona_wants": "An exact explanation of every line.",
     "steps": [
         {"line": "Line 4 charges VAT on the delivery. Your terms say delivery is exempt.",
          "expected": "Check the terms precisely; do not guess.",
          "branches": [{"when": "the agent says 'it is probably right'",
                        "line": "Probably? Show me the clause."}]},
         {"line": "So what exactly will the corrected invoice show?",
          "expected": "State the corrected figures and when the credit note arrives."},
     ],
     "dimensions": [{"name": "Followed the billing dispute procedure", "anchors": _anchors(
         "Ignored it", "Started it", "Followed most steps", "Followed every step",
         "Followed it and explained each step")}]},
]  # fmt: skip


def _solved_tickets(count: int) -> list[Ticket]:
    with_lines = Message.objects.filter(author_side=Side.CLIENT, is_internal=False).values(
        "ticket_id"
    )
    return list(
        Ticket.objects.filter(
            status_category__in=(StatusCategory.SOLVED, StatusCategory.CLOSED),
            pk__in=with_lines, client_party__kind="customer",
        ).order_by("id")[:count]
    )  # fmt: skip


def _score_all(assessment: Assessment, panel: list[Person], levels: list[list[int]]) -> None:
    ids = list(assessment.scenario.rubric.categories.values_list("pk", flat=True))
    for person, row in zip(panel, levels, strict=True):
        training.score(person, assessment, dict(zip(ids, (row * 3)[: len(ids)], strict=True)))
        training.submit(person, assessment)


def build_training(now: datetime) -> None:
    """Hiring and training; `now` is the demo's present."""
    people = {p.username: p for p in Person.objects.exclude(staff_role="")}
    admin, manager = people["amara.okafor"], people["daniel.fischer"]
    teams = {key: Team.objects.get(name=name) for key, name in TEAMS.items()}
    earlier = now - timedelta(days=120)
    with clock.travel_to(earlier):
        training.ensure_hiring_dimensions()
        scenarios: list[Scenario] = [
            training.create_scenario(manager, **spec) for spec in SCENARIOS
        ]
        for ticket in _solved_tickets(2):
            scenarios.append(training.scenario_from_ticket(admin, ticket, temperament="green"))
        exam = training.create_exam(manager, title="Service basics", questions=[
            {"text": "A caller swears at you. You…", "options": [
                {"text": "hang up", "score": 0}, {"text": "warn them calmly once", "score": 7},
                {"text": "acknowledge the frustration and refocus on the problem", "score": 10}]},
            {"text": "The refund asked for is above your limit. You…", "options": [
                {"text": "refuse", "score": 1}, {"text": "promise it anyway", "score": 0},
                {"text": "ask your lead while the customer waits", "score": 10}]},
            {"text": "You don't know the answer. You…", "options": [
                {"text": "guess", "score": 0},
                {"text": "say you'll find out and when", "score": 10},
                {"text": "pass them to another team", "score": 3}]},
        ])  # fmt: skip
    _candidates(people, scenarios, exam, now)
    _practice(people, scenarios, now)
    _plans(people, teams, scenarios, now)


def _candidates(people: dict[str, Person], scenarios: list[Scenario], exam: Any,
                now: datetime) -> None:  # fmt: skip
    manager = people["daniel.fischer"]
    panel = [people["sofia.martins"], people["lucas.moreau"]]
    with clock.travel_to(now - timedelta(days=3)):
        new = training.add_candidate(manager, full_name="Noah Williams",
                                     email="noah.williams@example.net")  # fmt: skip
        training.record_exam(manager, exam, new, [2, 2, 1])
    with clock.travel_to(now - timedelta(days=10)):
        mid = training.add_candidate(manager, full_name="Isabel Costa", phone="+44 20 7946 0321")
        training.record_exam(manager, exam, mid, [1, 2, 1])
        a = training.start_assessment(manager, scenarios[0], candidate=mid, assessors=panel)
        _score_all(a, panel, [[4, 3, 4], [4, 4, 3]])
    with clock.travel_to(now - timedelta(days=20)):
        done = training.add_candidate(manager, full_name="Ravi Patel", email="ravi@example.net")
        training.record_exam(manager, exam, done, [2, 2, 1])
        first = training.start_assessment(manager, scenarios[3], candidate=done, assessors=panel)
        _score_all(first, panel, [[2, 3, 2], [3, 3, 2]])
        training.give_feedback(panel[0], first, "Check the terms before answering; say what "
                               "the corrected invoice will show.")  # fmt: skip
        first.refresh_from_db()
    with clock.travel_to(now - timedelta(days=18)):
        second = training.start_assessment(manager, scenarios[3], candidate=done,
                                           assessors=panel, previous=first)  # fmt: skip
        _score_all(second, panel, [[4, 4, 3], [4, 3, 4]])
        training.decide(panel[0], done, outcome="hire",
                        reasons="Warm under pressure; took the feedback at once.")  # fmt: skip


def _practice(people: dict[str, Person], scenarios: list[Scenario], now: datetime) -> None:
    lead, agent = people["sofia.martins"], people["jonas.weber"]
    for days, scenario, levels in ((60, 0, [3, 2, 3]), (40, 1, [3, 3, 4]), (15, 2, [4, 4, 4])):
        with clock.travel_to(now - timedelta(days=days)):
            a = training.start_assessment(
                lead, scenarios[scenario], trainee=agent, assessors=[lead]
            )
            _score_all(a, [lead], [levels])


def _plans(people: dict[str, Person], teams: dict[str, Team], scenarios: list[Scenario],
           now: datetime) -> None:  # fmt: skip
    published = list(Document.objects.filter(status=Status.PUBLISHED).order_by("id")[:8])
    for i, (key, team) in enumerate(teams.items()):
        lead = people[LEADS[key]]
        with clock.travel_to(now - timedelta(days=90)):
            items: list[dict[str, Any]] = [
                {"kind": "scenario", "scenario": scenarios[i], "due_days": 21},
                {"kind": "session", "title": f"Shadow a senior in {team.name}", "due_days": 5},
            ]
            if published:
                items.insert(0, {"kind": "document", "document": published[i % len(published)],
                                 "due_days": 7})  # fmt: skip
            training.create_plan(lead, name=f"{team.name} onboarding", kind="onboarding",
                                 team=team, items=items)  # fmt: skip
            yearly = training.create_plan(
                lead, name=f"{team.name} refresher", kind="recurring", team=team,
                recertify_days=60, items=[{"kind": "session", "due_days": 14,
                                           "title": f"{team.name} quarterly refresher"}],
            )  # fmt: skip
            members = [p for p in team.memberships.select_related("person")]
            staff = [m.person for m in members if m.role != "lead"]
            training.assign_plan(lead, yearly, staff)
        # Done on time long ago (recertification now due), or still open and overdue.
        rows = Assignment.objects.filter(plan=yearly).order_by("person_id")
        for n, row in enumerate(rows):
            if n % 2 == 0:
                with clock.travel_to(now - timedelta(days=80)):
                    training.mark_attended(lead, row, "Attended")
    jonas, lead = people["jonas.weber"], people["sofia.martins"]
    onboarding = teams["support"]
    with clock.travel_to(now - timedelta(days=6)):
        training.onboard(lead, jonas, onboarding, start=now - timedelta(days=6))
    late = Assignment.objects.filter(person=jonas, kind="session", trigger="onboarding").first()
    if late is not None:
        training.mark_attended(lead, late, "Shadowed Sofia, a day late")
    with clock.travel_to(now):
        training.sweep()
