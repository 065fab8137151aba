"""Calibration: blind until closed; agreement within ±10 points and kappa per category;
never counted in quality scores."""

from __future__ import annotations

import pytest

from rapport.core.errors import Conflict, PermissionDenied
from rapport.directory.queries import scope_for
from rapport.people import quality_queries as queries
from rapport.people.actions import quality
from rapport.people.tests.qaworld import ids, ratings, rubric, support_conversation
from rapport.testing import World


def test_a_blind_session_then_its_agreement(world: World) -> None:
    r = rubric(world)
    t1, t2 = support_conversation(world), support_conversation(world)
    session = quality.create_calibration(
        world.manager, name="March", rubric=r, tickets=[t1, t2],
        reviewers=[world.lead, world.admin, world.manager],
    )  # fmt: skip
    # Solution on t1: 5, 5, 4 (100, 100, 75) → pairs 0, 25, 25 → 1/3 agree.
    # Solution on t2: 3, 3, 3 → all agree. Mean agreement (1/3 + 1) / 2 = 0.6667.
    for who, s1 in ((world.lead, 5), (world.admin, 5), (world.manager, 4)):
        quality.submit_review(who, t1, r, ratings(r, solution=s1), session=session)
        quality.submit_review(who, t2, r, ratings(r, solution=3), session=session)
    with pytest.raises(Conflict):
        quality.submit_review(world.lead, t2, r, ratings(r), session=session)
    with pytest.raises(PermissionDenied):
        quality.submit_review(world.agent, t1, r, ratings(r), session=session)
    blind = queries.calibration_report(scope_for(world.lead), session)
    assert not blind.revealed
    assert set(blind.scores[t1.pk]) == {world.lead.pk}
    quality.close_calibration(world.manager, session)
    session.refresh_from_db()
    report = queries.calibration_report(scope_for(world.lead), session)
    solution = ids(r)["Solution"]
    agreement, kappa = report.categories[solution]
    assert agreement == 0.6667
    # Labels per ticket: [5, 5, 4] and [3, 3, 3] → P1 = 1/3, P2 = 1, P̄ = 2/3;
    # p5 = 2/6, p4 = 1/6, p3 = 3/6 → P̄e = (4 + 1 + 9) / 36 = 7/18;
    # κ = (2/3 − 7/18) / (1 − 7/18) = (5/18) / (11/18) = 5/11 = 0.4545.
    assert kappa == 0.4545
    greeting_agreement, greeting_kappa = report.categories[ids(r)["Greeting"]]
    assert (greeting_agreement, greeting_kappa) == (1.0, 1.0)
    # Calibration never counts.
    assert queries.quality_score("agent", world.agent.pk) is None
    assert not queries.visible_reviews(scope_for(world.admin)).exists()
    # The manager scored 4 where the others gave 5: the furthest from the mean on t1.
    assert report.distance[world.manager.pk] > report.distance[world.lead.pk]
    assert queries.drift([world.manager.pk])[world.manager.pk][0][0] == session.pk
