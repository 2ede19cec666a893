"""Serving FastAPI routes without FastAPI's per-request generality.

For every request FastAPI walks the route's dependency tree generically: two exit stacks, a
`Response` for a parameter nobody declared, override and cache look-ups, header and cookie
passes with nothing to read, content-type parsing through `email.message`. Measured on a bare
app, on a route shaped like adding a draft item: 330 µs a request, 130 µs of which is the
work itself (reading the route's parameters and body, validating them, calling the dependency
and the endpoint).

`serve_lean` gives a route a handler that does that work and no more, for the shapes our
routes have: an async endpoint that returns a `Response`, async dependencies with names,
taking the request and path or query parameters, at most one JSON body, not embedded. It
validates with the route's own `ModelField`s, in FastAPI's order (sub-dependencies first,
then path, query and body), collects the same errors and raises the same
`RequestValidationError`, so a client cannot tell the two apart (tests/api/test_lean_routes.py
compares them on every route). A route of any other shape keeps FastAPI's handler, as does
every route under a FastAPI release other than the one mirrored here (`MIRRORED_FASTAPI`: the
walk it mirrors is FastAPI's internals, not its API). The OpenAPI schema is made from the
route's declaration, never from its handler, and stays as it was.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, Mapping
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

import fastapi
from fastapi._compat import ModelField, field_annotation_is_sequence, get_missing_field_error
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import (
    _get_param_aliases,
    _get_param_model,
    _is_json_field,
    get_typed_return_annotation,
)
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic_core import PydanticUndefined
from starlette.datastructures import ImmutableMultiDict
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

Undefined: Any = PydanticUndefined
Handler = Callable[[Request], Awaitable[Response]]
#: The FastAPI release whose request handling this mirrors (tests/api/test_lean_routes.py
#: compares the two); under any other, every route keeps FastAPI's own handler.
MIRRORED_FASTAPI = "0.165."


@dataclass(frozen=True, slots=True)
class _Param:
    """A path or query parameter, with what FastAPI works out about it on every request
    (`request_params_to_args`) worked out once."""

    field: ModelField
    location: str  # "path", "query": the first part of an error's `loc`
    aliases: tuple[str, ...]  # the request keys, in FastAPI's order of preference
    listed: bool  # read as a list of every value given (repeated query parameters)
    sequence: bool  # a sequence type: an empty one counts as missing


@dataclass(frozen=True, slots=True)
class _Plan:
    """One dependant (the endpoint or a dependency): what to read and what to call."""

    call: Callable[..., Awaitable[Any]]
    dependencies: tuple[tuple[str, _Plan], ...]
    path_params: tuple[_Param, ...]
    query_params: tuple[_Param, ...]
    body: ModelField | None
    request_name: str | None


def serve_lean(route: APIRoute) -> bool:
    """Serve `route` through a lean handler if its shape allows; whether it does."""
    if not fastapi.__version__.startswith(MIRRORED_FASTAPI):
        return False
    if route.dependency_overrides_provider is not None or route._embed_body_fields:
        return False
    if not _returns_response(route.dependant.call):
        return False
    calls: set[Any] = set()
    plan = _plan(route.dependant, calls)
    if plan is None or (route.body_field is not None and plan.body is not route.body_field):
        return False
    route.app = LeanApp(_handler(plan, strict_content_type=bool(route.strict_content_type)))
    return True


def _returns_response(call: Callable[..., Any] | None) -> bool:
    annotation = get_typed_return_annotation(call) if call is not None else None
    return inspect.isclass(annotation) and issubclass(annotation, Response)


def _plan(dependant: Dependant, calls: set[Any]) -> _Plan | None:
    """The dependant's plan, or None if FastAPI does something for it that `_solve` does not."""
    call = dependant.call
    if (
        call is None
        or not _is_async_function(call)
        or call in calls  # FastAPI would call it once and reuse the value: keep its handler
        or dependant.header_params
        or dependant.cookie_params
        or len(dependant.body_params) > 1
        or dependant.websocket_param_name
        or dependant.http_connection_param_name
        or dependant.response_param_name
        or dependant.background_tasks_param_name
        or dependant.security_scopes_param_name
        or dependant.own_oauth_scopes
        or dependant.concurrency is not None
    ):
        return None
    calls.add(call)
    dependencies = []
    for sub in dependant.dependencies:
        sub_plan = _plan(sub, calls)
        if sub_plan is None or sub.name is None or sub.body_params:
            return None
        dependencies.append((sub.name, sub_plan))
    path_params = _params(dependant.path_params, "path")
    query_params = _params(dependant.query_params, "query")
    if path_params is None or query_params is None:
        return None
    return _Plan(
        call=call,
        dependencies=tuple(dependencies),
        path_params=path_params,
        query_params=query_params,
        body=dependant.body_params[0] if dependant.body_params else None,
        request_name=dependant.request_param_name,
    )


