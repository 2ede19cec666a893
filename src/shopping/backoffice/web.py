"""What every back-office handler works with: the signed-in visitor, CSRF-checked forms, the
`ApiCall` the services expect, and error pages instead of JSON envelopes."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.responses import RedirectResponse, Response

from shopping.auth.principal import Principal
from shopping.auth.scopes import (
    BILLING_READ,
    DISCOUNTS_READ,
    HOOKS_READ,
    HOOKS_WRITE,
    SHOPPING_READ,
    SHOPPING_WRITE,
)
from shopping.backoffice.rendering import Pages
from shopping.backoffice.sessions import COOKIE, Session, SessionCodec, SessionInvalid
from shopping.deps import require_scope
from shopping.errors import Forbidden, PayloadTooLarge, ShoppingError, ValidationFailed
from shopping.kit.requests import MAX_IDEMPOTENCY_KEY_LENGTH, ApiCall, request_fingerprint

Json = dict[str, Any]
PREFIX = "/backoffice"
MAX_FORM_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Backoffice:
    """The back office's own collaborators, kept in `app.state.backoffice`."""

    sessions: SessionCodec
    pages: Pages


def backoffice_of(request: Request) -> Backoffice:
    backoffice: Backoffice = request.app.state.backoffice
    return backoffice


@dataclass(frozen=True, slots=True)
class Visitor:
    """The signed-in client: the same `Principal` a bearer token yields, and its CSRF token."""

    session: Session
    csrf_token: str

    @property
    def principal(self) -> Principal:
        return self.session.principal

    @property
    def account_id(self) -> str:
        return self.session.principal.account_id

    def can(self, scopes: frozenset[str]) -> bool:
        return self.principal.has_any(scopes)

    @property
    def sections(self) -> dict[str, bool]:
        """Which parts of the back office this client may see and operate."""
        return {
            "orders": self.can(SHOPPING_READ),
            "orders_write": self.can(SHOPPING_WRITE),
            "webhooks": self.can(HOOKS_READ),
            "webhooks_write": self.can(HOOKS_WRITE),
            "events": self.can(SHOPPING_READ | HOOKS_READ),
            "payout_rules": self.can(BILLING_READ),
            "discount_rules": self.can(DISCOUNTS_READ),
        }


class NotSignedIn(Exception):
    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "absent")
        self.expired = expired


class CsrfRefused(Forbidden):
    code = "CSRF_TOKEN_INVALID"

    def __init__(self) -> None:
        super().__init__(
            "The form could not be verified (it may be from an older session). "
            "Nothing was changed; reload the page and try again."
        )


def visitor_of(request: Request) -> Visitor:
    """The dependency of every page but sign-in."""
    codec = backoffice_of(request).sessions
    try:
        session = codec.read(request.cookies.get(COOKIE))
    except SessionInvalid as exc:
        raise NotSignedIn(expired=exc.expired) from exc
    return Visitor(session, codec.csrf_token(session.session_id))


def require(visitor: Visitor, scopes: frozenset[str], what: str) -> None:
    """The same scope check the API makes (a hidden button is not a permission)."""
    require_scope(visitor.principal, scopes, what)


class Form:
    def __init__(self, fields: dict[str, list[str]], raw: bytes = b"") -> None:
        self._fields = fields
        self.raw = raw

    def get(self, name: str, default: str = "") -> str:
        values = self._fields.get(name)
        return values[0] if values else default

    def getlist(self, name: str) -> list[str]:
        return list(self._fields.get(name, ()))


async def read_form(request: Request) -> Form:
    """An `application/x-www-form-urlencoded` body (the only kind our forms send)."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise PayloadTooLarge(f"A form must not be larger than {MAX_FORM_BYTES} bytes")
    text = body.decode("utf-8", "replace")
    return Form(parse_qs(text, keep_blank_values=True, max_num_fields=1000), body)


async def checked_form(request: Request, visitor: Visitor) -> Form:
    """The form, if it carries this session's CSRF token; refused (and nothing done) if not."""
    form = await read_form(request)
    codec = backoffice_of(request).sessions
    if not codec.csrf_matches(visitor.session.session_id, form.get("csrf_token") or None):
        raise CsrfRefused()
    return form


