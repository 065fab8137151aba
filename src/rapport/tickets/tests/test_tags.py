from __future__ import annotations

import pytest

from rapport.core.errors import Invalid, PermissionDenied
from rapport.testing import World
from rapport.tickets import actions


def test_tags_are_normalised_and_logged(world: World) -> None:
    ticket = world.ticket("contact")
    actions.tag(world.agent, ticket, ["VIP", "Billing Issue", "vip"])
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["billing-issue", "vip"]
    actions.untag(world.agent, ticket, ["VIP"])
    assert list(ticket.tags.values_list("name", flat=True)) == ["billing-issue"]
    log = list(ticket.events.filter(field="tags").values_list("kind", "old_value", "new_value"))
    assert log == [
        ("tagged", "", "billing-issue"),
        ("tagged", "", "vip"),
        ("untagged", "vip", ""),
    ]


def test_bad_tags_and_clients_are_refused(world: World) -> None:
    ticket = world.ticket("contact")
    with pytest.raises(Invalid):
        actions.tag(world.agent, ticket, ["<script>"])
    with pytest.raises(PermissionDenied):
        actions.tag(world.contact, ticket, ["urgent"])
