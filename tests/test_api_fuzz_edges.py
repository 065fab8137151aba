"""The fuzz test's edge cases: every date and time the API takes, at the edges of
what a parser accepts (year 1, year 9999, offsets that push them past either end,
the day before the bounds and after), in every query parameter and every body
field of the contract. None may answer 5xx; each refusal is a problem document.

Schemathesis draws valid requests; here one date field of each is replaced by an
edge, so the request reaches the code past the schema (where the 500s were).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode
from tests.test_api_fuzz import OPERATIONS, SCHEMA, assert_answer, in_process_wsgi, real_ids

from rapport.accounts import actions as tokens
from rapport.testing import World
from rapport.wsgi import application

__all__ = ["in_process_wsgi"]  # the fixture, used by name below

EDGE_TIMES = ["0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-01:00",
              "9999-12-31T23:59:59Z", "1899-12-31T23:59:59Z", "3000-01-01T00:00:00Z"]  # fmt: skip
EDGE_DATES = ["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01"]
DOCUMENT = SCHEMA.raw_schema


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = DOCUMENT
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _date_format(schema: dict[str, Any]) -> str | None:
    schema = _resolve(schema)
    for option in [schema, *schema.get("anyOf", ())]:
        option = _resolve(option)
        if option.get("format") in ("date", "date-time"):
            return str(option["format"])
    return None


def _edges(fmt: str) -> list[str]:
    return EDGE_TIMES if fmt == "date-time" else EDGE_DATES


def _targets() -> list[tuple[str, str, str, str]]:
    """(operation label, where, name, format) of every date the API takes."""
    found = []
    for path, item in DOCUMENT["paths"].items():
        for method, op in item.items():
            label = f"{method.upper()} {path}"
            for param in op.get("parameters", ()):
                fmt = _date_format(param.get("schema", {}))
                if fmt:
                    found.append((label, "query", param["name"], fmt))
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            if content:
                body = _resolve(content["schema"])
                for name, prop in body.get("properties", {}).items():
                    fmt = _date_format(prop)
                    if fmt:
                        found.append((label, "body", name, fmt))
    return found


TARGETS = _targets()


def test_the_contract_has_dates_to_try() -> None:
    assert len(TARGETS) >= 10, TARGETS


@pytest.mark.parametrize(("label", "where", "name", "fmt"), TARGETS,
                         ids=[f"{t[0]} {t[2]}" for t in TARGETS])  # fmt: skip
def test_dates_at_the_edges(
    label: str, where: str, name: str, fmt: str, world: World, in_process_wsgi: None
) -> None:
    operation = OPERATIONS[label]
    _, key = tokens.create_token(None, world.people["admin"], name="edges")
    auth = {"Authorization": f"Bearer {key}"}
    ids = real_ids(world, "admin")
    known = {p.name: ids[p.name] for p in operation.path_parameters}
    strategy = operation.as_strategy(
        GenerationMode.POSITIVE, headers=auth, path_parameters=known or None
    )

    @settings(max_examples=len(_edges(fmt)) * 2, deadline=None, database=None,
              derandomize=True, suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=strategy, edge=st.sampled_from(_edges(fmt)))
    def edge_case(case: Any, edge: str) -> None:
        if where == "query":
            case.query = {**(case.query or {}), name: edge}
        elif isinstance(case.body, dict):
            case.body = {**case.body, name: edge}
        else:
            return
        note(case.as_curl_command())
        from django.db import transaction

        with transaction.atomic():
            response = case.call(app=application, headers=auth)
            transaction.set_rollback(True)
        assert_answer(response)
        if response.status_code < 400 and response.text:
            json.loads(response.text)

    edge_case()
