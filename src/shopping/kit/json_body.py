"""A route's JSON body read by its handler: parsed and validated in one step.

FastAPI parses a declared body with `json.loads` and then validates the Python objects; a
busy write route instead takes the `Request` and validates the raw bytes with pydantic's
`TypeAdapter.validate_json`, which does both at once. The same bodies are accepted, and a
refused one raises the `RequestValidationError` FastAPI would raise, with the same
`("body", ...)` locations and messages, rendered by the app's one handler. The body is read
after the route's dependencies and parameters have passed, so a request that is wrong in
several ways (no token and a malformed body, say) is told about the first only.
The body schema is still declared for OpenAPI (`JsonBody.openapi`, `declared_body_schemas`).
"""

from __future__ import annotations

import json
from typing import Any, Generic, TypeVar

from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.models import Schema
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request

Model = TypeVar("Model", bound=BaseModel)

REF_TEMPLATE = "#/components/schemas/{model}"
#: the models of every `JsonBody`, for the OpenAPI components (`declared_body_schemas`)
_DECLARED: dict[str, type[BaseModel]] = {}


class JsonBody(Generic[Model]):
    """The JSON body of a route, as a module-level constant next to the route:
    `ITEM = JsonBody(OrderItem, example=ITEM_EXAMPLE)`,
    `@router.post(..., openapi_extra=ITEM.openapi)`, `item = await ITEM.read(request)`."""

    def __init__(self, model: type[Model], *, example: Any = None) -> None:
        self.adapter: TypeAdapter[Model] = TypeAdapter(model)
        media_type: dict[str, Any] = {"schema": {"$ref": REF_TEMPLATE.format(model=model.__name__)}}
        if example is not None:
            media_type["example"] = example
        self.openapi: dict[str, Any] = {
            "requestBody": {"content": {"application/json": media_type}, "required": True}
        }
        _DECLARED[model.__name__] = model

    async def read(self, request: Request) -> Model:
        raw = await request.body()
        if not raw:
            raise RequestValidationError(
                [{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}]
            )
        if not _is_json(request.headers.get("content-type")):
            return self._validated(raw)  # bytes, as FastAPI passes them on: always refused
        try:
            return self.adapter.validate_json(raw)
        except ValidationError:
            # Refused (or not JSON to pydantic's parser): decide, and word the errors, as
            # FastAPI does, from what `json.loads` makes of the body.
            return self._validated(_loads(raw))

    def _validated(self, value: Any) -> Model:
        try:
            return self.adapter.validate_python(value, from_attributes=True)
        except ValidationError as exc:
            raise _body_errors(exc) from None


def _is_json(content_type: str | None) -> bool:
    """`application/json` or `application/*+json`; FastAPI reads a body without a content
    type as not JSON."""
    if not content_type:
        return False
    media_type = content_type.partition(";")[0].strip().lower()
    if media_type.count("/") != 1:
        return False
    main, sub = media_type.split("/")
    return main == "application" and (sub == "json" or sub.endswith("+json"))


def _loads(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        error = {
            "type": "json_invalid",
            "loc": ("body", exc.pos),
            "msg": "JSON decode error",
            "input": {},
            "ctx": {"error": exc.msg},
        }
        raise RequestValidationError([error], body=exc.doc) from exc
    except Exception as exc:  # e.g. not UTF-8/16/32
        raise HTTPException(400, "There was an error parsing the body") from exc


def _body_errors(exc: ValidationError) -> RequestValidationError:
    errors = exc.errors(include_url=False)
    for error in errors:
        error["loc"] = ("body", *error["loc"])
    return RequestValidationError(errors)


def declared_body_schemas(paths: dict[str, Any]) -> dict[str, Any]:
    """The component schemas of the bodies routes read themselves (`JsonBody`) and the models
    they use, for the OpenAPI document: FastAPI lists only the models it validates itself."""
    schemas: dict[str, Any] = {}
    for name, model in _DECLARED.items():
        if name not in schemas and _mentions(paths, REF_TEMPLATE.format(model=name)):
            body = TypeAdapter(model).json_schema(ref_template=REF_TEMPLATE)
            for nested, definition in body.pop("$defs", {}).items():
                schemas.setdefault(nested, _as_openapi(definition))
            schemas[name] = _as_openapi(body)
    return schemas


def _mentions(paths: dict[str, Any], ref: str) -> bool:
    return json.dumps(paths).find(json.dumps(ref)) >= 0


def _as_openapi(schema: dict[str, Any]) -> Any:
    """A JSON schema as FastAPI writes it into the document (`get_openapi`)."""
    return jsonable_encoder(Schema(**schema), by_alias=True, exclude_none=True)
