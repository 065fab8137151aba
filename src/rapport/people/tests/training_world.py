"""A small world for the training tests: the test world plus a scenario and a lead."""

from __future__ import annotations

from typing import Any

from rapport.directory.models import TeamMembership
from rapport.people.actions import training
from rapport.people.models import Scenario
from rapport.testing import World, build_world

STEPS = [
    {"line": "My parcel never came and I want my money back.",
     "expected": "Acknowledge, apologise, find the order.",
     "branches": [{"when": "The candidate asks for the order number",
                   "line": "It is on the e-mail you sent me!"}]},
    {"line": "So will you refund me or not?", "expected": "Follow the refund procedure."},
]  # fmt: skip
OWN = [{"name": "Followed the refund procedure", "anchors": [
    "Ignored it", "Started it", "Followed most steps", "Followed every step",
    "Followed it and explained each step"]}]  # fmt: skip


def scenario(world: World, **kw: Any) -> Scenario:
    kw.setdefault("title", "Missing parcel")
    kw.setdefault("dimensions", OWN)
    return training.create_scenario(
        world.people["manager"], channel="phone", persona_name="Mrs Doe",
        persona_situation="Ordered a kettle two weeks ago.", persona_wants="A refund today.",
        temperament=kw.pop("temperament", "red"), steps=STEPS, **kw,
    )  # fmt: skip


def training_world() -> World:
    world = build_world()
    assert TeamMembership.objects.filter(person=world.people["lead"], role="lead").exists()
    return world
