"""API tokens: list, create and revoke your own."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from ninja import Router, Status

from rapport.core import tokens
from rapport.core.errors import NotFound
from rapport.core.models import ApiToken
from rapport.core.schemas import TokenCreate, TokenCreated, TokenOut
from rapport.directory.models import Person

router = Router(tags=["tokens"])


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens")
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    return list(ApiToken.objects.filter(person=cast(Person, request.user)))


@router.post("/tokens", response={201: TokenCreated}, summary="Create a token for yourself")
def create_token(request: HttpRequest, payload: TokenCreate) -> Status[dict[str, object]]:
    person = cast(Person, request.user)
    token, key = tokens.create_token(person, person, name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).dict(), "key": key})


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke a token")
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    person = cast(Person, request.user)
    token = ApiToken.objects.filter(pk=token_id, person=person).first()
    if token is None:
        raise NotFound("No such token.")
    tokens.revoke_token(person, token)
    return Status(204, None)
