"""`rapport createsuperuser` makes an admin who sees everything (Django's own made an
account with no staff role, which saw nothing)."""

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


def test_noinput_superuser_is_an_admin_who_sees_every_ticket(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket = world.ticket("contact")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Sturdy-lamp-2026")
    out = io.StringIO()
    call_command("createsuperuser", "--noinput", "--username", "root",
                 "--email", "root@example.com", stdout=out)  # fmt: skip
    assert "Created admin root <root@example.com>." in out.getvalue()
    assert "rapport user create USERNAME --role" in out.getvalue()
    root = Person.objects.get(username="root")
    assert root.staff_role == "admin" and root.is_superuser
    assert Client().login(username="root", password="Sturdy-lamp-2026")
    _, key = accounts.create_token(None, root)
    seen = ApiClient(HTTP_AUTHORIZATION=f"Bearer {key}").get(f"/api/v1/tickets/{ticket.pk}")
    assert seen.status_code == 200


def test_interactive_superuser_asks_for_the_password_twice(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    answers = iter(["Sturdy-lamp-2026", "Sturdy-lamp-2027"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match=re.escape("The passwords differ; nothing was created.")):
        call_command("createsuperuser", "--username", "root", "--email", "r@example.com")
    assert not Person.objects.filter(username="root").exists()


def test_without_a_username_it_names_the_product_command(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME", raising=False)
    with pytest.raises(CommandError, match="rapport user create USERNAME --role"):
        call_command("createsuperuser", "--noinput")
