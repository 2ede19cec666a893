"""PUT /draft_orders/{id}: replace the cart; completed and deleted drafts take notes only."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

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
    mark_draft,
    totals,
)

Json = dict[str, Any]


async def put(api: httpx.AsyncClient, draft_id: str, body: Any, **params: Any) -> httpx.Response:
    return await api.put(f"/draft_orders/{draft_id}", json=body, params=params)


async def test_update_replaces_the_order_and_bumps_the_version(
    api: httpx.AsyncClient, account: str
) -> None:
    created = await create_draft(
        api,
        draft_body(
            item(line_id=1, gross=1000),
            item(line_id=2, gross=2000),
            item(line_id=3, gross=3000, store="SL09"),
            comment="first",
            metadata={"a": 1},
        ),
    )
    body = draft_body(
        item(line_id=1, gross=1000),
        item(line_id=2, gross=2500, discounts=[discount(500)]),
        item(gross=4000, store="SL05"),
        currency="SEK",
        customer=customer(id="cust-2", first_name="Ola"),
    )
    raw = json.dumps(body)

    response = await api.put(
        f"/draft_orders/{created['id']}", content=raw, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["id"] == created["id"]
    assert updated["version"] == 2
    assert updated["status"] == "open"
    assert updated["created_at"] == created["created_at"]
    assert updated["updated_at"] > created["updated_at"]
    order = updated["order"]
    assert order["currency"] == "SEK"
    assert order["customer"]["id"] == "cust-2"
    assert "comment" not in order
    assert "metadata" not in order
    assert line_ids(updated) == [1, 2, 3]
    assert [i["version"] for i in order["items"]] == [1, 2, 2]
    assert [i["net_amount"] for i in order["items"]] == [1000, 2000, 4000]
    assert totals(updated) == {
        "gross_amount": 7500,
        "net_amount": 7000,
        "total_discount": 500,
        "total_manual_discount_amount": 500,
    }
    assert [s["id"] for s in order["stores"]] == ["SL02", "SL05"]
    first, second = updated["events"]
    assert first == created["events"][0]
    assert second["version"] == 2
    assert second["event_type"] == "api-event"
    assert second["request"] == {
        "path": f"/v1/accounts/{account}/shopping/draft_orders/{created['id']}",
        "method": "PUT",
        "body": raw,
    }
    assert second["id"] != first["id"]
    assert await get_draft(api, created["id"]) == updated


async def test_items_keep_the_version_at_which_they_last_changed(api: httpx.AsyncClient) -> None:
    created = await create_draft(api, draft_body(item(), item(), item()))

    second = echo(created)
    line(second, 2)["gross_amount"] = 7000
    v2 = (await put(api, created["id"], second)).json()
    third = echo(v2)
    line(third, 3)["description"] = "changed"
    v3 = (await put(api, created["id"], third)).json()
    v4 = (await put(api, created["id"], echo(v3))).json()

    assert [i["version"] for i in v2["order"]["items"]] == [1, 2, 1]
    assert [i["version"] for i in v3["order"]["items"]] == [1, 2, 3]
    assert [i["version"] for i in v4["order"]["items"]] == [1, 2, 3]
    assert v4["version"] == 4
    assert [e["version"] for e in v4["events"]] == [1, 2, 3, 4]


async def test_echoing_a_draft_back_keeps_everything(api: httpx.AsyncClient) -> None:
    created = await create_draft(
        api,
        draft_body(
            item(discounts=[discount(100, "customer")]),
            item(line_id=9, x_item=1),
            x_order={"k": "v"},
            options={"split_draft": True},
        ),
    )

    response = await put(api, created["id"], echo(created))

    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["order"] == created["order"]
    assert updated["options"] == created["options"]
    assert updated["version"] == 2


async def test_options_are_kept_when_omitted_and_replaced_when_sent(
    api: httpx.AsyncClient,
) -> None:
    created = await create_draft(
        api, draft_body(item(), options={"split_draft": True, "order_time_to_live": 90000})
    )

    kept = await put(api, created["id"], draft_body(item(gross=1)))
    kept_null = await put(api, created["id"], {**draft_body(item(gross=2)), "options": None})
    replaced = await put(
        api, created["id"], draft_body(item(gross=3), options={"multiple_authorizations": True})
    )
    emptied = await put(api, created["id"], draft_body(item(gross=4), options={}))

    assert kept.status_code == 200, kept.text
    assert kept.json()["options"] == {"split_draft": True, "order_time_to_live": 90000}
    assert kept_null.json()["options"] == {"split_draft": True, "order_time_to_live": 90000}
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["options"] == {"multiple_authorizations": True}
    assert replaced.json()["order"]["multiple_authorizations"] is True
    assert emptied.json()["options"] == {}
    assert emptied.json()["order"]["multiple_authorizations"] is False
    assert (await get_draft(api, created["id"]))["version"] == 5


async def test_top_level_extras_are_replaced(api: httpx.AsyncClient) -> None:
    created = await create_draft(api, {**draft_body(item()), "x_a": 1})

    updated = (await put(api, created["id"], {**draft_body(item()), "x_b": 2})).json()

    assert "x_a" not in updated
    assert updated["x_b"] == 2


async def test_update_of_unknown_draft_is_404(api: httpx.AsyncClient) -> None:
    response = await put(api, str(uuid.uuid4()), draft_body(item()))

    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "DRAFT_NOT_FOUND"


async def test_update_with_invalid_id_is_400(api: httpx.AsyncClient) -> None:
    response = await put(api, "nope", draft_body(item()))

    assert response.status_code == 400, response.text
    assert error_paths(response) == ["id"]


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"order": {"items": []}}, "order.currency"),
        (draft_body(item(gross="1")), "order.items[0].gross_amount"),
        (draft_body(item(tax_lines=[])), "order.items[0].tax_lines"),
        (draft_body(item(), comment="c" * 256), "order.comment"),
        ({"options": {}}, "order"),
    ],
)
async def test_invalid_update_is_400_and_changes_nothing(
    api: httpx.AsyncClient, body: Json, path: str
) -> None:
    created = await create_draft(api)

    response = await put(api, created["id"], body)

    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert path in error_paths(response)
    assert await get_draft(api, created["id"]) == created


async def test_duplicate_line_id_on_update_is_409_and_changes_nothing(
    api: httpx.AsyncClient,
) -> None:
    created = await create_draft(api)

    response = await put(api, created["id"], draft_body(item(line_id=4), item(line_id=4)))

    assert response.status_code == 409, response.text
    assert response.json()["error"]["code"] == "DUPLICATE_LINE_ID"
    assert await get_draft(api, created["id"]) == created


async def test_custom_order_id_with_split_on_update_is_400(api: httpx.AsyncClient) -> None:
    created = await create_draft(api)

    response = await put(
        api, created["id"], draft_body(item(), order_id="abc", options={"split_draft": True})
    )

    assert response.status_code == 400, response.text
    assert error_paths(response) == ["order.order_id"]
    assert await get_draft(api, created["id"]) == created


async def test_custom_order_id_with_stored_split_option_is_400(api: httpx.AsyncClient) -> None:
    created = await create_draft(api, draft_body(item(), options={"split_draft": True}))

    response = await put(api, created["id"], draft_body(item(), order_id="abc"))

    assert response.status_code == 400, response.text
    assert await get_draft(api, created["id"]) == created


async def test_reserve_chosen_on_update_reserves_one_id_and_keeps_it(
    api: httpx.AsyncClient,
) -> None:
    created = await create_draft(api)
    options = {"generate_order_id": "ALPHANUMERIC_9_RESERVE"}

    first = (await put(api, created["id"], draft_body(item(), options=options))).json()
    second = (await put(api, created["id"], draft_body(item(gross=5)))).json()
    third = (await put(api, created["id"], draft_body(item(gross=6), options=options))).json()

    reserved = first["order"]["order_id"]
    assert len(reserved) == 9
    assert second["order"]["order_id"] == reserved
    assert third["order"]["order_id"] == reserved


# ---- completed and deleted drafts --------------------------------------------------------


@pytest.fixture(params=["completed", "deleted"])
def closed_status(request: pytest.FixtureRequest) -> str:
    status: str = request.param
    return status


async def closed_draft(app: FastAPI, account: str, api: httpx.AsyncClient, status: str) -> Json:
    created = await create_draft(
        api,
        draft_body(
            item(line_id=1, discounts=[discount(100)]),
            item(line_id=7, gross=3000, store="SL03"),
            comment="before",
            metadata={"pos": "A"},
            options={"split_draft": False},
        ),
    )
    await mark_draft(app, account, created["id"], status)
    closed = await get_draft(api, created["id"])
    assert closed["status"] == status
    return closed


async def test_notes_of_a_closed_draft_can_change(
    app: FastAPI, account: str, api: httpx.AsyncClient, closed_status: str
) -> None:
    draft = await closed_draft(app, account, api, closed_status)
    body = echo(draft)
    body["order"]["comment"] = "after"
    body["order"]["metadata"] = {"pos": "B", "receipt": 12}

    response = await put(api, draft["id"], body)

    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["status"] == closed_status
    assert updated["version"] == 2
    assert len(updated["events"]) == 2
    assert updated["order"]["comment"] == "after"
    assert updated["order"]["metadata"] == {"pos": "B", "receipt": 12}
    unchanged = {k: v for k, v in updated["order"].items() if k not in ("comment", "metadata")}
    assert unchanged == {
        k: v for k, v in draft["order"].items() if k not in ("comment", "metadata")
    }
    assert updated["options"] == draft["options"]
    assert await get_draft(api, draft["id"]) == updated


async def test_notes_of_a_closed_draft_can_change_without_computed_fields(
    app: FastAPI, account: str, api: httpx.AsyncClient, closed_status: str
) -> None:
    """A client that sends only what it wrote (no totals, no item versions) is fine too."""
    draft = await closed_draft(app, account, api, closed_status)
    body = draft_body(
        item(discounts=[discount(100)], line_id=1),
        item(line_id=7, gross=3000, store="SL03"),
        comment="after",
    )

    response = await put(api, draft["id"], body)

    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["order"]["comment"] == "after"
    assert "metadata" not in updated["order"]
    assert updated["order"]["items"] == draft["order"]["items"]
    assert updated["options"] == draft["options"]
    assert updated["version"] == 2


def _change_item_amount(body: Json) -> None:
    body["order"]["items"][0]["gross_amount"] += 1


def _change_currency(body: Json) -> None:
    body["order"]["currency"] = "SEK"


def _change_options(body: Json) -> None:
    body["options"] = {"split_draft": True}


def _add_item(body: Json) -> None:
    body["order"]["items"].append(item(gross=1))


def _drop_item(body: Json) -> None:
    body["order"]["items"].pop()


def _change_customer(body: Json) -> None:
    body["order"]["customer"]["email"] = "other@example.com"


def _change_item_comment(body: Json) -> None:
    body["order"]["items"][0]["comment"] = "only notes of the order are editable"


def _change_extras(body: Json) -> None:
    body["x_new"] = True


@pytest.mark.parametrize(
    "change",
    [
        _change_item_amount,
        _change_currency,
        _change_options,
        _add_item,
        _drop_item,
        _change_customer,
        _change_item_comment,
        _change_extras,
    ],
)
async def test_other_changes_to_a_closed_draft_are_409(
    app: FastAPI, account: str, api: httpx.AsyncClient, closed_status: str, change: Any
) -> None:
    draft = await closed_draft(app, account, api, closed_status)
    body = echo(draft)
    body["order"]["comment"] = "after"
    change(body)

    response = await put(api, draft["id"], body)

    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "DRAFT_NOT_EDITABLE"
    assert error["status"] == closed_status
    assert await get_draft(api, draft["id"]) == draft


async def test_apply_discounts_on_a_closed_draft_changes_nothing_else(
    app: FastAPI, account: str, api: httpx.AsyncClient, http: httpx.AsyncClient
) -> None:
    """Tax lines are not recomputed on a completed draft, even when asked to."""
    from tests.conftest import bearer

    draft = await closed_draft(app, account, api, "completed")
    body = echo(draft)
    body["order"]["comment"] = "after"

    response = await api.put(
        f"/draft_orders/{draft['id']}",
        json=body,
        params={"apply_discounts": "true"},
        headers=bearer(app, account, "admin:shopping", "admin:discounts"),
    )

    assert response.status_code == 200, response.text
    assert response.json()["order"]["items"] == draft["order"]["items"]
