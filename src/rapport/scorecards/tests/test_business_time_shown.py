"""Scorecards show business time in hours and minutes, not minutes with decimals."""

from __future__ import annotations

import re

from django.test import Client

from rapport.core import clock
from rapport.scorecards.display import hours_and_minutes
from rapport.scorecards.tests.conftest import utc
from rapport.testing import World


def test_hours_and_minutes() -> None:
    assert hours_and_minutes(None) is None
    assert hours_and_minutes(45.4) == "45m"
    assert hours_and_minutes(125.5) == "2h 06m"
    assert hours_and_minutes(2460) == "41h 00m"
    assert hours_and_minutes(-90) == "−1h 30m"


def test_the_dashboard_shows_median_resolution_in_hours(march: World) -> None:
    client = Client()
    client.force_login(march.manager)
    with clock.travel_to(utc(2026, 4, 5)):
        html = client.get("/scorecards/?period=month&date=2026-03-01&dimension=provider")
    text = html.content.decode()
    table = text.split('id="scorecards"', 1)[1].split("</table>", 1)[0]
    # T1 took 180 business minutes to resolve and T2 540: the median is 6 hours.
    assert re.search(r">6h 00m<", table)
    assert ">360" not in table
