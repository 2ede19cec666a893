"""A customer in a real Chromium: open the session's page, fill a test card, pay, land on the
shop's return_url; the order shows the authorization and the shop gets a signed callback.
Declined, cancelled, on-hold, already-paid and expired pages too. A screenshot of each state
is saved under test-artifacts/screenshots/."""

from __future__ import annotations

import hashlib
import hmac
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from shopping.auth.principal import Principal
from shopping.checkout.signature import signed_text
from tests.checkout.browser import (
    LiveServer,
    Shop,
    chromium,
    live_server,
    screenshot,
    shop,
)
from tests.support.browser import require_browser
from tests.support.drafts import draft_body, item

Json = dict[str, Any]


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[LiveServer]:
    require_browser()
    with live_server(database_url) as found:
        yield found


@pytest.fixture(scope="module")
def driver(server: LiveServer) -> Iterator[Any]:
    with chromium() as found:
        yield found


@pytest.fixture
def the_shop() -> Iterator[Shop]:
    with shop() as found:
        yield found


@pytest.fixture
def backend_name(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgres"


class Api:
    def __init__(self, server: LiveServer) -> None:
        self.account = f"T{random.randrange(10**8):08d}"
        principal = Principal(
            self.account, "browser-test", frozenset({"admin:shopping", "admin:checkout"})
        )
        token = server.app.state.tokens.issue(principal)
        self.http = httpx.Client(
            base_url=f"{server.url}/v1/accounts/{self.account}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=20,
        )

    def ok(self, method: str, path: str, **kwargs: Any) -> Json:
        response = self.http.request(method, path, **kwargs)
        assert response.status_code == 200, response.text
        body: Json = response.json()
        return body

    def order(self) -> Json:
        body = draft_body(
            item(line_id=1, gross=29900, description="Rain jacket"),
            item(line_id=2, gross=4900, description="Wool socks"),
        )
        draft = self.ok("POST", "/shopping/draft_orders", json=body)
        completed = self.ok("PUT", f"/shopping/draft_orders/{draft['id']}/complete", json={})
        [order] = completed["orders"]
        return dict(order)

    def order_session(self, order: Json, the_shop: Shop, **fields: Any) -> Json:
        body = {
            "items": [{"line_id": 1, "amount": 29900}, {"line_id": 2, "amount": 4900}],
            "profile_id": "default",
            "url": {
                "return_url": f"{the_shop.url}/return?shop_session=abc",
                "callback_url": f"{the_shop.url}/callback?report_error=true",
            },
            **fields,
        }
        return self.ok("POST", f"/shopping/orders/{order['id']}/sessions", json=body)


@pytest.fixture
def api(server: LiveServer) -> Iterator[Api]:
    found = Api(server)
    yield found
    found.http.close()


def fill_card(driver: Any, number: str) -> None:
    from selenium.webdriver.common.by import By

    for field, value in (
        ("card_number", number),
        ("expiry", "12/39"),
        ("cvc", "123"),
        ("name", "Kari Nordmann"),
    ):
        element = driver.find_element(By.ID, field)
        element.clear()
        element.send_keys(value)


def press(driver: Any, action: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, f'button[value="{action}"]').click()


def wait_for_text(driver: Any, text: str) -> None:
    """The page the form posted to has loaded and shows `text`."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(lambda d: text in d.page_source)


def landed(driver: Any, the_shop: Shop) -> dict[str, list[str]]:
    """The query the browser arrived at the shop's return_url with."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(lambda d: d.current_url.startswith(the_shop.url))
    parts = urlsplit(driver.current_url)
    assert parts.path == "/return"
    return parse_qs(parts.query)


def test_pay_an_order_session(
    server: LiveServer, driver: Any, api: Api, the_shop: Shop, backend_name: str
) -> None:
    secret = api.ok("POST", "/checkout/admin/signature")["signature"]["secret"]
    order = api.order()
    session = api.order_session(order, the_shop)
    assert session["url"] == f"{server.url}/v1/view/{session['id']}"

    driver.get(session["url"])
    assert "Rain jacket" in driver.page_source
    assert "348.00 NOK" in driver.page_source.replace("\u202f", " ")
    screenshot(driver, f"{backend_name}-1-open")
    fill_card(driver, "4000 0000 0000 0002")
    press(driver, "pay")
    params = landed(driver, the_shop)
    screenshot(driver, f"{backend_name}-2-returned-to-shop")

    transaction_id = params["transaction_id"][0]
    assert params["shop_session"] == ["abc"]
    assert params["merchant_reference"] == [order["order_id"]]
    assert params["session_id"] == [session["id"]]
    assert "error" not in params
    after = api.ok("GET", f"/shopping/orders/{order['id']}")
    [authorization] = after["authorizations"]
    assert authorization["payment_details"]["payment_id"] == transaction_id
    assert authorization["payment_details"]["card"]["brand"] == "Visa"

    [callback] = the_shop.wait_for("/callback")
    assert callback.method == "GET"
    query = parse_qs(urlsplit(callback.path).query)
    assert query["transaction_id"] == [transaction_id]
    header = callback.headers["dintero-signature"]
    timestamp = int(header.split(",")[0].removeprefix("t="))
    signed = signed_text(timestamp, api.account, "GET", f"http://127.0.0.1{callback.path}")
    digest = hmac.new(secret.encode(), signed.encode(), hashlib.sha256).hexdigest()
    assert header.endswith(f"v0-hmac-sha256={digest}")
    log = api.ok("GET", f"/checkout/sessions/{session['id']}/callbacks")["callbacks"]
    assert [attempt["status_code"] for attempt in log[0]["attempts"]] == [200]

    driver.get(session["url"])
    assert "This payment is complete" in driver.page_source
    screenshot(driver, f"{backend_name}-3-already-paid")


@pytest.mark.parametrize(
    ("card", "action", "error", "status"),
    [
        ("4100 0000 0000 0076", "pay", "failed", "DECLINED"),
        ("4000 0000 0000 0002", "on_hold", None, "ON_HOLD"),
        ("", "cancel", "cancelled", None),
    ],
    ids=["declined", "on-hold", "cancelled"],
)
def test_other_outcomes(
    driver: Any,
    api: Api,
    the_shop: Shop,
    backend_name: str,
    card: str,
    action: str,
    error: str | None,
    status: str | None,
) -> None:
    order = api.order()
    session = api.order_session(order, the_shop)
    driver.get(session["url"])
    if card:
        fill_card(driver, card)
    press(driver, action)
    params = landed(driver, the_shop)

    assert params.get("error") == ([error] if error else None)
    if status is None:
        assert "transaction_id" not in params
    else:
        transaction = api.ok("GET", f"/checkout/transactions/{params['transaction_id'][0]}")
        assert transaction["status"] == status
    assert api.ok("GET", f"/shopping/orders/{order['id']}").get("authorizations", []) == []
    if action == "cancel":
        driver.get(session["url"])
        assert "cancelled" in driver.page_source
        screenshot(driver, f"{backend_name}-4-cancelled")


def test_form_errors_and_expired_page(
    driver: Any, api: Api, the_shop: Shop, backend_name: str
) -> None:
    expires_at = datetime.now(UTC) + timedelta(seconds=1)
    standalone = api.ok(
        "POST",
        "/checkout/sessions-profile",
        json={
            "profile_id": "default",
            "url": {"return_url": f"{the_shop.url}/return"},
            "order": {"amount": 100, "currency": "NOK", "merchant_reference": "x"},
            "expires_at": expires_at.isoformat(),
        },
    )
    order = api.order()
    session = api.order_session(order, the_shop)
    driver.get(session["url"])
    fill_card(driver, "4000 0000 0000 0001")
    press(driver, "pay")
    wait_for_text(driver, "Enter a valid card number.")
    screenshot(driver, f"{backend_name}-5-form-errors")

    soon = (datetime.now(UTC) - timedelta(seconds=0)).isoformat()
    past = api.http.post(
        f"/shopping/orders/{order['id']}/sessions",
        json={
            "items": [{"line_id": 1, "amount": 29900}],
            "profile_id": "default",
            "url": {"return_url": f"{the_shop.url}/return"},
            "expires_at": soon,
        },
    )
    assert past.status_code == 400  # a session must expire in the future
    time.sleep(max(0.0, (expires_at - datetime.now(UTC)).total_seconds() + 0.05))
    driver.get(standalone["url"])
    assert "This payment link has expired" in driver.page_source
    screenshot(driver, f"{backend_name}-6-expired")
