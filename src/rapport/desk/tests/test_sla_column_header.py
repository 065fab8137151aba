"""The queue's service-level column has a header a sighted agent can read."""

from __future__ import annotations

from rapport.desk.tests.helpers import signed_in
from rapport.testing import World


def test_the_sla_column_is_named(world: World) -> None:
    world.ticket("contact")
    page = signed_in(world, "agent").get("/desk/q/team/").content.decode()
    header = page.split('<th scope="col" class="hide-narrow sla-col"', 1)[1].split("</th>", 1)[0]
    # Named, and (since the breach forecast) a link that sorts the queue by risk.
    assert ">SLA</abbr> risk</a>" in header
    assert "sort=breach_risk" in header or "sort=-breach_risk" in header
