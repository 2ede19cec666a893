"""`options.order_id`: completing a draft updates an existing order (reference §5.3, decision 11).

New lines are appended, a line with a known `line_id` is replaced, the order's version goes up,
its new api-event names the draft and its totals follow the items. `replace: "order"` swaps
the content instead, while the order has no payment operations.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi import FastAPI

from tests.support.completion import (
    account_client,
    another_account,
    complete,
    completed,
    error_code,
    get_order,
    ids,
    line_ids,
    list_orders,
    new_order,
    order_events,
    patch_order_document,
)
from tests.support.drafts import create_draft, customer, draft_body, get_draft, item

Json = dict[str, Any]


async def base_order(api: httpx.AsyncClient, **order_fields: Any) -> tuple[Json, Json]:
    """(draft, order): lines 1 (10000) and 2 (5000), with metadata and a comment."""
    body = draft_body(
        item(line_id=1, gross=10000, description="one"),
        item(line_id=2, gross=5000, description="two"),
        metadata={"from": "first"},
        comment="first draft",
        **order_fields,
    )
    draft = await create_draft(api, body)
    [order] = (await completed(api, draft["id"]))["orders"]
    return draft, order


def merge_body(target: str, *items: Json, replace: str | None = None, **order: Any) -> Json:
    options: Json = {"order_id": target}
    if replace is not None:
        options["replace"] = replace
    return draft_body(*items, options=options, **order)


async def test_merge_appends_new_lines_and_replaces_known_ones(api: httpx.AsyncClient) -> None:
    first, order = await base_order(api)
    draft = await create_draft(
        api,
        merge_body(
            order["id"],
            item(line_id=2, gross=6000, description="two, changed"),
            item(line_id=3, gross=2000, description="three"),
        ),
    )

    response = await complete(api, draft["id"])

    assert response.status_code == 200, response.text
    done = response.json()
    assert (done["status"], done["version"]) == ("completed", 2)
    [merged] = done["orders"]
    assert (merged["id"], merged["order_id"]) == (order["id"], order["order_id"])
    assert merged["version"] == 2
    assert line_ids(merged) == [1, 2, 3]
    assert [line["description"] for line in merged["items"]] == ["one", "two, changed", "three"]
    assert [line["gross_amount"] for line in merged["items"]] == [10000, 6000, 2000]
    assert (merged["gross_amount"], merged["net_amount"]) == (18000, 18000)
    assert merged["payment_details"]["remaining_authorization_amount"] == 18000
    assert merged["payment_details"]["amount_due"] == 18000
    assert merged["metadata"] == {"from": "first"}  # not in the second draft: kept
    assert (merged["created_at"], merged["status"]) == (order["created_at"], "open")
    assert await get_order(api, order["id"]) == merged
    assert ids(await list_orders(api)) == [order["id"]]
    events = await order_events(api, order["id"])
    assert [(e["version"], e["draft_id"]) for e in events] == [
        (1, first["id"]),
        (2, draft["id"]),
    ]
    assert events[1]["request"]["path"].endswith(f"/draft_orders/{draft['id']}/complete")


async def test_merge_by_business_order_id_and_twice(api: httpx.AsyncClient) -> None:
    _, order = await base_order(api, order_id="shop-5")
    second = await create_draft(api, merge_body("shop-5", item(line_id=3, gross=100)))
    third = await create_draft(api, merge_body("shop-5", item(line_id=1, gross=1)))

    await completed(api, second["id"])
    [merged] = (await completed(api, third["id"]))["orders"]

    assert merged["id"] == order["id"]
    assert merged["version"] == 3
    assert [line["gross_amount"] for line in merged["items"]] == [1, 5000, 100]
    assert merged["net_amount"] == 5101
    events = await order_events(api, order["id"])
    assert [e.get("draft_id") for e in events][1:] == [second["id"], third["id"]]


async def test_merge_takes_the_drafts_order_fields(api: httpx.AsyncClient) -> None:
    _, order = await base_order(api)
    draft = await create_draft(
        api,
        merge_body(order["id"], item(line_id=3), customer=customer(id="cust-2", email="b@c.no")),
    )

    [merged] = (await completed(api, draft["id"]))["orders"]

    assert merged["customer"]["id"] == "cust-2"
    assert merged["comment"] == "first draft"


async def test_merge_into_an_unknown_order_is_404(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api, merge_body(str(uuid.uuid4()), item()))

    response = await complete(api, draft["id"])

    assert response.status_code == 404, response.text
    assert error_code(response) == "ORDER_NOT_FOUND"
    assert (await get_draft(api, draft["id"]))["status"] == "open"
    assert await list_orders(api) == []


async def test_merge_into_another_accounts_order_is_404(
    api: httpx.AsyncClient, app: FastAPI
) -> None:
    async with account_client(app, another_account()) as other:
        foreign = await new_order(other)
    draft = await create_draft(api, merge_body(foreign["id"], item()))

    response = await complete(api, draft["id"])

    assert response.status_code == 404, response.text


async def test_merge_with_another_currency_is_409(api: httpx.AsyncClient) -> None:
    _, order = await base_order(api)
    draft = await create_draft(api, merge_body(order["id"], item(line_id=3), currency="SEK"))

    response = await complete(api, draft["id"])

    assert response.status_code == 409, response.text
    assert error_code(response) == "CURRENCY_MISMATCH"
    assert await get_order(api, order["id"]) == order
    assert (await get_draft(api, draft["id"]))["status"] == "open"


async def test_merge_into_a_cancelled_order_is_409(api: httpx.AsyncClient) -> None:
    _, order = await base_order(api)
    cancelled = await api.post(f"/orders/{order['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    draft = await create_draft(api, merge_body(order["id"], item(line_id=3)))

    response = await complete(api, draft["id"])

    assert response.status_code == 409, response.text
    assert line_ids(await get_order(api, order["id"])) == [1, 2]
    assert (await get_draft(api, draft["id"]))["status"] == "open"


async def test_replace_order_replaces_the_content(api: httpx.AsyncClient) -> None:
    _, order = await base_order(api, order_number="N-1")
    draft = await create_draft(
        api,
        merge_body(order["id"], item(line_id=7, gross=999, description="only"), replace="order"),
    )

    [replaced] = (await completed(api, draft["id"]))["orders"]

    assert (replaced["id"], replaced["order_id"], replaced["version"]) == (
        order["id"],
        order["order_id"],
        2,
    )
    assert replaced["created_at"] == order["created_at"]
    assert line_ids(replaced) == [7]
    assert replaced["items"][0]["description"] == "only"
    assert (replaced["gross_amount"], replaced["net_amount"]) == (999, 999)
    for gone in ("metadata", "comment", "order_number"):
        assert gone not in replaced, gone
    assert replaced["payment_details"]["amount_due"] == 999
    assert await get_order(api, order["id"]) == replaced
    events = await order_events(api, order["id"])
    assert events[-1]["draft_id"] == draft["id"]


async def test_replace_order_with_payment_operations_is_409(
    api: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    _, order = await base_order(api)
    authorization = {"id": str(uuid.uuid4()), "amount": 15000, "success": True, "items": []}
    await patch_order_document(app, account, order["id"], authorizations=[authorization])
    draft = await create_draft(api, merge_body(order["id"], item(line_id=7), replace="order"))

    response = await complete(api, draft["id"])

    assert response.status_code == 409, response.text
    assert error_code(response) == "ORDER_HAS_PAYMENT_OPERATIONS"
    assert line_ids(await get_order(api, order["id"])) == [1, 2]
    assert (await get_draft(api, draft["id"]))["status"] == "open"


async def test_merging_without_replace_is_fine_with_payment_operations(
    api: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    _, order = await base_order(api)
    authorization = {"id": str(uuid.uuid4()), "amount": 15000, "success": True, "items": []}
    await patch_order_document(app, account, order["id"], authorizations=[authorization])
    draft = await create_draft(api, merge_body(order["id"], item(line_id=3)))

    [merged] = (await completed(api, draft["id"]))["orders"]

    assert line_ids(merged) == [1, 2, 3]
    assert merged["authorizations"] == [authorization]
