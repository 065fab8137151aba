"""Recognition: kudos from anyone on staff to a person or a team (a team may thank
another team), tagged with a company value; and customer compliments offered to the
agent's lead to pass on as kudos."""

from __future__ import annotations

from django.db import models

from rapport.directory.models import Person, Team
from rapport.tickets.models import Ticket


class CompanyValue(models.Model):
    name = models.CharField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Kudos(models.Model):
    giver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    # On behalf of a team (team-to-team thanks), or null: from the giver alone.
    from_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    message = models.TextField()
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    value = models.ForeignKey(
        CompanyValue, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A customer's words passed on by a lead.
    from_customer = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "kudos"
        indexes = [
            models.Index(fields=["to_team", "created_at"], name="kudos_to_team"),
            models.Index(fields=["to_person", "created_at"], name="kudos_to_person"),
            models.Index(fields=["from_team", "to_team"], name="kudos_team_edge"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_person__isnull=False) | models.Q(to_team__isnull=False),
                name="kudos_has_recipient",
            ),
        ]


class ComplimentState(models.TextChoices):
    OFFERED = "offered", "Offered"
    PASSED = "passed", "Passed on"
    DISMISSED = "dismissed", "Dismissed"


class Compliment(models.Model):
    """A customer's CSAT 4–5 answer with a comment, offered to the agent's lead."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")  # fmt: skip
    csat = models.PositiveSmallIntegerField()
    comment = models.TextField()
    state = models.CharField(
        max_length=10, choices=ComplimentState.choices, default=ComplimentState.OFFERED
    )
    kudos = models.ForeignKey(
        Kudos, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
