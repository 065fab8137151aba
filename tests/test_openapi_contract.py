"""docs/openapi.json is the API contract: it must match what the code serves."""

from __future__ import annotations

import json
from pathlib import Path

from django.test import Client
from ninja import Schema

from rapport.api.management.commands.openapi import openapi_document

CONTRACT = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def test_checked_in_contract_matches_the_code() -> None:
    assert CONTRACT.read_text() == openapi_document(), (
        "docs/openapi.json is out of date: run `make openapi` and commit it."
    )


def test_served_document_is_the_contract(db: None) -> None:
    served = Client().get("/api/v1/openapi.json").json()
    assert served == json.loads(CONTRACT.read_text())
    assert served["openapi"].startswith("3.1")


def test_interactive_docs_use_local_assets(db: None) -> None:
    page = Client().get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn." not in page  # no asset may come from the internet at run time


def _schemas(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_schemas(sub))
    return found


def test_no_two_body_schemas_share_a_name() -> None:
    """The document keys its components by class name: two schemas of one name, in two
    apps, would be described as one of them (a client reading the other's answers
    against the wrong fields). Query-parameter classes are flattened into parameters."""
    openapi_document()  # imports every router, so every schema class exists
    by_name: dict[str, set[str]] = {}
    for cls in _schemas(Schema):
        if cls.__module__.startswith("rapport."):
            by_name.setdefault(cls.__name__, set()).add(cls.__module__)
    query_only = {"ListParams"}  # agreements and directory: list filters in the query
    shared = {n: m for n, m in by_name.items() if len(m) > 1 and n not in query_only}
    assert not shared, f"rename one of each: {shared}"
