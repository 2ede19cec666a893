"""Money sanity: discounts within a line's gross (reversals mirrored), ISO 4217 currencies,
bounded tax rates, `items` a list, line ids written as digits, and an order update that
changes nothing saves and emits nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from shopping.auth.scopes import ADMIN_SHOPPING
from shopping.models import DraftOrderRow
from tests.conftest import bearer
from tests.support.drafts import create_draft, discount, draft_body, error_paths, get_draft, item
from tests.support.orders import api_events, completed_order, get_order
from tests.support.outbox import outbox_count

Json = dict[str, Any]


@pytest.fixture
async def discounts_api(
    transport: httpx.AsyncBaseTransport, app: FastAPI, account: str
) -> AsyncIterator[httpx.AsyncClient]:
    """A client that may send `apply_discounts=true`."""
    async with httpx.AsyncClient(
        transport=transport,
        base_url=f"http://testserver/v1/accounts/{account}/shopping",
        headers=bearer(app, account, ADMIN_SHOPPING, "admin:discounts"),
    ) as client:
        yield client


def assert_400(response: httpx.Response, path: str) -> None:
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert error_paths(response) == [path]


# ---- discounts within the gross ------------------------------------------------------------


@pytest.mark.parametrize(
    ("gross", "discounts"),
    [
        (10000, [discount(10001)]),
        (10000, [discount(6000), discount(4001, "customer")]),
        (0, [discount(1)]),
        (-10000, [discount(-10001)]),  # a reversal's discounts mirror the line's, no more
        (-10000, [discount(1)]),  # nor do they grow a reversal
        (10000, [discount(-1)]),  # nor a sold line
    ],
    ids=["one-line", "two-lines", "zero-gross", "reversal", "growing-reversal", "surcharge"],
)
async def test_discounts_beyond_the_gross_are_400(
    api: httpx.AsyncClient, gross: int, discounts: list[Json]
) -> None:
    response = await api.post(
        "/draft_orders", json=draft_body(item(line_id=1, gross=gross, discounts=discounts))
    )
    assert_400(response, "order.items[0].discount_lines")


@pytest.mark.parametrize(
    ("gross", "discounts", "net"),
    [
        (10000, [discount(10000)], 0),
        (10000, [discount(2500), {"percentage": 10, "discount_type": "customer"}], 7500),
        (10000, [discount(3000), discount(-1000, "customer")], 8000),  # lines net out
        (-10000, [discount(-2500)], -7500),  # a reversal line: negative gross and discounts
        (-10000, [], -10000),
    ],
    ids=["whole-gross", "percentage-only", "net-out", "reversal", "reversal-undiscounted"],
)
async def test_discounts_within_the_gross_are_accepted(
    api: httpx.AsyncClient, gross: int, discounts: list[Json], net: int
) -> None:
    draft = await create_draft(api, draft_body(item(line_id=1, gross=gross, discounts=discounts)))
    assert draft["order"]["items"][0]["net_amount"] == net


async def test_adding_or_replacing_an_item_checks_its_discounts(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api)
    too_much = item(gross=100, discounts=[discount(101)])

    added = await api.post(f"/draft_orders/{draft['id']}/items", json=too_much)
    replaced = await api.put(f"/draft_orders/{draft['id']}/items/1", json=too_much)

    assert_400(added, "discount_lines")
    assert_400(replaced, "discount_lines")
    assert await get_draft(api, draft["id"]) == draft


async def test_an_order_update_keeps_discounts_within_the_gross(
    app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await completed_order(
        api, item(line_id=1, gross=10000), item(line_id=2, gross=-2000, reversed_reason="x")
    )
    before = await get_order(api, order["id"])
    emitted = await outbox_count(app, account)

    for change in (
        {"items": [{"line_id": 1, "discount_lines": [discount(10001)]}]},
        {"items": [{"line_id": 2, "discount_lines": [discount(-2001)]}]},
        {"items": [{"line_id": 2, "discount_lines": [discount(1)]}]},
    ):
        response = await api.put(f"/orders/{order['id']}", json=change)
        assert_400(response, "items[0].discount_lines")
    assert await get_order(api, order["id"]) == before
    assert await outbox_count(app, account) == emitted

    fits = {
        "items": [
            {"line_id": 1, "discount_lines": [discount(10000)]},
            {"line_id": 2, "discount_lines": [discount(-500)]},
        ]
    }
    response = await api.put(f"/orders/{order['id']}", json=fits)
    assert response.status_code == 200, response.text
    assert [line["net_amount"] for line in response.json()["items"]] == [0, -1500]


# ---- currencies, tax rates, items ------------------------------------------------------------


@pytest.mark.parametrize("currency", ["QQQ", "ABC", "XYZ"])
async def test_a_currency_outside_iso_4217_is_400(api: httpx.AsyncClient, currency: str) -> None:
    response = await api.post("/draft_orders", json=draft_body(item(), currency=currency))
    assert_400(response, "order.currency")


async def test_an_original_currency_outside_iso_4217_is_400(api: httpx.AsyncClient) -> None:
    response = await api.post("/draft_orders", json=draft_body(item(original_currency="QQQ")))
    assert_400(response, "order.items[0].original_currency")


@pytest.mark.parametrize("currency", ["NOK", "SEK", "EUR", "USD", "JPY", "XTS"])
async def test_iso_4217_currencies_are_accepted(api: httpx.AsyncClient, currency: str) -> None:
    draft = await create_draft(api, draft_body(item(), currency=currency))
    assert draft["order"]["currency"] == currency


@pytest.mark.parametrize("percentage", [100.01, 101, 1e20, 1e308, -1, -0.5])
@pytest.mark.parametrize("included_in_price", [True, False])
async def test_a_tax_rate_outside_0_to_100_is_400(
    discounts_api: httpx.AsyncClient, percentage: float, included_in_price: bool
) -> None:
    tax = [{"percentage": percentage, "included_in_price": included_in_price}]
    response = await discounts_api.post(
        "/draft_orders",
        params={"apply_discounts": "true"},
        json=draft_body(item(tax_lines=tax)),
    )
    assert_400(response, "order.items[0].tax_lines[0].percentage")


@pytest.mark.parametrize(
    ("percentage", "included_in_price", "amount"),
    [(0, False, 0), (100, False, 10000), (100, True, 5000), (5e-324, False, 0), (12.5, True, 1111)],
)
async def test_tax_rates_from_0_to_100_are_recomputed(
    discounts_api: httpx.AsyncClient, percentage: float, included_in_price: bool, amount: int
) -> None:
    tax = [{"percentage": percentage, "included_in_price": included_in_price}]
    response = await discounts_api.post(
        "/draft_orders",
        params={"apply_discounts": "true"},
        json=draft_body(item(gross=10000, tax_lines=tax)),
    )
    assert response.status_code == 200, response.text
    assert response.json()["order"]["items"][0]["tax_lines"][0]["amount"] == amount


async def test_items_null_is_400_on_create_and_update(api: httpx.AsyncClient) -> None:
    body = {"order": {"currency": "NOK", "items": None}}
    draft = await create_draft(api)

    assert_400(await api.post("/draft_orders", json=body), "order.items")
    assert_400(await api.put(f"/draft_orders/{draft['id']}", json=body), "order.items")
    assert await get_draft(api, draft["id"]) == draft


async def test_absent_items_are_no_items(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api, {"order": {"currency": "NOK"}})
    assert draft["order"]["items"] == []


# ---- line ids in paths -----------------------------------------------------------------------


async def assert_line_id_refused(api: httpx.AsyncClient, line_id: str) -> None:
    draft = await create_draft(api)

    deleted = await api.delete(f"/draft_orders/{draft['id']}/items/{line_id}")
    replaced = await api.put(f"/draft_orders/{draft['id']}/items/{line_id}", json=item())

    assert (deleted.status_code, replaced.status_code) == (400, 400), deleted.text
    assert deleted.json()["error"]["errors"][0]["path"] == "line_id"
    assert await get_draft(api, draft["id"]) == draft


@pytest.mark.parametrize("line_id", ["1e0", "-1", "0x1", "one", "2147483648"])
async def test_a_line_id_in_a_path_is_a_non_negative_integer(
    api: httpx.AsyncClient, line_id: str
) -> None:
    await assert_line_id_refused(api, line_id)


@pytest.mark.parametrize("line_id", ["1.0", "+1", "1_0", "%201"])
async def test_a_line_id_in_a_path_is_written_in_digits(
    api: httpx.AsyncClient, line_id: str
) -> None:
    await assert_line_id_refused(api, line_id)


# ---- an update that changes nothing ----------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [{}, {"items": None}, {"items": []}, {"version": 1}, {"comment": "as it was"}],
    ids=["empty", "items-null", "items-empty", "version-only", "same-value"],
)
async def test_an_order_update_that_changes_nothing_saves_and_emits_nothing(
    app: FastAPI, account: str, api: httpx.AsyncClient, body: Json
) -> None:
    order = await completed_order(api, item(line_id=1), comment="as it was")
    before = await get_order(api, order["id"])
    emitted = await outbox_count(app, account)

    response = await api.put(f"/orders/{order['id']}", json=body)

    assert response.status_code == 200, response.text
    assert response.json() == before
    assert await get_order(api, order["id"]) == before
    assert len(await api_events(api, order["id"])) == before["version"]
    assert await outbox_count(app, account) == emitted


async def test_a_stale_version_still_conflicts_when_nothing_changes(
    api: httpx.AsyncClient,
) -> None:
    order = await completed_order(api, item(line_id=1))
    await api.put(f"/orders/{order['id']}", json={"comment": "v2"})

    response = await api.put(f"/orders/{order['id']}", json={"version": 1})

    assert response.status_code == 409, response.text


async def test_a_stored_tax_rate_out_of_range_is_400_when_recomputed(
    app: FastAPI, account: str, api: httpx.AsyncClient, discounts_api: httpx.AsyncClient
) -> None:
    """A line stored before tax rates were bounded: recomputing it is a 400, not a 500."""
    draft = await create_draft(api)
    async with app.state.db.write() as uow:
        where = (DraftOrderRow.account_id == account, DraftOrderRow.id == draft["id"])
        document = await uow.scalar(select(DraftOrderRow.document).where(*where))
        document["order"]["items"][0]["tax_lines"][0]["percentage"] = 1e308
        await uow.execute(update(DraftOrderRow).where(*where).values(document=document))
    before = await get_draft(api, draft["id"])

    response = await discounts_api.post(
        f"/draft_orders/{draft['id']}/items", params={"apply_discounts": "true"}, json=item()
    )

    assert response.status_code == 400, response.text
    assert await get_draft(api, draft["id"]) == before
