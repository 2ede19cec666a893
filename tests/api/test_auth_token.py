"""`POST /v1/accounts/{aid}/auth/token`: client credentials (HTTP Basic) for a bearer token.

Clients are created the way the CLI does (`create_client`), so the stored secret is a real
scrypt hash and authentication goes through the database on both backends.
"""

from __future__ import annotations

import base64
import random
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from shopping.auth.clients import NewClient, create_client
from shopping.auth.principal import Principal
from shopping.auth.scopes import ADMIN_SHOPPING, READ_SHOPPING
from shopping.kit.clock import utc_now
from shopping.models import ApiClient

GRANT = {"grant_type": "client_credentials"}


def token_url(account: str) -> str:
    return f"/v1/accounts/{account}/auth/token"


def drafts_url(account: str) -> str:
    return f"/v1/accounts/{account}/shopping/draft_orders"


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def raw_basic(raw: bytes) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def other_account(account: str) -> str:
    while (other := f"T{random.randrange(10**8):08d}") == account:
        pass
    return other


async def new_client(app: FastAPI, account: str, *scopes: str) -> NewClient:
    async with app.state.db.write() as conn:
        return await create_client(conn, account, list(scopes), "test client")


@pytest.fixture
async def client(app: FastAPI, account: str) -> NewClient:
    return await new_client(app, account, ADMIN_SHOPPING)


async def request_token(
    http: httpx.AsyncClient, account: str, client: NewClient, body: Any = GRANT
) -> httpx.Response:
    return await http.post(
        token_url(account), json=body, headers=basic(client.client_id, client.client_secret)
    )


def assert_invalid_client(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "INVALID_CLIENT"
    assert response.json()["error"]["message"]
    assert response.headers["www-authenticate"].startswith("Basic")


def assert_bad_request(response: httpx.Response, code: str = "VALIDATION_ERROR") -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert "detail" not in body  # never FastAPI's default shape
    assert body["error"]["code"] == code
    assert body["error"]["message"]


# --- success -----------------------------------------------------------------------------


async def test_client_credentials_give_a_working_bearer_token(
    app: FastAPI, http: httpx.AsyncClient, account: str, client: NewClient
) -> None:
    response = await request_token(http, account, client)

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == app.state.settings.token_ttl_seconds == 14400
    listed = await http.get(
        drafts_url(account), headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert listed.status_code == 200, listed.text
    assert listed.json() == {"draft_orders": []}


async def test_the_token_carries_the_account_the_client_and_its_scopes(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    client = await new_client(app, account, READ_SHOPPING)

    response = await request_token(http, account, client)

    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    assert app.state.tokens.verify(token) == Principal(
        account, client.client_id, frozenset({READ_SHOPPING})
    )
    auth = {"Authorization": f"Bearer {token}"}
    assert (await http.get(drafts_url(account), headers=auth)).status_code == 200
    write = await http.post(
        drafts_url(account),
        headers=auth,
        json={"order": {"currency": "NOK", "items": []}},
    )
    assert write.status_code == 403, write.text


@pytest.mark.parametrize("trailing", ["", "/"])
async def test_an_audience_naming_the_account_is_accepted(
    http: httpx.AsyncClient, account: str, client: NewClient, trailing: str
) -> None:
    body = {**GRANT, "audience": f"https://api.dintero.com/v1/accounts/{account}{trailing}"}

    response = await request_token(http, account, client, body)

    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "Bearer"


async def test_an_audience_naming_another_account_is_a_400(
    http: httpx.AsyncClient, account: str, client: NewClient
) -> None:
    other = other_account(account)
    body = {**GRANT, "audience": f"https://api.dintero.com/v1/accounts/{other}"}

    response = await request_token(http, account, client, body)

    assert_bad_request(response, code="BAD_REQUEST")
    assert account in response.json()["error"]["message"]
    assert "access_token" not in response.text


async def test_an_audience_that_is_not_an_account_url_is_a_400(
    http: httpx.AsyncClient, account: str, client: NewClient
) -> None:
    response = await request_token(
        http, account, client, {**GRANT, "audience": "https://example.com/"}
    )

    assert_bad_request(response, code="BAD_REQUEST")


# --- bad client credentials: 401 -----------------------------------------------------------


async def test_a_wrong_secret_is_a_401(
    http: httpx.AsyncClient, account: str, client: NewClient
) -> None:
    response = await http.post(
        token_url(account), json=GRANT, headers=basic(client.client_id, client.client_secret + "x")
    )

    assert_invalid_client(response)
    assert "access_token" not in response.text


async def test_the_secret_of_another_client_is_a_401(
    app: FastAPI, http: httpx.AsyncClient, account: str, client: NewClient
) -> None:
    other = await new_client(app, account, ADMIN_SHOPPING)

    response = await http.post(
        token_url(account), json=GRANT, headers=basic(client.client_id, other.client_secret)
    )

    assert_invalid_client(response)


async def test_an_empty_secret_is_a_401(
    http: httpx.AsyncClient, account: str, client: NewClient
) -> None:
    response = await http.post(token_url(account), json=GRANT, headers=basic(client.client_id, ""))

    assert_invalid_client(response)


async def test_an_unknown_client_is_a_401(
    http: httpx.AsyncClient, account: str, client: NewClient
) -> None:
    response = await http.post(
        token_url(account),
        json=GRANT,
        headers=basic("00000000-0000-4000-8000-000000000000", client.client_secret),
    )

    assert_invalid_client(response)


async def test_a_client_of_another_account_is_a_401(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    foreign = await new_client(app, other_account(account), ADMIN_SHOPPING)

    response = await request_token(http, account, foreign)

    assert_invalid_client(response)
    # the same credentials do work on their own account
    assert (await request_token(http, foreign.account_id, foreign)).status_code == 200


async def test_a_revoked_client_is_a_401(
    app: FastAPI, http: httpx.AsyncClient, account: str, client: NewClient
) -> None:
    assert (await request_token(http, account, client)).status_code == 200
    async with app.state.db.write() as conn:
        await conn.execute(
            update(ApiClient)
            .where(ApiClient.account_id == account, ApiClient.client_id == client.client_id)
            .values(revoked_at=utc_now())
        )

    response = await request_token(http, account, client)

    assert_invalid_client(response)


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="missing"),
        pytest.param({"Authorization": ""}, id="empty"),
        pytest.param({"Authorization": "Basic"}, id="basic-without-credentials"),
        pytest.param({"Authorization": "Basic "}, id="basic-blank"),
        pytest.param({"Authorization": "Basic !!not-base64!!"}, id="not-base64"),
        pytest.param({"Authorization": "Basic Zm9v"}, id="truncated-base64"),
        pytest.param(raw_basic(b"no-colon-here"), id="no-colon"),
        pytest.param(raw_basic(b":secret"), id="empty-client-id"),
        pytest.param(raw_basic(b"\xff\xfe:secret"), id="not-utf8"),
        pytest.param({"Authorization": "Bearer abc.def.ghi"}, id="bearer-scheme"),
        pytest.param({"Authorization": "Digest username=x"}, id="digest-scheme"),
    ],
)
async def test_missing_or_malformed_basic_credentials_are_a_401(
    http: httpx.AsyncClient, account: str, headers: dict[str, str]
) -> None:
    response = await http.post(token_url(account), json=GRANT, headers=headers)

    assert_invalid_client(response)


async def test_the_basic_scheme_name_is_case_insensitive(
    http: httpx.AsyncClient, account: str, client: NewClient
) -> None:
    header = basic(client.client_id, client.client_secret)["Authorization"]

    response = await http.post(
        token_url(account), json=GRANT, headers={"Authorization": "basic" + header[5:]}
    )

    assert response.status_code == 200, response.text


async def test_a_client_id_with_a_nul_byte_is_a_401(app: FastAPI, account: str) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
        base_url="http://testserver",
    ) as client:
        response = await client.post(
            token_url(account), json=GRANT, headers=raw_basic(b"a\x00b:secret")
        )

    assert_invalid_client(response)


