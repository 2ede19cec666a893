"""POST/PUT/DELETE /draft_orders/{id}/items[/{line_id}]: edit one line, get the whole draft."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shopping.auth.scopes import ADMIN_SHOPPING
from tests.conftest import bearer
from tests.support.drafts import (
    create_draft,
    discount,
    draft_body,
    get_draft,
    item,
    line,
    line_ids,
    mark_draft,
    tax_line,
    totals,
)

Json = dict[str, Any]


@pytest.fixture
async def draft(api: httpx.AsyncClient) -> Json:
    """An open draft with lines 1 (10000 − 1000 manual), 4 (5000) and 2 (2000, store SL03)."""
    return await create_draft(
        api,
        draft_body(
            item(line_id=1, gross=10000, discounts=[discount(1000)]),
            item(line_id=4, gross=5000),
            item(line_id=2, gross=2000, store="SL03"),
        ),
    )


def items_url(draft: Json, line_id: int | None = None) -> str:
    url = f"/draft_orders/{draft['id']}/items"
    return url if line_id is None else f"{url}/{line_id}"


async def test_add_item_without_line_id_gets_max_plus_one(
    api: httpx.AsyncClient, draft: Json, account: str
) -> None:
    sent = item(gross=3000, discounts=[discount(300, "customer")], store="SL07", x_extra="kept")
    raw = json.dumps(sent)

    response = await api.post(
        items_url(draft), content=raw, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 200, response.text
    updated = response.json()
    assert line_ids(updated) == [1, 4, 2, 5]
    added = line(updated, 5)
    assert added["x_extra"] == "kept"
    assert (added["net_amount"], added["version"], added["is_changed"]) == (2700, 2, False)
    assert [line(updated, i)["version"] for i in (1, 4, 2)] == [1, 1, 1]
    assert updated["version"] == 2
    assert totals(updated) == {
        "gross_amount": 20000,
        "net_amount": 18700,
        "total_discount": 1300,
        "total_manual_discount_amount": 1000,
    }
    assert [s["id"] for s in updated["order"]["stores"]] == ["SL02", "SL03", "SL07"]
    assert [e["version"] for e in updated["events"]] == [1, 2]
    assert updated["events"][1]["request"] == {
        "path": f"/v1/accounts/{account}/shopping{items_url(draft)}",
        "method": "POST",
        "body": raw,
    }
    assert await get_draft(api, draft["id"]) == updated


async def test_add_item_with_line_id_keeps_it(api: httpx.AsyncClient, draft: Json) -> None:
    response = await api.post(items_url(draft), json=item(line_id=100, gross=1))

    assert response.status_code == 200, response.text
    assert line_ids(response.json()) == [1, 4, 2, 100]
    again = await api.post(items_url(draft), json=item(gross=1))
    assert line_ids(again.json()) == [1, 4, 2, 100, 101]


async def test_add_item_with_line_id_zero(api: httpx.AsyncClient) -> None:
    created = await create_draft(api, {"order": {"currency": "NOK"}})

    zero = await api.post(items_url(created), json=item(line_id=0))
    next_one = await api.post(items_url(created), json=item())

    assert zero.status_code == 200, zero.text
    assert line_ids(next_one.json()) == [0, 1]


async def test_add_item_to_an_empty_draft_starts_at_one(api: httpx.AsyncClient) -> None:
    created = await create_draft(api, {"order": {"currency": "NOK"}})

    response = await api.post(items_url(created), json=item(gross=700))

    assert line_ids(response.json()) == [1]
    assert totals(response.json())["gross_amount"] == 700


async def test_add_item_with_a_taken_line_id_is_409(api: httpx.AsyncClient, draft: Json) -> None:
    response = await api.post(items_url(draft), json=item(line_id=4))

    assert response.status_code == 409, response.text
    assert response.json()["error"]["code"] == "DUPLICATE_LINE_ID"
    assert await get_draft(api, draft["id"]) == draft


async def test_read_only_item_fields_sent_on_add_are_ignored(
    api: httpx.AsyncClient, draft: Json
) -> None:
    response = await api.post(
        items_url(draft), json=item(gross=100, net_amount=1, version=9, is_changed=True)
    )

    added = line(response.json(), 5)
    assert (added["net_amount"], added["version"], added["is_changed"]) == (100, 2, False)


async def test_replace_item_replaces_its_content(
    api: httpx.AsyncClient, draft: Json, account: str
) -> None:
    response = await api.put(
        items_url(draft, 4),
        json=item(gross=8000, store=None, discounts=[discount(800, "customer")], description="new"),
    )

    assert response.status_code == 200, response.text
    updated = response.json()
    assert line_ids(updated) == [1, 4, 2]
    replaced = line(updated, 4)
    assert replaced == {
        "gross_amount": 8000,
        "tax_lines": [{"percentage": 25}],
        "discount_lines": [discount(800, "customer")],
        "description": "new",
        "line_id": 4,
        "net_amount": 7200,
        "version": 2,
        "is_changed": False,
    }
    assert line(updated, 1) == line(draft, 1)
    assert line(updated, 2) == line(draft, 2)
    assert updated["version"] == 2
    assert totals(updated) == {
        "gross_amount": 20000,
        "net_amount": 18200,
        "total_discount": 1800,
        "total_manual_discount_amount": 1000,
    }
    assert [s["id"] for s in updated["order"]["stores"]] == ["SL02", "SL03"]
    assert updated["events"][1]["request"]["method"] == "PUT"
    assert updated["events"][1]["request"]["path"] == (
        f"/v1/accounts/{account}/shopping{items_url(draft, 4)}"
    )
    assert await get_draft(api, draft["id"]) == updated


async def test_replace_item_line_id_from_the_path_wins(api: httpx.AsyncClient, draft: Json) -> None:
    response = await api.put(items_url(draft, 2), json=item(line_id=1, gross=9))

    assert response.status_code == 200, response.text
    updated = response.json()
    assert line_ids(updated) == [1, 4, 2]
    assert line(updated, 2)["gross_amount"] == 9
    assert line(updated, 1) == line(draft, 1)


async def test_replace_item_with_identical_content_keeps_its_version(
    api: httpx.AsyncClient, draft: Json
) -> None:
    """The item's version is the draft version at which its content last changed."""
    same = {k: v for k, v in line(draft, 4).items() if k not in ("net_amount", "version")}

    response = await api.put(items_url(draft, 4), json=same)

    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    assert line(response.json(), 4)["version"] == 1


