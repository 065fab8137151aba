"""The demo's organisation: its directory (teams, people, customers, vendors), its
calendars and agreements, and the mailboxes that open tickets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password

from rapport.agreements import actions as agreements
from rapport.demo.content import (
    AGREEMENTS,
    CALENDARS,
    EMPLOYEES,
    ORGANISATIONS,
    STAFF,
    TARGETS,
    TEAMS,
)
from rapport.directory import actions as directory
from rapport.directory.models import Organisation, OrgKind, Party, Person
from rapport.mail import actions as mail_actions

ORGANISATION = "Northwind Services"
PASSWORD = "demo-Rapport-2026"


@dataclass
class Directory:
    own: Organisation
    orgs: dict[str, Organisation] = field(default_factory=dict)
    parties: dict[str, Party] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    members: dict[str, list[Person]] = field(default_factory=dict)


def build_directory() -> Directory:
    # One hash for every demo account: the password is published anyway, and
    # hashing it afresh per person would cost Argon2's 0.3 s about thirty times.
    shared_hash = make_password(PASSWORD)
    own = directory.create_organisation(
        None, name=ORGANISATION, kind=OrgKind.OWN, email_domain="northwind.example"
    )
    found = Directory(own=own)
    found.parties["own"] = own.party
    teams = {key: directory.create_team(None, name=name) for key, name in TEAMS.items()}
    found.parties.update({key: team.party for key, team in teams.items()})

    def person(username: str, full_name: str, domain: str, role: str = "") -> Person:
        created = directory.create_person(
            None,
            username=username,
            email=f"{username}@{domain}",
            full_name=full_name,
            staff_role=role,
            password_hash=shared_hash,
        )
        found.people[username] = created
        return created

    for username, full_name, role, team_key, is_lead in STAFF:
        staff = person(username, full_name, "northwind.example", role)
        directory.add_org_member(None, own, staff)
        if team_key:
            directory.add_team_member(
                None, teams[team_key], staff, role="lead" if is_lead else "agent"
            )
            found.members.setdefault(team_key, []).append(staff)
    for username, full_name in EMPLOYEES:
        directory.add_org_member(None, own, person(username, full_name, "northwind.example"))
        found.members.setdefault("employees", []).append(found.people[username])

    for key, name, kind, domain, people in ORGANISATIONS:
        org = directory.create_organisation(None, name=name, kind=kind, email_domain=domain)
        found.orgs[key] = org
        found.parties[key] = org.party
        for username, full_name, is_admin in people:
            directory.add_org_member(
                None, org, person(username, full_name, domain), is_admin=is_admin
            )
            found.members.setdefault(key, []).append(found.people[username])
    return found


def build_agreements(found: Directory, today: datetime) -> None:
    calendars = {}
    for key, spec in CALENDARS.items():
        extra: dict[str, Any] = {}
        if key == "berlin":
            extra["closed_dates"] = [
                {"start": f"{year}-12-24", "end": f"{year}-12-31", "name": "Year-end shutdown"}
                for year in (today.year - 1, today.year)
            ]
        calendars[key] = agreements.create_calendar(None, **spec, **extra)
    started = (today - timedelta(days=400)).date()
    for name, kind, provider, client, calendar, share, choose in AGREEMENTS:
        targets = [
            {
                "priority": priority,
                "first_response_minutes": round(first * share),
                "next_response_minutes": round(following * share),
                "resolution_minutes": round(resolution * share),
            }
            for priority, (first, following, resolution) in TARGETS.items()
        ]
        agreements.create_agreement(
            None,
            name=name,
            kind=kind,
            provider=found.parties[provider],
            client=found.parties[client],
            calendar=calendars[calendar],
            active_from=started,
            targets=targets,
            clients_choose_priority=choose,
        )


def build_mailboxes(found: Directory) -> None:
    """support@, billing@ and it@: mail to them (`rapport serve`'s SMTP port) opens tickets."""
    for key in ("support", "billing", "it"):
        mail_actions.create_mailbox(
            None, address=f"{key}@northwind.example", provider=found.parties[key],
            name=f"Northwind {TEAMS[key]}",
        )  # fmt: skip
