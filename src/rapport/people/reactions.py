"""What the people app does when something happens on a ticket:

- a confirmed corrective action with cause *training* or *personnel* assigns
  training (or a reassessment);
- a satisfied customer's comment is offered to the agent's lead as kudos;
- a decided change proposal that came from a pulse comment is told to the team
  ("you said, we did").
"""

from __future__ import annotations

from rapport.people.actions import training
from rapport.people.actions.pulse import tell_team_of_decision
from rapport.people.actions.recognition import offer_compliment
from rapport.surveys.models import Survey
from rapport.tickets.models import Event, Ticket
from rapport.tickets.reactor import reacts_to

TRAINING_CAUSES = ("training", "personnel")


@reacts_to("corrective_action")
def assign_corrective_training(event: Event, ticket: Ticket) -> None:
    if event.data.get("cause") in TRAINING_CAUSES:
        training.on_corrective_action(event.data)


@reacts_to("survey_answer")
def customer_compliment(event: Event, ticket: Ticket) -> None:
    csat = event.data.get("csat")
    if csat is None or csat < 4:
        return
    survey = Survey.objects.filter(ticket=ticket).select_related("agent").first()
    if survey is None or survey.agent is None:
        return
    offer_compliment(ticket, agent=survey.agent, csat=csat, comment=survey.comment)


@reacts_to("status")
def you_said_we_did(event: Event, ticket: Ticket) -> None:
    if event.data.get("solved") or event.data.get("done"):
        tell_team_of_decision(ticket)
