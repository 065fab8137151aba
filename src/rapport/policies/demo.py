"""The demo company's library, written through the actions like the rest of the demo:
8 policies, 12 procedures and 25 articles with versions, one policy version stopped
by the customer-factor review, open proposals, exceptions and citations on real
tickets, overdue reads, and the OLA that measures policy change requests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from rapport.agreements import actions as agreements
from rapport.agreements.models import Calendar
from rapport.core import clock
from rapport.directory import actions as directory
from rapport.directory.models import Organisation, OrgKind, Person, Team
from rapport.policies import actions
from rapport.policies.demo_content import ARTICLES, POLICIES, PROCEDURES, RETURNS_STRICT
from rapport.policies.models import Document, ReadTask
from rapport.tickets.models import Ticket

TEAM_NAMES = {"support": "Customer Support", "billing": "Billing", "it": "IT Service Desk",
              "logistics": "Logistics"}  # fmt: skip
LEADS = {"support": "sofia.martins", "billing": "lucas.moreau", "it": "mateo.rossi",
         "logistics": "fatima.haddad"}  # fmt: skip
WORKERS = {"support": "jonas.weber", "billing": "hannah.schmidt", "it": "chloe.dubois",
           "logistics": "tom.becker"}  # fmt: skip


def _review_policy(
    reviewer: Person, document: Document, autonomy: str, answer: str = "yes"
) -> None:
    version = document.versions.order_by("-number")[0]
    actions.record_review(
        reviewer, version, answer=answer,
        customer_view="Gets a fair answer quickly, without being passed around.",
        employee_view="Can decide on the spot within clear limits.",
        company_view="Small cost against keeping the customer.",
        partner_view="Vendors and couriers know what we promise in their name.",
        autonomy=autonomy, case_by_case=True,
    )  # fmt: skip


def _publish_policy(people: dict[str, Person], document: Document, autonomy: str,
                    must_read: bool = False) -> None:  # fmt: skip
    manager = people["daniel.fischer"]
    version = document.versions.order_by("-number")[0]
    actions.submit(manager, version)
    _review_policy(people["sofia.martins"], document, autonomy)
    actions.sign_off(
        people["sofia.martins"], version, decision="approved", comment="Works for the front line."
    )
    actions.sign_off(people["amara.okafor"], version, decision="approved", comment="Legal checked.")
    actions.publish(manager, version, must_read=must_read)


def build_policies(now: datetime) -> None:
    """The library; `now` is the demo's present."""
    people = {p.username: p for p in Person.objects.exclude(staff_role="")}
    people.update({p.username: p for p in Person.objects.filter(username="peter.lindqvist")})
    teams = {key: Team.objects.get(name=name) for key, name in TEAM_NAMES.items()}
    manager = people["daniel.fischer"]
    own = Organisation.objects.get(kind=OrgKind.OWN)
    contoso = Organisation.objects.filter(name="Contoso Retail").first()
    earlier = now - timedelta(days=200)

    with clock.travel_to(earlier):
        office = directory.create_team(None, name="Policy Office")
        directory.add_team_member(None, office, manager, role="lead")
        directory.add_team_member(None, office, people["amara.okafor"])
        calendar = Calendar.objects.order_by("id")[0]
        agreements.create_agreement(
            None, name="Policy change requests", kind="ola", provider=office.party,
            client=own.party, calendar=calendar, active_from=earlier.date(),
            targets=[{"priority": p, "first_response_minutes": 480, "resolution_minutes": 4800}
                     for p in ("low", "normal", "high", "urgent")],
        )  # fmt: skip
        # A change proposal on a procedure is a request to the team that owns it: the
        # front-line teams, which serve only customers otherwise, get an OLA for them.
        for key in ("support", "billing"):
            agreements.create_agreement(
                None, name=f"{TEAM_NAMES[key]}: procedure change requests", kind="ola",
                provider=teams[key].party, client=own.party, calendar=calendar,
                active_from=earlier.date(),
                targets=[{"priority": p, "first_response_minutes": 480,
                          "resolution_minutes": 4800}
                         for p in ("low", "normal", "high", "urgent")],
            )  # fmt: skip

    policies: dict[str, Document] = {}
    for i, (title, tags, body, autonomy) in enumerate(POLICIES):
        with clock.travel_to(earlier + timedelta(days=i)):
            doc = actions.create_document(manager, kind="policy", title=title, body=body,
                                          owner=manager, team=office, tags=tags,
                                          change_summary="First written down")  # fmt: skip
            actions.set_approvers(manager, doc, [(people["sofia.martins"], "Team lead"),
                                                 (people["amara.okafor"], "Legal")])  # fmt: skip
            _publish_policy(people, doc, autonomy)
        policies[title] = doc

    # Refunds v2: the cap raised, a must-read with a check, read by some and overdue for others.
    refunds = policies["Refunds"]
    with clock.travel_to(now - timedelta(days=24)):
        body = POLICIES[0][2].replace("50 EUR", "80 EUR")
        version = actions.edit(
            manager,
            refunds,
            body=body,
            change_summary="Cap raised to 80 EUR after repeated exceptions",
        )
        actions.set_check(manager, version, [
            {"text": "Up to how much may you refund without approval?",
             "options": ["50 EUR", "80 EUR", "500 EUR"], "correct": 1},
            {"text": "Who approves a larger refund?",
             "options": ["Your team lead", "Nobody: refuse it"], "correct": 0},
        ])  # fmt: skip
        _publish_policy(people, refunds, "Refund up to 80 EUR without approval.", must_read=True)
    refunds.refresh_from_db()
    with clock.travel_to(now - timedelta(days=20)):
        for username in ("sofia.martins", "lucas.moreau", "mateo.rossi", "amara.okafor"):
            actions.acknowledge(people[username], refunds.published, [1, 0])  # type: ignore[arg-type]

    # Returns v2, tightened, is stopped by the customer-factor review.
    returns = policies["Returns"]
    with clock.travel_to(now - timedelta(days=5)):
        version = actions.edit(manager, returns, body=RETURNS_STRICT,
                               change_summary="Stricter returns to cut abuse")  # fmt: skip
        actions.submit(manager, version)
        _review_policy(
            people["sofia.martins"],
            returns,
            "None: every return needs the paper receipt.",
            answer="no",
        )

    # Procedures: two published seven months ago are overdue for their review.
    for i, (title, key, tags, steps) in enumerate(PROCEDURES):
        owner = people[LEADS[key]]
        reviewer = people[WORKERS[key]]  # a colleague of the owning team reviews it
        body = f"# {title}\n\n" + "\n".join(f"{n}. {s}" for n, s in enumerate(steps, 1))
        at = now - timedelta(days=215 if i < 2 else 60 + i)
        with clock.travel_to(at):
            doc = actions.create_document(
                owner,
                kind="procedure",
                title=title,
                body=body,
                owner=owner,
                team=teams[key],
                tags=tags,
                all_staff=False,
                audience_teams=[teams[key]],
            )
            version = doc.versions.get()
            actions.submit(owner, version)
            actions.record_review(reviewer, version, answer="yes",
                                  customer_view="Gets the same good answer from anyone.",
                                  new_hire_can_follow=True)  # fmt: skip
            actions.approve(owner, version)
            actions.publish(owner, version, must_read=i == 3)

    # Articles: most for every client, two for Contoso, some public, some staff-only.
    for i, (title, key, tags, audience, public, text) in enumerate(ARTICLES):
        author = people[WORKERS[key]]
        extra: dict[str, Any] = {}
        if audience == "all":
            extra = {"client_audience": "all", "is_public": public}
        elif audience == "contoso" and contoso is not None:
            extra = {"client_audience": "chosen", "client_orgs": [contoso]}
        with clock.travel_to(now - timedelta(days=90 - i)):
            doc = actions.create_document(author, kind="article", title=title,
                                          body=f"# {title}\n\n{text}", owner=author,
                                          team=teams[key], tags=tags, **extra)  # fmt: skip
            actions.publish(author, doc.versions.get())

    _work_on_tickets(people, policies, teams, now)


