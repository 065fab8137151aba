"""A 24×7 calendar's preview shows one open stretch with its two dates, not
"13:58–13:58"."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.test import Client

from rapport.agreements import actions
from rapport.core import clock
from rapport.testing import World


def test_an_always_open_week_names_both_ends(world: World) -> None:
    calendar = actions.create_calendar(
        None, name="Round the clock", time_zone="Europe/Berlin", always_open=True
    )
    admin = Client()
    admin.force_login(world.admin)
    with clock.travel_to(datetime(2026, 3, 13, 13, 58, tzinfo=ZoneInfo("Europe/Berlin"))):
        page = admin.get(f"/settings/sla/calendars/{calendar.pk}").content.decode()
    assert "13:58–13:58" not in page
    assert "Fri 13 Mar 13:58 – Fri 20 Mar 13:58 CET" in page


def test_a_working_day_still_reads_as_hours(world: World) -> None:
    admin = Client()
    admin.force_login(world.admin)
    with clock.travel_to(datetime(2026, 3, 16, 8, 0, tzinfo=ZoneInfo("Europe/Berlin"))):
        page = admin.get(f"/settings/sla/calendars/{world.calendar.pk}").content.decode()
    assert "Mon 16 Mar 09:00–17:00 CET" in page
