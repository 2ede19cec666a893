"""GET /draft_orders/{id}."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI

from shopping.auth.scopes import ADMIN_SHOPPING, READ_SHOPPING, WRITE_SHOPPING
from tests.conftest import bearer
from tests.support.drafts import create_draft, draft_body, get_draft, item


async def test_get_returns_the_draft_as_created(api: httpx.AsyncClient) -> None:
    created = await create_draft(api, draft_body(item(), item(gross=500, store="X")))

    assert await get_draft(api, created["id"]) == created


async def test_get_with_a_read_only_token(
    api: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    created = await create_draft(api)

    response = await api.get(
        f"/draft_orders/{created['id']}", headers=bearer(app, account, READ_SHOPPING)
    )

    assert response.status_code == 200, response.text
    assert response.json() == created


async def test_write_only_token_cannot_read(
    api: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    created = await create_draft(api)

    response = await api.get(
        f"/draft_orders/{created['id']}", headers=bearer(app, account, WRITE_SHOPPING)
    )

    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "FORBIDDEN"


async def test_unknown_id_is_404(api: httpx.AsyncClient) -> None:
    unknown = str(uuid.uuid4())

    response = await api.get(f"/draft_orders/{unknown}")

    assert response.status_code == 404, response.text
    error = response.json()["error"]
    assert error["code"] == "DRAFT_NOT_FOUND"
    assert unknown in error["message"]


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "123", "0f3c-zzzz"])
async def test_invalid_id_is_400(api: httpx.AsyncClient, bad_id: str) -> None:
    response = await api.get(f"/draft_orders/{bad_id}")

    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert [e["path"] for e in error["errors"]] == ["id"]


async def test_a_draft_of_another_account_is_404(
    api: httpx.AsyncClient, app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    other = "P" + account[1:] if account.startswith("T") else "T" + account[1:]
    response = await http.post(
        f"/v1/accounts/{other}/shopping/draft_orders",
        json=draft_body(item()),
        headers=bearer(app, other, ADMIN_SHOPPING),
    )
    assert response.status_code == 200, response.text
    foreign_id = response.json()["id"]

    mine = await api.get(f"/draft_orders/{foreign_id}")
    theirs = await http.get(
        f"/v1/accounts/{other}/shopping/draft_orders/{foreign_id}",
        headers=bearer(app, other, ADMIN_SHOPPING),
    )

    assert mine.status_code == 404, mine.text
    assert mine.json()["error"]["code"] == "DRAFT_NOT_FOUND"
    assert theirs.status_code == 200


async def test_a_token_of_another_account_is_403(
    api: httpx.AsyncClient, app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    created = await create_draft(api)
    other = "P" + account[1:]

    response = await http.get(
        f"/v1/accounts/{account}/shopping/draft_orders/{created['id']}",
        headers=bearer(app, other, ADMIN_SHOPPING),
    )

    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "FORBIDDEN"


async def test_no_token_is_401(http: httpx.AsyncClient, account: str) -> None:
    response = await http.get(f"/v1/accounts/{account}/shopping/draft_orders/{uuid.uuid4()}")

    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "UNAUTHORIZED"
