"""Profiles: a client's page and a person's page show their tickets of every status,
their ratings, agreements, open hand-offs and staff-only notes, in constant queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.chain import actions as chain_actions
from rapport.core.choices import StatusCategory
from rapport.desk.tests.helpers import signed_in
from rapport.surveys import actions as surveys
from rapport.surveys.models import Survey
from rapport.testing import World
from rapport.tickets import actions
from rapport.tickets.testing import drain_reactions


def _history(world: World) -> dict[str, int]:
    surveys.configure(None, world.sla, csat=True, ces=False, nps=False, delay_minutes=0)
    closed = world.ticket("contact", subject="Old and closed")
    actions.set_status(world.agent, closed, actions.default_status(StatusCategory.SOLVED))
    drain_reactions()
    survey = Survey.objects.get(ticket=closed)
    surveys.answer(survey, actor=world.contact, ratings={"csat": 2}, comment="Took ages")
    actions.set_status(world.agent, closed, actions.default_status(StatusCategory.CLOSED))
    open_one = world.ticket("colleague", subject="Still open")
    handed = chain_actions.hand_off(world.agent, open_one, provider=world.vendor.party,
                                    subject="Toner", note="Please bring toner")  # fmt: skip
    other = world.ticket("other_contact", subject="Initech's")
    return {"closed": closed.pk, "open": open_one.pk, "handed": handed.pk, "other": other.pk}


def test_a_client_page_shows_everything_about_the_client(world: World) -> None:
    made = _history(world)
    browser = signed_in(world, "agent")
    page = browser.get(f"/desk/clients/{world.customer.party_id}/").content.decode()
    assert "Old and closed" in page and "Still open" in page  # closed ones too
    assert "Initech's" not in page
    assert 'CSAT <strong class="rating-low">2/5</strong>' in page and "Took ages" in page
    assert "Globex support" in page  # its agreement
    assert f"#{made['handed']}</a> Toner" in page  # the open hand-off of its ticket
    assert "Contact" in page and "Org Admin" in page  # its people


def test_a_person_page_shows_their_tickets_and_ratings(world: World) -> None:
    made = _history(world)
    page = signed_in(world, "manager").get(f"/desk/people/{world.contact.pk}/").content.decode()
    assert f'data-ticket="{made["closed"]}"' in page
    assert "Took ages" in page and "Globex" in page
    staff = signed_in(world, "manager").get(f"/desk/people/{world.agent.pk}/").content.decode()
    # The agent raised the hand-off to PrintCo; the customer's own tickets are not theirs.
    assert "Customer Support" in staff and f'data-ticket="{made["handed"]}"' in staff
    assert f'data-ticket="{made["closed"]}"' not in staff


def test_staff_add_notes_that_stay_among_staff(world: World) -> None:
    world.ticket("contact")
    browser = signed_in(world, "agent")
    url = f"/desk/clients/{world.customer.party_id}/"
    answer = browser.post(url + "notes", {"body": "Prefers a call <b>before</b> noon"})
    assert answer.status_code == 302
    page = browser.get(url).content.decode()
    assert "Prefers a call &lt;b&gt;before&lt;/b&gt; noon" in page
    empty = browser.post(url + "notes", {"body": "   "})
    assert empty.status_code == 422
    person_url = f"/desk/people/{world.contact.pk}/"
    assert browser.post(person_url + "notes", {"body": "Is the budget holder"}).status_code == 302
    assert "Is the budget holder" in browser.get(person_url).content.decode()


def test_the_ticket_page_links_to_both_profiles(world: World) -> None:
    ticket = world.ticket("contact")
    page = signed_in(world, "agent").get(f"/desk/t/{ticket.pk}/").content.decode()
    assert f'href="/desk/people/{world.contact.pk}/"' in page
    assert f'href="/desk/clients/{world.customer.party_id}/"' in page


def test_profiles_cost_the_same_queries_at_any_size(world: World) -> None:
    browser = signed_in(world, "agent")
    paths = (f"/desk/clients/{world.customer.party_id}/", f"/desk/people/{world.contact.pk}/")

    def counts() -> list[int]:
        out = []
        for path in paths:
            with CaptureQueriesContext(connection) as ctx:
                assert browser.get(path).status_code == 200
            out.append(len(ctx))
        return out

    _history(world)
    small = counts()
    for n in range(5):
        _history(world) if n % 2 else world.ticket("contact", subject=f"More {n}")
    assert counts() == small
    assert max(small) <= 20, small


def test_search_finds_closed_tickets_from_any_desk_page(world: World) -> None:
    made = _history(world)
    browser = signed_in(world, "agent")
    page = browser.get(f"/desk/t/{made['open']}/").content.decode()
    assert 'action="/desk/q/all/"' in page and 'id="desk-search"' in page
    found = browser.get("/desk/q/all/", {"q": "closed"}).content.decode()
    assert f'value="{made["closed"]}"' in found
