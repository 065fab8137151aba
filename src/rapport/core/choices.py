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


class Clock(models.TextChoices):
    FIRST_RESPONSE = "first_response", "First response"
    NEXT_RESPONSE = "next_response", "Next response"
    RESOLUTION = "resolution", "Resolution"
