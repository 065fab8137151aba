"""Suggestions are ranked by full-text relevance (FTS5 bm25 on SQLite, ts_rank on
PostgreSQL), not by recency: the desk's reply panel and the portal's new-request form
show the best match first."""

from __future__ import annotations

from django.test import Client

from rapport.core import clock
from rapport.directory.queries import scope_for
from rapport.policies import actions, queries
from rapport.policies.tests.libworld import published_policy
from rapport.testing import PASSWORD, World


def _article(world: World, title: str, body: str) -> object:
    return published_policy(world, kind="article", title=title, body=body,
                            client_audience="all")  # fmt: skip


def test_the_most_relevant_article_comes_first(world: World) -> None:
    best = _article(world, "Router reset", "Reset the router: hold the router reset button. "
                    "The router restarts; the router lights blink.")  # fmt: skip
    with clock.travel_to(clock.now().replace(year=clock.now().year + 1)):
        # Newer, but mentions the router once among other things.
        newer = _article(world, "Office moves", "Desks, chairs, and once the router.")
    scope_rows = queries.suggestions(scope_for(world.agent), "router reset")
    assert [d.pk for d in scope_rows] == [best.pk, newer.pk]  # type: ignore[attr-defined]
    portal = Client()
    assert portal.login(username=world.contact.username, password=PASSWORD)
    html = portal.get("/kb/suggest?subject=router+reset").content.decode()
    assert html.index("Router reset") < html.index("Office moves")


def test_no_words_no_suggestions(world: World) -> None:
    _article(world, "Router reset", "Reset the router.")
    assert queries.ranked_ids("", ("article",)) == []
    assert queries.ranked_ids("router", ()) == []
    # Drafts and policies are never suggested.
    actions.create_document(world.manager, kind="article", title="Router draft",
                            body="router router router", owner=world.manager,
                            team=world.support)  # fmt: skip
    assert len(queries.ranked_ids("router", ("article", "procedure"))) == 1
