"""The demo's hiring and training, and the anonymiser over every demo ticket."""

from __future__ import annotations

import re

import pytest

from rapport.core import clock
from rapport.demo import builder as demo
from rapport.directory.models import Organisation, Person
from rapport.people.actions import training
from rapport.people.models import Assignment, Candidate, Scenario, Stage, TrainingPlan
from rapport.tickets.models import Message, Side, Ticket


@pytest.mark.django_db
def test_the_demo_hiring_and_training() -> None:
    demo.build_demo(progress=False)
    assert Scenario.objects.count() == 6
    assert Scenario.objects.filter(source_ticket__isnull=False).count() == 2
    stages = set(Candidate.objects.values_list("stage", flat=True))
    assert stages == {Stage.EXAM, Stage.ROLE_PLAY, Stage.DECIDED}
    assert TrainingPlan.objects.filter(kind="onboarding").count() == 4
    now = clock.now()
    rows = Assignment.objects.all()
    assert rows.filter(completed_at__isnull=True, due_at__lt=now).exists()  # overdue
    assert rows.filter(completed_at__isnull=True, due_at__gte=now).exists()  # open
    assert rows.filter(completed_at__isnull=False, evidence="attended").exists()
    assert rows.filter(trigger="must_read").exists()
    assert rows.filter(trigger="recertification").exists()
    assert rows.filter(evidence="score").exists() or rows.filter(kind="scenario").exists()


@pytest.mark.django_db
def test_the_anonymiser_leaves_no_name_address_or_number_of_any_demo_ticket() -> None:
    """A scenario script drawn from each demo ticket carries no requester or
    organisation name, no e-mail address and no phone number."""
    demo.build_demo(progress=False)
    org_names = {o.name for o in Organisation.objects.all()}
    tickets = list(Ticket.objects.select_related("requester", "client_party"))
    authors = {
        m.ticket_id: m.author
        for m in Message.objects.filter(author_side=Side.CLIENT).select_related("author")
    }
    email = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
    phone = re.compile(r"\+?\d[\d\s().-]{6,}\d")
    failures = []
    for ticket in tickets:
        subject, lines = training.script_from_ticket(ticket)
        text = "\n".join([subject, *(line["line"] for line in lines)])
        names: set[str] = {ticket.client_party.name}
        for person in (ticket.requester, authors.get(ticket.pk)):
            if isinstance(person, Person):
                names |= {person.full_name, person.first_name, person.last_name}
                names |= set((person.full_name or "").split())
        leaks = [n for n in names if n and len(n) >= 3 and re.search(
            rf"(?<!\w){re.escape(n)}(?!\w)", text, re.IGNORECASE)]  # fmt: skip
        leaks += email.findall(text) + phone.findall(text)
        if leaks:
            failures.append(f"#{ticket.pk}: {leaks}")
    assert len(tickets) > 50
    assert not failures, "\n".join(failures[:20])
    assert org_names
