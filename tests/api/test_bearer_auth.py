"""Bearer tokens on Shopping routes: 401 for who-are-you, 403 for not-allowed (§10.2, §10.24)."""

from __future__ import annotations

import random
from datetime import timedelta

import httpx
import jwt
import pytest
from fastapi import FastAPI

from shopping.auth.principal import Principal
from shopping.auth.scopes import (
    ADMIN_SHOPPING,
    DISCOUNTS,
    READ_ORDER_EVENTS,
    READ_SHOPPING,
    WRITE_ORDER_EVENTS,
    WRITE_SHOPPING,
)
from shopping.auth.tokens import ISSUER, TokenIssuer, audience
from shopping.kit.clock import utc_now
from tests.conftest import bearer, token_for

DRAFT = {
    "order": {
        "currency": "NOK",
        "items": [{"line_id": 1, "gross_amount": 1000, "tax_lines": [{"percentage": 25}]}],
    }
}
ITEM = {"line_id": 2, "gross_amount": 500, "tax_lines": [{"percentage": 25}]}


def drafts_url(account: str) -> str:
    return f"/v1/accounts/{account}/shopping/draft_orders"


def other_account(account: str) -> str:
    while (other := f"T{random.randrange(10**8):08d}") == account:
        pass
    return other


def signing_secret(app: FastAPI) -> str:
    secret: str = app.state.settings.signing_secret()
    return secret


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, str]:
    assert response.status_code == status, response.text
    error: dict[str, str] = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    return error


def assert_unauthorized(response: httpx.Response) -> dict[str, str]:
    error = assert_error(response, 401, "UNAUTHORIZED")
    assert response.headers["www-authenticate"] == "Bearer"
    return error


async def list_drafts(http: httpx.AsyncClient, app: FastAPI, account: str) -> list[object]:
    response = await http.get(drafts_url(account), headers=bearer(app, account, ADMIN_SHOPPING))
    assert response.status_code == 200, response.text
    drafts: list[object] = response.json()["draft_orders"]
    return drafts


# --- 401: no usable token ------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_no_authorization_header_is_a_401(
    app: FastAPI, http: httpx.AsyncClient, account: str, method: str
) -> None:
    response = await http.request(method, drafts_url(account), json=DRAFT)

    assert_unauthorized(response)
    assert await list_drafts(http, app, account) == []


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("", id="empty"),
        pytest.param("Bearer", id="bearer-without-token"),
        pytest.param("Bearer    ", id="bearer-blank"),
        pytest.param("Basic dXNlcjpwYXNz", id="basic"),
        pytest.param("Token abc", id="token-scheme"),
    ],
)
async def test_a_non_bearer_authorization_is_a_401(
    http: httpx.AsyncClient, account: str, header: str
) -> None:
    response = await http.get(drafts_url(account), headers={"Authorization": header})

    assert_unauthorized(response)


async def test_a_valid_token_under_another_scheme_is_a_401(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    token = token_for(app, account, ADMIN_SHOPPING)

    response = await http.get(drafts_url(account), headers={"Authorization": f"Token {token}"})

    assert_unauthorized(response)


async def test_the_bearer_scheme_name_is_case_insensitive(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    token = token_for(app, account, ADMIN_SHOPPING)

    response = await http.get(drafts_url(account), headers={"Authorization": f"bearer {token}"})

    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("garbage", id="garbage"),
        pytest.param("a.b.c", id="three-dots"),
        pytest.param("eyJhbGciOiJIUzI1NiJ9.e30.", id="empty-signature"),
    ],
)
async def test_a_garbage_token_is_a_401(http: httpx.AsyncClient, account: str, token: str) -> None:
    response = await http.get(drafts_url(account), headers=auth(token))

    error = assert_unauthorized(response)
    assert "invalid" in error["message"]


