"""The map's worst links count clocks and say so: never "N breached of M tickets"
when N counts clocks and M tickets."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client

from rapport.chain.tests.chainworld import T0, build_chain
from rapport.testing import World


def test_worst_links_count_clocks_in_clocks(world: World) -> None:
    build_chain(world)
    manager = Client()
    manager.force_login(world.manager)
    query = f"?since={(T0 - timedelta(days=1)):%Y-%m-%d}&until={T0:%Y-%m-%d}"
    page = manager.get("/chain/map/" + query).content.decode()
    assert "breached</a> of" not in page
    found = re.findall(r">(\d+) of (\d+) clocks breached<", page)
    assert found and all(int(n) <= int(m) for n, m in found)
    assert '<th scope="col">Clocks breached</th>' in page
