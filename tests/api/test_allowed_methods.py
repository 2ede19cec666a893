"""Every resource says which methods it answers: `OPTIONS` is a 204 with `Allow`, and a 405's
`Allow` names every method of the resource, not only those of one of its routes."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
from fastapi import FastAPI

OTHER = ("DELETE", "GET", "PATCH", "POST", "PUT")


def concrete(path: str, operation: dict[str, Any], account: str) -> str:
    """The documented path with every parameter filled in with a value its type accepts."""
    kinds = {
        p["name"]: p.get("schema", {})
        for p in operation.get("parameters", [])
        if p.get("in") == "path"
    }

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        schema = kinds.get(name, {})
        if name == "aid" or "account" in name:
            return account
        if schema.get("type") == "integer":
            return "1"
        if schema.get("format") == "uuid":
            return str(uuid.uuid4())
        return "x1"

    return re.sub(r"{([^}]+)}", value, path)


def resources(app: FastAPI, account: str) -> dict[str, set[str]]:
    """Concrete path → the methods the OpenAPI document gives it."""
    out: dict[str, set[str]] = {}
    for path, operations in app.openapi()["paths"].items():
        methods = {m.upper() for m in operations if m.upper() in OTHER}
        first = next(iter(operations.values()))
        out[concrete(path, first, account)] = methods
    return out


def expected_allow(methods: set[str]) -> list[str]:
    allowed = methods | {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set())
    return sorted(allowed)


async def test_options_answers_allow_on_every_resource(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    several = 0
    for path, methods in resources(app, account).items():
        response = await http.options(path)
        assert response.status_code == 204, (path, response.text)
        assert response.headers["allow"].split(", ") == expected_allow(methods), path
        several += len(methods) > 1
    assert several >= 14  # resources served by more than one route


async def test_a_405_names_every_method_of_the_resource(
    app: FastAPI, http: httpx.AsyncClient, account: str, admin_headers: dict[str, str]
) -> None:
    for path, methods in resources(app, account).items():
        missing = [m for m in OTHER if m not in methods]
        if not missing:
            continue
        response = await http.request(missing[0], path, headers=admin_headers)
        assert response.status_code == 405, (path, missing[0], response.text)
        assert response.json()["error"]["code"] == "METHOD_NOT_ALLOWED"
        assert response.headers["allow"].split(", ") == expected_allow(methods), path


async def test_draft_orders_lists_get_and_post(http: httpx.AsyncClient, account: str) -> None:
    response = await http.options(f"/v1/accounts/{account}/shopping/draft_orders")
    assert response.status_code == 204
    assert response.headers["allow"] == "GET, HEAD, OPTIONS, POST"


async def test_an_unknown_path_is_still_a_404(http: httpx.AsyncClient) -> None:
    response = await http.options("/v1/nothing/here")
    assert response.status_code == 404
    assert "allow" not in response.headers
