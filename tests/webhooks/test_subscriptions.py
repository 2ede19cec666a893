"""The subscriptions API (`/v1/accounts/{aid}/hooks/subscriptions`, reference §7.2, decision 25):
create (sends a ping), list, get, update, delete, ping, deliveries and redelivery; scopes and
URL validation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from shopping.models import SubscriptionRow
from tests.conftest import bearer
from tests.support.contract import ContractTransport
from tests.support.drafts import create_draft
from tests.support.webhooks import SECRET, Answer, pump, verify
from tests.webhooks.conftest import Hooks, PinnedFactory

Json = dict[str, Any]
OTHER_SECRET = "another-secret-9876543210"


def hidden(response: httpx.Response, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in response.text, f"secret shown: {response.text}"


async def test_create_returns_the_subscription_and_sends_a_signed_ping(hooks: Hooks) -> None:
    created = await hooks.subscribe(["shopping_draft_add", "shopping_order_update"])

    assert created["config"]["url"] == hooks.receiver.url
    assert created["config"]["secret"] == {"type": "HMAC-SHA1"}
    assert created["events"] == ["shopping_draft_add", "shopping_order_update"]
    assert created["active"] is True
    assert created["account_id"] == hooks.account
    assert SECRET not in str(created)
    async with hooks.worker() as worker:
        await pump(worker, lambda: bool(hooks.receiver.delivered(hooks.account)), "the ping")
    [ping] = hooks.receiver.delivered(hooks.account)
    body = verify(ping)
    assert body["event"] == "ping"
    assert body["hook_id"] == created["id"]
    assert body["account_id"] == hooks.account


async def test_list_get_update_and_soft_delete(hooks: Hooks) -> None:
    first = await hooks.subscribe(["shopping_draft_add"])
    second = await hooks.subscribe(["shopping_order_update"], secret=OTHER_SECRET)

    listed = await hooks.hooks.get("/subscriptions")
    assert listed.status_code == 200, listed.text
    assert [s["id"] for s in listed.json()] == [second["id"], first["id"]]  # newest first
    hidden(listed, SECRET, OTHER_SECRET)
    got = await hooks.hooks.get(f"/subscriptions/{first['id']}")
    assert got.status_code == 200, got.text
    assert got.json() == first
    hidden(got, SECRET)

    # update: new events, switched off, secret omitted (so kept)
    put = await hooks.hooks.put(
        f"/subscriptions/{first['id']}",
        json={
            "config": {"url": hooks.receiver.url},
            "events": ["shopping_draft_update"],
            "active": False,
        },
    )
    assert put.status_code == 200, put.text
    hidden(put, SECRET)
    updated = (await hooks.hooks.get(f"/subscriptions/{first['id']}")).json()
    assert updated["active"] is False
    assert updated["events"] == ["shopping_draft_update"]
    assert updated["config"]["secret"] == {"type": "HMAC-SHA1"}  # still has one
    assert updated["created_at"] == first["created_at"]

    # switched on again, still without a secret in the body: pings are signed with the old one
    put = await hooks.hooks.put(
        f"/subscriptions/{first['id']}",
        json={"config": {"url": hooks.receiver.url}, "events": ["shopping_draft_update"]},
    )
    assert put.status_code == 200, put.text
    assert put.json()["active"] is True
    ping = await hooks.hooks.post(f"/subscriptions/{first['id']}/ping")
    assert ping.status_code == 204, ping.text
    assert ping.content == b""

    async with hooks.worker() as worker:
        # creation pings of both, plus the explicit ping of the first
        await pump(worker, lambda: len(hooks.receiver.delivered(hooks.account)) == 3, "3 pings")
        by_hook: dict[str, list[str]] = {}
        for request in hooks.receiver.delivered(hooks.account):
            hook_id = request.json["hook_id"]
            key = SECRET if hook_id == first["id"] else OTHER_SECRET
            verify(request, key)
            by_hook.setdefault(hook_id, []).append(request.headers["event-delivery"])
        assert sorted(len(v) for v in by_hook.values()) == [1, 2]
        assert len(by_hook[first["id"]]) == 2

        # a new secret is used from then on
        put = await hooks.hooks.put(
            f"/subscriptions/{first['id']}",
            json={
                "config": {"url": hooks.receiver.url, "secret": OTHER_SECRET},
                "events": ["shopping_draft_update"],
            },
        )
        assert put.status_code == 200, put.text
        hidden(put, OTHER_SECRET)
        assert (await hooks.hooks.post(f"/subscriptions/{first['id']}/ping")).status_code == 204
        await pump(worker, lambda: len(hooks.receiver.delivered(hooks.account)) == 4, "ping 4")
        verify(hooks.receiver.delivered(hooks.account)[-1], OTHER_SECRET)

    # delete: soft, gone from the API
    deleted = await hooks.hooks.delete(f"/subscriptions/{first['id']}")
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["id"] == first["id"]
    assert deleted.json()["active"] is False
    assert "deleted_at" in deleted.json()
    assert (await hooks.hooks.get(f"/subscriptions/{first['id']}")).status_code == 404
    assert (await hooks.hooks.post(f"/subscriptions/{first['id']}/ping")).status_code == 404
    assert (await hooks.hooks.delete(f"/subscriptions/{first['id']}")).status_code == 404
    assert [s["id"] for s in (await hooks.hooks.get("/subscriptions")).json()] == [second["id"]]
    async with hooks.db.read() as conn:
        row = await conn.one(
            select(SubscriptionRow.deleted_at).where(
                SubscriptionRow.account_id == hooks.account, SubscriptionRow.id == first["id"]
            )
        )
    assert row is not None
    assert row.deleted_at is not None  # kept, marked deleted


async def test_a_deleted_subscription_receives_nothing_more(hooks: Hooks) -> None:
    gone = await hooks.subscribe(["shopping_draft_add"])
    await hooks.subscribe(["shopping_draft_add"], url=hooks.receiver.url + "/control")
    assert (await hooks.hooks.delete(f"/subscriptions/{gone['id']}")).status_code == 200

    draft = await create_draft(hooks.shop)

    async with hooks.worker() as worker:
        await pump(
            worker,
            lambda: any(
                r.path.endswith("/control") and r.event == "shopping_draft_add"
                for r in hooks.receiver.delivered(hooks.account)
            ),
            "the control subscription's draft_add",
        )
    got = [(r.path, r.event) for r in hooks.receiver.delivered(hooks.account)]
    assert ("/hook", "shopping_draft_add") not in got, got
    [event] = [
        r.json for r in hooks.receiver.delivered(hooks.account) if r.event == "shopping_draft_add"
    ]
    assert event["draft"]["id"] == draft["id"]


async def test_scopes(hook_app: FastAPI, account: str, hooks: Hooks) -> None:
    created = await hooks.subscribe(["shopping_draft_add"])
    hid = created["id"]
    body = {"config": {"url": hooks.receiver.url}, "events": ["shopping_draft_add"]}
    transport = ContractTransport(hook_app)

    async def calls(*scopes: str) -> dict[str, int]:
        headers = bearer(hook_app, account, *scopes) if scopes else {}
        async with httpx.AsyncClient(
            transport=transport,
            base_url=f"http://testserver/v1/accounts/{account}/hooks",
            headers=headers,
        ) as client:
            deliveries = await client.get(f"/subscriptions/{hid}/deliveries")
            return {
                "list": (await client.get("/subscriptions")).status_code,
                "get": (await client.get(f"/subscriptions/{hid}")).status_code,
                "deliveries": deliveries.status_code,
                "create": (await client.post("/subscriptions", json=body)).status_code,
                "update": (await client.put(f"/subscriptions/{hid}", json=body)).status_code,
                "ping": (await client.post(f"/subscriptions/{hid}/ping")).status_code,
                "redeliver": (
                    await client.post(f"/subscriptions/{hid}/deliveries/nope/redeliver")
                ).status_code,
            }

    reads = {"list", "get", "deliveries"}

    def expect(read: int, write: int) -> dict[str, int]:
        out = {
            name: read if name in reads else write
            for name in ("list", "get", "deliveries", "create", "update", "ping", "redeliver")
        }
        if write == 200:
            out |= {"ping": 204, "redeliver": 404}
        return out

    assert await calls() == expect(401, 401)
    assert await calls("admin:shopping") == expect(403, 403)
    assert await calls("read:shopping", "write:shopping") == expect(403, 403)
    assert await calls("read:hooks") == expect(200, 403)
    assert await calls("write:hooks") == expect(403, 200)
    assert await calls("admin:hooks") == expect(200, 200)
    assert (await hooks.hooks.delete(f"/subscriptions/{hid}")).status_code == 200
    async with httpx.AsyncClient(
        transport=transport,
        base_url=f"http://testserver/v1/accounts/{account}/hooks",
        headers=bearer(hook_app, account, "read:hooks"),
    ) as reader:
        assert (await reader.delete(f"/subscriptions/{hid}")).status_code == 403


async def test_deliveries_record_every_attempt(pinned_hooks: PinnedFactory) -> None:
    async with pinned_hooks() as h:
        sub = await h.subscribe(["shopping_draft_add"])
        h.time.advance(timedelta(seconds=1))  # listed newest first: the draft after the ping
        draft = await create_draft(h.shop)
        h.receiver.answer = lambda _: Answer(500, b"not now")
        async with h.worker() as worker:
            await pump(worker, lambda: len(h.receiver.of(h.account)) == 2, "two failed attempts")
            h.receiver.answer = lambda _: Answer(200, b"thanks")
            h.time.advance(timedelta(minutes=1))
            await pump(worker, lambda: len(h.receiver.delivered(h.account)) == 2, "delivered")

        listed = await h.hooks.get(f"/subscriptions/{sub['id']}/deliveries")
        assert listed.status_code == 200, listed.text
        deliveries = listed.json()
        assert [d["event"] for d in deliveries] == ["shopping_draft_add", "ping"]  # newest first
        add = deliveries[0]
        received = next(r for r in h.receiver.delivered(h.account) if r.event != "ping")
        body = verify(received, pinned=True)
        assert body["draft"]["id"] == draft["id"]
        assert add["id"] == add["event_delivery"] == body["event_delivery"]
        assert add["event_id"] == body["event_id"]
        assert add["status"] == "delivered"
        assert add["attempts"] == 2
        assert add["delivered_at"] == h.time.iso()
        assert add["next_attempt_at"] is None

        one = await h.hooks.get(f"/subscriptions/{sub['id']}/deliveries/{add['id']}")
        assert one.status_code == 200, one.text
        log = one.json()["attempt_log"]
        assert [(a["attempt"], a["status_code"], a["response_excerpt"]) for a in log] == [
            (1, 500, "not now"),
            (2, 200, "thanks"),
        ]
        assert all(isinstance(a["duration_ms"], int) and a["duration_ms"] >= 0 for a in log)
        assert log[0]["started_at"] < log[1]["started_at"]
        missing = await h.hooks.get(f"/subscriptions/{sub['id']}/deliveries/nope")
        assert missing.status_code == 404, missing.text
        limited = await h.hooks.get(f"/subscriptions/{sub['id']}/deliveries", params={"limit": 1})
        assert [d["id"] for d in limited.json()] == [add["id"]]


async def test_redeliver_sends_the_same_event_again(hooks: Hooks) -> None:
    sub = await hooks.subscribe(["shopping_draft_add"])
    await create_draft(hooks.shop)
    async with hooks.worker() as worker:
        await pump(worker, lambda: len(hooks.receiver.delivered(hooks.account)) == 2, "2 sent")
        [first] = [r for r in hooks.receiver.delivered(hooks.account) if r.event != "ping"]
        original = verify(first)
        redo = await hooks.hooks.post(
            f"/subscriptions/{sub['id']}/deliveries/{original['event_delivery']}/redeliver"
        )
        assert redo.status_code == 200, redo.text
        again = redo.json()
        assert again["id"] != original["event_delivery"]
        assert again["event_id"] == original["event_id"]
        assert again["status"] == "pending"
        assert again["attempts"] == 0
        await pump(worker, lambda: len(hooks.receiver.delivered(hooks.account)) == 3, "resent")

    second = hooks.receiver.delivered(hooks.account)[-1]
    resent = verify(second)
    assert resent["event_delivery"] == again["id"]
    assert second.headers["webhook-id"] == first.headers["webhook-id"] == original["event_id"]
    assert {k: v for k, v in resent.items() if k != "event_delivery"} == {
        k: v for k, v in original.items() if k != "event_delivery"
    }
    listed = (await hooks.hooks.get(f"/subscriptions/{sub['id']}/deliveries")).json()
    by_id = {d["id"]: d for d in listed}
    assert by_id[original["event_delivery"]]["attempts"] == 1  # the original keeps its history
    assert by_id[again["id"]]["status"] == "delivered"
    missing = await hooks.hooks.post(f"/subscriptions/{sub['id']}/deliveries/nope/redeliver")
    assert missing.status_code == 404, missing.text


# ---- validation ---------------------------------------------------------------------------


async def test_invalid_subscriptions_are_refused(hooks: Hooks) -> None:
    good = {"url": hooks.receiver.url, "secret": SECRET}
    bodies = {
        "unknown event": {"config": good, "events": ["shopping_draft_add", "order_explode"]},
        "no events": {"config": good, "events": []},
        "ping is not subscribable": {"config": good, "events": ["ping"]},
        "ftp url": {
            "config": {**good, "url": "ftp://127.0.0.1/hook"},
            "events": ["shopping_draft_add"],
        },
        "relative url": {"config": {**good, "url": "/hook"}, "events": ["shopping_draft_add"]},
        "credentials": {
            "config": {**good, "url": hooks.receiver.url.replace("http://", "http://u:p@")},
            "events": ["shopping_draft_add"],
        },
        "short secret": {"config": {**good, "secret": "short"}, "events": ["shopping_draft_add"]},
    }
    for name, body in bodies.items():
        response = await hooks.hooks.post("/subscriptions", json=body)
        assert response.status_code == 400, (name, response.text)
    assert (await hooks.hooks.get("/subscriptions")).json() == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.0.0.1/",
        "http://192.168.1.20:8080/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/",
        "http://localhost/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0177.0.0.1/",
        "http://127.1/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://[::]/",
        "http://0.0.0.0/",
    ],
)
async def test_private_loopback_link_local_and_unspecified_targets_are_refused(
    app: FastAPI, account: str, url: str
) -> None:
    """On an app without `webhook_allowed_hosts` (the default)."""
    async with httpx.AsyncClient(
        transport=ContractTransport(app),
        base_url=f"http://testserver/v1/accounts/{account}/hooks",
        headers=bearer(app, account, "admin:hooks"),
    ) as client:
        response = await client.post(
            "/subscriptions", json={"config": {"url": url}, "events": ["shopping_draft_add"]}
        )
        assert response.status_code == 400, response.text
        assert "config.url" in response.text
        assert (await client.get("/subscriptions")).json() == []


async def test_a_host_name_is_accepted_without_resolving_it(app: FastAPI, account: str) -> None:
    """Checked at delivery instead: the receiver's DNS may not exist yet."""
    async with httpx.AsyncClient(
        transport=ContractTransport(app),
        base_url=f"http://testserver/v1/accounts/{account}/hooks",
        headers=bearer(app, account, "admin:hooks"),
    ) as client:
        url = "https://hooks.does-not-exist.invalid/receive"
        response = await client.post(
            "/subscriptions", json={"config": {"url": url}, "events": ["shopping_draft_add"]}
        )
        assert response.status_code == 200, response.text
        assert response.json()["config"]["url"] == url
        deleted = await client.delete(f"/subscriptions/{response.json()['id']}")
        assert deleted.status_code == 200, deleted.text


async def test_an_update_to_a_refused_url_changes_nothing(hooks: Hooks) -> None:
    sub = await hooks.subscribe(["shopping_draft_add"])
    response = await hooks.hooks.put(
        f"/subscriptions/{sub['id']}",
        json={"config": {"url": "http://user:pw@127.0.0.1/"}, "events": ["shopping_draft_add"]},
    )
    assert response.status_code == 400, response.text
    assert (await hooks.hooks.get(f"/subscriptions/{sub['id']}")).json() == sub
