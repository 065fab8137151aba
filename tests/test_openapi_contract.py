"""docs/openapi.json is the API contract: it must match what the code serves."""

from __future__ import annotations

import json
from pathlib import Path

from django.test import Client

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
