"""Signing in with an API client's id and secret (verified like the token endpoint does), and
signing out. The session cookie is HttpOnly, SameSite=Strict, scoped to the back office, and
Secure whenever the site is served over HTTPS."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import RedirectResponse, Response

from shopping.auth.clients import authenticate
from shopping.auth.router import MAX_CLIENT_ID_LENGTH
from shopping.backoffice.sessions import COOKIE, SIGN_IN_COOKIE, Session
from shopping.backoffice.web import (
    PREFIX,
    NotSignedIn,
    PageRoute,
    Visitor,
    backoffice_of,
    checked_form,
    read_form,
    safe_next,
    visitor_of,
)
from shopping.deps import ACCOUNT_ID_PATTERN
from shopping.errors import InvalidClient

router = APIRouter(prefix=PREFIX, route_class=PageRoute, include_in_schema=False)
SIGN_IN_SECONDS = 1800
_ACCOUNT = re.compile(ACCOUNT_ID_PATTERN)
_REASONS = {
    "expired": "Your session has expired. Sign in again to continue.",
    "required": "Sign in to see the back office.",
    "signed-out": "You are signed out.",
}


def _secure(request: Request) -> bool:
    public_url = request.app.state.settings.public_url or ""
    return request.url.scheme == "https" or public_url.startswith("https://")


def _sign_in_page(
    request: Request,
    *,
    status_code: int = 200,
    message: str | None = None,
    error: str | None = None,
    account_id: str = "",
    client_id: str = "",
    next_path: str = "",
) -> Response:
    backoffice = backoffice_of(request)
    nonce = backoffice.sessions.new_sign_in_nonce()
    response = backoffice.pages.render(
        "sign_in.html",
        status_code,
        visitor=None,
        title="Sign in",
        csrf_token=backoffice.sessions.sign_in_token(nonce),
        message=message,
        error=error,
        account_id=account_id,
        client_id=client_id,
        next_path=safe_next(next_path),
    )
    response.set_cookie(
        SIGN_IN_COOKIE,
        nonce,
        max_age=SIGN_IN_SECONDS,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


@router.get("")
async def home(request: Request) -> Response:
    try:
        visitor = visitor_of(request)
    except NotSignedIn:
        return RedirectResponse(f"{PREFIX}/sign-in", status_code=303)
    return RedirectResponse(landing(visitor), status_code=303)


def landing(visitor: Visitor) -> str:
    sections = visitor.sections
    for section, path in (("orders", "orders"), ("webhooks", "webhooks")):
        if sections[section]:
            return f"{PREFIX}/{path}"
    for section, path in (("payout_rules", "payout-rules"), ("discount_rules", "discount-rules")):
        if sections[section]:
            return f"{PREFIX}/{path}"
    return f"{PREFIX}/account"


@router.get("/sign-in")
async def sign_in_form(
    request: Request,
    reason: Annotated[str | None, Query(max_length=20)] = None,
    next: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    try:
        visitor = visitor_of(request)
    except NotSignedIn:
        return _sign_in_page(request, message=_REASONS.get(reason or ""), next_path=next or "")
    # already signed in: straight on
    return RedirectResponse(safe_next(next) if next else landing(visitor), status_code=303)


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    backoffice, state = backoffice_of(request), request.app.state
    form = await read_form(request)
    account_id, client_id = form.get("account_id").strip(), form.get("client_id").strip()
    secret, next_path = form.get("client_secret"), form.get("next")
    again = {"account_id": account_id, "client_id": client_id, "next_path": next_path}
    nonce = request.cookies.get(SIGN_IN_COOKIE)
    if not backoffice.sessions.sign_in_matches(nonce, form.get("csrf_token") or None):
        return _sign_in_page(
            request,
            status_code=403,
            error="The sign-in form expired. Please try again.",
            **again,
        )
    if not _ACCOUNT.match(account_id):
        return _sign_in_page(
            request,
            status_code=400,
            error="The account id is T (test) or P followed by 8 digits, e.g. T12345678.",
            **again,
        )
    if not client_id or len(client_id) > MAX_CLIENT_ID_LENGTH or "\x00" in client_id + secret:
        return _invalid_credentials(request, again)
    try:
        async with state.db.read() as conn:
            principal = await authenticate(conn, account_id, client_id, secret)
    except InvalidClient:
        return _invalid_credentials(request, again)
    cookie, session = backoffice.sessions.issue(principal)
    target = safe_next(next_path) if next_path else landing(visitor_of_session(request, session))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=backoffice.sessions.ttl_seconds,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    response.delete_cookie(SIGN_IN_COOKIE, path=PREFIX)
    return response


def visitor_of_session(request: Request, session: Session) -> Visitor:
    return Visitor(session, backoffice_of(request).sessions.csrf_token(session.session_id))


def _invalid_credentials(request: Request, again: dict[str, str]) -> Response:
    return _sign_in_page(
        request,
        status_code=401,
        error="Those credentials are not valid for this account. Check the account id, the "
        "client id and the secret (shown once, when the client was created).",
        **again,
    )


@router.post("/sign-out")
async def sign_out(request: Request, visitor: Annotated[Visitor, Depends(visitor_of)]) -> Response:
    await checked_form(request, visitor)
    response = RedirectResponse(f"{PREFIX}/sign-in?reason=signed-out", status_code=303)
    response.delete_cookie(COOKIE, path=PREFIX, httponly=True, samesite="strict")
    return response
