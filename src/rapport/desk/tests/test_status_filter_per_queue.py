"""An open queue's status filter offers only statuses its tickets can have; the
queues of every status offer them all."""

from __future__ import annotations

import re

from rapport.desk.tests.helpers import signed_in
from rapport.testing import World


def _status_options(html: str) -> list[str]:
    select = re.search(r'<select id="id_status" name="status"[^>]*>(.*?)</select>', html, re.S)
    assert select
    return re.findall(r">([^<]+)</option>", select.group(1))


def test_open_queues_offer_no_solved_or_closed(world: World) -> None:
    browser = signed_in(world, "agent")
    for slug in ("mine", "unassigned", "team", "pending", "hold"):
        options = _status_options(browser.get(f"/desk/q/{slug}/").content.decode())
        assert "Solved" not in options and "Closed" not in options, slug
        assert "Open" in options or "New" in options, slug
    for slug in ("solved", "all"):
        options = _status_options(browser.get(f"/desk/q/{slug}/").content.decode())
        assert "Solved" in options and "Closed" in options, slug
