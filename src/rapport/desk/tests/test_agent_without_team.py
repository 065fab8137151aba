"""An agent who belongs to no team yet opens the desk like anyone else: their own
queue, empty team queues (no provider is theirs), and no error on either database."""

from __future__ import annotations

import re

from rapport.desk import queries
from rapport.desk.tests.helpers import signed_in
from rapport.directory import actions as directory
from rapport.testing import PASSWORD, World


def test_agent_without_a_team_opens_every_queue(world: World) -> None:
    newcomer = directory.create_person(
        None, username="newcomer", email="newcomer@example.com", full_name="New Comer",
        staff_role="agent", password=PASSWORD,
    )  # fmt: skip
    world.people["newcomer"] = newcomer
    world.ticket("contact", subject="Someone else's")
    browser = signed_in(world, "newcomer")
    for path in ["/desk/"] + [f"/desk/q/{q.slug}/" for q in queries.QUEUES] + ["/desk/counts"]:
        response = browser.get(path)
        assert response.status_code == 200, path
    page = browser.get("/desk/q/team/").content.decode()
    counts = re.findall(r'<span class="count"[^>]*>([^<]+)<', page)
    assert counts and set(counts) == {"0"}
