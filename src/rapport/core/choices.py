"""Vocabularies shared by several apps."""

from __future__ import annotations

from django.db import models


class Priority(models.IntegerChoices):
    LOW = 1, "low"
    NORMAL = 2, "normal"
    HIGH = 3, "high"
    URGENT = 4, "urgent"

    @classmethod
    def from_name(cls, name: str) -> Priority:
        for member in cls:
            if member.label == name:
                return member
        raise ValueError(name)

    @classmethod
    def label_names(cls) -> list[str]:
        # Not `names`: Django's choices metaclass already defines `names` (the member names).
        return [str(m.label) for m in cls]


class StatusCategory(models.TextChoices):
    OPEN = "open", "Open"
    PENDING_CLIENT = "pending_client", "Pending client"
    ON_HOLD = "on_hold", "On hold"
    SOLVED = "solved", "Solved"
    CLOSED = "closed", "Closed"


ACTIVE_CATEGORIES = (StatusCategory.OPEN, StatusCategory.PENDING_CLIENT, StatusCategory.ON_HOLD)
DONE_CATEGORIES = (StatusCategory.SOLVED, StatusCategory.CLOSED)

# A status category as a client would say it (the portal, the chain's client view).
PLAIN_STATUS = {
    StatusCategory.OPEN.value: "We're working on it",
    StatusCategory.PENDING_CLIENT.value: "Waiting for your reply",
    StatusCategory.ON_HOLD.value: "On hold",
    StatusCategory.SOLVED.value: "Resolved",
    StatusCategory.CLOSED.value: "Closed",
}


def plain_status(category: str) -> str:
    """A status as a client would say it."""
    return PLAIN_STATUS.get(category, category)


class Clock(models.TextChoices):
    FIRST_RESPONSE = "first_response", "First response"
    NEXT_RESPONSE = "next_response", "Next response"
    RESOLUTION = "resolution", "Resolution"