async def test_item_versions_follow_successive_edits(api: httpx.AsyncClient, draft: Json) -> None:
    await api.put(items_url(draft, 1), json=item(gross=1))  # v2
    await api.post(items_url(draft), json=item(gross=2))  # v3: line 5
    await api.put(items_url(draft, 2), json=item(gross=3))  # v4
    final = (await api.delete(items_url(draft, 4))).json()  # v5

    assert final["version"] == 5
    assert {i["line_id"]: i["version"] for i in final["order"]["items"]} == {1: 2, 2: 4, 5: 3}
    assert [e["version"] for e in final["events"]] == [1, 2, 3, 4, 5]
    assert [e["request"]["method"] for e in final["events"]] == [
        "POST",
        "PUT",
        "POST",
        "PUT",
        "DELETE",
    ]


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
async def test_unknown_line_is_404(api: httpx.AsyncClient, draft: Json, method: str) -> None:
    response = await api.request(
        method, items_url(draft, 3), json=item() if method == "PUT" else None
    )

    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "LINE_NOT_FOUND"
    assert await get_draft(api, draft["id"]) == draft


async def test_delete_item_removes_it(api: httpx.AsyncClient, draft: Json, account: str) -> None:
    response = await api.delete(items_url(draft, 1))

    assert response.status_code == 200, response.text
    updated = response.json()
    assert line_ids(updated) == [4, 2]
    assert [line(updated, i)["version"] for i in (4, 2)] == [1, 1]
    assert updated["version"] == 2
    assert totals(updated) == {
        "gross_amount": 7000,
        "net_amount": 7000,
        "total_discount": 0,
        "total_manual_discount_amount": 0,
    }
    event = updated["events"][1]
    assert event["request"] == {
        "path": f"/v1/accounts/{account}/shopping{items_url(draft, 1)}",
        "method": "DELETE",
        "body": None,
    }
    assert await get_draft(api, draft["id"]) == updated


async def test_delete_the_last_store_drops_it_from_stores(
    api: httpx.AsyncClient, draft: Json
) -> None:
    updated = (await api.delete(items_url(draft, 2))).json()

    assert [s["id"] for s in updated["order"]["stores"]] == ["SL02"]


async def test_delete_all_items_leaves_zero_totals(api: httpx.AsyncClient, draft: Json) -> None:
    for line_id in (1, 4, 2):
        response = await api.delete(items_url(draft, line_id))
        assert response.status_code == 200, response.text

    final = await get_draft(api, draft["id"])
    assert final["order"]["items"] == []
    assert final["order"]["stores"] == []
    assert totals(final) == {
        "gross_amount": 0,
        "net_amount": 0,
        "total_discount": 0,
        "total_manual_discount_amount": 0,
    }
    assert final["version"] == 4
    readded = (await api.post(items_url(draft), json=item())).json()
    assert line_ids(readded) == [1]


async def test_a_deleted_line_id_can_be_added_again(api: httpx.AsyncClient, draft: Json) -> None:
    await api.delete(items_url(draft, 4))

    response = await api.post(items_url(draft), json=item(line_id=4, gross=1))

    assert response.status_code == 200, response.text
    assert line_ids(response.json()) == [1, 2, 4]
    assert line(response.json(), 4)["version"] == 3


@pytest.mark.parametrize("status", ["completed", "deleted"])
@pytest.mark.parametrize(
    ("method", "line_id", "body"),
    [
        ("POST", None, item(gross=1)),
        ("PUT", 4, item(gross=1)),
        ("PUT", 99, item(gross=1)),
        ("DELETE", 4, None),
    ],
)
async def test_item_operations_on_a_closed_draft_are_409(
    api: httpx.AsyncClient,
    app: FastAPI,
    account: str,
    draft: Json,
    status: str,
    method: str,
    line_id: int | None,
    body: Json | None,
) -> None:
    await mark_draft(app, account, draft["id"], status)
    before = await get_draft(api, draft["id"])

    response = await api.request(method, items_url(draft, line_id), json=body)

    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "DRAFT_NOT_EDITABLE"
    assert error["status"] == status
    assert await get_draft(api, draft["id"]) == before


