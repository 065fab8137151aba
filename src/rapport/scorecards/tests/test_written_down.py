"""What the policies app feeds into scorecards: acknowledgement % of must-read
documents per team on the dashboard, and in a team's digest its members' overdue reads
(for its leads) and the documents whose periodic review is due."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from rapport.core import clock
from rapport.directory.queries import scope_for
from rapport.policies import actions as policy_actions
from rapport.policies import queries as policy_queries
from rapport.policies.tests.libworld import published_policy
from rapport.scorecards.digests import digest_content
from rapport.scorecards.periods import period_containing
from rapport.testing import PASSWORD, World


def _must_read_a_month_ago(world: World) -> None:
    with clock.travel_to(clock.now() - timedelta(days=400)):
        published_policy(world, title="Refunds", must_read=True)  # review due by now
    doc = published_policy(world, title="Warranty")
    with clock.travel_to(clock.now() - timedelta(days=30)):
        policy_actions.edit(world.manager, doc, body="Two years.", change_summary="EU rules")
        version = doc.versions.order_by("-number")[0]
        policy_actions.submit(world.manager, version)
        policy_actions.record_review(
            world.lead, version, answer="yes", customer_view="a", employee_view="b",
            company_view="c", partner_view="d", autonomy="e",
        )  # fmt: skip
        policy_actions.approve(world.manager, version)
        policy_actions.publish(world.manager, version, must_read=True, read_within_days=7)
    policy_actions.acknowledge(world.agent, version)


def test_acknowledgement_per_team_on_the_dashboard(world: World) -> None:
    _must_read_a_month_ago(world)
    rows = {r["name"]: r for r in policy_queries.acknowledgement_by_team(scope_for(world.manager))}
    support = rows[world.support.name]
    assert support["acknowledged"] == 1 and support["assigned"] > 1  # type: ignore[operator]
    assert support["overdue"] == support["assigned"] - 1  # type: ignore[operator]
    assert support["percent"] == round(100 / support["assigned"])  # type: ignore[operator]
    # A lead measures their own teams only; clients measure none.
    assert {r["team"] for r in policy_queries.acknowledgement_by_team(scope_for(world.lead))} <= {
        world.support.pk}  # fmt: skip
    assert policy_queries.acknowledgement_by_team(scope_for(world.contact)) == []
    client = Client()
    assert client.login(username=world.manager.username, password=PASSWORD)
    page = client.get("/scorecards/").content.decode()
    assert "Read acknowledgements" in page and f"{support['percent']} %" in page


def test_team_digest_lists_overdue_reads_and_reviews_due(world: World) -> None:
    _must_read_a_month_ago(world)
    period = period_containing("week", clock.now().date()).previous()
    content = digest_content(world.support.party, period)
    assert "Overdue must-reads in the team:" in content["text"]
    assert f"{world.lead.display_name}: Warranty v2" in content["text"]
    assert f"{world.agent.display_name}: Warranty" not in content["text"]  # acknowledged
    assert "Document reviews due:" in content["text"] and "Refunds (" in content["text"]
    assert "Overdue must-reads in the team" in content["html"]
