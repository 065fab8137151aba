"""The queue's service-level column has a header a sighted agent can read."""

from __future__ import annotations

from rapport.desk.tests.helpers import signed_in
from rapport.testing import World


def test_the_sla_column_is_named(world: World) -> None:
    world.ticket("contact")
    page = signed_in(world, "agent").get("/desk/q/team/").content.decode()
    assert '<th scope="col" class="hide-narrow sla-col"><abbr' in page
    assert ">SLA</abbr></th>" in page
