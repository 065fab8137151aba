"""The survey settings of an agreement, in a form: admins change them, other staff
read them, nobody else reaches them; the rules are `actions.configure`'s."""

from __future__ import annotations

from django.test import Client

from rapport.surveys.models import SurveySettings
from rapport.testing import World


def _browser(world: World, role: str) -> Client:
    browser = Client()
    browser.force_login(world.people[role])
    return browser


def test_admin_chooses_the_questions_and_the_delay(world: World) -> None:
    url = f"/surveys/settings/{world.sla.pk}/"
    admin = _browser(world, "admin")
    page = admin.get(url).content.decode()
    assert "the defaults, which apply until an admin changes them" in page
    assert 'name="delay_minutes" value="60"' in page  # the default, shown as such
    response = admin.post(
        url, {"enabled": "on", "csat": "on", "nps": "on", "delay_minutes": "1440"}, follow=True
    )
    assert "Survey settings saved." in response.content.decode()
    row = SurveySettings.objects.get(agreement=world.sla)
    assert (row.enabled, row.csat, row.ces, row.nps, row.ask_comment) == (
        True, True, False, True, False,
    )  # fmt: skip
    assert row.delay_minutes == 1440
    page = admin.get(url).content.decode()
    assert "the defaults" not in page and 'name="nps" id="id_nps" checked' in page
    sla_page = admin.get(f"/settings/sla/agreements/{world.sla.pk}").content.decode()
    assert f'href="{url}"' in sla_page


def test_bad_settings_are_field_errors_and_change_nothing(world: World) -> None:
    url = f"/surveys/settings/{world.sla.pk}/"
    admin = _browser(world, "admin")
    for body in (
        {"enabled": "on", "delay_minutes": "60"},  # no question at all
        {"enabled": "on", "csat": "on", "delay_minutes": "-5"},
        {"enabled": "on", "csat": "on", "delay_minutes": str(60 * 24 * 31)},
        {"enabled": "on", "csat": "on", "delay_minutes": "soon"},
    ):
        response = admin.post(url, body)
        assert response.status_code == 422, body
        assert 'role="alert"' in response.content.decode(), body
    assert not SurveySettings.objects.filter(agreement=world.sla).exists()


def test_staff_read_and_only_admins_save(world: World) -> None:
    url = f"/surveys/settings/{world.sla.pk}/"
    agent = _browser(world, "agent")
    page = agent.get(url).content.decode()
    assert "<fieldset disabled>" in page and "Only an admin can change these." in page
    assert agent.post(url, {"enabled": "on", "csat": "on", "delay_minutes": "5"}).status_code == 403
    for role in ("contact", "vendor_user"):
        assert _browser(world, role).get(url).status_code == 403
    assert _browser(world, "admin").get("/surveys/settings/999999/").status_code == 404
    assert not SurveySettings.objects.filter(agreement=world.sla).exists()
