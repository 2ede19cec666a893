"""`shopping-api demo`: a test account filled through the API, the same again on a second run."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from shopping.auth.scopes import ADMIN_SHOPPING, HOOKS_READ
from tests.cli.conftest import shopping_api
from tests.conftest import TEST_SECRET
from tests.support.completion import account_client, extra_app

ACCOUNT = "T05050505"
Json = dict[str, Any]


def demo(url: str, tmp_path: Path) -> Json:
    result = shopping_api(
        url, "demo", "--account", ACCOUNT, cwd=tmp_path, SHOPPING_JWT_SECRET=TEST_SECRET
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    summary: Json = json.loads(result.stdout)
    return summary


async def test_demo_fills_an_account_and_a_second_run_adds_nothing(
    tmp_path: Path, empty_database: str
) -> None:
    first = demo(empty_database, tmp_path)

    assert len(first["drafts"]) == 2
    assert len(first["orders"]) == 6
    assert len(first["webhook_subscriptions"]) == 1
    async with (
        extra_app(empty_database) as app,
        account_client(app, ACCOUNT, ADMIN_SHOPPING, *HOOKS_READ) as api,
    ):
        drafts = (await api.get("/draft_orders", params={"limit": 100})).json()
        orders = (await api.get("/orders", params={"limit": 100})).json()["orders"]
        hooks = await api.get(f"http://testserver/v1/accounts/{ACCOUNT}/hooks/subscriptions")
    assert hooks.status_code == 200, hooks.text
    assert {order["id"] for order in orders} == {order["id"] for order in first["orders"]}
    by_id = {order["id"]: order for order in orders}
    states = Counter((order["status"], order.get("payment_status", "pending")) for order in orders)
    assert states == Counter(
        {
            ("open", "pending"): 2,  # waiting for payment; authorized, not yet captured
            ("closed", "paid"): 1,
            ("open", "partially_refunded"): 1,
            ("open", "refunded"): 1,
            ("cancelled", "pending"): 1,
        }
    ), states
    customers = {order["customer"]["email"] for order in orders}
    assert len(customers) == 4
    assert all(order["items"] for order in by_id.values())
    open_drafts = [d for d in drafts["draft_orders"] if d["id"] in first["drafts"]]
    assert [d["status"] for d in open_drafts] == ["open", "open"], open_drafts
    (subscription,) = hooks.json()
    assert subscription["id"] == first["webhook_subscriptions"][0]
    assert subscription["active"] is False

    second = demo(empty_database, tmp_path)

    assert second == first
    async with extra_app(empty_database) as app, account_client(app, ACCOUNT) as api:
        again = (await api.get("/orders", params={"limit": 100})).json()["orders"]
        drafts_again = (await api.get("/draft_orders", params={"limit": 100})).json()
    assert len(again) == 6
    assert len(drafts_again["draft_orders"]) == len(drafts["draft_orders"])


def test_demo_refuses_a_production_account(tmp_path: Path) -> None:
    result = shopping_api(
        f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}", "demo", "--account", "P12345678",
        cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 2
    assert result.stdout == ""
    assert "test accounts only" in result.stderr
    assert list(tmp_path.iterdir()) == []
