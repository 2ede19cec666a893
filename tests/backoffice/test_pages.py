"""Back-office pages and actions over ASGI (SQLite and Postgres): what an operator sees and
that every action lands through the same services and ledger rules as the API."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI

from shopping.auth.scopes import ADMIN_SHOPPING
from tests.backoffice.pages import csrf_of, form_token, signed_in
from tests.conftest import bearer
from tests.support.drafts import create_draft, customer, draft_body, item
from tests.support.orders import api_events, completed_order, get_order, service_event
from tests.support.payments import authorized_order, created, order_with_lines

Json = dict[str, Any]
ADMIN = (ADMIN_SHOPPING, "admin:hooks", "admin:billing")


def ledger_cell(html: str, line_id: int, column: str) -> str:
    row = re.search(rf'<tr id="line-{line_id}">(.*?)</tr>', html, re.S)
    assert row is not None
    cell = re.search(rf'data-ledger="{column}">([^<]*)<', row.group(1))
    assert cell is not None
    return cell.group(1).replace("\u2009", "")


async def post_form(
    page: httpx.AsyncClient, path: str, form_page: str, **data: Any
) -> httpx.Response:
    token = await form_token(page, form_page)
    return await page.post(path, data={**data, "csrf_token": token})


async def test_capture_then_refund_moves_the_ledger_and_payment_status(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await authorized_order(api, (10000, 5000))
    path = f"/backoffice/orders/{order['id']}"
    async with signed_in(transport, app, account, *ADMIN) as page:
        before = (await page.get(path)).text
        assert ledger_cell(before, 1, "capturable") == "100.00"
        captured = await post_form(
            page, f"{path}/captures", path, line="1", amount_1="100.00", currency="NOK"
        )
        assert captured.status_code == 303
        assert captured.headers["location"] == f"{path}?notice=captured"
        after = await page.get(captured.headers["location"])
        assert "Capture recorded." in after.text
        assert ledger_cell(after.text, 1, "captured") == "100.00"
        assert ledger_cell(after.text, 1, "capturable") == "0.00"
        assert ledger_cell(after.text, 2, "capturable") == "50.00"
        assert "partially paid" in after.text
        refunded = await post_form(
            page, f"{path}/refunds", path, line="1", amount_1="25.50", currency="NOK"
        )
        assert refunded.status_code == 303
    stored = await get_order(api, order["id"])
    assert [op["amount"] for op in stored["captures"]] == [10000]
    assert [op["amount"] for op in stored["refunds"]] == [2550]
    assert stored["payment_status"] == "partially_refunded"
    events = await api_events(api, order["id"])
    assert events[-1]["request"]["path"] == f"{path}/refunds"
    assert events[-1]["created_by"] == events[-2]["created_by"] != order["created_by"]


async def test_a_capture_the_ledger_refuses_shows_the_reason(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await authorized_order(api, (10000,))
    path = f"/backoffice/orders/{order['id']}"
    async with signed_in(transport, app, account, *ADMIN) as page:
        too_much = await post_form(
            page, f"{path}/captures", path, line="1", amount_1="100.01", currency="NOK"
        )
        assert too_much.status_code == 409
        assert "authorized and not yet captured or cancelled" in too_much.text
        unreadable = await post_form(
            page, f"{path}/captures", path, line="1", amount_1="ten", currency="NOK"
        )
        assert unreadable.status_code == 400
        assert "enter an amount in NOK" in unreadable.text
        nothing = await post_form(page, f"{path}/captures", path, currency="NOK")
        assert nothing.status_code == 400
        assert "Choose at least one line" in nothing.text
    assert (await get_order(api, order["id"]))["captures"] == []


async def test_cancel_when_allowed_and_the_409_reason_when_not(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    open_order = await completed_order(api)
    paid = await authorized_order(api, (10000,))
    await created(api, paid["id"], "captures", {1: 10000})
    async with signed_in(transport, app, account, *ADMIN) as page:
        path = f"/backoffice/orders/{open_order['id']}"
        done = await post_form(page, f"{path}/cancel", path, cancelled_reason="Customer asked")
        assert done.status_code == 303
        path = f"/backoffice/orders/{paid['id']}"
        refused = await post_form(page, f"{path}/cancel", path)
        assert refused.status_code == 409
        assert "captured amounts that are not refunded" in refused.text
    cancelled = await get_order(api, open_order["id"])
    assert cancelled["status"] == "cancelled"
    assert cancelled["cancelled_reason"] == "Customer asked"
    assert (await get_order(api, paid["id"]))["status"] == "open"


async def test_close_open_and_comments(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api)
    path = f"/backoffice/orders/{order['id']}"
    async with signed_in(transport, app, account, *ADMIN) as page:
        shown = (await page.get(path)).text
        forms = re.findall(r"<form method=\"post\"", shown)
        tokens = re.findall(r'name="csrf_token" value="([^"]*)"', shown)
        assert len(tokens) == len(forms) > 3
        assert set(tokens) == {csrf_of(shown)}
        assert tokens[0]
        assert (await post_form(page, f"{path}/close", path)).status_code == 303
        assert (await get_order(api, order["id"]))["status"] == "closed"
        assert (await post_form(page, f"{path}/close", path)).status_code == 409
        assert (await post_form(page, f"{path}/open", path)).status_code == 303
        added = await post_form(page, f"{path}/comments", path, body="Called the customer")
        assert added.status_code == 303
        [comment] = (await get_order(api, order["id"]))["comments"]
        assert "Called the customer" in (await page.get(path)).text
        deleted = await post_form(page, f"{path}/comments/{comment['id']}/delete", path)
        assert deleted.status_code == 303
        empty = await post_form(page, f"{path}/comments", path, body="")
        assert empty.status_code == 400
    final = await get_order(api, order["id"])
    assert final["status"] == "open"
    assert final["comments"] == []
    assert final["version"] == order["version"] + 4


async def test_order_list_filters_search_and_pages(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    orders = [
        await completed_order(api, customer=customer(email=f"buyer{n}@example.com"))
        for n in range(3)
    ]
    await completed_order(api, currency="SEK", customer=customer(email="svensk@example.com"))
    async with signed_in(transport, app, account, *ADMIN) as page:
        found = await page.get("/backoffice/orders", params={"search": "buyer1@"})
        assert found.status_code == 200
        assert orders[1]["id"] in found.text
        assert orders[0]["id"] not in found.text
        blank = await page.get("/backoffice/orders?search=&status=&currency=SEK")
        assert blank.status_code == 303
        assert blank.headers["location"] == "/backoffice/orders?currency=SEK"
        sek = await page.get(blank.headers["location"])
        assert "svensk@example.com" in sek.text
        assert "buyer0@example.com" not in sek.text
        bad = await page.get("/backoffice/orders", params={"status": "lost"})
        assert bad.status_code == 400
        today = orders[0]["created_at"][:10]
        dated = await page.get("/backoffice/orders", params={"created_at.gte": today})
        assert all(o["id"] in dated.text for o in orders)
        later = await page.get("/backoffice/orders", params={"created_at.gte": "2999-01-01"})
        assert "No orders match these filters" in later.text
        by_phone = await page.get("/backoffice/orders", params={"search": "+4791234567"})
        assert all(o["id"] in by_phone.text for o in orders)
        nothing = await page.get("/backoffice/orders", params={"search": "nobody"})
        assert "No orders match these filters" in nothing.text
        everything = await page.get("/backoffice/orders")
        positions = [everything.text.index(o["id"]) for o in orders]
        assert positions == sorted(positions, reverse=True)  # newest first


async def test_order_list_cursor_paging(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    from shopping.backoffice import order_pages

    ids = [(await completed_order(api))["id"] for _ in range(order_pages.PAGE_SIZE + 2)]
    async with signed_in(transport, app, account, *ADMIN) as page:
        first = await page.get("/backoffice/orders")
        older = re.search(r'href="(\?starting_after=[^"]+)"', first.text)
        assert older is not None
        second = await page.get("/backoffice/orders" + older.group(1).replace("&amp;", "&"))
    shown_first = [i for i in ids if i in first.text]
    shown_second = [i for i in ids if i in second.text]
    assert len(shown_first) == order_pages.PAGE_SIZE
    assert len(shown_second) == 2
    assert not set(shown_first) & set(shown_second)


async def test_empty_account_says_what_to_do(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str
) -> None:
    async with signed_in(transport, app, account, *ADMIN) as page:
        for path, hint in (
            ("/backoffice/orders", "No orders yet"),
            ("/backoffice/drafts", "No drafts yet"),
            ("/backoffice/webhooks", "No webhook subscriptions"),
            ("/backoffice/events", "No events yet"),
            ("/backoffice/payout-rules", "No payout rules"),
        ):
            response = await page.get(path)
            assert response.status_code == 200, path
            assert hint in response.text


async def test_drafts_list_and_their_changes(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    draft = await create_draft(api, draft_body(item(), customer=customer(email="d@example.com")))
    response = await api.post(f"/draft_orders/{draft['id']}/items", json=item(line_id=7))
    assert response.status_code == 200, response.text
    async with signed_in(transport, app, account, *ADMIN) as page:
        listed = await page.get("/backoffice/drafts", params={"search": "d@example"})
        assert f"/backoffice/drafts/{draft['id']}" in listed.text
        shown = await page.get(f"/backoffice/drafts/{draft['id']}")
        assert shown.status_code == 200
        assert "version 2" in shown.text
        assert f"POST /v1/accounts/{account}/shopping/draft_orders/{draft['id']}/items" in (
            shown.text
        )
        missing = await page.get("/backoffice/drafts/00000000-0000-4000-8000-000000000000")
        assert missing.status_code == 404


async def test_webhooks_ping_redeliver_and_event_feed(
    transport: httpx.AsyncBaseTransport,
    http: httpx.AsyncClient,
    app: FastAPI,
    account: str,
    api: httpx.AsyncClient,
) -> None:
    subscribed = await http.post(
        f"/v1/accounts/{account}/hooks/subscriptions",
        json={"config": {"url": "https://1.1.1.1/hook"}, "events": ["shopping_order_update"]},
        headers=bearer(app, account, "admin:hooks"),
    )
    assert subscribed.status_code == 200, subscribed.text
    hook = subscribed.json()
    order = await completed_order(api)
    await api.post(f"/orders/{order['id']}/comments", json={"body": "x"})
    async with signed_in(transport, app, account, *ADMIN) as page:
        listed = await page.get("/backoffice/webhooks")
        assert "https://1.1.1.1/hook" in listed.text
        path = f"/backoffice/webhooks/{hook['id']}"
        shown = await page.get(path)
        [ping_delivery] = re.findall(rf'{path}/deliveries/([0-9a-f-]+)"', shown.text)
        pinged = await post_form(page, f"{path}/ping", path)
        assert pinged.status_code == 303
        again = await post_form(page, f"{path}/deliveries/{ping_delivery}/redeliver", path)
        assert again.status_code == 303
        assert "queued" in (await page.get(again.headers["location"])).text
        after = await page.get(path)
        assert len(set(re.findall(rf'{path}/deliveries/([0-9a-f-]+)"', after.text))) == 3
        delivery = await page.get(f"{path}/deliveries/{ping_delivery}")
        assert delivery.status_code == 200
        assert "Not attempted yet" in delivery.text
        # On Postgres the feed shows what committed before the oldest transaction still
        # running anywhere on the server: wait until the API's feed shows the order's event
        update = await feed_event(api, lambda e: e.get("order", {}).get("id") == order["id"])
        feed = await page.get("/backoffice/events")
        assert update["event_id"] in feed.text
        assert f"/backoffice/orders/{order['id']}" in feed.text
        token = csrf_of(feed.text)
        unknown = await page.post(
            f"{path}/deliveries/00000000-0000-4000-8000-000000000000/redeliver",
            data={"csrf_token": token},
        )
        assert unknown.status_code == 404


async def test_payout_rules_are_listed_read_only(
    transport: httpx.AsyncBaseTransport, http: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    rule = {
        "rule_type": "store",
        "rule_id": "shop-split",
        "destinations": [
            {"type": "percentage", "value": 10, "destination": "platform"},
            {"type": "remaining_amount", "destination": "seller"},
        ],
    }
    created_rule = await http.post(
        f"/v1/accounts/{account}/billing/payout-rules",
        json=rule,
        headers=bearer(app, account, "admin:billing"),
    )
    assert created_rule.status_code == 200, created_rule.text
    rule_uuid = created_rule.json()["id"]
    async with signed_in(transport, app, account, *ADMIN) as page:
        listed = await page.get("/backoffice/payout-rules")
        assert "shop-split" in listed.text
        shown = await page.get(f"/backoffice/payout-rules/{rule_uuid}")
        assert shown.status_code == 200
        assert "remaining_amount" in shown.text
        assert "seller" in shown.text
        assert '<form method="post"' not in shown.text.split("</header>")[1]


async def test_sections_follow_the_clients_scopes(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str
) -> None:
    async with signed_in(transport, app, account, "read:hooks") as page:
        home = await page.get("/backoffice")
        assert home.headers["location"] == "/backoffice/webhooks"
        webhooks = await page.get("/backoffice/webhooks")
        assert 'href="/backoffice/orders"' not in webhooks.text
        orders = await page.get("/backoffice/orders")
        assert orders.status_code == 403
        assert "read:shopping" in orders.text


async def feed_event(api: httpx.AsyncClient, wanted: Callable[[Json], bool]) -> Json:
    for _ in range(200):
        events = (await api.get("/events", params={"limit": 25})).json()["events"]
        found = [event for event in events if wanted(event)]
        if found:
            return dict(found[0])
        await asyncio.sleep(0.05)
    raise AssertionError("the event never reached the feed")


def hidden_fields(html: str, action: str) -> dict[str, str]:
    """The hidden inputs of the form posting to `action`, as the browser would send them."""
    form = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', html, re.S)
    assert form is not None, action
    return dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0)))


async def test_a_form_sent_twice_changes_things_once(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await authorized_order(api, (10000,))
    await created(api, order["id"], "captures", {1: 4000})
    path = f"/backoffice/orders/{order['id']}"
    async with signed_in(transport, app, account, *ADMIN) as page:
        html = (await page.get(path)).text
        capture = {**hidden_fields(html, f"{path}/captures"), "line": "1", "amount_1": "10.00"}
        cancel = hidden_fields(html, f"{path}/cancel")
        assert capture["form_key"] != cancel["form_key"]
        for _ in range(2):
            response = await page.post(f"{path}/captures", data=capture)
            assert response.status_code == 303
            refused = await page.post(f"{path}/cancel", data=cancel)
            assert refused.status_code == 409
            assert "captured amounts that are not refunded" in refused.text
        other = await page.post(f"{path}/captures", data={**capture, "amount_1": "20.00"})
        assert other.status_code == 422  # the same form key with other content
    stored = await get_order(api, order["id"])
    assert [op["amount"] for op in stored["captures"]] == [4000, 1000]


async def test_orders_with_several_authorizations_name_the_one_captured(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await order_with_lines(api, (10000,), multiple_authorizations=True)
    await created(api, order["id"], "authorizations", {1: 10000}, authorization_id="A")
    path = f"/backoffice/orders/{order['id']}"
    async with signed_in(transport, app, account, *ADMIN) as page:
        html = (await page.get(path)).text
        assert '<option value="A">A</option>' in html
        capture = {**hidden_fields(html, f"{path}/captures"), "line": "1", "amount_1": "40.00"}
        unknown = await page.post(f"{path}/captures", data={**capture, "authorization_id": "B"})
        assert unknown.status_code == 409
        assert "UNKNOWN_AUTHORIZATION" in unknown.text
        html = (await page.get(path)).text
        capture = {**hidden_fields(html, f"{path}/captures"), "line": "1", "amount_1": "40.00"}
        done = await page.post(f"{path}/captures", data={**capture, "authorization_id": "A"})
        assert done.status_code == 303
    [capture_op] = (await get_order(api, order["id"]))["captures"]
    assert capture_op["authorization_id"] == "A"
    assert capture_op["amount"] == 4000


async def test_service_events_and_the_combined_state(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api)
    await service_event(api, order["id"], "pickup", "success", service_status="ready")
    await service_event(api, order["id"], "invoice", "failure", service_status="rejected")
    async with signed_in(transport, app, account, *ADMIN) as page:
        html = (await page.get(f"/backoffice/orders/{order['id']}")).text
    assert "services: failure" in html
    assert "pickup: ready (success)" in html
    assert "invoice: rejected (failure)" in html
