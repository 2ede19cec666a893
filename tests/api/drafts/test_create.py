"""POST /draft_orders: what is stored, what is computed, what is refused."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shopping.auth.scopes import ADMIN_SHOPPING
from tests.conftest import bearer, token_for
from tests.support.drafts import (
    create_draft,
    customer,
    discount,
    draft_body,
    echo,
    error_paths,
    get_draft,
    item,
    line,
    line_ids,
    list_drafts,
    seed_draft,
    tax_line,
    totals,
)

Json = dict[str, Any]
WITH_DISCOUNTS = (ADMIN_SHOPPING, "write:discounts")


def three_items() -> list[Json]:
    return [
        item(line_id=5, gross=10000, discounts=[discount(1000, "manual")]),
        item(gross=20000, store="SL03", discounts=[discount(500, "customer"), discount(250)]),
        item(line_id=2, gross=5000, store="SL02"),
    ]


async def test_create_returns_the_stored_draft_with_computed_fields(
    app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    headers = {
        "Authorization": f"Bearer {token_for(app, account, ADMIN_SHOPPING, client_id='pos-7')}"
    }
    body = draft_body(*three_items(), options={"split_draft": False, "order_time_to_live": 86400})
    raw = json.dumps(body)
    path = f"/v1/accounts/{account}/shopping/draft_orders"

    response = await http.post(
        path, content=raw, headers={**headers, "Content-Type": "application/json"}
    )

    assert response.status_code == 200, response.text
    draft = response.json()
    assert str(uuid.UUID(draft["id"])) == draft["id"]
    assert draft["status"] == "open"
    assert draft["version"] == 1
    assert draft["created_by"] == "pos-7"
    assert draft["created_at"] == draft["updated_at"]
    assert draft["_links"] == [{"href": f"http://testserver{path}/{draft['id']}", "rel": "draft"}]
    assert draft["options"] == {"split_draft": False, "order_time_to_live": 86400}
    [event] = draft["events"]
    assert uuid.UUID(event["id"])
    assert event["event_type"] == "api-event"
    assert event["version"] == 1
    assert event["created_by"] == "pos-7"
    assert event["request"] == {"path": path, "method": "POST", "body": raw}

    order = draft["order"]
    assert order["currency"] == "NOK"
    assert order["customer"] == customer()
    assert line_ids(draft) == [5, 6, 2]
    assert [i["net_amount"] for i in order["items"]] == [9000, 19250, 5000]
    assert [i["version"] for i in order["items"]] == [1, 1, 1]
    assert [i["is_changed"] for i in order["items"]] == [False, False, False]
    assert totals(draft) == {
        "gross_amount": 35000,
        "net_amount": 33250,
        "total_discount": 1750,
        "total_manual_discount_amount": 1250,
    }
    assert order["stores"] == [
        {"id": "SL02", "name": "Store SL02"},
        {"id": "SL03", "name": "Store SL03"},
    ]
    assert order["multiple_authorizations"] is False
    # the sent item content is kept as sent
    assert line(draft, 6)["discount_lines"] == [discount(500, "customer"), discount(250)]
    assert line(draft, 2)["tax_lines"] == [{"percentage": 25}]


async def test_missing_line_ids_are_max_plus_one_in_item_order(api: httpx.AsyncClient) -> None:
    draft = await create_draft(
        api, draft_body(item(), item(line_id=3), item(), item(line_id=1), item())
    )
    assert line_ids(draft) == [4, 3, 5, 1, 6]


async def test_line_ids_start_at_one(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api, draft_body(item(), item()))
    assert line_ids(draft) == [1, 2]


async def test_a_draft_without_items_has_zero_totals(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api, {"order": {"currency": "SEK"}})
    assert draft["order"]["items"] == []
    assert draft["order"]["stores"] == []
    assert totals(draft) == {
        "gross_amount": 0,
        "net_amount": 0,
        "total_discount": 0,
        "total_manual_discount_amount": 0,
    }
    assert draft["options"] == {}


async def test_stores_are_distinct_in_order_of_first_appearance(api: httpx.AsyncClient) -> None:
    draft = await create_draft(
        api,
        draft_body(
            item(store="B"), item(store=None), item(store="A"), item(store="B"), item(store="C")
        ),
    )
    assert [store["id"] for store in draft["order"]["stores"]] == ["B", "A", "C"]


async def test_negative_reversal_lines_count_into_totals(api: httpx.AsyncClient) -> None:
    draft = await create_draft(
        api,
        draft_body(
            item(gross=39800, discounts=[discount(3980, "customer")]),
            item(
                gross=-39800,
                reversed_reason="broken",
                related_item={"line_id": 1, "type": "reversed"},
            ),
        ),
    )
    assert [i["net_amount"] for i in draft["order"]["items"]] == [35820, -39800]
    assert totals(draft) == {
        "gross_amount": 0,
        "net_amount": -3980,
        "total_discount": 3980,
        "total_manual_discount_amount": 0,
    }


async def test_unknown_fields_are_echoed_verbatim(api: httpx.AsyncClient) -> None:
    body = draft_body(
        item(x_item={"colour": "blå", "n": [1, 2.5, None]}),
        customer=customer(x_loyalty_tier="gold"),
        x_order=[1, "two", {"three": 3}],
    )
    body["x_top"] = {"nested": {"deep": True}}
    body["options"] = {"x_option": "kept"}

    draft = await create_draft(api, body)

    assert draft["x_top"] == {"nested": {"deep": True}}
    assert draft["options"] == {"x_option": "kept"}
    assert draft["order"]["x_order"] == [1, "two", {"three": 3}]
    assert draft["order"]["customer"]["x_loyalty_tier"] == "gold"
    assert line(draft, 1)["x_item"] == {"colour": "blå", "n": [1, 2.5, None]}
    assert await get_draft(api, draft["id"]) == draft


async def test_read_only_fields_sent_by_the_client_are_ignored(api: httpx.AsyncClient) -> None:
    body = draft_body(
        item(gross=10000, net_amount=1, version=42, is_changed=True),
        gross_amount=5,
        net_amount=5,
        total_discount=5,
        total_manual_discount_amount=5,
        stores=[{"id": "FAKE"}],
        version=77,
        multiple_authorizations=True,
    )
    body.update(
        id=str(uuid.uuid4()),
        version=99,
        status="completed",
        created_by="someone-else",
        created_at="2001-01-01T00:00:00Z",
        events=[{"id": "x"}],
        _links=[{"href": "x", "rel": "draft"}],
    )

    draft = await create_draft(api, body)

    assert draft["id"] != body["id"]
    assert draft["version"] == 1
    assert draft["status"] == "open"
    assert draft["created_by"] != "someone-else"
    assert not draft["created_at"].startswith("2001")
    assert len(draft["events"]) == 1
    assert draft["_links"][0]["href"].endswith(f"/draft_orders/{draft['id']}")
    only = line(draft, 1)
    assert (only["net_amount"], only["version"], only["is_changed"]) == (10000, 1, False)
    assert totals(draft) == {
        "gross_amount": 10000,
        "net_amount": 10000,
        "total_discount": 0,
        "total_manual_discount_amount": 0,
    }
    assert [s["id"] for s in draft["order"]["stores"]] == ["SL02"]
    assert draft["order"]["multiple_authorizations"] is False
    assert "version" not in draft["order"]


async def test_dinteros_example_order_is_accepted(api: httpx.AsyncClient) -> None:
    example = seed_draft()["order"]

    draft = await create_draft(api, {"order": example})

    order = draft["order"]
    read_only = {
        "gross_amount",
        "net_amount",
        "total_discount",
        "total_manual_discount_amount",
        "discounts",
        "stores",
        "version",
        "time_to_live_expires_at",
        "multiple_authorizations",
        "items",
    }
    for key, value in example.items():
        if key not in read_only:
            assert order[key] == value, key
    [sent_item] = example["items"]
    [stored_item] = order["items"]
    for key, value in sent_item.items():
        if key not in {"net_amount", "is_changed", "version", "payout"}:
            assert stored_item[key] == value, key
    assert "payout" not in stored_item
    assert "discounts" not in order
    assert (stored_item["line_id"], stored_item["net_amount"], stored_item["version"]) == (
        1,
        39800 - 23130,
        1,
    )
    assert totals(draft) == {
        "gross_amount": 39800,
        "net_amount": 16670,
        "total_discount": 23130,
        "total_manual_discount_amount": 0,
    }
    assert order["stores"] == [sent_item["store"]]
    assert await get_draft(api, draft["id"]) == draft


async def test_dinteros_example_draft_is_accepted_whole(api: httpx.AsyncClient) -> None:
    example = seed_draft()

    draft = await create_draft(api, example)

    assert draft["id"] != example["id"]
    assert draft["version"] == 1
    assert draft["options"] == example["options"]
    assert draft["order"]["multiple_authorizations"] is False


async def test_duplicate_line_id_is_a_conflict_and_nothing_is_stored(
    api: httpx.AsyncClient,
) -> None:
    response = await api.post(
        "/draft_orders", json=draft_body(item(line_id=3), item(), item(line_id=3))
    )

    assert response.status_code == 409, response.text
    assert response.json()["error"]["code"] == "DUPLICATE_LINE_ID"
    assert await list_drafts(api) == []


def _set(path: str, value: Any) -> Any:
    """A mutation of the base body: set (or, with `...`, delete) the value at a dotted path."""

    def mutate(body: Json) -> None:
        *parents, last = path.split(".")
        target: Any = body
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        key: Any = int(last) if last.isdigit() else last
        if value is ...:
            del target[key]
        else:
            target[key] = value

    return mutate


INVALID_BODIES = [
    pytest.param(_set("order", ...), "order", id="missing-order"),
    pytest.param(_set("order.currency", ...), "order.currency", id="missing-currency"),
    pytest.param(_set("order.currency", "nok"), "order.currency", id="lowercase-currency"),
    pytest.param(_set("order.currency", "NOKK"), "order.currency", id="long-currency"),
    pytest.param(
        _set("order.items.0.gross_amount", ...), "order.items[0].gross_amount", id="no-gross"
    ),
    pytest.param(
        _set("order.items.0.gross_amount", "100"), "order.items[0].gross_amount", id="str-amount"
    ),
    pytest.param(
        _set("order.items.0.gross_amount", 100.5),
        "order.items[0].gross_amount",
        id="float-amount",
    ),
    pytest.param(
        _set("order.items.0.gross_amount", True), "order.items[0].gross_amount", id="bool-amount"
    ),
    pytest.param(_set("order.items.0.tax_lines", []), "order.items[0].tax_lines", id="no-taxes"),
    pytest.param(
        _set("order.items.0.tax_lines", [{"amount": 5}]),
        "order.items[0].tax_lines[0].percentage",
        id="tax-without-percentage",
    ),
    pytest.param(_set("order.comment", "x" * 256), "order.comment", id="long-comment"),
    pytest.param(_set("order.time_to_live", 86399), "order.time_to_live", id="short-ttl"),
    pytest.param(_set("order.items.0.line_id", -1), "order.items[0].line_id", id="neg-line-id"),
    pytest.param(
        _set("order.customer.email", "not-an-email"), "order.customer.email", id="bad-email"
    ),
    pytest.param(
        _set("options", {"order_time_to_live": 10}), "options.order_time_to_live", id="opt-ttl"
    ),
    pytest.param(
        _set("options", {"generate_order_id": "SHORT"}),
        "options.generate_order_id",
        id="opt-generate",
    ),
]


@pytest.mark.parametrize(("mutate", "path"), INVALID_BODIES)
async def test_invalid_body_is_a_400_naming_the_field_and_nothing_is_stored(
    api: httpx.AsyncClient, mutate: Any, path: str
) -> None:
    body = draft_body(item(), item(), comment="ok")
    mutate(body)

    response = await api.post("/draft_orders", json=body)

    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert path in error_paths(response), error
    assert await list_drafts(api) == []


@pytest.mark.parametrize(
    "content", ['{"order": {"currency": "NOK"', "", "[]", '"order"', "not json"]
)
async def test_a_body_that_is_not_a_json_object_is_a_400(
    api: httpx.AsyncClient, content: str
) -> None:
    response = await api.post(
        "/draft_orders", content=content, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert await list_drafts(api) == []


async def test_comment_of_255_characters_is_accepted(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api, draft_body(item(), comment="x" * 255, time_to_live=86400))
    assert draft["order"]["comment"] == "x" * 255
    assert draft["order"]["time_to_live"] == 86400


ORDER_ID = re.compile(r"[A-Z0-9]{9}")


async def test_reserved_order_ids_are_short_and_unique(api: httpx.AsyncClient) -> None:
    options = {"generate_order_id": "ALPHANUMERIC_9_RESERVE"}
    ids = []
    for _ in range(20):
        draft = await create_draft(api, draft_body(item(), options=options))
        ids.append(draft["order"]["order_id"])
    assert all(ORDER_ID.fullmatch(order_id) for order_id in ids), ids
    assert len(set(ids)) == 20


async def test_reserved_order_id_is_kept_when_the_draft_is_updated(api: httpx.AsyncClient) -> None:
    options = {"generate_order_id": "ALPHANUMERIC_9_RESERVE"}
    draft = await create_draft(api, draft_body(item(), options=options))
    reserved = draft["order"]["order_id"]

    without_options = await api.put(f"/draft_orders/{draft['id']}", json=draft_body(item(gross=1)))
    with_options = await api.put(
        f"/draft_orders/{draft['id']}", json=draft_body(item(gross=2), options=options)
    )

    assert without_options.status_code == 200, without_options.text
    assert without_options.json()["order"]["order_id"] == reserved
    assert with_options.status_code == 200, with_options.text
    assert with_options.json()["order"]["order_id"] == reserved
    assert (await get_draft(api, draft["id"]))["order"]["order_id"] == reserved


async def test_reserve_keeps_a_custom_order_id(api: httpx.AsyncClient) -> None:
    options = {"generate_order_id": "ALPHANUMERIC_9_RESERVE"}
    draft = await create_draft(api, draft_body(item(), options=options, order_id="my-order-1"))
    assert draft["order"]["order_id"] == "my-order-1"


@pytest.mark.parametrize("generate", [None, "UUID", "ALPHANUMERIC_9"])
async def test_order_id_is_not_set_on_the_draft_without_reserve(
    api: httpx.AsyncClient, generate: str | None
) -> None:
    options = {} if generate is None else {"generate_order_id": generate}
    draft = await create_draft(api, draft_body(item(), options=options))
    assert "order_id" not in draft["order"]


async def test_custom_order_id_with_split_draft_is_a_400(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/draft_orders",
        json=draft_body(item(), order_id="my-order-1", options={"split_draft": True}),
    )

    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert error_paths(response) == ["order.order_id"]
    assert await list_drafts(api) == []


async def test_custom_order_id_without_split_is_kept(api: httpx.AsyncClient) -> None:
    draft = await create_draft(
        api, draft_body(item(), order_id="my-order-1", options={"split_draft": False})
    )
    assert draft["order"]["order_id"] == "my-order-1"


# ---- apply_discounts ---------------------------------------------------------------------


@pytest.fixture
def discounter(app: FastAPI, account: str) -> dict[str, str]:
    """Headers of a client that may ask the discount engine."""
    return bearer(app, account, *WITH_DISCOUNTS)


async def create_with_discounts(
    api: httpx.AsyncClient, headers: dict[str, str], body: Json
) -> Json:
    response = await api.post(
        "/draft_orders", json=body, params={"apply_discounts": "true"}, headers=headers
    )
    assert response.status_code == 200, response.text
    draft: Json = response.json()
    return draft


async def test_apply_discounts_recomputes_tax_included_in_price(
    api: httpx.AsyncClient, discounter: dict[str, str]
) -> None:
    sent_tax = tax_line(25, included_in_price=True, amount=1, amount_dwh="1.0", tax_code="3")
    body = draft_body(item(gross=12500, discounts=[discount(2500)], tax_lines=[sent_tax]))

    draft = await create_with_discounts(api, discounter, body)

    assert line(draft, 1)["tax_lines"] == [
        {
            "percentage": 25,
            "included_in_price": True,
            "tax_code": "3",
            "amount": 2000,
            "amount_dwh": "2000.0000",
            "tax_basis": 10000,
            "tax_basis_dwh": "10000.0000",
        }
    ]
    assert line(draft, 1)["net_amount"] == 10000
    assert await get_draft(api, draft["id"]) == draft


async def test_apply_discounts_recomputes_tax_on_top_of_price(
    api: httpx.AsyncClient, discounter: dict[str, str]
) -> None:
    body = draft_body(item(gross=10000, tax_lines=[tax_line(25, included_in_price=False)]))

    draft = await create_with_discounts(api, discounter, body)

    [tax] = line(draft, 1)["tax_lines"]
    assert (tax["amount"], tax["amount_dwh"], tax["tax_basis"]) == (2500, "2500.0000", 10000)


@pytest.mark.parametrize(
    ("net", "percentage", "included", "amount", "amount_dwh"),
    [
        (10, 25, False, 2, "2.5000"),  # half to even: down
        (30, 25, False, 8, "7.5000"),  # half to even: up
        (35, 10, False, 4, "3.5000"),
        (25, 10, False, 2, "2.5000"),
        (100, 12.5, False, 12, "12.5000"),  # fractional rate, exact
        (99, 25, True, 20, "19.8000"),
        (1000, 15, True, 130, "130.4348"),  # 1000 × 15 / 115 = 130.434782…
        (27920, 25, True, 5584, "5584.0000"),  # Dintero's example line
        (-39800, 25, True, -7960, "-7960.0000"),  # a reversal line
    ],
)
async def test_apply_discounts_rounds_half_even(
    api: httpx.AsyncClient,
    discounter: dict[str, str],
    net: int,
    percentage: float,
    included: bool,
    amount: int,
    amount_dwh: str,
) -> None:
    body = draft_body(item(gross=net, tax_lines=[tax_line(percentage, included_in_price=included)]))

    draft = await create_with_discounts(api, discounter, body)

    [tax] = line(draft, 1)["tax_lines"]
    assert (tax["amount"], tax["amount_dwh"], tax["tax_basis"]) == (amount, amount_dwh, net)


async def test_apply_discounts_gives_exempt_lines_no_tax(
    api: httpx.AsyncClient, discounter: dict[str, str]
) -> None:
    body = draft_body(item(gross=10000, tax_lines=[tax_line(25, exempt=True)]))

    draft = await create_with_discounts(api, discounter, body)

    [tax] = line(draft, 1)["tax_lines"]
    assert (tax["amount"], tax["amount_dwh"], tax["tax_basis"]) == (0, "0.0000", 10000)


async def test_without_apply_discounts_tax_lines_are_stored_as_sent(
    api: httpx.AsyncClient,
) -> None:
    sent = [tax_line(25, amount=1, amount_dwh="1.5", tax_basis=7, included_in_price=True)]
    draft = await create_draft(api, draft_body(item(gross=12500, tax_lines=sent)))
    assert line(draft, 1)["tax_lines"] == sent


async def test_apply_discounts_needs_a_discounts_scope(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/draft_orders", json=draft_body(item()), params={"apply_discounts": "true"}
    )

    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "FORBIDDEN"
    assert await list_drafts(api) == []


async def test_a_draft_created_with_reserve_echoes_back_unchanged(
    api: httpx.AsyncClient,
) -> None:
    """Sending a draft back exactly as returned changes nothing but version and events."""
    draft = await create_draft(
        api,
        draft_body(*three_items(), options={"generate_order_id": "ALPHANUMERIC_9_RESERVE"}),
    )

    response = await api.put(f"/draft_orders/{draft['id']}", json=echo(draft))

    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["version"] == 2
    assert updated["order"] == draft["order"]
    assert updated["options"] == draft["options"]


async def test_discount_lines_without_an_amount_count_as_zero(api: httpx.AsyncClient) -> None:
    body = draft_body(
        item(
            gross=10000,
            discounts=[
                {"percentage": 10, "discount_type": "manual"},
                {"amount": None, "discount_type": "manual"},
                discount(300),
            ],
        )
    )

    draft = await create_draft(api, body)

    assert line(draft, 1)["net_amount"] == 9700
    assert line(draft, 1)["discount_lines"] == body["order"]["items"][0]["discount_lines"]
    assert totals(draft) == {
        "gross_amount": 10000,
        "net_amount": 9700,
        "total_discount": 300,
        "total_manual_discount_amount": 300,
    }


@pytest.mark.parametrize("included", [{}, {"included_in_price": None}])
async def test_apply_discounts_treats_an_unset_included_in_price_as_included(
    api: httpx.AsyncClient, discounter: dict[str, str], included: Json
) -> None:
    body = draft_body(item(gross=10000, tax_lines=[tax_line(25, **included)]))

    draft = await create_with_discounts(api, discounter, body)

    [tax] = line(draft, 1)["tax_lines"]
    assert (tax["amount"], tax["amount_dwh"]) == (2000, "2000.0000")


async def test_more_than_1000_items_is_400(api: httpx.AsyncClient) -> None:
    response = await api.post("/draft_orders", json=draft_body(*(item() for _ in range(1001))))

    assert response.status_code == 400, response.text
    assert error_paths(response) == ["order.items"]
    assert await list_drafts(api) == []


async def test_no_line_id_is_assigned_beyond_the_largest_valid_one(
    api: httpx.AsyncClient,
) -> None:
    response = await api.post("/draft_orders", json=draft_body(item(line_id=2**31 - 1), item()))

    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert await list_drafts(api) == []


async def test_customer_id_is_at_most_255_characters(api: httpx.AsyncClient) -> None:
    """The id is an indexed column (VARCHAR(255)): longer ids are refused, never a 500."""
    too_long = await api.post(
        "/draft_orders", json=draft_body(item(), customer=customer(id="c" * 256))
    )
    assert too_long.status_code == 400, too_long.text
    assert error_paths(too_long) == ["order.customer.id"]
    assert await list_drafts(api) == []

    longest = await create_draft(api, draft_body(item(), customer=customer(id="c" * 255)))
    assert await list_drafts(api, customer_id="c" * 255) == [longest]
