"""The OpenAPI document is complete enough for a person and a code generator.

Every operation has a summary, a description, an operation id that is its handler's name, a
success schema with an example, an example for its body, a described parameter list, its
security, and its errors in Dintero's envelope; nothing advertises FastAPI's 422; every field
of every schema is described; every example validates against its schema. (That the API's
real responses validate against the document is checked on every API test's responses by
`tests/support/contract.py`.)
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
from jsonschema.exceptions import best_match

from shopping.app import create_app
from shopping.config import Settings
from tests.support.contract import validator_for

ENVELOPE = {"$ref": "#/components/schemas/ErrorEnvelope"}
PURCHASE_ORDER = ["auth", "draft orders", "discounts", "orders", "payment sessions", "checkout"]


@cache
def document() -> dict[str, Any]:
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:", jwt_secret="x" * 40))
    openapi: dict[str, Any] = app.openapi()
    return openapi


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document()["paths"].items()
        for method, operation in item.items()
    ]


OPERATIONS = operations()
IDS = [f"{method} {path}" for method, path, _ in OPERATIONS]


def problems_of(method: str, path: str, operation: dict[str, Any]) -> list[str]:
    problems = []
    name = operation.get("operationId", "")
    if not name or "_v1_" in name:
        problems.append(f"operationId {name!r} is not the handler's name")
    summary = operation.get("summary", "")
    if not summary or summary == name.replace("_", " ").title():
        problems.append(f"summary {summary!r} is missing or the function's name")
    description = operation.get("description", "").split("**Scopes**")[0].strip()
    if not description:
        problems.append("no description")
    for parameter in operation.get("parameters", []):
        if not parameter.get("description"):
            problems.append(f"parameter {parameter['name']} has no description")
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not None and not _has_example(body):
        problems.append("the request body has no example")
    successes = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
    if not successes:
        problems.append("no success response")
    for status, response in successes.items():
        if status == "204":
            continue
        media = response.get("content", {}).get("application/json")
        if not media or not media.get("schema"):
            problems.append(f"{status} has no schema")
        elif not _has_example(media):
            problems.append(f"{status} has no example")
    for status, response in operation["responses"].items():
        if status[0] in "45":
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            if schema != ENVELOPE:
                problems.append(f"{status} is not the error envelope")
    return problems


def _has_example(media: dict[str, Any]) -> bool:
    return "example" in media or bool(media.get("examples"))


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_operation_is_documented(method: str, path: str, operation: dict[str, Any]) -> None:
    assert problems_of(method, path, operation) == []


def test_the_document_lists_the_api() -> None:
    assert len(OPERATIONS) >= 79
    ids = [operation["operationId"] for _, _, operation in OPERATIONS]
    assert len(ids) == len(set(ids)), "operation ids are unique"


def test_no_422_validation_error_anywhere() -> None:
    text = json.dumps(document())
    assert "HTTPValidationError" not in text
    for method, path, operation in OPERATIONS:
        if "422" in operation["responses"]:
            names = [p["name"] for p in operation.get("parameters", [])]
            assert "Idempotency-Key" in names, f"{method} {path}: 422 without Idempotency-Key"


def test_security_schemes_and_per_operation_scopes() -> None:
    schemes = document()["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert schemes["clientCredentials"]["scheme"] == "basic"
    for method, path, operation in OPERATIONS:
        if path.startswith("/health"):
            assert operation["security"] == []
        elif path.endswith("/auth/token"):
            assert operation["security"] == [{"clientCredentials": []}]
        else:
            assert operation["security"], f"{method} {path} declares no security"
            for requirement in operation["security"]:
                assert list(requirement) == ["bearerAuth"]
                assert len(requirement["bearerAuth"]) == 1, "one scope per alternative"


def test_headers_are_documented() -> None:
    paths = document()["paths"]
    draft = paths["/v1/accounts/{aid}/shopping/draft_orders/{id}"]
    assert "ETag" in draft["get"]["responses"]["200"]["headers"]
    put = {p["name"] for p in draft["put"]["parameters"]}
    assert {"If-Match", "Idempotency-Key"} <= put
    assert "Idempotent-Replayed" in draft["put"]["responses"]["200"]["headers"]
    assert "Retry-After" in draft["put"]["responses"]["429"]["headers"]
    events = paths["/v1/accounts/{aid}/shopping/orders/{order_id}/events"]["post"]
    assert "If-Match" not in {p["name"] for p in events.get("parameters", [])}


def test_tags_follow_a_purchase() -> None:
    names = [tag["name"] for tag in document()["tags"]]
    assert names[: len(PURCHASE_ORDER)] == PURCHASE_ORDER
    used = {tag for _, _, operation in OPERATIONS for tag in operation["tags"]}
    assert used <= set(names), "every tag used is declared (and described)"
    assert all(tag.get("description") for tag in document()["tags"])


def schema_fields() -> list[tuple[str, str]]:
    return [
        (name, field)
        for name, schema in document()["components"]["schemas"].items()
        for field in schema.get("properties", {})
    ]


def test_every_field_is_described() -> None:
    schemas = document()["components"]["schemas"]
    undescribed = [
        f"{name}.{field}"
        for name, field in schema_fields()
        if not _described(schemas[name]["properties"][field])
    ]
    assert undescribed == []


def _described(schema: dict[str, Any]) -> bool:
    return bool(schema.get("description"))


def examples() -> list[tuple[str, dict[str, Any], Any]]:
    found = []
    for method, path, operation in OPERATIONS:
        body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
        if "example" in body:
            found.append((f"{method} {path} body", body["schema"], body["example"]))
        for status, response in operation["responses"].items():
            media = response.get("content", {}).get("application/json", {})
            if "example" in media:
                found.append((f"{method} {path} {status}", media["schema"], media["example"]))
    return found


@pytest.mark.parametrize(("where", "schema", "example"), examples(), ids=lambda v: str(v)[:60])
def test_examples_validate_against_their_schemas(
    where: str, schema: dict[str, Any], example: Any
) -> None:
    validator = validator_for(schema, document()["components"])
    error = best_match(validator.iter_errors(example))
    assert error is None, f"{where}: {error.message if error else ''}"
