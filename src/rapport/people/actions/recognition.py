"""Recognition: kudos, company values, and customer compliments passed on by a lead."""

from __future__ import annotations

from django.db import transaction

from rapport.core import clock
from rapport.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from rapport.directory.models import Person, Team, TeamMembership, TeamRole
from rapport.directory.queries import scope_for
from rapport.notifications.actions import notify
from rapport.people.models import CompanyValue, Compliment, Kudos
from rapport.people.models.recognition import ComplimentState
from rapport.tickets.models import Ticket
from rapport.tickets.permissions import can_view

MAX_MESSAGE = 2000


def _message(text: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise Invalid("Say what you thank them for.", field="message")
    if len(text) > MAX_MESSAGE:
        raise Invalid(f"At most {MAX_MESSAGE} characters.", field="message")
    return text


@transaction.atomic
def create_value(actor: Person | None, *, name: str, description: str = "") -> CompanyValue:
    if actor is not None and not scope_for(actor).is_admin:
        raise PermissionDenied("Only admins set the company values.")
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise Invalid("A value's name is 1 to 80 characters.", field="name")
    if CompanyValue.objects.filter(name__iexact=name).exists():
        raise Conflict(f"The value “{name}” exists already.", field="name")
    return CompanyValue.objects.create(name=name, description=description.strip()[:300])


@transaction.atomic
def give_kudos(
    actor: Person,
    *,
    message: str,
    to_person: Person | None = None,
    to_team: Team | None = None,
    from_team: Team | None = None,
    ticket: Ticket | None = None,
    value: CompanyValue | None = None,
    from_customer: bool = False,
) -> Kudos:
    """Anyone on staff thanks a person or a team; on behalf of their own team, one
    team thanks another (an internal client thanking the team that served it)."""
    scope = scope_for(actor)
    if not scope.is_staff:
        raise PermissionDenied("Kudos are given by staff.")
    if (to_person is None) == (to_team is None):
        raise Invalid("Thank one person or one team.", field="to_person")
    if to_person is not None:
        if to_person.pk == actor.pk:
            raise Invalid("Kudos go to someone else.", field="to_person")
        if not to_person.staff_role or not to_person.is_active:
            raise NotFound("There is no such colleague.", field="to_person")
    if from_team is not None and not (
        scope.sees_everything or from_team.party_id in scope.team_party_ids
    ):
        raise PermissionDenied("You thank on behalf of your own team only.")
    if from_team is not None and to_team is not None and from_team.pk == to_team.pk:
        raise Invalid("A team thanks another team.", field="to_team")
    if ticket is not None and not can_view(scope, ticket):
        raise NotFound(f"There is no ticket #{ticket.pk} you can see.", field="ticket")
    if value is not None and not value.is_active:
        raise Invalid("That value is retired.", field="value")
    kudos = Kudos.objects.create(
        giver=actor, from_team=from_team, to_person=to_person, to_team=to_team,
        message=_message(message), ticket=ticket, value=value, from_customer=from_customer,
        created_at=clock.now(),
    )  # fmt: skip
    recipients: list[Person | None] = [to_person]
    if to_team is not None:
        recipients = list(Person.objects.filter(team_memberships__team=to_team))
    notify(recipients, "kudos", ticket, f"Kudos from {actor.display_name}: {kudos.message}")
    return kudos


# --- customer compliments -----------------------------------------------------------


def offer_compliment(ticket: Ticket, *, agent: Person, csat: int, comment: str) -> None:
    """A satisfied customer's comment (CSAT 4–5) is offered to the agent's leads once."""
    comment = (comment or "").strip()
    if csat < 4 or not comment or not agent.staff_role:
        return
    membership = (
        TeamMembership.objects.filter(person=agent, team__party_id=ticket.provider_party_id)
        .select_related("team").first()
        or TeamMembership.objects.filter(person=agent).select_related("team").first()
    )  # fmt: skip
    team = membership.team if membership else None
    _, created = Compliment.objects.get_or_create(
        ticket=ticket,
        defaults={"agent": agent, "team": team, "csat": csat, "comment": comment[:2000],
                  "created_at": clock.now()},
    )  # fmt: skip
    if not created:
        return
    leads = (
        Person.objects.filter(team_memberships__team=team, team_memberships__role=TeamRole.LEAD)
        if team
        else []
    )
    notify(list(leads), "compliment", ticket,
           f"A customer praised {agent.display_name}: pass it on as kudos?")  # fmt: skip


def _may_pass_on(actor: Person, compliment: Compliment) -> None:
    scope = scope_for(actor)
    if scope.sees_everything:
        return
    team_party = compliment.team.party_id if compliment.team else None
    if team_party not in scope.lead_team_party_ids:
        raise NotFound(f"There is no compliment {compliment.pk} you can see.")


@transaction.atomic
def pass_on_compliment(actor: Person, compliment: Compliment) -> Kudos:
    """One click: the customer's words reach the agent as kudos from their lead."""
    compliment = Compliment.objects.select_for_update(of=("self",)).select_related(
        "team", "agent", "ticket").get(pk=compliment.pk)  # fmt: skip
    _may_pass_on(actor, compliment)
    if compliment.state != ComplimentState.OFFERED:
        raise Conflict("This compliment was handled already.")
    kudos = give_kudos(
        actor, to_person=compliment.agent, ticket=compliment.ticket, from_customer=True,
        message=f"A customer wrote on #{compliment.ticket_id}: “{compliment.comment}”",
    )  # fmt: skip
    compliment.state = ComplimentState.PASSED
    compliment.kudos = kudos
    compliment.save(update_fields=["state", "kudos"])
    return kudos


@transaction.atomic
def dismiss_compliment(actor: Person, compliment: Compliment) -> Compliment:
    compliment = Compliment.objects.select_for_update(of=("self",)).select_related("team").get(
        pk=compliment.pk)  # fmt: skip
    _may_pass_on(actor, compliment)
    if compliment.state == ComplimentState.OFFERED:
        compliment.state = ComplimentState.DISMISSED
        compliment.save(update_fields=["state"])
    return compliment