def _work_on_tickets(people: dict[str, Person], policies: dict[str, Document],
                     teams: dict[str, Team], now: datetime) -> None:  # fmt: skip
    jonas = people["jonas.weber"]
    support = teams["support"].party
    tickets = list(Ticket.objects.filter(provider_party=support).order_by("-created_at")[:12])
    warranty = policies["Warranty"]
    refunds = policies["Refunds"]
    hours = policies["Out-of-hours support"]
    for n, ticket in enumerate(tickets[:6]):
        actions.cite(jonas, ticket, refunds if n % 2 else warranty,
                     clause="Who may refund" if n % 2 else "Loan units")  # fmt: skip
    # Out-of-hours: four exceptions in a month, one over the threshold of three, open a proposal.
    for ticket in tickets[6:10]:
        actions.record_exception(
            jonas, ticket, hours, why="Customer without 24×7 cover had a shop down at night.",
            instead="Answered at 22:00 and restored the service.", within_autonomy=True,
        )  # fmt: skip
    actions.record_exception(
        jonas, tickets[10], warranty, why="Device was 26 months old; a known fault.",
        instead="Replaced it free of charge.", within_autonomy=False,
        approver=people["daniel.fischer"],
    )  # fmt: skip
    # One decided already: the manager approved a refund above the agent's autonomy.
    if len(tickets) > 11:
        decided = actions.record_exception(
            jonas, tickets[11], refunds, instead="Refunded 120 EUR with the shipping.",
            why="Third failed delivery; the customer had waited a month.", within_autonomy=False,
            approver=people["daniel.fischer"],
        )  # fmt: skip
        actions.decide_exception(people["daniel.fischer"], decided, approve=True,
                                 note="Right call after three failed deliveries.")  # fmt: skip
    # Proposals filed by people: an agent on complaints, a customer on an article.
    actions.file_proposal(
        people["priya.nair"], policies["Complaints"], clause="Acknowledge",
        what_is_wrong="One working day is too slow for a complaint sent on Friday evening.",
        why="Customers write again on Saturday and get angrier.",
        proposed_fix="Acknowledge within four hours, weekends included, for complaints.",
    )  # fmt: skip
    contact = people.get("peter.lindqvist")
    # An article of Customer Support, which serves Contoso under its SLA.
    article = Document.objects.filter(title="Warranty: what is covered").first()
    if contact is not None and article is not None:
        actions.file_proposal(
            contact, article, what_is_wrong="It does not say whether batteries are covered.",
            why="I could not tell whether to send my scanner's battery in.",
            proposed_fix="Say that batteries are covered for 12 months.",
        )  # fmt: skip
    # Clients opened suggested articles from the new-request form: after the first one
    # they raised the request anyway; the others answered the question (deflected).
    readers = list(Person.objects.filter(username__in=["peter.lindqvist", "grace.kim"]))
    shown = Document.objects.filter(kind="article", client_audience="all", status="published")
    for n, doc in enumerate(shown.order_by("pk")[:4]):
        for person in readers:
            actions.opened_from_new_request(person, doc)
            if n == 0:
                actions.raised_request(person)
    assert ReadTask.objects.exists()
