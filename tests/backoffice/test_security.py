"""Back-office security: sessions, CSRF, account isolation, escaping and cookie flags (SQLite
and Postgres, over ASGI)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI

from shopping.auth.principal import Principal
from shopping.auth.scopes import ADMIN_SHOPPING, READ_SHOPPING
from shopping.backoffice.sessions import COOKIE, SessionCodec
from tests.backoffice.pages import (
    browser,
    csrf_of,
    form_token,
    new_client,
    sign_in_with,
    signed_in,
)
from tests.conftest import TEST_SECRET
from tests.support.completion import another_account
from tests.support.drafts import customer
from tests.support.orders import completed_order, get_order
from tests.support.payments import authorized_order

SCRIPT = "<script>alert(1)</script>"
PAGES = (
    "/backoffice/orders",
    "/backoffice/orders/{order}",
    "/backoffice/drafts",
    "/backoffice/webhooks",
    "/backoffice/events",
    "/backoffice/payout-rules",
    "/backoffice/discount-rules",
    "/backoffice/discount-rules/{order}",
)
ACTIONS = (
    "/backoffice/orders/{order}/comments",
    "/backoffice/orders/{order}/cancel",
    "/backoffice/orders/{order}/close",
    "/backoffice/orders/{order}/captures",
)


async def test_no_page_without_a_session(
    transport: httpx.AsyncBaseTransport, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api)
    async with browser(transport) as anonymous:
        for page in PAGES:
            response = await anonymous.get(page.format(order=order["id"]))
            assert response.status_code == 303, page
            assert response.headers["location"].startswith("/backoffice/sign-in?reason=required")
            assert order["id"] not in response.text


async def test_no_action_without_a_session(
    transport: httpx.AsyncBaseTransport, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api)
    async with browser(transport) as anonymous:
        for action in ACTIONS:
            response = await anonymous.post(
                action.format(order=order["id"]),
                data={"body": "x", "line": "1", "amount_1": "1.00", "csrf_token": "x"},
            )
            assert response.status_code == 401, action
            assert "Nothing was changed" in response.text
    assert (await get_order(api, order["id"]))["version"] == order["version"]


async def test_wrong_credentials_get_a_page_and_no_session(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str
) -> None:
    client = await new_client(app, account, ADMIN_SHOPPING)
    attempts = [
        (account, client.client_id, "not-the-secret"),
        (another_account(), client.client_id, client.client_secret),  # another account's client
        (account, "no-such-client", client.client_secret),
    ]
    async with browser(transport) as page:
        for account_id, client_id, secret in attempts:
            response = await sign_in_with(page, account_id, client_id, secret)
            assert response.status_code == 401
            assert "not valid for this account" in response.text
            assert COOKIE not in response.headers.get("set-cookie", "")
        assert (await page.get("/backoffice/orders")).status_code == 303


async def test_sign_in_form_without_its_token_is_refused(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str
) -> None:
    client = await new_client(app, account, ADMIN_SHOPPING)
    async with browser(transport) as page:
        response = await page.post(
            "/backoffice/sign-in",
            data={
                "account_id": account,
                "client_id": client.client_id,
                "client_secret": client.client_secret,
            },
        )
    assert response.status_code == 403
    assert COOKIE not in response.headers.get("set-cookie", "")


async def test_session_cookie_flags(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str
) -> None:
    client = await new_client(app, account, ADMIN_SHOPPING)
    async with browser(transport, "https://testserver") as page:
        response = await sign_in_with(page, account, client.client_id, client.client_secret)
    assert response.status_code == 303
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(f"{COOKIE}="))
    flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")}
    assert "httponly" in flags
    assert flags["samesite"].lower() == "samesite=strict"
    assert "secure" in flags
    assert flags["path"] == "Path=/backoffice"
    assert flags["max-age"] == "Max-Age=28800"


async def test_expired_and_forged_sessions_are_refused(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api)
    principal = Principal(account, "someone", frozenset({ADMIN_SHOPPING}))
    yesterday = datetime.now(UTC) - timedelta(days=1)
    expired, _ = SessionCodec(TEST_SECRET, lambda: yesterday).issue(principal)
    forged, _ = SessionCodec("another-secret-" + "y" * 40, lambda: datetime.now(UTC)).issue(
        principal
    )
    bearer_token = app.state.tokens.issue(principal)
    for cookie, reason in ((expired, "expired"), (forged, "required"), (bearer_token, "required")):
        async with browser(transport) as page:
            page.headers["cookie"] = f"{COOKIE}={cookie}"
            response = await page.get(f"/backoffice/orders/{order['id']}")
            assert response.status_code == 303
            assert f"reason={reason}" in response.headers["location"]
            action = await page.post(
                f"/backoffice/orders/{order['id']}/close", data={"csrf_token": "x"}
            )
            assert action.status_code == 401
    assert (await get_order(api, order["id"]))["status"] == "open"


@pytest.mark.parametrize("token", [None, "", "0" * 64])
async def test_csrf_missing_or_wrong_refuses_and_changes_nothing(
    transport: httpx.AsyncBaseTransport,
    app: FastAPI,
    account: str,
    api: httpx.AsyncClient,
    token: str | None,
) -> None:
    order = await authorized_order(api, (10000,))
    async with signed_in(transport, app, account, ADMIN_SHOPPING) as page:
        extra = {} if token is None else {"csrf_token": token}
        posts = {
            "comments": {"body": "hello"},
            "cancel": {},
            "close": {},
            "captures": {"line": "1", "amount_1": "10.00", "currency": "NOK"},
        }
        for action, data in posts.items():
            response = await page.post(
                f"/backoffice/orders/{order['id']}/{action}", data={**data, **extra}
            )
            assert response.status_code == 403, action
            assert "Nothing was changed" in response.text
        signed_out = await page.post("/backoffice/sign-out", data=extra)
        assert signed_out.status_code == 403
    after = await get_order(api, order["id"])
    assert after["version"] == order["version"]
    assert after["comments"] == []
    assert after["captures"] == []


async def test_csrf_token_of_another_session_is_refused(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api)
    async with signed_in(transport, app, account, ADMIN_SHOPPING) as first:
        other_token = await form_token(first, f"/backoffice/orders/{order['id']}")
    async with signed_in(transport, app, account, ADMIN_SHOPPING) as second:
        response = await second.post(
            f"/backoffice/orders/{order['id']}/comments",
            data={"body": "hi", "csrf_token": other_token},
        )
    assert response.status_code == 403
    assert (await get_order(api, order["id"]))["comments"] == []


async def test_another_accounts_order_is_not_found(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api, customer=customer(email="secret@example.com"))
    async with signed_in(transport, app, another_account(), ADMIN_SHOPPING) as stranger:
        page = await stranger.get(f"/backoffice/orders/{order['id']}")
        assert page.status_code == 404
        assert "secret@example.com" not in page.text
        token = csrf_of(page.text)  # the sign-out form of the stranger's own session
        action = await stranger.post(
            f"/backoffice/orders/{order['id']}/comments", data={"body": "x", "csrf_token": token}
        )
        assert action.status_code == 404
        listed = await stranger.get("/backoffice/orders", params={"search": "secret@"})
        assert listed.status_code == 200
        assert order["id"] not in listed.text
    assert (await get_order(api, order["id"]))["comments"] == []


async def test_html_from_shops_and_operators_is_escaped(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await completed_order(
        api,
        customer=customer(first_name=SCRIPT, last_name='"><img src=x onerror=alert(2)>'),
        metadata={"note": SCRIPT},
    )
    async with signed_in(transport, app, account, ADMIN_SHOPPING) as page:
        token = await form_token(page, f"/backoffice/orders/{order['id']}")
        added = await page.post(
            f"/backoffice/orders/{order['id']}/comments",
            data={"body": f"comment {SCRIPT}", "csrf_token": token},
        )
        assert added.status_code == 303
        for path in ("/backoffice/orders", f"/backoffice/orders/{order['id']}"):
            response = await page.get(path)
            assert response.status_code == 200
            assert "<script>" not in response.text
            assert "<img src=x" not in response.text
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
            assert "script-src" not in response.headers["content-security-policy"]
            assert "default-src 'none'" in response.headers["content-security-policy"]


async def test_read_only_client_sees_no_buttons_and_is_refused(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await authorized_order(api, (10000,))
    async with signed_in(transport, app, account, READ_SHOPPING) as page:
        response = await page.get(f"/backoffice/orders/{order['id']}")
        assert response.status_code == 200
        assert "Kari Nordmann" in response.text
        for action in ("/comments", "/cancel", "/close", "/captures"):
            assert f'action="/backoffice/orders/{order["id"]}{action}"' not in response.text
        token = csrf_of(response.text)  # its sign-out form
        for action, data in (("comments", {"body": "hi"}), ("close", {})):
            refused = await page.post(
                f"/backoffice/orders/{order['id']}/{action}", data={**data, "csrf_token": token}
            )
            assert refused.status_code == 403
            assert "write:shopping" in refused.text
    assert (await get_order(api, order["id"]))["version"] == order["version"]


async def test_sign_out_ends_the_session(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str
) -> None:
    async with signed_in(transport, app, account, ADMIN_SHOPPING) as page:
        again = await page.get("/backoffice/sign-in")
        assert again.headers["location"] == "/backoffice/orders"
        token = await form_token(page, "/backoffice/orders")
        response = await page.post("/backoffice/sign-out", data={"csrf_token": token})
        assert response.status_code == 303
        assert (await page.get("/backoffice/orders")).status_code == 303


async def test_sign_in_returns_only_to_back_office_pages(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str
) -> None:
    client = await new_client(app, account, ADMIN_SHOPPING)
    async with browser(transport) as page:
        form = await page.get("/backoffice/sign-in", params={"next": "//evil.example/x"})
        response = await page.post(
            "/backoffice/sign-in",
            data={
                "csrf_token": csrf_of(form.text),
                "account_id": account,
                "client_id": client.client_id,
                "client_secret": client.client_secret,
                "next": "https://evil.example/",
            },
        )
    assert response.status_code == 303
    assert response.headers["location"] == "/backoffice/orders"


async def test_an_oversized_form_is_refused(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api)
    path = f"/backoffice/orders/{order['id']}"
    async with signed_in(transport, app, account, ADMIN_SHOPPING) as page:
        token = await form_token(page, path)
        response = await page.post(
            f"{path}/comments", data={"body": "x" * 70_000, "csrf_token": token}
        )
    assert response.status_code == 413
    assert (await get_order(api, order["id"]))["comments"] == []


async def test_an_odd_order_reference_cannot_shape_the_redirect(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api, order_id="ORD 7?next=x#y")
    async with signed_in(transport, app, account, ADMIN_SHOPPING) as page:
        token = await form_token(page, "/backoffice/orders")
        response = await page.post(
            "/backoffice/orders/ORD%207%3Fnext=x%23y/comments",
            data={"body": "hi", "csrf_token": token},
        )
        missing = await page.post(
            "/backoffice/orders/x%0D%0ASet-Cookie:%20a=b/comments",
            data={"body": "hi", "csrf_token": token},
        )
    assert response.status_code == 303
    assert response.headers["location"] == (
        "/backoffice/orders/ORD%207%3Fnext%3Dx%23y?notice=comment-added"
    )
    assert (await get_order(api, order["id"]))["comments"][0]["body"] == "hi"
    assert missing.status_code == 404
    assert "set-cookie" not in {name.lower() for name in missing.headers}
