"""Authoring role-play scenarios, by hand or from a solved ticket."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from rapport.core import clock
from rapport.core.choices import StatusCategory
from rapport.core.errors import Conflict, Invalid, PermissionDenied
from rapport.directory.models import Person
from rapport.people.actions.training.common import is_lead, scope_of, text
from rapport.people.actions.training.rubrics import clean_dimensions, scenario_rubric
from rapport.people.anonymiser import anonymise
from rapport.people.models import Purpose, Scenario, ScenarioChannel, ScenarioStep, Temperament
from rapport.policies.models import Document
from rapport.tickets.models import Message, Side, Ticket

MAX_STEPS = 40
MAX_BRANCHES = 6


def _require_author(actor: Person | None) -> None:
    scope = scope_of(actor)
    if not (scope.sees_everything or is_lead(scope)):
        raise PermissionDenied("Only admins, managers and team leads can write scenarios.")


def _clean_steps(steps: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if not steps:
        raise Invalid("A script has at least one customer line.", field="steps")
    if len(steps) > MAX_STEPS:
        raise Invalid(f"At most {MAX_STEPS} lines.", field="steps")
    cleaned = []
    for i, step in enumerate(steps):
        branches = step.get("branches") or []
        if len(branches) > MAX_BRANCHES:
            raise Invalid(f"At most {MAX_BRANCHES} branches a line.", field=f"steps.{i}.branches")
        cleaned.append({
            "line": text(step.get("line", ""), f"steps.{i}.line", limit=4000),
            "expected": text(step.get("expected", ""), f"steps.{i}.expected", required=False,
                             limit=4000),
            "branches": [
                {"when": text(b.get("when", ""), f"steps.{i}.branches.{j}.when", limit=300),
                 "line": text(b.get("line", ""), f"steps.{i}.branches.{j}.line", limit=4000)}
                for j, b in enumerate(branches)
            ],
        })  # fmt: skip
    return cleaned


@transaction.atomic
def create_scenario(
    actor: Person | None,
    *,
    title: str,
    channel: str,
    persona_name: str,
    persona_situation: str,
    persona_wants: str,
    temperament: str,
    steps: Sequence[Mapping[str, Any]],
    dimensions: Sequence[Mapping[str, Any]] = (),
    documents: Sequence[Document] = (),
    related: Scenario | None = None,
    purpose: str = Purpose.HIRING,
    source_ticket: Ticket | None = None,
) -> Scenario:
    _require_author(actor)
    if channel not in ScenarioChannel.values:
        raise Invalid("Choose phone, chat, e-mail or counter.", field="channel")
    if temperament not in Temperament.values:
        raise Invalid("Choose one of the four temperaments.", field="temperament")
    if purpose not in (Purpose.HIRING, Purpose.TRAINING):
        raise Invalid("A scenario is for hiring or training.", field="purpose")
    title = text(title, "title", limit=200)
    cleaned_steps = _clean_steps(steps)
    own = clean_dimensions(dimensions)
    now = clock.now()
    scenario = Scenario.objects.create(
        title=title, channel=channel, temperament=temperament,
        persona_name=text(persona_name, "persona_name", limit=120),
        persona_situation=text(persona_situation, "persona_situation", limit=4000),
        persona_wants=text(persona_wants, "persona_wants", limit=4000),
        rubric=scenario_rubric(title, own, purpose), related=related,
        source_ticket=source_ticket, created_by=actor, created_at=now, updated_at=now,
    )  # fmt: skip
    ScenarioStep.objects.bulk_create(
        ScenarioStep(scenario=scenario, position=i, **s) for i, s in enumerate(cleaned_steps)
    )
    if documents:
        scenario.documents.set(documents)
    return scenario


@transaction.atomic
def set_active(actor: Person | None, scenario: Scenario, active: bool) -> Scenario:
    _require_author(actor)
    scenario.is_active = active
    scenario.updated_at = clock.now()
    scenario.save(update_fields=["is_active", "updated_at"])
    return scenario


def script_from_ticket(ticket: Ticket) -> tuple[str, list[dict[str, Any]]]:
    """The anonymised subject and the customer's public messages as script lines."""
    messages = list(
        Message.objects.filter(ticket=ticket, author_side=Side.CLIENT, is_internal=False)
        .select_related("author")
        .order_by("created_at", "id")
    )
    people = {ticket.requester.full_name, ticket.requester.username, ticket.requester.email,
              ticket.requester.first_name, ticket.requester.last_name}  # fmt: skip
    for m in messages:
        if m.author is not None:
            people |= {m.author.full_name, m.author.username, m.author.first_name,
                       m.author.last_name}  # fmt: skip
    organisations = {ticket.client_party.name}

    def clean(value: str) -> str:
        return anonymise(value, people=people, organisations=organisations)

    lines = [{"line": clean(m.body_text)[:4000], "expected": "", "branches": []}
             for m in messages if m.body_text.strip()]  # fmt: skip
    return clean(ticket.subject), lines


@transaction.atomic
def scenario_from_ticket(
    actor: Person | None,
    ticket: Ticket,
    *,
    temperament: str = Temperament.GREEN,
    channel: str = ScenarioChannel.EMAIL,
) -> Scenario:
    """An admin starts a scenario from a solved ticket; the persona and behaviours are
    then written by hand."""
    if not scope_of(actor).is_admin:
        raise PermissionDenied("Only admins can build a scenario from a ticket.")
    if ticket.status_category not in (StatusCategory.SOLVED, StatusCategory.CLOSED):
        raise Conflict("Only a solved ticket can become a scenario.")
    subject, lines = script_from_ticket(ticket)
    if not lines:
        raise Conflict("The ticket has no customer message to script.")
    return create_scenario(
        actor, title=f"From a real ticket: {subject}"[:200], channel=channel,
        persona_name="The customer", temperament=temperament,
        persona_situation=f"Wrote to us about: {subject}"[:4000],
        persona_wants="A solution to the problem in their first message.",
        steps=lines, source_ticket=ticket,
    )  # fmt: skip
