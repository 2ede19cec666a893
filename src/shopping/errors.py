"""One error hierarchy, rendered in Dintero's envelope by one set of handlers.

Services raise small subclasses named as facts (`DraftNotEditable`, `LineIdTaken`); routers never
build error responses themselves. Every 4xx/5xx body is
`{"error": {"code": "UPPER_SNAKE", "message": "...", "errors": [{"path": ..., "message": ...}]}}`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from shopping.config import ConfigurationError as ConfigurationError  # re-exported
from shopping.kit.allowed_methods import allowed_methods
from shopping.kit.json import JsonResponse

log = logging.getLogger("shopping.errors")


class ShoppingError(Exception):
    status_code: ClassVar[int] = 500
    code: ClassVar[str] = "INTERNAL_ERROR"

    def __init__(
        self,
        message: str,
        *,
        errors: Sequence[dict[str, str]] = (),
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.errors = list(errors)
        self.headers = headers
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message, **self.extra}
        if self.errors:
            error["errors"] = self.errors
        return {"error": error}


class BadRequest(ShoppingError):
    status_code = 400
    code = "BAD_REQUEST"


class ValidationFailed(BadRequest):
    code = "VALIDATION_ERROR"


class Unauthorized(ShoppingError):
    status_code = 401
    code = "UNAUTHORIZED"

    def __init__(self, message: str) -> None:
        super().__init__(message, headers={"WWW-Authenticate": "Bearer"})


class InvalidClient(ShoppingError):
    status_code = 401
    code = "INVALID_CLIENT"

    def __init__(self, message: str = "Invalid client credentials") -> None:
        super().__init__(message, headers={"WWW-Authenticate": 'Basic realm="shopping-api"'})


class Forbidden(ShoppingError):
    status_code = 403
    code = "FORBIDDEN"


class NotFound(ShoppingError):
    status_code = 404
    code = "NOT_FOUND"


class MethodNotAllowed(ShoppingError):
    status_code = 405
    code = "METHOD_NOT_ALLOWED"


class Conflict(ShoppingError):
    status_code = 409
    code = "CONFLICT"


class PayloadTooLarge(ShoppingError):
    status_code = 413
    code = "PAYLOAD_TOO_LARGE"


class UnprocessableRequest(ShoppingError):
    status_code = 422
    code = "UNPROCESSABLE_REQUEST"


class ErrorDetail(BaseModel):
    path: str = Field(
        description="The field or header at fault, e.g. `order.items[0].amount`, `If-Match`."
    )
    message: str = Field(description="What is wrong with it.")


class ErrorBody(BaseModel):
    code: str = Field(
        description="A stable, machine-readable code in UPPER_SNAKE_CASE, e.g. "
        "`VALIDATION_ERROR`, `VERSION_CONFLICT`, `NOT_FOUND`."
    )
    message: str = Field(description="A sentence a person can act on.")
    errors: list[ErrorDetail] | None = Field(
        default=None, description="One entry per field that failed validation (400 only)."
    )
    current_version: int | None = Field(
        default=None,
        description="With `VERSION_CONFLICT`: the resource's version now (also its `ETag`).",
    )


class ErrorEnvelope(BaseModel):
    """Dintero's error envelope: every 4xx and 5xx answer has this body."""

    error: ErrorBody = Field(description="What went wrong.")


def _responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorEnvelope} for code in codes}


class ErrorResponses:
    """Error responses routes declare, so the OpenAPI document lists them."""

    read = _responses(400, 401, 403, 404, 429)
    write = _responses(400, 401, 403, 404, 409, 413, 422, 429)


_STATUS_ERRORS: dict[int, type[ShoppingError]] = {
    400: BadRequest,
    404: NotFound,
    405: MethodNotAllowed,
    413: PayloadTooLarge,
}


def error_path(loc: Sequence[int | str]) -> str:
    """`("body", "order", "items", 0, "gross_amount")` → `order.items[0].gross_amount`."""
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "body"


def validation_error(exc: RequestValidationError) -> ValidationFailed:
    details = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            return ValidationFailed("The request body is not valid JSON")
        details.append({"path": error_path(err.get("loc", ())), "message": str(err.get("msg"))})
    return ValidationFailed("The request is invalid", errors=details)


def render(exc: ShoppingError) -> JsonResponse:
    return JsonResponse(exc.body(), status_code=exc.status_code, headers=exc.headers)


def install_error_handlers(app: FastAPI) -> None:
    async def on_shopping_error(_: Request, exc: Exception) -> JsonResponse:
        assert isinstance(exc, ShoppingError)
        return render(exc)

    async def on_validation_error(_: Request, exc: Exception) -> JsonResponse:
        assert isinstance(exc, RequestValidationError)
        return render(validation_error(exc))

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request.app.routes, request.scope))
            if request.method == "OPTIONS":  # the resource exists: say what it answers
                return Response(status_code=204, headers=headers)
        cls = _STATUS_ERRORS.get(exc.status_code, ShoppingError)
        message = exc.detail if isinstance(exc.detail, str) else "Request failed"
        if cls is NotFound and message == "Not Found":
            message = "No such resource"
        error = cls(message, headers=headers)
        return JsonResponse(error.body(), status_code=exc.status_code, headers=error.headers)

    async def on_unexpected(_: Request, exc: Exception) -> JsonResponse:
        log.exception("unhandled error", exc_info=exc)
        # the server drops the connection after an unhandled error: say so to the client
        error = ShoppingError("An internal error occurred", headers={"Connection": "close"})
        return render(error)

    app.add_exception_handler(ShoppingError, on_shopping_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
