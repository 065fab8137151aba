"""Staff pulse: answers stored without their author, a group of 4 suppressed, the
subtraction attack prevented, comments follow their group, no endpoint returns an
answer's author, leads reply anonymously, a comment becomes a proposal and the team
hears the decision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rapport.api.api import api
from rapport.core import clock
from rapport.core.errors import Conflict, Invalid, NotFound
from rapport.directory import actions as directory
from rapport.directory.models import Person, Team
from rapport.notifications.models import Notification
from rapport.people import pulse_queries as queries
from rapport.people.actions import pulse
from rapport.people.models import PulseAnswer, PulseComment, PulseRound
from rapport.policies import actions as policy_actions
from rapport.policies.tests.libworld import published_policy
from rapport.testing import World
from rapport.tickets.testing import drain_reactions

START = datetime(2026, 3, 2, 9, tzinfo=UTC)


def staff(world: World, team: Team, n: int, prefix: str) -> list[Person]:
    people = []
    for i in range(n):
        p = directory.create_person(None, username=f"{prefix}{i}", email=f"{prefix}{i}@ex.com",
                                    full_name=f"{prefix} {i}", staff_role="agent")  # fmt: skip
        directory.add_team_member(None, team, p)
        people.append(p)
    return people


def answer_all(people: list[Person], r: PulseRound, enps: int, comment: str = "") -> None:
    with clock.travel_to(START + timedelta(hours=1)):
        for p in people:
            pulse.answer(p, r, enps=enps, items={"valued": 4}, comment=comment)


def test_answers_small_groups_and_subtraction(world: World) -> None:
    ops = directory.create_team(None, name="Operations")
    support = staff(world, world.support, 6, "s")
    it = staff(world, world.it, 4, "i")
    operations = staff(world, ops, 6, "o")
    rounds = {}
    with clock.travel_to(START):
        for team in (world.support, world.it, ops):
            rounds[team.pk] = pulse.open_round(pulse.set_up_pulse(None, team))
    answer_all(support, rounds[world.support.pk], 10, "Great team")
    answer_all(it, rounds[world.it.pk], 2, "We are drowning")
    answer_all(operations[:5], rounds[ops.pk], 6)
    # Stored without their author.
    assert {f.name for f in PulseAnswer._meta.get_fields()} == {"id", "round", "enps", "items"}
    with clock.travel_to(START + timedelta(hours=2)), pytest.raises(Conflict):
        pulse.answer(support[0], rounds[world.support.pk], enps=0, items={})
    got = {g.key: g for g in queries.results(START, START + timedelta(days=7))}
    # IT has 4 answers: suppressed, its comment too. Company 15 − Support 6 − Ops 5 = 4
    # would give IT back: the smallest other team (Operations) is hidden as well.
    assert got[str(world.it.pk)].suppressed and got[str(world.it.pk)].enps is None
    assert got[str(world.it.pk)].comments == []
    assert got[str(ops.pk)].suppressed
    support_result = got[str(world.support.pk)]
    assert (support_result.suppressed, support_result.enps) == (False, 100.0)
    assert [c.text for c in support_result.comments] == ["Great team"] * 6
    company = got["company"]
    assert not company.suppressed and company.answers == 15
    # (6 promoters − 9 detractors) / 15 = −20.
    assert company.enps == -20.0


def test_a_pulse_threshold_is_at_least_three(world: World) -> None:
    with pytest.raises(Invalid):
        pulse.set_up_pulse(None, world.support, threshold=2)
    with pytest.raises(Invalid):
        pulse.set_up_pulse(None, world.support, items=["valued"] * 1 + ["nope"])


def test_only_team_members_answer(world: World) -> None:
    with clock.travel_to(START):
        r = pulse.open_round(pulse.set_up_pulse(None, world.support))
        with pytest.raises(NotFound):
            pulse.answer(world.other_agent, r, enps=5, items={})


def test_replies_and_you_said_we_did(world: World) -> None:
    members = staff(world, world.support, 5, "s")
    with clock.travel_to(START):
        r = pulse.open_round(pulse.set_up_pulse(None, world.support))
    answer_all(members[:1], r, 3, "The refund cap is too low")
    answer_all(members[1:], r, 9)
    comment = PulseComment.objects.get()
    with pytest.raises(NotFound):
        pulse.reply_to_comment(world.other_agent, comment, text="Hm")
    pulse.reply_to_comment(world.lead, comment, text="Thank you, we will look at it")
    mine = queries.my_comments(members[0].pk)
    assert [c.pk for c in mine] == [comment.pk]
    assert [x.text for x in mine[0].replies.all()] == ["Thank you, we will look at it"]
    assert queries.my_comments(members[1].pk) == []
    doc = published_policy(world)
    proposal = pulse.propose_from_comment(world.lead, comment, doc, proposed_fix="Raise it")
    assert proposal.proposer == world.lead
    assert "refund cap" in proposal.what_is_wrong
    policy_actions.decline(doc.owner, proposal, reason="Legal requires the cap")
    drain_reactions()
    drain_reactions()
    told = Notification.objects.filter(recipient=members[0], kind="pulse",
                                       text__startswith="You said")  # fmt: skip
    assert told.count() == 1
    assert "Legal requires the cap" in told.get().text


NAMING_AUTHOR = {"author", "author_key", "person", "respondent", "participant", "answered_by",
                 "user", "people", "persons"}  # fmt: skip


def _properties(schema: Any, components: dict[str, Any], seen: set[str]) -> set[str]:
    found: set[str] = set()
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            if name in seen:
                return found
            seen.add(name)
            return _properties(components[name], components, seen)
        for key, value in schema.get("properties", {}).items():
            found.add(key)
            found |= _properties(value, components, seen)
        for key in ("items", "additionalProperties", "anyOf", "oneOf", "allOf"):
            if key in schema:
                found |= _properties(schema[key], components, seen)
    elif isinstance(schema, list):
        for item in schema:
            found |= _properties(item, components, seen)
    return found


def test_no_endpoint_returns_an_answers_author() -> None:
    """Walk every pulse and team-health operation of the OpenAPI document: no response
    names a person, and no path reads an individual answer."""
    doc = api.get_openapi_schema(path_prefix="/api/v1/")
    components = doc["components"]["schemas"]
    checked = 0
    for path, operations in doc["paths"].items():
        if not (path.startswith("/api/v1/pulse") or path.endswith("/health")):
            continue
        assert "answers/{" not in path, path
        for method, op in operations.items():
            for status, response in op.get("responses", {}).items():
                for content in response.get("content", {}).values():
                    names = _properties(content.get("schema", {}), components, set())
                    leaked = names & NAMING_AUTHOR
                    assert not leaked, f"{method.upper()} {path} {status}: {leaked}"
                    checked += 1
            if method == "post" and path.endswith("/answers"):
                assert {str(code) for code in op["responses"]} == {"204"}, op["responses"]
    assert checked >= 4
