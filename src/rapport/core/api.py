"""API tokens: list, create and revoke your own."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from rapport.core import tokens
from rapport.core.errors import NotFound
from rapport.core.models import ApiToken
from rapport.core.schemas import TokenCreate, TokenCreated, TokenOut

router = Router(tags=["tokens"])


@router.get("/tokens", response=list[TokenOut], summary="Your API tokens")
def list_tokens(request: HttpRequest) -> list[ApiToken]:
    return list(ApiToken.objects.filter(person=request.user))


@router.post("/tokens", response={201: TokenCreated}, summary="Create a token for yourself")
def create_token(request: HttpRequest, payload: TokenCreate) -> tuple[int, dict[str, object]]:
    token, key = tokens.create_token(request.user, request.user, name=payload.name)  # type: ignore[arg-type]
    return 201, {**TokenOut.from_orm(token).dict(), "key": key}


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke a token")
def revoke_token(request: HttpRequest, token_id: int) -> tuple[int, None]:
    token = ApiToken.objects.filter(pk=token_id, person=request.user).first()
    if token is None:
        raise NotFound("No such token.")
    tokens.revoke_token(request.user, token)  # type: ignore[arg-type]
    return 204, None
