"""The app's OpenAPI document: FastAPI's, completed with what its generator cannot know.

FastAPI writes paths, parameters, bodies and the response models routes declare. This adds
the security schemes and each operation's scopes (read from the route's `Authorize`
dependency), the headers the API reads and writes (`Idempotency-Key`, `If-Match`, `ETag`,
`Idempotent-Replayed`, `Retry-After`), the tags in the order of a purchase, and removes the
422 `HTTPValidationError` FastAPI lists for every route with parameters: this API answers a
malformed request with a 400 in Dintero's error envelope. Built once, on first request
(FastAPI's documented way: replace `app.openapi`).
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.params import Depends
from fastapi.routing import APIRoute

from shopping.deps import Authorize, get_writes
from shopping.kit.json_body import declared_body_schemas
from shopping.openapi.headers import IDEMPOTENCY_KEY, IF_MATCH, honours_if_match, response_headers
from shopping.openapi.security import SECURITY_SCHEMES, requirements
from shopping.openapi.tags import TAGS

ERROR_DESCRIPTIONS = {
    "400": "The request is malformed or fails validation; `error.errors` names each field.",
    "401": "No access token, or one that is invalid or expired.",
    "403": "The token is for another account or lacks the operation's scope.",
    "404": "No such resource in this account.",
    "409": "The request conflicts with the resource's state or version "
    "(`VERSION_CONFLICT` carries the current version and its `ETag`).",
    "413": "The body is larger than the server accepts.",
    "422": "The Idempotency-Key was already used for a different request.",
    "429": "Too many requests from this client; retry after `Retry-After` seconds.",
}
#: FastAPI's own validation error schemas, which this API never sends
FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


def install_openapi(app: FastAPI, routers: Sequence[APIRouter]) -> None:
    """`routers`: the API's routers, whose routes the document describes."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_document(app, routers)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend it


def build_document(app: FastAPI, routers: Sequence[APIRouter]) -> dict[str, Any]:
    routes = [route for router in routers for route in router.routes]
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=routes,
        tags=TAGS,
        separate_input_output_schemas=app.separate_input_output_schemas,
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in declared_body_schemas(document["paths"]).items():
        schemas.setdefault(name, schema)
    for name in FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    document["components"]["securitySchemes"] = SECURITY_SCHEMES
    for route in routes:
        if isinstance(route, APIRoute) and route.include_in_schema:
            for method in route.methods or ():
                operation = document["paths"][route.path_format][method.lower()]
                complete_operation(route, method, operation, schemas)
    return document


def complete_operation(
    route: APIRoute, method: str, operation: dict[str, Any], schemas: dict[str, Any]
) -> None:
    operation["operationId"] = route.name  # the handler's name: `create_draft`
    dependencies = list(dependencies_of(route.endpoint))
    scopes = next((authorizer.any_of for authorizer in authorizers(dependencies)), None)
    operation["security"] = requirements(route.path_format, scopes)
    if scopes:
        listed = ", ".join(f"`{scope}`" for scope in sorted(scopes))
        operation["description"] = (
            operation.get("description", "").rstrip() + f"\n\n**Scopes** (any one of): {listed}"
        ).lstrip()
    idempotent = any(d is get_writes for d in dependencies)
    parameters = operation.setdefault("parameters", [])
    if idempotent:
        parameters.append(IDEMPOTENCY_KEY)
    if honours_if_match(route.path_format, method):
        parameters.append(IF_MATCH)
    if not parameters:
        del operation["parameters"]
    responses = operation["responses"]
    responses.pop("422", None)
    if idempotent:
        responses["422"] = {
            "description": ERROR_DESCRIPTIONS["422"],
            "content": {"application/json": {"schema": ERROR_ENVELOPE_REF}},
        }
    for status, response in responses.items():
        if status in ERROR_DESCRIPTIONS and not declares_description(route, status):
            response["description"] = ERROR_DESCRIPTIONS[status]
        headers = response_headers(status, response, schemas, idempotent=idempotent)
        if headers:
            response.setdefault("headers", {}).update(headers)


ERROR_ENVELOPE_REF = {"$ref": "#/components/schemas/ErrorEnvelope"}


def declares_description(route: APIRoute, status: str) -> bool:
    """Whether the route words this error itself (the token endpoint's 401 is about client
    credentials, not an access token)."""
    return any(
        str(code) == status and response.get("description")
        for code, response in route.responses.items()
    )


def authorizers(dependencies: list[Any]) -> Iterator[Authorize]:
    """The `Authorize` checks among a route's dependencies, as themselves or as the
    `authorize` of a dependency that builds on one (`AuthorizedCall`)."""
    for dependency in dependencies:
        for candidate in (dependency, getattr(dependency, "authorize", None)):
            if isinstance(candidate, Authorize):
                yield candidate


def dependencies_of(call: Callable[..., Any]) -> Iterator[Any]:
    """Every dependency a route's endpoint declares, directly or through its dependencies
    (`Annotated[X, Depends(d)]` or `= Depends(d)`), from the signatures FastAPI reads too."""
    function = call if inspect.isroutine(call) else type(call).__call__
    hints = typing.get_type_hints(function, include_extras=True)
    for name, parameter in inspect.signature(call).parameters.items():
        markers = [*getattr(hints.get(name), "__metadata__", ()), parameter.default]
        for marker in markers:
            if isinstance(marker, Depends) and marker.dependency is not None:
                yield marker.dependency
                yield from dependencies_of(marker.dependency)