async def test_a_token_signed_with_another_secret_is_a_401(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    forger = TokenIssuer("another-secret-" + "y" * 40, 3600)
    token = forger.issue(Principal(account, "client", frozenset({ADMIN_SHOPPING})))

    response = await http.post(drafts_url(account), headers=auth(token), json=DRAFT)

    assert_unauthorized(response)
    assert await list_drafts(http, app, account) == []


async def test_an_unsigned_token_is_a_401(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    now = int(utc_now().timestamp())
    claims = {
        "iss": ISSUER,
        "sub": "client",
        "aud": audience(account),
        "account_id": account,
        "scope": ADMIN_SHOPPING,
        "iat": now,
        "exp": now + 3600,
    }
    token = jwt.encode(claims, None, algorithm="none")

    response = await http.get(drafts_url(account), headers=auth(token))

    assert_unauthorized(response)


async def test_a_token_with_another_algorithm_is_a_401(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    now = int(utc_now().timestamp())
    claims = {
        "iss": ISSUER,
        "sub": "client",
        "aud": audience(account),
        "account_id": account,
        "scope": ADMIN_SHOPPING,
        "iat": now,
        "exp": now + 3600,
    }
    token = jwt.encode(claims, signing_secret(app), algorithm="HS384")

    response = await http.get(drafts_url(account), headers=auth(token))

    assert_unauthorized(response)


async def test_an_expired_token_is_a_401_that_says_so(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    an_hour_ago = utc_now() - timedelta(hours=1)
    issuer = TokenIssuer(signing_secret(app), 60, clock=lambda: an_hour_ago)
    token = issuer.issue(Principal(account, "client", frozenset({ADMIN_SHOPPING})))

    response = await http.post(drafts_url(account), headers=auth(token), json=DRAFT)

    error = assert_unauthorized(response)
    assert "expired" in error["message"]
    assert await list_drafts(http, app, account) == []


async def test_a_token_from_the_same_secret_and_a_current_clock_is_accepted(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    """Control for the two tests above: only the secret or the clock made them fail."""
    issuer = TokenIssuer(signing_secret(app), 60)
    token = issuer.issue(Principal(account, "client", frozenset({ADMIN_SHOPPING})))

    response = await http.get(drafts_url(account), headers=auth(token))

    assert response.status_code == 200, response.text


# --- 403: the token is valid but not for this ---------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_token_of_another_account_is_a_403(
    app: FastAPI, http: httpx.AsyncClient, account: str, method: str
) -> None:
    other = other_account(account)

    response = await http.request(
        method, drafts_url(account), headers=bearer(app, other, ADMIN_SHOPPING), json=DRAFT
    )

    error = assert_error(response, 403, "FORBIDDEN")
    assert account in error["message"]
    assert await list_drafts(http, app, account) == []
    assert await list_drafts(http, app, other) == []


async def test_a_read_token_reads_but_cannot_write(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    headers = bearer(app, account, READ_SHOPPING)

    read = await http.get(drafts_url(account), headers=headers)
    write = await http.post(drafts_url(account), headers=headers, json=DRAFT)

    assert read.status_code == 200, read.text
    assert read.json() == {"draft_orders": []}
    error = assert_error(write, 403, "FORBIDDEN")
    assert WRITE_SHOPPING in error["message"]
    assert await list_drafts(http, app, account) == []


async def test_a_write_token_writes_but_cannot_read(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    headers = bearer(app, account, WRITE_SHOPPING)

    write = await http.post(drafts_url(account), headers=headers, json=DRAFT)
    read = await http.get(drafts_url(account), headers=headers)
    get = await http.get(f"{drafts_url(account)}/{write.json()['id']}", headers=headers)

    assert write.status_code == 200, write.text
    error = assert_error(read, 403, "FORBIDDEN")
    assert READ_SHOPPING in error["message"]
    assert_error(get, 403, "FORBIDDEN")


@pytest.mark.parametrize(
    "scopes",
    [
        pytest.param((), id="no-scopes"),
        pytest.param(("admin:checkout",), id="unrelated-scope"),
        pytest.param((READ_ORDER_EVENTS, WRITE_ORDER_EVENTS), id="order-events-only"),
        pytest.param(("admin:discounts",), id="discounts-only"),
    ],
)
async def test_tokens_without_a_shopping_scope_can_neither_read_nor_write(
    app: FastAPI, http: httpx.AsyncClient, account: str, scopes: tuple[str, ...]
) -> None:
    headers = bearer(app, account, *scopes)

    read = await http.get(drafts_url(account), headers=headers)
    write = await http.post(drafts_url(account), headers=headers, json=DRAFT)

    assert_error(read, 403, "FORBIDDEN")
    assert_error(write, 403, "FORBIDDEN")
    assert await list_drafts(http, app, account) == []


async def test_a_read_token_cannot_change_an_existing_draft(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    admin = bearer(app, account, ADMIN_SHOPPING)
    created = await http.post(drafts_url(account), headers=admin, json=DRAFT)
    assert created.status_code == 200, created.text
    url = f"{drafts_url(account)}/{created.json()['id']}"
    reader = bearer(app, account, READ_SHOPPING)

    added = await http.post(f"{url}/items", headers=reader, json=ITEM)
    replaced = await http.put(url, headers=reader, json={"order": {"currency": "SEK", "items": []}})
    removed = await http.delete(f"{url}/items/1", headers=reader)

    for response in (added, replaced, removed):
        assert_error(response, 403, "FORBIDDEN")
    after = await http.get(url, headers=reader)
    assert after.status_code == 200, after.text
    assert after.json() == created.json()


# --- apply_discounts=true needs a discounts scope too ----------------------------------------


async def test_apply_discounts_without_a_discounts_scope_is_a_403(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    headers = bearer(app, account, ADMIN_SHOPPING)

    response = await http.post(
        drafts_url(account), params={"apply_discounts": "true"}, headers=headers, json=DRAFT
    )

    error = assert_error(response, 403, "FORBIDDEN")
    assert "apply_discounts" in error["message"]
    assert await list_drafts(http, app, account) == []


async def test_apply_discounts_false_needs_no_discounts_scope(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    headers = bearer(app, account, ADMIN_SHOPPING)

    response = await http.post(
        drafts_url(account), params={"apply_discounts": "false"}, headers=headers, json=DRAFT
    )

    assert response.status_code == 200, response.text


@pytest.mark.parametrize("discounts_scope", sorted(DISCOUNTS))
async def test_apply_discounts_with_a_discounts_scope_is_allowed(
    app: FastAPI, http: httpx.AsyncClient, account: str, discounts_scope: str
) -> None:
    headers = bearer(app, account, WRITE_SHOPPING, discounts_scope)

    response = await http.post(
        drafts_url(account), params={"apply_discounts": "true"}, headers=headers, json=DRAFT
    )

    assert response.status_code == 200, response.text
    assert len(await list_drafts(http, app, account)) == 1


async def test_apply_discounts_on_an_item_write_without_a_discounts_scope_is_a_403(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    headers = bearer(app, account, ADMIN_SHOPPING)
    created = await http.post(drafts_url(account), headers=headers, json=DRAFT)
    assert created.status_code == 200, created.text
    url = f"{drafts_url(account)}/{created.json()['id']}"

    response = await http.post(
        f"{url}/items", params={"apply_discounts": "true"}, headers=headers, json=ITEM
    )

    assert_error(response, 403, "FORBIDDEN")
    after = await http.get(url, headers=headers)
    assert after.json() == created.json()


async def test_a_discounts_scope_alone_does_not_grant_writes(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    headers = bearer(app, account, "write:discounts")

    response = await http.post(
        drafts_url(account), params={"apply_discounts": "true"}, headers=headers, json=DRAFT
    )

    assert_error(response, 403, "FORBIDDEN")
    assert await list_drafts(http, app, account) == []
