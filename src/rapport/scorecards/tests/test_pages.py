"""The dashboard, the tickets behind a figure, CSV and PDF exports."""

from __future__ import annotations

import csv
import io
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rapport.core import clock
from rapport.scorecards.tests.conftest import utc
from rapport.testing import World

Q = "?period=month&date=2026-03-01&dimension=provider"


def signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.people[role])
    return client


def test_dashboard_shows_figures_chart_and_comments(march: World) -> None:
    with clock.travel_to(utc(2026, 4, 5)):
        page = signed_in(march, "manager").get("/scorecards/" + Q)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Scorecards — March 2026" in html
    assert "<svg" in html and "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    assert "Customer Support" in html and "Too slow" in html
    assert "metric=volume_in" in html  # figures click through


def test_dashboard_query_count_is_constant(march: World) -> None:
    client = signed_in(march, "manager")
    with clock.travel_to(utc(2026, 4, 5)), CaptureQueriesContext(connection) as before:
        client.get("/scorecards/" + Q)
    for n in range(5):
        with clock.travel_to(utc(2026, 3, 20, 9, n)):
            march.ticket("contact", subject=f"More {n}")
            march.ticket("employee", provider=march.it.party, subject=f"IT {n}")
    with clock.travel_to(utc(2026, 4, 5)), CaptureQueriesContext(connection) as after:
        client.get("/scorecards/" + Q)
    assert len(after) == len(before)


def test_clients_may_not_see_scorecards(march: World) -> None:
    assert signed_in(march, "contact").get("/scorecards/").status_code == 403
    assert Client().get("/scorecards/").status_code == 302  # to sign in


def _subjects(page: str) -> set[str]:
    """The subjects of the tickets listed behind a figure (not any text on the page:
    a random CSRF token may spell "T3")."""
    return set(re.findall(r'<a href="/desk/t/\d+/">#\d+ (T\d)</a>', page))


def test_tickets_behind_a_figure(march: World) -> None:
    client = signed_in(march, "manager")
    party = march.support.party_id
    solved = client.get(f"/scorecards/tickets{Q}&id={party}&metric=solved").content.decode()
    assert _subjects(solved) == {"T1", "T2", "T4"}
    backlog = client.get(f"/scorecards/tickets{Q}&id={party}&metric=backlog").content.decode()
    assert "T3" in _subjects(backlog) and "T1" not in _subjects(backlog)
    rated = client.get(f"/scorecards/tickets{Q}&id={party}&metric=csat").content.decode()
    assert {"T1", "T2"} <= _subjects(rated) and "T4" not in _subjects(rated)
    assert client.get(f"/scorecards/tickets{Q}&id=x&metric=solved").status_code == 404


def test_csv_export(march: World) -> None:
    with clock.travel_to(utc(2026, 4, 5)):
        response = signed_in(march, "manager").get("/scorecards/export.csv" + Q)
    assert response["Content-Type"] == "text/csv"
    (row,) = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["provider"] == "Customer Support"
    assert (row["volume_in"], row["volume_in_previous"], row["volume_in_trend"]) == ("3", "1", "2")
    assert row["csat"] == "50.0" and row["csat_previous"] == "N/A"


def test_pdf_export(march: World) -> None:
    response = signed_in(march, "manager").get("/scorecards/export.pdf" + Q)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert signed_in(march, "manager").get("/scorecards/export.xls" + Q).status_code == 404
