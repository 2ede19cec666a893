from __future__ import annotations

import httpx


def _item(line_id: int, store: str, gross: int = 10000) -> dict[str, object]:
    return {
        "line_id": line_id,
        "gross_amount": gross,
        "store": {"id": store},
        "tax_lines": [{"percentage": 25, "amount": gross // 5}],
    }


async def test_complete_split_and_read(api: httpx.AsyncClient) -> None:
    body = {
        "order": {
            "currency": "NOK",
            "customer": {"id": "c-9", "email": "x@y.no"},
            "order_number": "ON1",
            "items": [_item(1, "A"), _item(2, "B"), _item(3, "A", 500)],
        },
        "options": {
            "split_draft": True,
            "serial_order_number_suffix": True,
            "order_time_to_live": 86400,
        },
    }
    draft = (await api.post("/draft_orders", json=body)).json()
    done = await api.put(f"/draft_orders/{draft['id']}/complete", json={})
    assert done.status_code == 200, done.text
    result = done.json()
    assert result["status"] == "completed"
    orders = result["orders"]
    assert [o["order_number"] for o in orders] == ["ON1-1", "ON1-2"]
    assert sum(o["net_amount"] for o in orders) == draft["order"]["net_amount"]
    again = await api.put(f"/draft_orders/{draft['id']}/complete", json={})
    assert again.status_code == 409, again.text
    got = await api.get(f"/orders/{orders[0]['id']}", params={"include_events": "true"})
    assert got.status_code == 200, got.text
    assert got.json()["events"][0]["draft_id"] == draft["id"]
    listed = await api.get("/orders", params={"search": "x@y"})
    assert {o["id"] for o in listed.json()["orders"]} == {o["id"] for o in orders}
    store = await api.get("/stores/B/orders")
    assert [o["id"] for o in store.json()["orders"]] == [orders[1]["id"]]
    closed = await api.post(f"/orders/{orders[0]['order_id']}/close")
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    comment = await api.post(f"/orders/{orders[0]['id']}/comments", json={"body": "hi"})
    assert comment.status_code == 200, comment.text
    assert comment.json()["comments"][0]["body"] == "hi"
    ev = await api.post(
        f"/orders/{orders[0]['id']}/events",
        json={"service": "kitchen", "service_status": "ready", "state": "pending"},
    )
    assert ev.status_code == 200, ev.text
    events = (await api.get(f"/orders/{orders[0]['id']}/events")).json()
    assert events["state"] == "pending"
    upd = await api.put(f"/orders/{orders[0]['id']}", json={"comment": "note", "version": 1})
    assert upd.status_code == 409, upd.text
    upd = await api.put(
        f"/orders/{orders[0]['id']}", json={"comment": "note"}, headers={"Idempotency-Key": "k1"}
    )
    assert upd.status_code == 200, upd.text
    replay = await api.put(
        f"/orders/{orders[0]['id']}", json={"comment": "note"}, headers={"Idempotency-Key": "k1"}
    )
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == upd.json()


async def test_payment_life(api: httpx.AsyncClient) -> None:
    body = {"order": {"currency": "NOK", "items": [_item(1, "A"), _item(2, "A", 5000)]}}
    draft = (await api.post("/draft_orders", json=body)).json()
    order = (await api.put(f"/draft_orders/{draft['id']}/complete")).json()["orders"][0]
    oid = order["id"]
    lines = [{"line_id": 1, "amount": 10000}, {"line_id": 2, "amount": 5000}]
    auth = await api.post(f"/orders/{oid}/authorizations", json={"items": lines})
    assert auth.status_code == 200, auth.text
    statuses = []
    for path, items in (
        ("captures", [lines[0]]),
        ("captures", [lines[1]]),
        ("refunds", [{"line_id": 2, "amount": 1000}]),
        ("refunds", [{"line_id": 1, "amount": 10000}, {"line_id": 2, "amount": 4000}]),
    ):
        r = await api.post(f"/orders/{oid}/{path}", json={"items": items})
        assert r.status_code == 200, r.text
        statuses.append((await api.get(f"/orders/{oid}")).json()["payment_status"])
    assert statuses == ["partially_paid", "paid", "partially_refunded", "refunded"]
    over = await api.post(f"/orders/{oid}/refunds", json={"items": [{"line_id": 1, "amount": 1}]})
    assert over.status_code == 409, over.text
    listed = (await api.get(f"/orders/{oid}/captures")).json()["captures"]
    assert len(listed) == 2
    one = await api.get(f"/orders/{oid}/captures/{listed[0]['id']}")
    assert one.json()["amount"] == 10000


async def test_payouts(api: httpx.AsyncClient, http: httpx.AsyncClient, app, account) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import bearer

    billing = bearer(app, account, "admin:billing")
    rule = {
        "rule_type": "order.items.store.id",
        "rule_id": "A",
        "destinations": [
            {"type": "percentage", "value": "10", "destination": "platform"},
            {
                "type": "remaining_amount",
                "destinations": [{"type": "percentage", "value": 100, "destination": "seller"}],
            },
        ],
    }
    created = await http.post(
        f"/v1/accounts/{account}/billing/payout-rules", json=rule, headers=billing
    )
    assert created.status_code == 200, created.text
    body = {
        "order": {"currency": "NOK", "items": [_item(1, "A", 10001)]},
        "options": {"payout": True},
    }
    draft = (await api.post("/draft_orders", json=body)).json()
    order = (await api.put(f"/draft_orders/{draft['id']}/complete")).json()["orders"][0]
    payout = order["items"][0]["payout"]
    assert [d["amount"] for d in payout["destinations"]] == [1000, 9001]
    lines = [{"line_id": 1, "amount": 10001}]
    await api.post(f"/orders/{order['id']}/authorizations", json={"items": lines})
    cap = (await api.post(f"/orders/{order['id']}/captures", json={"items": lines})).json()
    assert cap["items"][0]["payout"]["destinations"] == [
        {"destination": "platform", "amount": 1000},
        {"destination": "seller", "amount": 9001},
    ]
    ref = (await api.post(f"/orders/{order['id']}/refunds", json={"items": lines})).json()
    assert ref["items"][0]["payout"]["destinations"][0]["amount"] == 1000
