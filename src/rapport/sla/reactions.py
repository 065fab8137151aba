"""What the SLA app does when the sweeper records a warning or a breach: the
agreement's escalations (notify, raise the priority, reassign to a team's lead).

Idempotent: each escalation applied leaves an `escalated` event naming the warning
or breach it answered (`cause`), and an event already answered is passed by.
"""

from __future__ import annotations

import contextlib
import logging

from rapport.core.choices import Clock
from rapport.core.errors import RapportError
from rapport.directory.models import OrgMembership, Person, TeamMembership, TeamRole
from rapport.notifications.actions import notify
from rapport.sla.clocks import BREACH
from rapport.sla.models import Escalation, EscalationAction, Recipient
from rapport.tickets import actions as ticket_actions
from rapport.tickets import events
from rapport.tickets.models import Event, Ticket
from rapport.tickets.reactor import reacts_to

log = logging.getLogger(__name__)


@reacts_to("sla_warning", "sla_breached")
def escalate(event: Event, ticket: Ticket) -> None:
    data = event.data
    crossed = data.get("crossed")
    if not crossed or "agreement" not in data:
        return  # not the sweeper's (a breach found late when a clock stopped): no escalation
    if Event.objects.filter(ticket_id=ticket.pk, kind="escalated", data__cause=event.pk).exists():
        return
    kind = str(data.get("clock", ""))
    chosen = [
        esc
        for esc in Escalation.objects.filter(agreement_id=data["agreement"]).order_by("id")
        if esc.at_percent in crossed and esc.clock in ("", kind)
    ]
    people = _People()
    # Written under a mute (demo data): its notices stay in the app, unmailed.
    with events.muted() if data.get("muted") else contextlib.nullcontext():
        _apply(event, ticket, kind, chosen, people)


def _apply(
    event: Event, ticket: Ticket, kind: str, chosen: list[Escalation], people: _People
) -> None:
    for esc in chosen:
        level = esc.at_percent
        what = "breached" if level == BREACH else f"is {level}% through its target"
        label = str(Clock(kind).label).lower()
        text = f"#{ticket.pk} {ticket.subject}: {label} {what}."
        try:
            if esc.action == EscalationAction.NOTIFY:
                recipients = people.resolve(ticket, esc.recipients or [])
                notify(recipients, "sla_breach" if level == BREACH else "sla_warning", ticket, text)
            elif esc.action == EscalationAction.RAISE_PRIORITY and esc.priority:
                if ticket.priority < esc.priority:
                    ticket_actions.set_priority(None, ticket, esc.priority)
            elif esc.action == EscalationAction.REASSIGN and esc.team_id:
                lead = people.leads_of_team(esc.team_id)
                if lead:
                    ticket_actions.assign(None, ticket, lead[0])
                    notify(lead[:1], "sla_reassigned", ticket, f"{text} It is yours now.")
        except RapportError as exc:  # e.g. the team's lead does not serve this provider
            log.warning("escalation %s on #%s not applied: %s", esc.pk, ticket.pk, exc.detail)
            continue
        events.append(
            ticket, None, "escalated", field="sla", new=esc.action,
            cause=event.pk, escalation=esc.pk, clock=kind, percent=level,
        )  # fmt: skip


class _People:
    """Who an escalation reaches, looked up once per provider in a batch."""

    def __init__(self) -> None:
        self._leads: dict[int, list[Person]] = {}
        self._managers: dict[int, list[Person]] = {}
        self._team_leads: dict[int, list[Person]] = {}

    def resolve(self, ticket: Ticket, recipients: list[str]) -> list[Person]:
        out: list[Person] = []
        if Recipient.ASSIGNEE in recipients and ticket.assignee is not None:
            out.append(ticket.assignee)
        if Recipient.TEAM_LEAD in recipients:
            out += self._provider_leads(ticket.provider_party_id)
        if Recipient.PROVIDER_MANAGER in recipients:
            out += self._provider_managers(ticket)
        return out

    def _provider_leads(self, party_id: int) -> list[Person]:
        if party_id not in self._leads:
            self._leads[party_id] = [
                m.person
                for m in TeamMembership.objects.filter(
                    team__party_id=party_id, role=TeamRole.LEAD
                ).select_related("person")
            ]
        return self._leads[party_id]

    def _provider_managers(self, ticket: Ticket) -> list[Person]:
        """A team's managers are our managers; a vendor's are its organisation admins."""
        party_id = ticket.provider_party_id
        if party_id not in self._managers:
            if ticket.provider_party.is_team:
                found = list(Person.objects.filter(staff_role="manager", is_active=True))
            else:
                found = [
                    m.person
                    for m in OrgMembership.objects.filter(
                        organisation__party_id=party_id, is_admin=True
                    ).select_related("person")
                ]
            self._managers[party_id] = found
        return self._managers[party_id]

    def leads_of_team(self, team_id: int) -> list[Person]:
        if team_id not in self._team_leads:
            self._team_leads[team_id] = [
                m.person
                for m in TeamMembership.objects.filter(team_id=team_id, role=TeamRole.LEAD)
                .select_related("person")
                .order_by("id")
            ]
        return self._team_leads[team_id]
