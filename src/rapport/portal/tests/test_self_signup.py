"""Where an admin opened it for an organisation's domain, someone at that domain signs
up to the portal as its contact, proving the address by the mailed link, where the
password is chosen. Off by default."""

from __future__ import annotations

import re

from django.test import Client

from rapport.directory import actions as directory
from rapport.directory.models import Organisation, OrgMembership, Person
from rapport.mail.models import OutboundMessage
from rapport.testing import PASSWORD, World

NEW = "a-Much-longer-passphrase-42"


def _open_globex(world: World) -> None:
    admin = Client()
    admin.force_login(world.admin)
    globex = Organisation.objects.get(name="Globex")
    answer = admin.post("/settings/signup/", {"organisation": globex.pk, "self_signup": "on"})
    assert answer.status_code == 302
    globex.refresh_from_db()
    assert globex.self_signup


def _link(to: str) -> str:
    mail = OutboundMessage.objects.filter(to_address=to, kind="signup").latest("id")
    found = re.search(r"http://testserver(/accounts/signup/\S+/)", mail.body_text)
    assert found, mail.body_text
    return found.group(1)


def test_off_by_default(world: World) -> None:
    page = Client().post(
        "/accounts/signup/", {"full_name": "New Person", "email": "new@globex.example"}
    )
    assert page.status_code == 422 and "cannot sign up here" in page.text
    assert not Person.objects.filter(email="new@globex.example").exists()
    assert "Sign up" not in Client().get("/accounts/login/").text


def test_sign_up_prove_the_address_and_see_the_portal(world: World) -> None:
    _open_globex(world)
    assert "New here? Sign up" in Client().get("/accounts/login/").text
    visitor = Client()
    answer = visitor.post(
        "/accounts/signup/", {"full_name": "New Person", "email": "New@Globex.example"}
    )
    assert answer.status_code == 302
    person = Person.objects.get(email="new@globex.example")
    assert not person.is_active and not person.has_usable_password()
    assert OrgMembership.objects.filter(person=person, organisation__name="Globex").exists()
    link = _link("new@globex.example")
    page = visitor.get(link)
    assert "Choose your password" in page.text
    done = visitor.post(link, {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert done.redirect_chain[-1][0] == "/portal/"
    assert Client().login(username="new@globex.example", password=NEW)
    assert "This link no longer works" in visitor.get(link).text


def test_an_existing_address_gets_a_mail_not_a_second_account(world: World) -> None:
    _open_globex(world)
    directory.update_person(None, world.contact, email="contact@globex.example")
    answer = Client().post(
        "/accounts/signup/", {"full_name": "Someone", "email": "contact@globex.example"}
    )
    assert answer.status_code == 302
    mail = OutboundMessage.objects.get(to_address="contact@globex.example", kind="signup")
    assert "has an account already" in mail.body_text
    assert Person.objects.filter(email__iexact="contact@globex.example").count() == 1
    assert Client().login(username="contact", password=PASSWORD)


def test_a_forged_link_and_other_domains_get_nothing(world: World) -> None:
    _open_globex(world)
    assert Client().get("/accounts/signup/not-a-token/").status_code == 404
    page = Client().post("/accounts/signup/", {"full_name": "X", "email": "x@initech.example"})
    assert page.status_code == 422


def test_only_admins_open_signup(world: World) -> None:
    globex = Organisation.objects.get(name="Globex")
    for role in ("manager", "agent", "contact"):
        browser = Client()
        browser.force_login(world.people[role])
        assert browser.get("/settings/signup/").status_code == 404
        assert (
            browser.post(
                "/settings/signup/", {"organisation": globex.pk, "self_signup": "on"}
            ).status_code
            == 404
        )
    globex.refresh_from_db()
    assert not globex.self_signup
    admin = Client()
    admin.force_login(world.admin)
    assert admin.post("/settings/signup/", {"organisation": "x"}).status_code == 404
