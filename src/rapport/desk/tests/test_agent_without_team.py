"""An agent who belongs to no team yet (just hired, or between teams) gets an empty
desk, not an error: every queue counts 0 and there is no one to assign to."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.directory import actions as directory
from rapport.testing import PASSWORD, World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/desk/", "/desk/q/team/", "/desk/q/unassigned/", "/desk/counts"])
def test_an_agent_in_no_team_sees_empty_queues(world: World, path: str) -> None:
    loner = directory.create_person(
        world.admin, username="newhire", email="newhire@example.com", full_name="New Hire",
        staff_role="agent", password=PASSWORD,
    )  # fmt: skip
    browser = Client()
    browser.force_login(loner)
    response = browser.get(path)
    assert response.status_code == 200
    assert b"Printer" not in response.content  # none of the teams' tickets
