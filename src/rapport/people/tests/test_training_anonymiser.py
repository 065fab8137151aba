"""The anonymiser on the kinds of text customers write (the demo test runs it over
every demo ticket)."""

from __future__ import annotations

import pytest

from rapport.core.choices import StatusCategory
from rapport.core.errors import Conflict, PermissionDenied
from rapport.people.actions import training
from rapport.people.anonymiser import anonymise
from rapport.testing import build_world
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Status


def test_names_addresses_phones_and_references_are_replaced() -> None:
    text = (
        "Hi, Jane Doe from Globex Corporation here. Mail jane.doe@globex.example or call "
        "+44 20 7946 0321 / (555) 123-4567. Order #48213 and invoice INV-2024-0042 are "
        "wrong; our VAT ID is DE123456789. JANE"
    )
    out = anonymise(text, people=["Jane Doe"], organisations=["Globex Corporation"])
    for secret in ("Jane", "Doe", "Globex", "jane.doe@", "7946", "123-4567", "48213",
                   "INV-2024-0042", "123456789", "JANE"):  # fmt: skip
        assert secret not in out, (secret, out)
    assert "the customer" in out and "the company" in out and "[e-mail address]" in out
    assert "[phone number]" in out and "[number]" in out


def test_words_after_a_reference_keyword_stay_unless_they_hold_a_digit() -> None:
    out = anonymise("Account locked; order A-1234 late", people=[], organisations=[])
    assert out == "Account locked; order [number] late"


def test_common_words_of_an_organisation_name_stay() -> None:
    out = anonymise("The team will call", people=[], organisations=["The Support Team Ltd"])
    assert out == "The team will call"


@pytest.mark.django_db
def test_a_scenario_from_a_solved_ticket_is_for_admins_and_keeps_its_source_hidden() -> None:
    world = build_world()
    ticket = world.ticket(body="I am Contact from Globex, call me on 020 7946 0321.")
    with pytest.raises(Conflict):
        training.scenario_from_ticket(world.people["admin"], ticket)
    solved = Status.objects.filter(category=StatusCategory.SOLVED).first()
    assert solved is not None
    ticket_actions.set_status(world.people["agent"], ticket, solved)
    ticket.refresh_from_db()
    with pytest.raises(PermissionDenied):
        training.scenario_from_ticket(world.people["manager"], ticket)
    s = training.scenario_from_ticket(world.people["admin"], ticket)
    line = s.steps.get().line
    assert "Contact" not in line and "Globex" not in line and "7946" not in line
    body = world.client("manager").get(f"/api/v1/scenarios/{s.pk}").json()
    assert body["source_ticket"] is None
    body = world.client("admin").get(f"/api/v1/scenarios/{s.pk}").json()
    assert body["source_ticket"] == ticket.pk
