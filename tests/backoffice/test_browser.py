"""The back office in a real Chromium: an operator finds an order, captures a line, comments,
cancels, meets a 409, redelivers a failed webhook; a read-only client sees no buttons.

One live server (SQLite, its in-process worker delivering webhooks) serves the module; each
page visited is saved under `test-artifacts/screenshots/`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.wait import WebDriverWait

from shopping.app import create_app
from shopping.auth.clients import NewClient
from shopping.auth.principal import Principal
from shopping.config import Settings
from tests.backoffice.browser import chromium, live_server, screenshot, store_client
from tests.conftest import TEST_SECRET
from tests.support.browser import free_port, require_browser
from tests.support.databases import temporary_sqlite
from tests.support.drafts import customer, draft_body, item

Json = dict[str, Any]
ADMIN_SCOPES = ("admin:shopping", "admin:hooks", "admin:billing", "admin:discounts")
PEOPLE = [
    ("Ada", "Lovelace", "ada@example.com"),
    ("Kari", "Nordmann", "kari@example.com"),
    ("Ola", "Hansen", "ola@example.com"),
    ("Grace", "Hopper", "grace@example.com"),
    ("Linus", "Berg", "linus@example.com"),
]


@dataclass(frozen=True)
class Site:
    url: str
    account: str
    admin: NewClient
    reader: NewClient
    ada_order: Json
    spare_order: Json
    hook_id: str


def _seed_orders(api: httpx.Client) -> list[Json]:
    orders = []
    for n, (first, last, email) in enumerate(PEOPLE):
        body = draft_body(
            item(
                line_id=1,
                gross=24900 + 1000 * n,
                description="Rain jacket",
                quantity=1,
                tax_lines=[{"percentage": 25, "amount": (24900 + 1000 * n) // 5}],
            ),
            item(
                line_id=2,
                gross=5900,
                description="Wool socks",
                quantity=2,
                tax_lines=[{"percentage": 25, "amount": 1180}],
            ),
            customer=customer(id=f"c{n}", first_name=first, last_name=last, email=email),
            metadata={"channel": "web"},
            options={"payout": True},
        )
        draft = api.post("/draft_orders", json=body).json()
        completed = api.put(f"/draft_orders/{draft['id']}/complete", json={})
        assert completed.status_code == 200, completed.text
        [order] = completed.json()["orders"]
        lines = [{"line_id": i["line_id"], "amount": i["net_amount"]} for i in order["items"]]
        if n != 1:  # Kari's order stays unpaid: it can be cancelled
            authorized = api.post(f"/orders/{order['id']}/authorizations", json={"items": lines})
            assert authorized.status_code == 200, authorized.text
        orders.append(order)
    api.post("/draft_orders", json=draft_body(item(description="Gift card")))
    return orders


def _failing_subscription(url: str, account: str, token: str) -> str:
    hooks = httpx.Client(
        base_url=f"{url}/v1/accounts/{account}/hooks",
        headers={"Authorization": f"Bearer {token}"},
    )
    with hooks:
        created = hooks.post(
            "/subscriptions",
            json={
                "config": {"url": f"{url}/no-receiver-here"},
                "events": ["shopping_order_update"],
            },
        )
        assert created.status_code == 200, created.text
        hook_id: str = created.json()["id"]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # the in-process worker sends the ping (a 404)
            deliveries = hooks.get(f"/subscriptions/{hook_id}/deliveries").json()
            if deliveries and deliveries[-1]["attempts"] >= 1:
                return hook_id
            time.sleep(0.1)
    raise AssertionError("the ping was never attempted")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    require_browser()
    account = f"T{random.randrange(10**8):08d}"
    with temporary_sqlite(tmp_path_factory.mktemp("browser")) as database_url:
        port = free_port()
        settings = Settings(
            database_url=database_url,
            jwt_secret=TEST_SECRET,
            webhook_allowed_hosts="127.0.0.1",
            relay_interval_seconds=0.1,
        )
        app = create_app(settings)
        admin = store_client(settings, account, *ADMIN_SCOPES)
        reader = store_client(settings, account, "read:shopping")
        token = app.state.tokens.issue(Principal(account, "shop-frontend", frozenset(ADMIN_SCOPES)))
        with live_server(app, port) as server:
            api = httpx.Client(
                base_url=f"{server.url}/v1/accounts/{account}/shopping",
                headers={"Authorization": f"Bearer {token}"},
            )
            with api:
                billing = api.post(
                    f"{server.url}/v1/accounts/{account}/billing/payout-rules",
                    json={
                        "rule_type": "order.items.store.id",  # `options.payout: true`
                        "rule_id": "SL02",
                        "destinations": [
                            {"type": "percentage", "value": 10, "destination": "marketplace"},
                            {"type": "remaining_amount", "destination": "store-SL02"},
                        ],
                    },
                )
                assert billing.status_code == 200, billing.text
                _seed_discount_rules(api, f"{server.url}/v1/accounts/{account}/discounts")
                orders = _seed_orders(api)
            hook_id = _failing_subscription(server.url, account, token)
            yield Site(server.url, account, admin, reader, orders[0], orders[1], hook_id)


def _seed_discount_rules(api: httpx.Client, base: str) -> None:
    window = {"purchase_from": "2026-01-01T00:00:00Z", "purchase_to": "2036-01-01T00:00:00Z"}
    for body, customers in (
        (
            {
                "name": "Spring sale",
                "description": "25.50 off any basket of 50.00 or more",
                "requirement": {**window, "currencies": ["NOK"], "gross_amount": 5000},
                "reward": {"type": "discount_amount", "value": 2550},
                "limitation": {"discount_repeat_usage": 1, "discount_combination": 0},
            },
            ["/"],
        ),
        (
            {
                "name": "Members save ten percent",
                "requirement": {**window, "item": {"items": [{"group_id": "shoes"}]}},
                "reward": {"type": "discount_percent", "value": 10},
            },
            ["member-1", "member-2"],
        ),
    ):
        created = api.post(f"{base}/rules", json=body)
        assert created.status_code == 200, created.text
        given = api.post(
            f"{base}/rules/{created.json()['id']}/customers", json={"customers": customers}
        )
        assert given.status_code == 200, given.text


@pytest.fixture
def driver(site: Site) -> Iterator[WebDriver]:
    with chromium() as browser:
        yield browser


def sign_in(driver: WebDriver, site: Site, client: NewClient) -> None:
    driver.get(f"{site.url}/backoffice/sign-in")
    driver.find_element(By.ID, "account_id").send_keys(site.account)
    driver.find_element(By.ID, "client_id").send_keys(client.client_id)
    driver.find_element(By.ID, "client_secret").send_keys(client.client_secret)
    submit(driver, driver.find_element(By.CSS_SELECTOR, "main form"))


def text(driver: WebDriver) -> str:
    return str(driver.find_element(By.TAG_NAME, "main").text)


def click(driver: WebDriver, element: WebElement) -> None:
    """Click and wait for the page it leads to (a click returns before the navigation)."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    wait = WebDriverWait(driver, 10)
    wait.until(lambda _: left(page))
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def left(page: WebElement) -> bool:
    """Whether the page's root node is gone. Chromium sometimes answers the check on a
    replaced node with an inspector error ("does not belong to the document") rather than a
    stale-element one; both mean the old page is gone."""
    try:
        return bool(staleness_of(page)(None))
    except WebDriverException:
        return True


