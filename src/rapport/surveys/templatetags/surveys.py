from __future__ import annotations

from django import template
from django.urls import reverse

from rapport.surveys.models import Survey, SurveyState

register = template.Library()


@register.simple_tag
def rating_link(ticket_id: int, person_id: int | None) -> str:
    """The portal's "rate this request" address for the requester, or "" (one query)."""
    if person_id is None:
        return ""
    exists = (
        Survey.objects.filter(ticket_id=ticket_id, respondent_id=person_id)
        .exclude(state=SurveyState.SUPPRESSED)
        .exists()
    )
    return reverse("surveys:mine", args=[ticket_id]) if exists else ""