def api_call(
    request: Request, visitor: Visitor, body: Json | None = None, form: Form | None = None
) -> ApiCall:
    """The call as the services record it: who (the client), what (method, page path, the
    change as JSON) and the API base for `_links` and webhook bodies.

    Every rendered form carries a key of its own (`form_key`), used as the write's
    idempotency key: a form sent twice (a double click, a resent POST) changes things once."""
    state = request.app.state
    base = (state.settings.public_url or str(request.base_url)).rstrip("/")
    key = form.get("form_key") or None if form is not None else None
    if key is not None and (len(key) > MAX_IDEMPOTENCY_KEY_LENGTH or "\x00" in key):
        raise ValidationFailed("The form's key is not valid; reload the page and try again")
    return ApiCall(
        principal=visitor.principal,
        method=request.method,
        path=request.url.path,
        body=json.dumps(body) if body is not None else None,
        base_url=f"{base}/v1/accounts/{visitor.account_id}/shopping",
        idempotency_key=key,
        request_hash=request_fingerprint(request, form.raw) if key and form else "",
    )


class RefusedBefore(ShoppingError):
    """The same form was sent before and refused: the stored refusal, shown again."""

    def __init__(self, status_code: int, body: Any) -> None:
        error = body.get("error", {}) if isinstance(body, dict) else {}
        super().__init__(str(error.get("message") or "The action was refused"))
        self.status_code = status_code  # type: ignore[misc]
        self.code = str(error.get("code") or "REFUSED")  # type: ignore[misc]


async def run_write(
    request: Request, call: ApiCall, use_case: Callable[[Any], Awaitable[object]]
) -> None:
    """One write transaction through the same runner (and idempotency rules) the API's
    writes use."""
    state = request.app.state

    async def run(conn: Any) -> Json:
        await use_case(conn)
        return {}

    response = await state.writes.run(call, run)
    if response.status_code >= 400:  # a replayed refusal comes back as a response
        raise RefusedBefore(response.status_code, json.loads(bytes(response.body)))


def redirect(path: str, notice: str | None = None) -> RedirectResponse:
    target = path if notice is None else f"{path}?notice={quote(notice)}"
    return RedirectResponse(target, status_code=303)


def safe_next(value: str | None) -> str:
    """Only a back-office path of this site (never `//evil.example` or a full URL)."""
    if not value or not value.startswith(PREFIX + "/") or "//" in value or "\\" in value:
        return f"{PREFIX}/orders"
    return value


def error_page(request: Request, status_code: int, title: str, message: str) -> Response:
    visitor = None
    with contextlib.suppress(NotSignedIn):
        visitor = visitor_of(request)
    return backoffice_of(request).pages.render(
        "error.html",
        status_code,
        visitor=visitor,
        title=title,
        message=message,
        code=status_code,
    )


_TITLES = {
    400: "That request could not be read",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    409: "Not possible right now",
    413: "Too large",
    422: "Not possible",
}


class PageRoute(APIRoute):
    """Back-office routes answer with pages: a missing session sends a browser to sign in,
    and the services' errors become a page with the API's message."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except NotSignedIn as exc:
                return not_signed_in(request, expired=exc.expired)
            except ShoppingError as exc:
                title = _TITLES.get(exc.status_code, "Something went wrong")
                return error_page(request, exc.status_code, title, exc.message)
            except RequestValidationError:
                return error_page(request, 404, _TITLES[404], "There is no such page.")

        return page_handler


def not_signed_in(request: Request, *, expired: bool) -> Response:
    reason = "expired" if expired else "required"
    if request.method in ("GET", "HEAD"):
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"{PREFIX}/sign-in?reason={reason}&next={target}", status_code=303)
    message = (
        "Your session has expired. Nothing was changed: sign in again and repeat the action."
        if expired
        else "Sign in to the back office first. Nothing was changed."
    )
    response = error_page(request, 401, _TITLES[401], message)
    return response
