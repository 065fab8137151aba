"""`rapport user create`: a staff account that can sign in and sees what its role sees."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from rapport.accounts import actions as accounts
from rapport.directory.models import Person
from rapport.testing import ApiClient, World


def _api(person: Person) -> ApiClient:
    _, key = accounts.create_token(None, person)
    return ApiClient(HTTP_AUTHORIZATION=f"Bearer {key}")


def _create(*args: str, password: str | None = None) -> str:
    out = io.StringIO()
    extra = {"stdin": io.StringIO(password + "\n")} if password is not None else {}
    call_command("user", "create", *args, stdout=out, **extra)
    return out.getvalue()


def test_an_admin_signs_in_and_sees_every_ticket(world: World) -> None:
    ticket = world.ticket("contact")  # Customer Support's, nobody assigned
    printed = _create("jane", "--role", "admin", "--email", "jane@example.com",
                      "--password-stdin", password="Sturdy-lamp-2026")  # fmt: skip
    assert printed.startswith("Created admin jane <jane@example.com>.")
    assert "Sees and changes everything." in printed
    assert Client().login(username="jane", password="Sturdy-lamp-2026")
    jane = Person.objects.get(username="jane")
    assert _api(jane).get(f"/api/v1/tickets/{ticket.pk}").status_code == 200


def test_an_agent_works_the_queue_of_their_team(world: World) -> None:
    support = world.ticket("contact")
    printed = _create("sam", "--role", "agent", "--team", "customer support")
    assert "Agent of: Customer Support." in printed
    assert "No password yet: `rapport changepassword sam` sets one." in printed
    sam = Person.objects.get(username="sam")
    assert _api(sam).get(f"/api/v1/tickets/{support.pk}").status_code == 200


def test_an_agent_of_another_team_does_not_see_it(world: World) -> None:
    support = world.ticket("contact")
    _create("ivy", "--role", "agent", "--team", "IT Service Desk")
    ivy = Person.objects.get(username="ivy")
    assert _api(ivy).get(f"/api/v1/tickets/{support.pk}").status_code == 404


def test_an_unknown_team_creates_nothing_and_names_the_teams(world: World) -> None:
    with pytest.raises(
        CommandError, match=r"no team 'Sales' \(teams: Customer Support, IT Service Desk\)"
    ):
        _create("max", "--role", "agent", "--team", "Sales")
    assert not Person.objects.filter(username="max").exists()


def test_a_taken_username_is_refused(world: World) -> None:
    with pytest.raises(CommandError, match=re.escape("The username 'agent' is taken.")):
        _create("agent", "--role", "manager")


def test_a_weak_password_is_refused_and_nothing_is_created(world: World) -> None:
    with pytest.raises(CommandError):
        _create("weak", "--role", "manager", "--password-stdin", password="123")
    assert not Person.objects.filter(username="weak").exists()
