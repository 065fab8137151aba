"""The service chain: work one ticket hands to another team, vendor or contractor.

The link itself is `Ticket.parent`; a hand-off records what the ticket alone
does not: who handed the work over and what of the parent was shared, so a
vendor's view of the chain is exactly what the agent chose to tell them.
"""

from __future__ import annotations

from django.db import models

from rapport.directory.models import Person
from rapport.tickets.models import Ticket

# The on-hold status a parent takes while it waits on its children. Its category
# decides the clocks: an agreement that lists on_hold among its pauses stops the
# parent's clocks; by default it does not, so the customer's clock keeps running.
WAITING_SLUG = "waiting-on-partner"


class HandOff(models.Model):
    child = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, primary_key=True, related_name="handoff"
    )
    parent = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="handoffs")
    asked_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, related_name="+")
    # The agent's own words, and whether the customer's original request was quoted.
    note = models.TextField(blank=True)
    shared_request = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "child_id"]

    def __str__(self) -> str:
        return f"#{self.parent_id} → #{self.child_id}"
