"""Helpers for back-office tests over ASGI: API clients made as the CLI makes them, signing in
through the sign-in form, and reading the CSRF token a page carries."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from shopping.auth.clients import NewClient, create_client

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


async def new_client(app: FastAPI, account: str, *scopes: str) -> NewClient:
    async with app.state.db.write() as conn:
        return await create_client(conn, account, list(scopes), "back office")


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match is not None, "the page has no form with a CSRF token"
    return match.group(1)


def browser(
    transport: httpx.AsyncBaseTransport, base_url: str = "http://testserver"
) -> httpx.AsyncClient:
    """A cookie-keeping client that does not follow redirects (tests look at them)."""
    return httpx.AsyncClient(transport=transport, base_url=base_url)


async def sign_in_with(
    page: httpx.AsyncClient, account: str, client_id: str, secret: str
) -> httpx.Response:
    form = await page.get("/backoffice/sign-in")
    return await page.post(
        "/backoffice/sign-in",
        data={
            "csrf_token": csrf_of(form.text),
            "account_id": account,
            "client_id": client_id,
            "client_secret": secret,
        },
    )


@asynccontextmanager
async def signed_in(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, *scopes: str
) -> AsyncIterator[httpx.AsyncClient]:
    client = await new_client(app, account, *scopes)
    async with browser(transport) as page:
        response = await sign_in_with(page, account, client.client_id, client.client_secret)
        assert response.status_code == 303, response.text
        yield page


async def form_token(page: httpx.AsyncClient, path: str) -> str:
    response = await page.get(path)
    assert response.status_code == 200, response.text
    return csrf_of(response.text)