# --- bad requests: 400 in the envelope --------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "path"),
    [
        pytest.param({"grant_type": "password"}, "grant_type", id="password-grant"),
        pytest.param({"grant_type": "authorization_code"}, "grant_type", id="code-grant"),
        pytest.param({"grant_type": 1}, "grant_type", id="grant-not-a-string"),
        pytest.param({}, "grant_type", id="grant-missing"),
        pytest.param({**GRANT, "scope": "admin:shopping"}, "scope", id="extra-field"),
        pytest.param({**GRANT, "audience": "x" * 256}, "audience", id="audience-too-long"),
        pytest.param({**GRANT, "audience": 7}, "audience", id="audience-not-a-string"),
        pytest.param([GRANT], "body", id="array-body"),
    ],
)
async def test_an_invalid_body_is_a_400_envelope(
    http: httpx.AsyncClient, account: str, client: NewClient, body: Any, path: str
) -> None:
    response = await request_token(http, account, client, body)

    assert_bad_request(response)
    assert path in [error["path"] for error in response.json()["error"]["errors"]]


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        pytest.param(b'{"grant_type": ', "application/json", id="truncated-json"),
        pytest.param(b"{grant_type: client_credentials}", "application/json", id="not-json"),
        pytest.param(b"grant_type=client_credentials", "application/json", id="form-as-json"),
    ],
)
async def test_a_malformed_json_body_is_a_400_envelope(
    http: httpx.AsyncClient, account: str, client: NewClient, content: bytes, content_type: str
) -> None:
    response = await http.post(
        token_url(account),
        content=content,
        headers={
            **basic(client.client_id, client.client_secret),
            "Content-Type": content_type,
        },
    )

    assert_bad_request(response)
    assert response.json()["error"]["message"] == "The request body is not valid JSON"


async def test_a_missing_body_is_a_400_envelope(
    http: httpx.AsyncClient, account: str, client: NewClient
) -> None:
    response = await http.post(
        token_url(account), headers=basic(client.client_id, client.client_secret)
    )

    assert_bad_request(response)


@pytest.mark.parametrize("aid", ["X12345678", "t12345678", "T1234567", "T123456789", "T1234567a"])
async def test_a_malformed_account_id_in_the_path_is_a_400(
    http: httpx.AsyncClient, aid: str
) -> None:
    response = await http.post(token_url(aid), json=GRANT, headers=basic("some-client", "secret"))

    assert_bad_request(response)
    assert [error["path"] for error in response.json()["error"]["errors"]] == ["aid"]
