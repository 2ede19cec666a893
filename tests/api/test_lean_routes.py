"""Routes served by lean handlers (`kit/lean_routes.py`) answer exactly as FastAPI's own
handler for the same route would. Compared on every lean route, on both backends, with
requests that fail in each way a request can fail before its use case runs (token, account,
path, query, content type, JSON, body shape) and with ones that reach it; and parameter by
parameter against FastAPI's own reading of them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import fastapi
import httpx
import pytest
from fastapi import Depends, FastAPI, Header
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import request_params_to_args
from fastapi.routing import APIRoute, request_response
from pydantic import BaseModel
from starlette.datastructures import QueryParams
from starlette.responses import Response

from shopping.auth.scopes import ADMIN_SHOPPING
from shopping.kit.lean_routes import LeanApp, _params, _read_params, serve_lean
from tests.conftest import bearer
from tests.support.completion import new_order

Request = dict[str, Any]
UNKNOWN_ID = "00000000-0000-4000-8000-00000000000f"
JSON = {"content-type": "application/json"}


def _lean_routes(app: FastAPI) -> list[APIRoute]:
    return [
        route
        for route in app.router.routes
        if isinstance(route, APIRoute) and isinstance(route.app, LeanApp)
    ]


def _path(
    route: APIRoute, account: str, *, bad: str | None = None, order_id: str | None = None
) -> str:
    """The route's path for `account`: ids that are well-formed but unknown, or `bad`; or
    with the order `order_id` where the route reads one."""
    path = route.path.replace("{aid}", account)
    for name in route.param_convertors:
        if name == "order_id" and order_id is not None and bad is None:
            path = path.replace("{order_id}", order_id)
        elif name != "aid":
            path = path.replace(f"{{{name}}}", bad or _well_formed(route, name))
    return path


def _well_formed(route: APIRoute, name: str) -> str:
    field = next(f for f in route.dependant.path_params if f.alias == name)
    return "7" if field.field_info.annotation is int else UNKNOWN_ID


def _variants(
    route: APIRoute, account: str, auth: dict[str, str], order_id: str
) -> dict[str, Request]:
    method = sorted(route.methods or ())[0]
    # reads may name an existing order; writes would change it between the two passes
    path = _path(route, account, order_id=order_id if method == "GET" else None)
    json_body = {**auth, **JSON}
    variants: dict[str, Request] = {
        "no token": {"method": method, "url": path, "content": b"{}", "headers": JSON},
        "another account's token": {
            "method": method,
            "url": _path(route, "T99999999"),
            "content": b"{}",
            "headers": json_body,
        },
        "malformed account": {
            "method": method,
            "url": _path(route, "X1"),
            "content": b"{}",
            "headers": json_body,
        },
        "malformed ids": {
            "method": method,
            "url": _path(route, account, bad="not%20an%20id"),
            "content": b"{}",
            "headers": json_body,
        },
        "bad query": {
            "method": method,
            "url": path + "?limit=0&apply_discounts=maybe&starting_after=x&status=nope",
            "content": b"{}",
            "headers": json_body,
        },
        "empty object": {"method": method, "url": path, "content": b"{}", "headers": json_body},
        "repeated query": {
            "method": method,
            "url": path + "?include_events=true&include_events=api-event&limit=5&limit=x",
            "content": b"{}",
            "headers": json_body,
        },
        "empty query values": {
            "method": method,
            "url": path + "?include_events=&limit=&starting_after=&apply_discounts=",
            "content": b"{}",
            "headers": json_body,
        },
        "list query": {
            "method": method,
            "url": path + "?include_events=false&include_events=service-event",
            "content": b"{}",
            "headers": json_body,
        },
    }
    if route.body_field is not None:
        variants |= {
            "no body": {"method": method, "url": path, "headers": json_body},
            "invalid JSON": {
                "method": method,
                "url": path,
                "content": b'{"a": ',
                "headers": json_body,
            },
            "not UTF-8": {
                "method": method,
                "url": path,
                "content": b"\xff\xfe",
                "headers": json_body,
            },
            "text/plain": {
                "method": method,
                "url": path,
                "content": b"{}",
                "headers": {**auth, "content-type": "text/plain"},
            },
            "no content type": {"method": method, "url": path, "content": b"{}", "headers": auth},
            "JSON with parameters": {
                "method": method,
                "url": path,
                "content": b"[]",
                "headers": {**auth, "content-type": "Application/JSON; charset=utf-8"},
            },
            "vendor JSON": {
                "method": method,
                "url": path,
                "content": b'{"x": 1}',
                "headers": {**auth, "content-type": "application/vnd.x+json"},
            },
            "wrong shape": {
                "method": method,
                "url": path,
                "content": b'{"order": 5, "items": "x", "amount": -1}',
                "headers": json_body,
            },
        }
    return variants


async def _answer(http: httpx.AsyncClient, request: Request) -> tuple[int, str | None, Any]:
    response = await http.request(**request)
    content_type = response.headers.get("content-type")
    body = response.json() if response.content else None
    return response.status_code, content_type, body


def _fastapi_handler(route: APIRoute) -> Callable[..., Any]:
    return request_response(route.get_route_handler())


async def test_every_lean_route_answers_as_fastapi_would(
    app: FastAPI,
    http: httpx.AsyncClient,
    api: httpx.AsyncClient,
    account: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    routes = _lean_routes(app)
    assert len(routes) > 50  # every Shopping API route but the token endpoint
    auth = bearer(app, account, ADMIN_SHOPPING)
    order = await new_order(api)
    await api.post(f"/orders/{order['id']}/comments", json={"comment": "read by both"})
    lean: dict[tuple[str, str], tuple[int, str | None, Any]] = {}
    for route in routes:
        for name, request in _variants(route, account, auth, order["id"]).items():
            lean[route.path + " " + str(route.methods), name] = await _answer(http, request)
    for route in routes:
        monkeypatch.setattr(route, "app", _fastapi_handler(route))
    mismatches = []
    statuses = set()
    for route in routes:
        for name, request in _variants(route, account, auth, order["id"]).items():
            key = (route.path + " " + str(route.methods), name)
            expected = await _answer(http, request)
            statuses.add(expected[0])
            if lean[key] != expected:
                mismatches.append((key, lean[key], expected))
    assert mismatches == []
    assert {200, 400, 401, 403, 404} <= statuses  # the variants reached every stage


class _Body(BaseModel):
    value: int


def _route(endpoint: Callable[..., Any], **options: Any) -> APIRoute:
    return APIRoute("/things/{thing_id}", endpoint, methods=["POST"], **options)


async def _returns_a_dict(thing_id: int, body: _Body) -> dict[str, int]:
    return {"thing": thing_id}


def test_other_shapes_keep_fastapis_handler() -> None:
    async def with_header(thing_id: int, x_thing: str | None = Header(default=None)) -> Response:
        raise AssertionError("never called")

    async def plain(thing_id: int, body: _Body) -> Response:
        raise AssertionError("never called")

    assert not serve_lean(_route(_returns_a_dict))  # FastAPI serializes what it returns
    assert not serve_lean(_route(with_header))  # headers are read by FastAPI's walk
    assert serve_lean(_route(plain))


def test_a_dependency_used_twice_keeps_fastapis_handler() -> None:
    async def shared() -> int:
        return uuid.uuid4().int

    async def twice(a: int = Depends(shared), b: int = Depends(shared)) -> Response:
        raise AssertionError("never called")

    assert not serve_lean(_route(twice))  # FastAPI calls it once and reuses the value


QUERIES = [
    "",
    "include_events=",
    "include_events=true&include_events=api-event",
    "include_events=false&include_events=nope",
    "limit=&starting_after=",
    "limit=0&limit=5",
    "limit=100&starting_after=" + UNKNOWN_ID,
    "apply_discounts=yes&apply_discounts=maybe",
    "starting_after=not-an-id&limit=abc&key=",
]
PATH_VALUES = ["", "x", "7", "-1", UNKNOWN_ID, "T00000001", "x" * 300]


def _levels(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _levels(sub)


def test_parameters_are_read_as_fastapi_reads_them(app: FastAPI) -> None:
    """Values and errors exactly as FastAPI's `request_params_to_args` gives them, including
    what the error envelope does not show (the location's first part, a list left empty)."""
    compared = 0
    for route in _lean_routes(app):
        for level in _levels(route.dependant):
            for fields, location in ((level.query_params, "query"), (level.path_params, "path")):
                params = _params(fields, location)
                assert params is not None
                received: list[Mapping[str, Any]]
                if location == "query":
                    received = [QueryParams(query) for query in QUERIES]
                else:
                    received = [{f.alias: value for f in fields} for value in PATH_VALUES]
                for given in received:
                    values: dict[str, Any] = {}
                    errors: list[Any] = []
                    _read_params(params, given, values, errors)
                    assert (values, errors) == request_params_to_args(fields, given)
                    compared += 1
    assert compared > 500


def test_under_another_fastapi_release_every_route_keeps_fastapis_handler(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def plain(thing_id: int, body: _Body) -> Response:
        raise AssertionError("never called")

    monkeypatch.setattr(fastapi, "__version__", "0.999.0")
    assert not serve_lean(_route(plain))
