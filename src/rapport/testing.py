"""A small, complete organisation for tests: every role and every kind of party.

Built through the actions, so tests exercise the same write path as users.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.test import Client

from rapport.accounts import actions as accounts
from rapport.agreements import actions as agreement_actions
from rapport.agreements.models import Agreement, Calendar
from rapport.directory import actions as directory
from rapport.directory.models import Organisation, Person, Team
from rapport.tickets import actions as ticket_actions
from rapport.tickets.models import Ticket

PASSWORD = "Correct-horse-42"


@dataclass
class World:
    own: Organisation
    customer: Organisation
    other_customer: Organisation
    vendor: Organisation
    contractor: Organisation
    support: Team
    it: Team
    calendar: Calendar
    sla: Agreement
    other_sla: Agreement
    ola: Agreement
    uc: Agreement
    contractor_uc: Agreement
    people: dict[str, Person] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Person:
        people = self.__dict__.get("people", {})
        if name in people:
            return people[name]
        raise AttributeError(name)

    def client(self, role: str) -> Client:
        """A test client authenticated as `role` with a bearer token (anonymous: none)."""
        if role == "anonymous":
            return ApiClient()
        _, key = accounts.create_token(None, self.people[role])
        return ApiClient(HTTP_AUTHORIZATION=f"Bearer {key}")

    def ticket(self, requester: str = "contact", **kwargs: Any) -> Ticket:
        """A ticket raised by `requester` (to Support by default)."""
        person = self.people[requester]
        kwargs.setdefault("subject", "Printer on fire")
        kwargs.setdefault("body", "The printer on floor 2 is on fire.")
        kwargs.setdefault("provider", self.support.party)
        return ticket_actions.create_ticket(person, **kwargs)

    def handoff(self, body: str = "Please send a technician") -> Ticket:
        """Work Customer Support handed to the vendor PrintCo (its UC applies)."""
        return ticket_actions.create_ticket(
            self.people["agent"],
            subject="Printer broken",
            body=body,
            provider=self.vendor.party,
            requester=self.people["agent"],
            client=self.support.party,
        )


class ApiClient(Client):
    """Django's test client with JSON bodies by default."""

    def _json(self, method: str, path: str, data: Any = None, **extra: Any) -> Any:
        body = data if isinstance(data, str | bytes) else json.dumps(data)
        return getattr(super(), method)(path, body, content_type="application/json", **extra)

    def post_json(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self._json("post", path, data, **extra)

    def patch_json(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self._json("patch", path, data, **extra)


ROLES = (
    "admin", "manager", "agent", "lead", "other_agent", "contact", "org_admin",
    "colleague", "other_contact", "employee", "vendor_user", "contractor_user",
)  # fmt: skip


def build_world() -> World:
    own = directory.create_organisation(None, name="Rapport Ltd", kind="own")
    customer = directory.create_organisation(
        None, name="Globex", kind="customer", email_domain="globex.example"
    )
    other_customer = directory.create_organisation(None, name="Initech", kind="customer")
    vendor = directory.create_organisation(None, name="PrintCo", kind="vendor")
    contractor = directory.create_organisation(None, name="FixIt Contractors", kind="contractor")
    support = directory.create_team(None, name="Customer Support")
    it = directory.create_team(None, name="IT Service Desk")

    def person(username: str, role: str = "", full_name: str = "") -> Person:
        return directory.create_person(
            None,
            username=username,
            email=f"{username}@example.com",
            full_name=full_name or username.replace("_", " ").title(),
            staff_role=role,
            password=PASSWORD,
        )

    people = {
        "admin": person("admin", "admin"),
        "manager": person("manager", "manager"),
        "agent": person("agent", "agent"),
        "lead": person("lead", "agent"),
        "other_agent": person("other_agent", "agent"),
        "contact": person("contact"),
        "org_admin": person("org_admin"),
        "colleague": person("colleague"),
        "other_contact": person("other_contact"),
        "employee": person("employee"),
        "vendor_user": person("vendor_user"),
        "contractor_user": person("contractor_user"),
    }
    directory.add_team_member(None, support, people["agent"])
    directory.add_team_member(None, support, people["lead"], role="lead")
    directory.add_team_member(None, it, people["other_agent"])
    for role in ("admin", "manager", "agent", "lead", "other_agent", "employee"):
        directory.add_org_member(None, own, people[role])
    directory.add_org_member(None, customer, people["contact"])
    directory.add_org_member(None, customer, people["colleague"])
    directory.add_org_member(None, customer, people["org_admin"], is_admin=True)
    directory.add_org_member(None, other_customer, people["other_contact"])
    directory.add_org_member(None, vendor, people["vendor_user"])
    directory.add_org_member(None, contractor, people["contractor_user"])

    calendar = agreement_actions.create_calendar(
        None,
        name="Berlin office",
        time_zone="Europe/Berlin",
        weekly_hours=[{"weekday": d, "start": "09:00", "end": "17:00"} for d in range(5)],
        holiday_country="DE",
        holiday_subdivision="BE",
    )
    targets = [
        {"priority": "urgent", "first_response_minutes": 30, "resolution_minutes": 240},
        {"priority": "normal", "first_response_minutes": 240, "resolution_minutes": 2400},
    ]
    start = date(2020, 1, 1)

    def agreement(name: str, kind: str, provider: Any, client: Any, **kw: Any) -> Agreement:
        return agreement_actions.create_agreement(
            None, name=name, kind=kind, provider=provider, client=client,
            calendar=calendar, active_from=start, targets=targets, **kw,
        )  # fmt: skip

    return World(
        own=own,
        customer=customer,
        other_customer=other_customer,
        vendor=vendor,
        contractor=contractor,
        support=support,
        it=it,
        calendar=calendar,
        sla=agreement("Globex support", "sla", support.party, customer.party),
        other_sla=agreement("Initech support", "sla", support.party, other_customer.party),
        ola=agreement("IT for everyone", "ola", it.party, own.party),
        uc=agreement("PrintCo printer care", "uc", vendor.party, support.party),
        contractor_uc=agreement("FixIt on-site for Globex", "uc", contractor.party, customer.party),
        people=people,
    )
