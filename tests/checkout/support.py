"""Helpers for checkout tests: a Checkout API client per account, session bodies, paying
through the hosted page's form."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from fastapi import FastAPI

from tests.conftest import bearer
from tests.support.contract import ContractTransport

Json = dict[str, Any]
SUCCESS_CARD = "4000 0000 0000 0002"
MASTERCARD = "5200 0000 0000 0007"
THREE_DS_FAILS = "4000 3000 0000 0006"
DECLINED_CARD = "4100 0000 0000 0076"


@asynccontextmanager
async def checkout_client(
    app: FastAPI, account: str, *scopes: str
) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=ContractTransport(app),
        base_url=f"http://testserver/v1/accounts/{account}/checkout",
        headers=bearer(app, account, *(scopes or ("admin:checkout",))),
    ) as client:
        yield client


def session_body(amount: int = 12500, **fields: Any) -> Json:
    body: Json = {
        "profile_id": "default",
        "url": {"return_url": "https://shop.example/return?gateway=dintero"},
        "order": {
            "amount": amount,
            "currency": "NOK",
            "merchant_reference": "mr-1",
            "items": [
                {
                    "id": "sku-1",
                    "line_id": "1",
                    "description": "Shirt",
                    "quantity": 1,
                    "amount": amount - 2500,
                    "vat": 25,
                    "vat_amount": (amount - 2500) // 5,
                },
                {
                    "id": "sku-2",
                    "line_id": "2",
                    "description": "Socks",
                    "quantity": 1,
                    "amount": 2500,
                    "vat": 25,
                    "vat_amount": 500,
                },
            ],
        },
    }
    body.update(fields)
    return body


async def create_session(checkout: httpx.AsyncClient, body: Json | None = None) -> Json:
    response = await checkout.post("/sessions-profile", json=body or session_body())
    assert response.status_code == 200, response.text
    created: Json = response.json()
    return created


def view_path(session_id: str) -> str:
    return f"/v1/view/{session_id}"


async def submit(
    http: httpx.AsyncClient,
    app: FastAPI,
    session_id: str,
    action: str = "pay",
    card: str = SUCCESS_CARD,
    **fields: str,
) -> httpx.Response:
    form = {
        "csrf_token": app.state.checkout_page_security.token(session_id),
        "action": action,
        "card_number": card,
        "expiry": "12/39",
        "cvc": "123",
        "name": "Kari Nordmann",
        **fields,
    }
    return await http.post(f"{view_path(session_id)}/pay", data=form)


async def pay(
    http: httpx.AsyncClient,
    app: FastAPI,
    session_id: str,
    card: str = SUCCESS_CARD,
    action: str = "pay",
) -> dict[str, list[str]]:
    """Pay on the page; the query of the `return_url` it redirected to."""
    response = await submit(http, app, session_id, action, card)
    assert response.status_code == 303, response.text
    return parse_qs(urlsplit(response.headers["location"]).query)


def error(response: httpx.Response) -> Json:
    body: Json = response.json()["error"]
    return body
