"""Every change reaches its subscribers (reference §5.11, decision 25): the right event, the
§10.25 body, Dintero's headers and HMAC-SHA1 signature, and Standard Webhooks headers and
signature — checked with a plain `hmac` computation and with the `standardwebhooks` package."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from tests.support.drafts import create_draft, draft_body, item
from tests.support.payments import created
from tests.support.webhooks import Request, feed, passes, pump, verify
from tests.webhooks.conftest import Hooks, PinnedFactory

Json = dict[str, Any]
ENVELOPE = {"account_id", "event", "event_id", "event_delivery", "sequence", "created_at"}


def ok(response: httpx.Response) -> Json:
    assert response.status_code == 200, response.text
    body: Json = response.json()
    return body


def non_ping(requests: list[Request]) -> list[Request]:
    return [r for r in requests if r.event != "ping"]


async def test_every_change_is_delivered_signed_in_sequence(hooks: Hooks) -> None:
    await hooks.subscribe()
    shop = hooks.shop
    # drafts: add, update (PUT), add item, replace item, delete item, complete
    draft = await create_draft(shop, draft_body(item(line_id=1), item(line_id=2, gross=500)))
    draft_id = draft["id"]
    expected: list[tuple[str, str, Json]] = [("shopping_draft_add", draft_id, draft)]
    body = draft_body(item(line_id=1, gross=9000), item(line_id=2, gross=500))
    expected.append(
        (
            "shopping_draft_update",
            draft_id,
            ok(await shop.put(f"/draft_orders/{draft_id}", json=body)),
        )
    )
    expected.append(
        (
            "shopping_draft_update",
            draft_id,
            ok(await shop.post(f"/draft_orders/{draft_id}/items", json=item(line_id=3, gross=700))),
        )
    )
    expected.append(
        (
            "shopping_draft_update",
            draft_id,
            ok(
                await shop.put(f"/draft_orders/{draft_id}/items/3", json=item(line_id=3, gross=800))
            ),
        )
    )
    expected.append(
        (
            "shopping_draft_update",
            draft_id,
            ok(await shop.delete(f"/draft_orders/{draft_id}/items/2")),
        )
    )
    completed = ok(await shop.put(f"/draft_orders/{draft_id}/complete", json={}))
    expected.append(("shopping_draft_complete", draft_id, completed))
    [order] = completed["orders"]
    oid = order["id"]
    # orders: PUT, close, open, comment, authorization, capture; a service event
    expected.append(
        (
            "shopping_order_update",
            oid,
            ok(await shop.put(f"/orders/{oid}", json={"comment": "gift wrap"})),
        )
    )
    expected.append(("shopping_order_update", oid, ok(await shop.post(f"/orders/{oid}/close"))))
    expected.append(("shopping_order_update", oid, ok(await shop.post(f"/orders/{oid}/open"))))
    commented = ok(await shop.post(f"/orders/{oid}/comments", json={"body": "called customer"}))
    [comment] = commented["comments"]
    expected.append(("shopping_order_update", oid, commented))
    authorization = await created(shop, oid, "authorizations", {1: 9000, 3: 800})
    expected.append(("shopping_order_update", oid, {"authorization": authorization}))
    capture = await created(shop, oid, "captures", {1: 9000})
    expected.append(("shopping_order_update", oid, {"capture": capture}))
    event = ok(
        await shop.post(
            f"/orders/{oid}/events", json={"service": "pickup", "service_status": "ready"}
        )
    )
    expected.append(("shopping_order_event_add", oid, {"order_event": event}))
    # a second order, cancelled
    other = await create_draft(shop)
    [second] = ok(await shop.put(f"/draft_orders/{other['id']}/complete", json={}))["orders"]
    cancelled = ok(
        await shop.post(f"/orders/{second['id']}/cancel", json={"cancelled_reason": "changed mind"})
    )
    expected += [
        ("shopping_draft_add", other["id"], other),
        ("shopping_draft_complete", other["id"], {}),
        ("shopping_order_update", second["id"], cancelled),
    ]

    async with hooks.worker() as worker:
        await pump(
            worker,
            lambda: len(non_ping(hooks.receiver.delivered(hooks.account))) >= len(expected),
            f"{len(expected)} events",
        )
        await passes(worker, 2)
    received = non_ping(hooks.receiver.delivered(hooks.account))
    bodies = [verify(r) for r in received]
    assert len(bodies) == len(expected)  # nothing twice, nothing invented

    # per draft / order: the expected events, in sequence order 1, 2, 3 …
    for aggregate in {aggregate for _, aggregate, _ in expected}:
        wanted = [name for name, a, _ in expected if a == aggregate]
        got = [b for b in bodies if _aggregate(b) == aggregate]
        assert [b["event"] for b in got] == wanted, aggregate
        assert [b["sequence"] for b in got] == list(range(1, len(wanted) + 1)), aggregate

    for body in bodies:
        assert body["account_id"] == hooks.account
        assert set(body) >= ENVELOPE, body.keys()
    assert len({b["event_id"] for b in bodies}) == len(bodies)
    assert len({b["event_delivery"] for b in bodies}) == len(bodies)

    # each body carries the draft or order exactly as the request that changed it answered
    for name, aggregate, response in expected:
        if "id" not in response:
            continue
        [sent] = [
            b
            for b in bodies
            if _aggregate(b) == aggregate
            and b["event"] == name
            and _resource(b)["version"] == response["version"]
        ]
        assert _resource(sent) == response, name

    drafts = [b for b in bodies if b["event"].startswith("shopping_draft_")]
    assert all(set(b) == ENVELOPE | {"draft"} for b in drafts)
    main_draft = [b["draft"] for b in drafts if b["draft"]["id"] == draft_id]
    assert [d["version"] for d in main_draft] == [1, 2, 3, 4, 5, 6]
    assert [[i["line_id"] for i in d["order"]["items"]] for d in main_draft[:5]] == [
        [1, 2],
        [1, 2],
        [1, 2, 3],
        [1, 2, 3],
        [1, 3],
    ]
    assert main_draft[0] == draft
    assert main_draft[1]["order"]["items"][0]["gross_amount"] == 9000
    complete_body = main_draft[5]
    assert complete_body["status"] == "completed"
    assert [o["id"] for o in complete_body["orders"]] == [oid]
    assert complete_body["orders"][0]["items"] == order["items"]

    order_bodies = [b for b in bodies if _aggregate(b) == oid]
    updates = [b for b in order_bodies if b["event"] == "shopping_order_update"]
    assert all(set(b) == ENVELOPE | {"order"} for b in updates)
    assert [b["order"]["status"] for b in updates] == [
        "open",
        "closed",
        "open",
        "open",
        "open",
        "open",
    ]
    assert updates[0]["order"]["comment"] == "gift wrap"
    assert [c["id"] for c in updates[3]["order"]["comments"]] == [comment["id"]]
    assert [a["id"] for a in updates[4]["order"]["authorizations"]] == [authorization["id"]]
    assert [c["id"] for c in updates[5]["order"]["captures"]] == [capture["id"]]
    assert [b["order"]["version"] for b in updates] == sorted(
        b["order"]["version"] for b in updates
    )
    [service] = [b for b in order_bodies if b["event"] == "shopping_order_event_add"]
    assert service["order"]["id"] == oid
    assert service["order_event"]["id"] == event["id"]
    assert service["order_event"]["service"] == "pickup"
    [cancel] = [b for b in bodies if _aggregate(b) == second["id"]]
    assert cancel["order"]["status"] == "cancelled"
    assert cancel["order"]["cancelled_reason"] == "changed mind"


def _resource(body: Json) -> Json:
    resource: Json = body.get("draft") or body["order"]
    return resource


def _aggregate(body: Json) -> str:
    return str(_resource(body)["id"])


async def test_an_expired_order_is_delivered_as_order_delete(pinned_hooks: PinnedFactory) -> None:
    async with pinned_hooks() as h:
        await h.subscribe(["shopping_order_delete", "shopping_order_update"])
        draft = await create_draft(
            h.shop, draft_body(item(), options={"order_time_to_live": 86400})
        )
        [order] = ok(await h.shop.put(f"/draft_orders/{draft['id']}/complete", json={}))["orders"]
        ok(await h.shop.put(f"/orders/{order['id']}", json={"comment": "soon gone"}))
        async with h.worker() as worker:
            await pump(worker, lambda: len(h.receiver.delivered(h.account)) == 2, "update")
            await passes(worker, 2)
            assert non_ping(h.receiver.delivered(h.account))[0].event == "shopping_order_update"
            h.time.advance(timedelta(days=1, seconds=1))
            await pump(worker, lambda: len(h.receiver.delivered(h.account)) == 3, "the delete")
        delete = verify(h.receiver.delivered(h.account)[-1], pinned=True)
        assert delete["event"] == "shopping_order_delete"
        assert delete["sequence"] == 2
        assert delete["order"]["id"] == order["id"]
        assert delete["order"]["deleted_at"] == h.time.iso()
        assert "items" not in delete["order"]
        gone = ok(await h.shop.get(f"/orders/{order['id']}"))
        assert gone["deleted_at"] == delete["order"]["deleted_at"]


async def test_only_subscribed_events_are_delivered(hooks: Hooks) -> None:
    narrow = await hooks.subscribe(["shopping_order_update", "shopping_order_event_add"])
    everything = await hooks.subscribe(url=hooks.receiver.url + "/all")
    draft = await create_draft(hooks.shop)
    ok(await hooks.shop.post(f"/draft_orders/{draft['id']}/items", json=item(line_id=9)))
    [order] = ok(await hooks.shop.put(f"/draft_orders/{draft['id']}/complete", json={}))["orders"]
    ok(await hooks.shop.put(f"/orders/{order['id']}", json={"comment": "x"}))
    ok(
        await hooks.shop.post(
            f"/orders/{order['id']}/events", json={"service": "s", "service_status": "t"}
        )
    )

    def to(path: str) -> list[str]:
        return [r.event for r in hooks.receiver.delivered(hooks.account) if r.path == path]

    async with hooks.worker() as worker:
        await pump(worker, lambda: len(to("/hook/all")) == 6, "everything")
        await pump(worker, lambda: len(to("/hook")) >= 3, "the narrow ones")
        await passes(worker, 2)
    # per draft and per order in order; the two aggregates are independent of each other
    everything_got = to("/hook/all")
    assert [e for e in everything_got if "draft" in e] == [
        "shopping_draft_add",
        "shopping_draft_update",
        "shopping_draft_complete",
    ]
    assert [e for e in everything_got if "order" in e] == [
        "shopping_order_update",
        "shopping_order_event_add",
    ]
    assert sorted(to("/hook")) == ["ping", "shopping_order_event_add", "shopping_order_update"]
    assert [e for e in to("/hook") if e != "ping"] == [
        "shopping_order_update",
        "shopping_order_event_add",
    ]
    pings = {
        r.json["hook_id"] for r in hooks.receiver.delivered(hooks.account) if r.event == "ping"
    }
    assert pings == {narrow["id"], everything["id"]}


async def test_events_from_before_the_subscription_are_not_delivered(hooks: Hooks) -> None:
    draft = await create_draft(hooks.shop)  # before any subscription
    await hooks.subscribe(["shopping_draft_add", "shopping_draft_update"])
    ok(await hooks.shop.post(f"/draft_orders/{draft['id']}/items", json=item(line_id=5)))
    async with hooks.worker() as worker:
        await pump(worker, lambda: len(hooks.receiver.delivered(hooks.account)) >= 2, "update")
        await passes(worker, 2)
    bodies = hooks.receiver.bodies(hooks.account)
    assert [(b["event"], b["sequence"]) for b in bodies] == [("shopping_draft_update", 2)]
    events = await feed(hooks.shop, 2)
    assert [e["event"] for e in events] == ["shopping_draft_add", "shopping_draft_update"]


async def test_a_switched_off_subscription_receives_nothing(hooks: Hooks) -> None:
    off = await hooks.subscribe(["shopping_draft_add"], active=False)
    assert off["active"] is False
    control = await hooks.subscribe(["shopping_draft_add"], url=hooks.receiver.url + "/on")
    await create_draft(hooks.shop)
    await create_draft(hooks.shop)

    async with hooks.worker() as worker:
        await pump(worker, lambda: len(hooks.receiver.delivered(hooks.account)) >= 3, "control")
        await passes(worker, 3)
        assert {r.path for r in hooks.receiver.of(hooks.account)} == {"/hook/on"}
        assert len(hooks.receiver.of(hooks.account)) == 3

        # switched on: what happens from now on is delivered, what happened meanwhile is not
        put = await hooks.hooks.put(
            f"/subscriptions/{off['id']}",
            json={"config": {"url": hooks.receiver.url}, "events": ["shopping_draft_add"]},
        )
        assert put.status_code == 200, put.text
        later = await create_draft(hooks.shop)
        await pump(
            worker,
            lambda: any(
                r.path == "/hook" and r.event == "shopping_draft_add"
                for r in hooks.receiver.delivered(hooks.account)
            ),
            "the later draft",
        )
        await passes(worker, 2)
    mine = [r.json for r in hooks.receiver.delivered(hooks.account) if r.path == "/hook"]
    assert [b["draft"]["id"] for b in mine if b["event"] != "ping"] == [later["id"]]
    assert control["id"] != off["id"]


async def test_a_merge_into_an_order_is_an_order_update(hooks: Hooks) -> None:
    await hooks.subscribe(["shopping_order_update", "shopping_draft_complete"])
    first = await create_draft(hooks.shop, draft_body(item(line_id=1)))
    [order] = ok(await hooks.shop.put(f"/draft_orders/{first['id']}/complete", json={}))["orders"]
    second = await create_draft(
        hooks.shop,
        draft_body(item(line_id=2, gross=300), options={"order_id": order["id"]}),
    )
    ok(await hooks.shop.put(f"/draft_orders/{second['id']}/complete", json={}))
    async with hooks.worker() as worker:
        await pump(worker, lambda: len(hooks.receiver.delivered(hooks.account)) >= 4, "merge")
        await passes(worker, 2)
    events = [(b["event"], _aggregate(b)) for b in hooks.receiver.bodies(hooks.account)]
    assert ("shopping_order_update", order["id"]) in events, events
    update = next(
        b for b in hooks.receiver.bodies(hooks.account) if b["event"] == "shopping_order_update"
    )
    assert [i["line_id"] for i in update["order"]["items"]] == [1, 2]
    assert update["sequence"] == 1