def submit(driver: WebDriver, form: WebElement) -> None:
    click(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def ledger(driver: WebDriver, line_id: int, column: str) -> str:
    cell = driver.find_element(By.CSS_SELECTOR, f'#line-{line_id} td[data-ledger="{column}"]')
    return str(cell.text).replace("\u2009", "")


def test_an_operator_works_through_orders_and_webhooks(driver: WebDriver, site: Site) -> None:
    driver.get(f"{site.url}/backoffice/orders")
    assert "/backoffice/sign-in" in driver.current_url
    screenshot(driver, "01-sign-in")
    wrong = NewClient(site.admin.client_id, "wrong", site.account, [], "x")
    sign_in(driver, site, wrong)
    assert "not valid for this account" in text(driver)
    screenshot(driver, "02-sign-in-wrong-credentials")

    sign_in(driver, site, site.admin)
    assert driver.current_url.endswith("/backoffice/orders"), text(driver)
    assert "Grace Hopper" in text(driver)
    screenshot(driver, "03-orders")

    search = driver.find_element(By.ID, "search")
    search.send_keys("ada@example.com")
    submit(driver, driver.find_element(By.CSS_SELECTOR, "form.filters"))
    assert "search=ada%40example.com" in driver.current_url
    assert "Ada Lovelace" in text(driver)
    assert "Grace Hopper" not in text(driver)
    screenshot(driver, "04-orders-search")

    click(
        driver,
        driver.find_element(By.LINK_TEXT, site.ada_order["order_id"] or site.ada_order["id"]),
    )
    assert ledger(driver, 1, "captured") == "0.00"
    assert "pending" in text(driver)
    screenshot(driver, "05-order")

    capture = driver.find_element(By.CSS_SELECTOR, 'form[aria-label="Record a capture"]')
    capture.find_element(By.CSS_SELECTOR, 'input[name="line"][value="1"]').click()
    submit(driver, capture)
    assert "Capture recorded." in text(driver)
    assert ledger(driver, 1, "captured") == "249.00"
    assert ledger(driver, 1, "capturable") == "0.00"
    assert "partially paid" in text(driver)

    comment = driver.find_element(By.ID, "comment-body")
    comment.send_keys("Customer wants the socks later <b>not bold</b>")
    submit(driver, comment.find_element(By.XPATH, "./ancestor::form"))
    assert "Comment added." in text(driver)
    assert "<b>not bold</b>" in text(driver)  # shown as text, not markup
    screenshot(driver, "06-order-captured-and-commented")

    cancel = driver.find_element(By.CSS_SELECTOR, 'form[action$="/cancel"]')
    submit(driver, cancel)
    assert "409" in text(driver)
    assert "captured amounts that are not refunded" in text(driver)
    screenshot(driver, "07-order-cancel-refused-409")

    driver.get(f"{site.url}/backoffice/orders/{site.spare_order['id']}")
    driver.find_element(By.ID, "cancelled_reason").send_keys("Out of stock")
    submit(driver, driver.find_element(By.CSS_SELECTOR, 'form[action$="/cancel"]'))
    assert "The order is cancelled." in text(driver)
    assert "Out of stock" in text(driver)
    screenshot(driver, "08-order-cancelled")

    driver.get(f"{site.url}/backoffice/webhooks")
    screenshot(driver, "09-webhooks")
    click(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "/no-receiver-here"))
    click(driver, driver.find_element(By.LINK_TEXT, "ping"))
    assert "HTTP 404" in text(driver)
    screenshot(driver, "10-webhook-delivery-failed")
    submit(driver, driver.find_element(By.CSS_SELECTOR, 'form[action$="/redeliver"]'))
    assert "A new delivery of this event is queued" in text(driver)
    screenshot(driver, "11-webhook-redelivered")

    for path, name, expected in (
        ("/backoffice/drafts", "12-drafts", "Drafts"),
        ("/backoffice/events", "13-event-feed", "shopping_order_update"),
        ("/backoffice/payout-rules", "14-payout-rules", "SL02"),
    ):
        driver.get(site.url + path)
        assert expected in text(driver)
        screenshot(driver, name)
    click(driver, driver.find_element(By.LINK_TEXT, "SL02"))
    assert "store-SL02" in text(driver)
    screenshot(driver, "15-payout-rule")
    driver.get(f"{site.url}/backoffice/discount-rules")
    assert "Spring sale" in text(driver)
    screenshot(driver, "18-discount-rules")
    click(driver, driver.find_element(By.LINK_TEXT, "Spring sale"))
    assert "25.50 NOK off" in text(driver)
    screenshot(driver, "19-discount-rule")
    driver.get(f"{site.url}/backoffice/drafts")
    click(driver, driver.find_element(By.CSS_SELECTOR, "table.list a"))
    assert "version 1" in text(driver)
    screenshot(driver, "16-draft")

    click(
        driver, driver.find_element(By.CSS_SELECTOR, 'form[action="/backoffice/sign-out"] button')
    )
    assert "You are signed out." in text(driver)


def test_a_read_only_client_sees_no_buttons(driver: WebDriver, site: Site) -> None:
    sign_in(driver, site, site.reader)
    assert "read only" in str(driver.find_element(By.TAG_NAME, "header").text)
    driver.get(f"{site.url}/backoffice/orders/{site.ada_order['id']}")
    assert "Ada Lovelace" in text(driver)
    forms = driver.find_elements(By.CSS_SELECTOR, "main form")
    assert forms == []
    assert driver.find_elements(By.CSS_SELECTOR, "main button") == []
    screenshot(driver, "17-order-read-only")
