"""Schema pieces shared by every router."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, Field


class Input(Schema):
    """Base of request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


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
