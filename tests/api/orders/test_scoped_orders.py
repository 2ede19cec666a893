"""Customer- and store-scoped order views (reference §2 rows 34–37, Q-SCOPED, §5.8): a subset
of the account's orders, the Q-SCOPED filters, and never any api (audit) events."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from shopping.auth.scopes import ADMIN_SHOPPING, READ_SHOPPING, WRITE_SHOPPING
from shopping.models import OrderFacetRow, OrderRow
from tests.support.drafts import customer, item
from tests.support.orders import (
    client,
    completed_order,
    completed_orders,
    error_code,
    list_ids,
    list_orders,
    newest_first,
    orders_per_store,
    service_event,
)

Json = dict[str, Any]


def ids(*orders: Json) -> list[str]:
    return newest_first(*orders)


# ---- customers -----------------------------------------------------------------------------


@pytest.fixture
async def customers(api: httpx.AsyncClient) -> dict[str, Json]:
    kari_1 = await completed_order(api, customer=customer(id="kari"))
    ola = await completed_order(api, customer=customer(id="ola", email="ola@example.com"))
    kari_2 = await completed_order(api, customer=customer(id="kari"))
    nobody = await completed_order(api, customer=None)
    # a customer id that "kari" is a prefix of: the customer view matches ids exactly
    kari_ish = await completed_order(api, customer=customer(id="kari-2", email="kari@x.no"))
    return {"kari_1": kari_1, "ola": ola, "kari_2": kari_2, "nobody": nobody, "kari_ish": kari_ish}


async def test_customer_orders_are_only_that_customers(
    api: httpx.AsyncClient, customers: dict[str, Json]
) -> None:
    listed = await list_orders(api, "/customers/kari/orders")

    assert [o["id"] for o in listed] == ids(customers["kari_1"], customers["kari_2"])
    assert listed[1] == customers["kari_1"]
    assert await list_ids(api, "/customers/ola/orders") == [customers["ola"]["id"]]
    assert await list_ids(api, "/customers/KARI/orders") == []
    assert await list_ids(api, "/customers/nobody/orders") == []


async def test_customer_orders_follow_an_updated_customer_id(
    api: httpx.AsyncClient, customers: dict[str, Json]
) -> None:
    moved = customers["kari_1"]

    response = await api.put(f"/orders/{moved['id']}", json={"customer": customer(id="ola")})

    assert response.status_code == 200, response.text
    assert await list_ids(api, "/customers/kari/orders") == [customers["kari_2"]["id"]]
    assert await list_ids(api, "/customers/ola/orders") == ids(customers["ola"], moved)


async def test_customer_list_filters_and_pages(
    api: httpx.AsyncClient, customers: dict[str, Json]
) -> None:
    kari_1, kari_2 = customers["kari_1"], customers["kari_2"]
    await api.post(f"/orders/{kari_1['id']}/close")
    await api.post(f"/orders/{customers['ola']['id']}/close")
    path = "/customers/kari/orders"

    assert await list_ids(api, path, status="closed") == [kari_1["id"]]
    assert await list_ids(api, path, status="open") == [kari_2["id"]]
    assert await list_ids(api, path, status="open,closed") == ids(kari_1, kari_2)
    assert await list_ids(api, path, payment_status="pending") == ids(kari_1, kari_2)
    assert await list_ids(api, path, payment_status="paid") == []
    assert await list_ids(api, path, limit=1) == [kari_2["id"]]
    assert await list_ids(api, path, limit=1, starting_after=kari_2["id"]) == [kari_1["id"]]
    assert await list_ids(api, path, starting_after=kari_1["id"]) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("status", "done"),
        ("payment_status", "unpaid"),
        ("created_at.gte", "soon"),
        ("limit", "0"),
        ("limit", "101"),
        ("starting_after", "not-a-uuid"),
        ("starting_after", "00000000-0000-4000-8000-000000000000"),
        ("include_events", "api-event"),
        ("include_events", "true,api-event"),
        ("include_events", "everything"),
    ],
)
@pytest.mark.parametrize("path", ["/customers/kari/orders", "/stores/SL02/orders"])
async def test_invalid_scoped_query_is_400(
    api: httpx.AsyncClient, path: str, name: str, value: str
) -> None:
    response = await api.get(path, params={name: value})

    assert response.status_code == 400, response.text
    assert response.json()["error"]["errors"][0]["path"] == name


@pytest.mark.parametrize("path", ["/customers/kari/orders", "/stores/SL02/orders"])
@pytest.mark.parametrize("value", ["true", "service-event"])
async def test_scoped_lists_show_only_service_events(
    api: httpx.AsyncClient, path: str, value: str
) -> None:
    order = await completed_order(api, customer=customer(id="kari"))
    await api.post(f"/orders/{order['id']}/comments", json={"body": "audit me"})
    await service_event(api, order["id"], "kitchen", "error")

    [listed] = await list_orders(api, path, include_events=value)

    assert [e["event_type"] for e in listed["events"]] == ["service-event"]
    assert listed["events"][0]["service"] == "kitchen"
    assert listed["state"] == "failure"
    [plain] = await list_orders(api, path, include_events="false")
    assert "events" not in plain
    assert "state" not in plain


async def test_customer_order(api: httpx.AsyncClient, customers: dict[str, Json]) -> None:
    kari_1 = customers["kari_1"]

    response = await api.get(f"/customers/kari/orders/{kari_1['id']}")

    assert response.status_code == 200, response.text
    assert response.json() == kari_1


async def test_customer_order_by_business_order_id(api: httpx.AsyncClient) -> None:
    order = await completed_order(
        api, customer=customer(id="kari"), options={"generate_order_id": "ALPHANUMERIC_9"}
    )

    response = await api.get(f"/customers/kari/orders/{order['order_id']}")

    assert response.status_code == 200, response.text
    assert response.json()["id"] == order["id"]


@pytest.mark.parametrize(
    ("customer_id", "who"),
    [
        ("kari", "ola"),
        ("ola", "kari_1"),
        ("kari", "nobody"),
        ("kari", "kari_ish"),
        ("kar", "kari_1"),
    ],
)
async def test_another_customers_order_is_404(
    api: httpx.AsyncClient, customers: dict[str, Json], customer_id: str, who: str
) -> None:
    response = await api.get(f"/customers/{customer_id}/orders/{customers[who]['id']}")

    assert response.status_code == 404, response.text
    assert error_code(response) == "ORDER_NOT_FOUND"


async def test_customer_order_include_events(api: httpx.AsyncClient) -> None:
    order = await completed_order(api, customer=customer(id="kari"))
    await service_event(api, order["id"], "kitchen", "pending")
    path = f"/customers/kari/orders/{order['id']}"

    shown = await api.get(path, params={"include_events": "true"})
    refused = await api.get(path, params={"include_events": "api-event"})

    assert shown.status_code == 200, shown.text
    assert [e["event_type"] for e in shown.json()["events"]] == ["service-event"]
    assert shown.json()["state"] == "pending"
    assert refused.status_code == 400, refused.text
    assert error_code(refused) == "VALIDATION_ERROR"


# ---- stores --------------------------------------------------------------------------------


async def test_split_draft_gives_one_order_per_store(api: httpx.AsyncClient) -> None:
    a, b, c = await orders_per_store(api, "A", "B", "C")

    assert await list_ids(api, "/stores/A/orders") == [a["id"]]
    assert await list_ids(api, "/stores/B/orders") == [b["id"]]
    assert await list_ids(api, "/stores/C/orders") == [c["id"]]
    assert await list_ids(api, "/stores/D/orders") == []
    assert await list_ids(api, "/stores/a/orders") == []


async def test_store_list_matches_the_order_store_or_any_item_store(
    api: httpx.AsyncClient,
) -> None:
    """Without a split, one order carries the order-level store and every item store."""
    mixed = await completed_order(
        api, item(line_id=1, store="A"), item(line_id=2, store="B"), store={"id": "HQ"}
    )
    only_a = await completed_order(api, item(store="A"))
    storeless = await completed_order(api, item(store=None), store={"id": "HQ"})
    nowhere = await completed_order(api, item(store=None))

    assert await list_ids(api, "/stores/A/orders") == ids(mixed, only_a)
    assert await list_ids(api, "/stores/B/orders") == [mixed["id"]]
    assert await list_ids(api, "/stores/HQ/orders") == ids(mixed, storeless)
    assert nowhere["id"] in await list_ids(api)


async def test_split_draft_with_storeless_items_keeps_the_order_store(
    api: httpx.AsyncClient,
) -> None:
    orders = await completed_orders(
        api,
        item(line_id=1, store="A"),
        item(line_id=2, store=None),
        item(line_id=3, store="B"),
        store={"id": "HQ"},
        options={"split_draft": True},
    )
    by_store = {o["store"]["id"]: o for o in orders}

    assert sorted(by_store) == ["A", "B", "HQ"]
    assert await list_ids(api, "/stores/HQ/orders") == [by_store["HQ"]["id"]]
    assert await list_ids(api, "/stores/A/orders") == [by_store["A"]["id"]]


async def test_store_list_filters_and_pages(api: httpx.AsyncClient) -> None:
    first = await completed_order(api, item(store="S"))
    second = await completed_order(api, item(store="S"))
    third = await completed_order(api, item(store="S"))
    await completed_order(api, item(store="T"))
    await api.post(f"/orders/{second['id']}/cancel")
    path = "/stores/S/orders"

    assert await list_ids(api, path) == ids(first, second, third)
    assert await list_ids(api, path, status="cancelled") == [second["id"]]
    assert await list_ids(api, path, status="open") == ids(first, third)
    assert await list_ids(api, path, payment_status="refunded") == []
    assert await list_ids(api, path, limit=2) == ids(second, third)
    assert await list_ids(api, path, starting_after=second["id"]) == [first["id"]]


async def test_store_order(api: httpx.AsyncClient) -> None:
    a, b = await orders_per_store(api, "A", "B")
    mixed = await completed_order(api, item(line_id=1, store="A"), item(line_id=2, store="B"))

    got = await api.get(f"/stores/A/orders/{a['id']}")
    assert got.status_code == 200, got.text
    assert got.json() == a
    assert (await api.get(f"/stores/B/orders/{mixed['id']}")).status_code == 200
    for store, order in (("B", a), ("A", b), ("C", mixed), ("a", a)):
        response = await api.get(f"/stores/{store}/orders/{order['id']}")
        assert response.status_code == 404, response.text
        assert error_code(response) == "ORDER_NOT_FOUND"


async def test_store_order_include_events(api: httpx.AsyncClient) -> None:
    order = await completed_order(
        api, item(store="A"), options={"generate_order_id": "ALPHANUMERIC_9"}
    )
    await service_event(api, order["id"], "kitchen", "success")
    path = f"/stores/A/orders/{order['order_id']}"

    shown = await api.get(path, params={"include_events": "service-event"})
    refused = await api.get(path, params={"include_events": "api-event"})

    assert shown.status_code == 200, shown.text
    assert [e["event_type"] for e in shown.json()["events"]] == ["service-event"]
    assert shown.json()["state"] == "success"
    assert refused.status_code == 400, refused.text


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/customers/ka%00ri/orders", "customer_id"),
        ("/customers/ka%00ri/orders/x", "customer_id"),
        ("/customers/kari/orders/x%00", "order_id"),
        ("/stores/S%00/orders", "store_id"),
        ("/stores/S/orders/%00", "order_id"),
    ],
)
async def test_nul_in_a_scoped_path_is_400(api: httpx.AsyncClient, path: str, name: str) -> None:
    response = await api.get(path)

    assert response.status_code == 400, response.text
    assert response.json()["error"]["errors"][0]["path"] == name


async def test_unknown_order_in_a_scoped_view_is_404(api: httpx.AsyncClient) -> None:
    for path in ("/customers/kari/orders/NOSUCHORD", "/stores/A/orders/NOSUCHORD"):
        response = await api.get(path)
        assert response.status_code == 404, response.text


async def test_scoped_views_need_a_read_scope_of_this_account(
    http: httpx.AsyncClient, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api, item(store="A"), customer=customer(id="kari"))
    paths = [
        "/customers/kari/orders",
        f"/customers/kari/orders/{order['id']}",
        "/stores/A/orders",
        f"/stores/A/orders/{order['id']}",
    ]
    async with client(http, app, account, READ_SHOPPING) as reader:
        assert [(await reader.get(p)).status_code for p in paths] == [200] * 4
    async with client(http, app, account, WRITE_SHOPPING) as writer:
        assert [(await writer.get(p)).status_code for p in paths] == [403] * 4
    async with client(http, app, "T99999997", ADMIN_SHOPPING) as stranger:
        responses = [await stranger.get(p) for p in paths]
        assert [r.status_code for r in responses] == [200, 404, 200, 404]
        assert responses[0].json() == {"orders": []}
        assert responses[2].json() == {"orders": []}


async def test_store_facets_carry_the_order_creation_time(
    app: FastAPI, api: httpx.AsyncClient, account: str
) -> None:
    """The store view pages along (store, created_at, id) of the facet rows: each row holds
    its order's creation time."""
    order = await completed_order(api, item(store="U"))
    async with app.state.db.read() as uow:
        created = await uow.scalar(
            select(OrderRow.created_at).where(
                OrderRow.account_id == account, OrderRow.id == order["id"]
            )
        )
        stamps = await uow.all(
            select(OrderFacetRow.name, OrderFacetRow.value, OrderFacetRow.created_at).where(
                OrderFacetRow.account_id == account, OrderFacetRow.order_id == order["id"]
            )
        )
    assert ("store", "u") in {(n, v.lower()) for n, v, _ in stamps}
    assert stamps
    assert {stamp for _, _, stamp in stamps} == {created}
    assert await list_ids(api, "/stores/U/orders") == [order["id"]]