@pytest.mark.parametrize(
    ("method", "line_id", "body"),
    [("POST", None, item()), ("PUT", 1, item()), ("DELETE", 1, None)],
)
async def test_item_operations_on_an_unknown_draft_are_404(
    api: httpx.AsyncClient, method: str, line_id: int | None, body: Json | None
) -> None:
    unknown = {"id": str(uuid.uuid4())}

    response = await api.request(method, items_url(unknown, line_id), json=body)

    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "DRAFT_NOT_FOUND"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"tax_lines": [tax_line()]}, "gross_amount"),
        ({"gross_amount": 100}, "tax_lines"),
        (item(tax_lines=[]), "tax_lines"),
        (item(gross="100"), "gross_amount"),
        (item(gross=1.5), "gross_amount"),
        (item(gross=False), "gross_amount"),
        (item(line_id="x"), "line_id"),
        (item(comment="c" * 256), "comment"),
        (item(discounts=[{"amount": "5"}]), "discount_lines[0].amount"),
        (item(tax_lines=[{"amount": 5}]), "tax_lines[0].percentage"),
    ],
)
@pytest.mark.parametrize("method", ["POST", "PUT"])
async def test_invalid_item_is_400_and_the_draft_is_unchanged(
    api: httpx.AsyncClient, draft: Json, method: str, body: Json, path: str
) -> None:
    url = items_url(draft) if method == "POST" else items_url(draft, 4)

    response = await api.request(method, url, json=body)

    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert path in [e["path"] for e in error["errors"]], error
    assert await get_draft(api, draft["id"]) == draft


@pytest.mark.parametrize("method", ["POST", "PUT"])
async def test_item_body_that_is_not_json_is_400(
    api: httpx.AsyncClient, draft: Json, method: str
) -> None:
    url = items_url(draft) if method == "POST" else items_url(draft, 4)

    response = await api.request(
        method, url, content=b"{gross_amount", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert (await get_draft(api, draft["id"]))["version"] == 1


@pytest.mark.parametrize("bad_line", ["x", "-1", "1.5", str(2**31)])
@pytest.mark.parametrize("method", ["PUT", "DELETE"])
async def test_invalid_line_id_in_the_path_is_400(
    api: httpx.AsyncClient, draft: Json, method: str, bad_line: str
) -> None:
    response = await api.request(
        method,
        f"/draft_orders/{draft['id']}/items/{bad_line}",
        json=item() if method == "PUT" else None,
    )

    assert response.status_code == 400, response.text
    assert [e["path"] for e in response.json()["error"]["errors"]] == ["line_id"]


async def test_item_operations_with_apply_discounts_recompute_taxes(
    api: httpx.AsyncClient, app: FastAPI, account: str, draft: Json
) -> None:
    headers = bearer(app, account, ADMIN_SHOPPING, "write:discounts:/available_for_receipt")

    added = await api.post(
        items_url(draft),
        json=item(gross=12500, discounts=[discount(2500)], tax_lines=[tax_line(25, amount=1)]),
        params={"apply_discounts": "true"},
        headers=headers,
    )
    forbidden = await api.delete(items_url(draft, 1), params={"apply_discounts": "true"})

    assert added.status_code == 200, added.text
    [tax] = line(added.json(), 5)["tax_lines"]
    assert (tax["amount"], tax["amount_dwh"], tax["tax_basis"]) == (2000, "2000.0000", 10000)
    # every line is recomputed, not only the added one
    [first_tax] = line(added.json(), 1)["tax_lines"]
    assert (first_tax["amount"], first_tax["tax_basis"]) == (1800, 9000)
    assert forbidden.status_code == 403, forbidden.text


async def test_add_item_when_the_largest_line_id_is_taken_is_400(api: httpx.AsyncClient) -> None:
    created = await create_draft(api, draft_body(item(line_id=2**31 - 1)))

    without = await api.post(items_url(created), json=item())
    explicit = await api.post(items_url(created), json=item(line_id=7))

    assert without.status_code == 400, without.text
    assert without.json()["error"]["code"] == "VALIDATION_ERROR"
    assert explicit.status_code == 200, explicit.text
    assert line_ids(explicit.json()) == [2**31 - 1, 7]


async def test_a_draft_holds_at_most_1000_items(api: httpx.AsyncClient) -> None:
    created = await create_draft(api, draft_body(*(item(store=None) for _ in range(999))))

    last = await api.post(items_url(created), json=item(store=None))
    too_many = await api.post(items_url(created), json=item(store=None))

    assert last.status_code == 200, last.text
    assert len(last.json()["order"]["items"]) == 1000
    assert too_many.status_code == 400, too_many.text
    assert too_many.json()["error"]["code"] == "VALIDATION_ERROR"
    assert (await get_draft(api, created["id"]))["version"] == 2
