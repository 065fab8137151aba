"""A small library on top of the test world, built through the actions."""

from __future__ import annotations

from rapport.policies import actions
from rapport.policies.models import Document, Version
from rapport.testing import World

REFUNDS = """# Refunds

## Who may refund

An agent may refund up to 50 EUR without approval.

## Larger refunds

A lead approves refunds above 50 EUR.
"""


def reviewed(world: World, document: Document, answer: str = "yes") -> Version:
    """Send the newest version to review and record a passing customer-factor review."""
    version = document.versions.order_by("-number")[0]
    actions.submit(world.manager, version)
    if document.kind == "policy":
        actions.record_review(
            world.lead, version, answer=answer, customer_view="Gets money back quickly.",
            employee_view="Can decide alone.", company_view="Small cost, loyal customers.",
            partner_view="No effect on vendors.", autonomy="Refund up to 50 EUR.",
            case_by_case=True,
        )  # fmt: skip
    elif document.kind == "procedure":
        actions.record_review(world.lead, version, answer=answer, customer_view="Faster help.",
                              new_hire_can_follow=True)  # fmt: skip
    return version


def published_policy(
    world: World,
    *,
    must_read: bool = False,
    title: str = "Refunds",
    body: str = REFUNDS,
    kind: str = "policy",
    **kw: object,
) -> Document:
    document = actions.create_document(
        world.manager,
        kind=kind,
        title=title,
        body=body,
        owner=world.manager,
        team=world.support,
        tags=["billing"],
        **kw,  # type: ignore[arg-type]
    )
    version = reviewed(world, document)
    actions.approve(world.manager, version)
    actions.publish(world.manager, version, must_read=must_read)
    document.refresh_from_db()
    return document
