"""API tokens: list, create and revoke your own."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from ninja import Router, Status

from rapport.accounts import actions
from rapport.accounts.models import ApiToken
from rapport.accounts.queries import own_token, tokens_of
from rapport.core.errors import NotFound
from rapport.core.schemas import TokenCreate, TokenCreated, TokenOut
from rapport.directory.models import Person

router = Router(tags=["tokens"])

# Operation ids are pinned to the names they had when tokens lived in core, so the
# published OpenAPI document (and clients generated from it) did not change.


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens",
            operation_id="rapport_core_api_list_tokens")  # fmt: skip
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    return list(tokens_of(cast(Person, request.user)))


@router.post("/tokens", response={201: TokenCreated}, summary="Create a token for yourself",
             operation_id="rapport_core_api_create_token")  # fmt: skip
def create_token(request: HttpRequest, payload: TokenCreate) -> Status[dict[str, object]]:
    person = cast(Person, request.user)
    token, key = actions.create_token(person, person, name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).dict(), "key": key})


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke a token",
               operation_id="rapport_core_api_revoke_token")  # fmt: skip
def revoke_token(request: HttpRequest, token_id: int) -> Status[None]:
    person = cast(Person, request.user)
    token = own_token(person, token_id)
    if token is None:
        raise NotFound("No such token.")
    actions.revoke_token(person, token)
    return Status(204, None)