def _params(fields: list[ModelField], location: str) -> tuple[_Param, ...] | None:
    params = []
    for field in fields:
        if _get_param_model(field) is not None:  # a model of parameters: FastAPI's walk
            return None
        sequence = field_annotation_is_sequence(field.field_info.annotation)
        listed = sequence and not _is_json_field(field)
        aliases = tuple(key for _, key in _get_param_aliases(field))
        params.append(_Param(field, location, aliases, listed, sequence))
    return tuple(params)


def _is_async_function(call: Callable[..., Any]) -> bool:
    """An async function or an object whose `__call__` is one (not a generator: FastAPI
    would run it as a context manager)."""
    function = call if inspect.isfunction(call) else getattr(call, "__call__", None)  # noqa: B004
    return inspect.iscoroutinefunction(function)


def _handler(plan: _Plan, *, strict_content_type: bool) -> Handler:
    async def handle(request: Request) -> Response:
        body = Undefined
        if plan.body is not None:
            body = await _read_body(request, strict_content_type)
        errors: list[Any] = []
        values = await _solve(plan, request, body, errors)
        if errors:
            raise RequestValidationError(errors, body=body)
        response = await plan.call(**values)
        if not isinstance(response, Response):  # the annotation promised one
            raise TypeError(f"{plan.call.__name__} returned {type(response).__name__}")
        return response

    return handle


async def _solve(plan: _Plan, request: Request, body: Any, errors: list[Any]) -> dict[str, Any]:
    """The arguments of `plan.call`, as `fastapi.dependencies.utils.solve_dependencies` makes
    them: a dependency whose own parameters fail is not called, and the walk goes on to
    collect every error."""
    values: dict[str, Any] = {}
    for name, dependency in plan.dependencies:
        before = len(errors)
        arguments = await _solve(dependency, request, body, errors)
        if len(errors) == before:
            values[name] = await dependency.call(**arguments)
    if plan.path_params:
        _read_params(plan.path_params, request.path_params, values, errors)
    if plan.query_params:
        _read_params(plan.query_params, request.query_params, values, errors)
    if plan.body is not None:
        value, body_errors = _validated(plan.body, body, {}, ("body",))
        values[plan.body.name] = value
        errors.extend(body_errors)
    if plan.request_name is not None:
        values[plan.request_name] = request
    return values


def _read_params(
    params: tuple[_Param, ...],
    received: Mapping[str, Any],
    values: dict[str, Any],
    errors: list[Any],
) -> None:
    """`fastapi.dependencies.utils.request_params_to_args`, the per-field facts known."""
    parsed: dict[str, Any] = {}  # what FastAPI validates each parameter beside
    for param in params:
        alias = next((key for key in param.aliases if key in received), param.aliases[0])
        value: Any
        if param.listed and isinstance(received, ImmutableMultiDict):
            value = received.getlist(alias)
        else:
            value = received.get(alias)
        if value is None or (param.sequence and len(value) == 0):
            value = Undefined
        result, field_errors = _validated(param.field, value, parsed, (param.location, alias))
        if field_errors:
            errors.extend(field_errors)
        else:
            parsed[param.field.name] = result
    values.update(parsed)


def _validated(
    field: ModelField, value: Any, values: dict[str, Any], loc: tuple[str, ...]
) -> tuple[Any, Any]:
    """`fastapi.dependencies.utils._validate_value_with_model_field`."""
    if value is Undefined:
        if field.field_info.is_required():
            return None, [get_missing_field_error(loc)]
        value = deepcopy(field.default)
        if not field.field_info.validate_default:
            return value, []
    return field.validate(value, values, loc=loc)


async def _read_body(request: Request, strict_content_type: bool) -> Any:
    """The body as FastAPI reads it for a JSON body parameter: parsed when the content type
    is JSON (or absent, unless strict), the raw bytes otherwise, Undefined when empty."""
    try:
        raw = await request.body()
        if not raw:
            return Undefined
        content_type = request.headers.get("content-type")
        if content_type is None:
            return raw if strict_content_type else await request.json()
        return await request.json() if _is_json(content_type) else raw
    except json.JSONDecodeError as exc:
        error = {
            "type": "json_invalid",
            "loc": ("body", exc.pos),
            "msg": "JSON decode error",
            "input": {},
            "ctx": {"error": exc.msg},
        }
        raise RequestValidationError([error], body=exc.doc) from exc
    except HTTPException:
        raise
    except Exception as exc:
        raise HTTPException(400, "There was an error parsing the body") from exc


def _is_json(content_type: str) -> bool:
    """`application/json` or `application/*+json`, as `email.message` reads the header."""
    media_type = content_type.partition(";")[0].strip().lower()
    if media_type.count("/") != 1:
        return False
    main, sub = media_type.split("/")
    return main == "application" and (sub == "json" or sub.endswith("+json"))


class LeanApp:
    """A route's ASGI app around its lean handler. Errors propagate to the app's exception
    middleware, which renders them with the handlers FastAPI's per-route wrapper would use."""

    __slots__ = ("handle",)

    def __init__(self, handle: Handler) -> None:
        self.handle = handle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handle(Request(scope, receive, send))
        await response(scope, receive, send)
