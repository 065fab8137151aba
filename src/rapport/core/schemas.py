"""Schema pieces shared by every router."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

NUL_REFUSED = "Text may not contain NUL characters."


def refuse_nul(value: Any) -> Any:
    """PostgreSQL cannot store or compare text with NUL and SQLite can: refuse it on both."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(NUL_REFUSED)
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_nul(key)
            refuse_nul(item)
    elif isinstance(value, list | tuple):
        for item in value:
            refuse_nul(item)
    return value


class Input(Schema):
    """Base of request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return refuse_nul(value)


class PersonRef(Schema):
    id: int
    name: str


class PartyRef(Schema):
    id: int
    name: str
    kind: str


class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, str | None]] | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreate(Input):
    name: str = Field(default="", max_length=100)


class TokenCreated(TokenOut):
    key: str = Field(description="The secret; shown only in this answer.")


LIMIT = Field(default=25, ge=1, le=100)
# Ids are 64-bit: a larger number in a filter would overflow SQLite instead of matching nothing.
MAX_ID = 2**63 - 1
