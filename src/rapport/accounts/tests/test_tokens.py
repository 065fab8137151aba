from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from django.core.management import call_command

from rapport.accounts import actions as accounts
from rapport.accounts.models import ApiToken
from rapport.accounts.queries import person_for_key
from rapport.core import clock
from rapport.directory.models import Person
from rapport.testing import ApiClient, World


def test_cli_token_works_and_only_its_hash_is_stored(world: World) -> None:
    out = io.StringIO()
    call_command("token", "create", "agent", stdout=out)
    key = out.getvalue().strip()
    assert key.startswith("rpt_") and len(key) > 40
    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert key not in str(list(ApiToken.objects.values()))

    me = ApiClient(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/me")
    assert me.status_code == 200 and me.json()["username"] == "agent"


def test_revoked_token_is_refused(world: World) -> None:
    client = world.client("contact")
    assert client.get("/api/v1/me").status_code == 200
    token = ApiToken.objects.get(person=world.contact)
    call_command("token", "revoke", token.prefix, stdout=io.StringIO())
    refused = client.get("/api/v1/me")
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"


def test_tokens_over_the_api_are_your_own(world: World) -> None:
    client = world.client("contact")
    created = client.post_json("/api/v1/tokens", {"name": "script"})
    assert created.status_code == 201
    key = created.json()["key"]
    listed = client.get("/api/v1/tokens").json()
    assert {t["name"] for t in listed} == {"", "script"}
    assert all("key" not in t for t in listed)

    other = world.client("colleague")
    assert other.delete(f"/api/v1/tokens/{created.json()['id']}").status_code == 404
    assert client.delete(f"/api/v1/tokens/{created.json()['id']}").status_code == 204
    assert ApiClient(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/me").status_code == 401


def test_disabled_person_token_stops_working(world: World) -> None:
    client = world.client("contact")
    world.contact.is_active = False
    world.contact.save()
    assert client.get("/api/v1/me").status_code == 401


def test_the_person_a_token_names_is_loaded_as_the_orm_loads_them(world: World) -> None:
    world.contact.last_login = clock.now()
    world.contact.save()
    _, key = accounts.create_token(None, world.contact)
    found = person_for_key(key)
    stored = Person.objects.get(pk=world.contact.pk)
    assert found is not None and not found._state.adding
    for field in Person._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(stored, field.attname), field.name
    assert isinstance(found.is_active, bool) and isinstance(found.last_login, datetime)


def test_a_tokens_use_is_recorded_at_most_once_a_minute(world: World) -> None:
    token, key = accounts.create_token(None, world.contact)
    start = datetime(2026, 11, 30, 9, 0, 0, 500_000, tzinfo=UTC)
    for seconds, recorded in ((0, start), (59, start), (61, start + timedelta(seconds=61)),
                              (90, start + timedelta(seconds=61))):  # fmt: skip
        with clock.travel_to(start + timedelta(seconds=seconds)):
            assert person_for_key(key) == world.contact
        token.refresh_from_db()
        assert token.last_used_at == recorded, seconds
    assert person_for_key(key + "x") is None
