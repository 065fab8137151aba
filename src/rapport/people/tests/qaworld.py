"""A quality rubric and reviewed conversations for the quality tests."""

from __future__ import annotations

from rapport.people.actions import quality
from rapport.people.models import Rubric
from rapport.testing import World
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Ticket


def rubric(world: World) -> Rubric:
    """Greeting (binary, 10), Solution (5-point, 50), Tone (3-point, 40, N/A allowed),
    GDPR (binary, critical, 5), Extra mile (binary bonus, 10)."""
    return quality.create_rubric(
        world.lead, name="Conversation quality",
        categories=[
            {"name": "Greeting", "scale": 2, "weight": 10},
            {"name": "Solution", "scale": 5, "weight": 50},
            {"name": "Tone", "scale": 3, "weight": 40, "allow_na": True},
            {"name": "GDPR", "scale": 2, "weight": 5, "critical": True},
            {"name": "Extra mile", "scale": 2, "weight": 10, "bonus": True},
        ],
    )  # fmt: skip


def ids(r: Rubric) -> dict[str, int]:
    return {c.name: c.pk for c in r.categories.all()}


def ratings(r: Rubric, greeting: int | None = 1, solution: int | None = 5,
            tone: int | None = 3, gdpr: int | None = 1,
            extra: int | None = None) -> dict[int, int | None]:  # fmt: skip
    c = ids(r)
    return {c["Greeting"]: greeting, c["Solution"]: solution, c["Tone"]: tone,
            c["GDPR"]: gdpr, c["Extra mile"]: extra}  # fmt: skip


def vendor_conversation(world: World) -> Ticket:
    """Support hands work to PrintCo; PrintCo's user answers publicly."""
    ticket = world.handoff()
    ticket_actions.reply(world.vendor_user, ticket, body="A technician comes tomorrow.")
    return ticket


def support_conversation(world: World) -> Ticket:
    ticket = world.ticket("contact")
    ticket_actions.reply(world.agent, ticket, body="Turned it off and on again.")
    return ticket
