"""POST /orders/{order_id}/comments and DELETE /orders/{order_id}/comments/{comment_id}
(reference §2 rows 15–16, §3.14, §10.15): both answer with the order."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from shopping.auth.scopes import ADMIN_SHOPPING, READ_SHOPPING
from shopping.models import OrderCommentRow
from tests.support.orders import (
    api_events,
    client,
    completed_order,
    error_code,
    get_order,
)

Json = dict[str, Any]
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


async def add(api: httpx.AsyncClient, order: Json, **body: Any) -> httpx.Response:
    return await api.post(f"/orders/{order['id']}/comments", json=body)


async def test_add_defaults_to_private(
    http: httpx.AsyncClient, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api)
    async with client(http, app, account, ADMIN_SHOPPING, client_id="support-7") as agent:
        response = await agent.post(f"/orders/{order['id']}/comments", json={"body": "Called"})

    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["id"] == order["id"]
    assert updated["version"] == 2
    [comment] = updated["comments"]
    assert set(comment) == {"id", "created_at", "created_by", "body", "visibility"}
    assert comment["body"] == "Called"
    assert comment["visibility"] == "private"
    assert comment["created_by"] == "support-7"
    assert await get_order(api, order["id"]) == updated
    events = await api_events(api, order["id"])
    assert [e["version"] for e in events] == [1, 2]
    assert events[-1]["request"]["path"].endswith(f"/orders/{order['id']}/comments")


async def test_comments_accumulate_in_order_with_their_visibility(
    api: httpx.AsyncClient,
) -> None:
    order = await completed_order(api)

    await add(api, order, body="one", visibility="public")
    response = await add(api, order, body="two", visibility="private")

    assert response.status_code == 200, response.text
    comments = response.json()["comments"]
    assert [(c["body"], c["visibility"]) for c in comments] == [
        ("one", "public"),
        ("two", "private"),
    ]
    assert comments[0]["id"] != comments[1]["id"]
    assert response.json()["version"] == 3


async def test_add_by_business_order_id(api: httpx.AsyncClient) -> None:
    order = await completed_order(api, options={"generate_order_id": "ALPHANUMERIC_9"})

    response = await api.post(f"/orders/{order['order_id']}/comments", json={"body": "hi"})

    assert response.status_code == 200, response.text
    assert response.json()["comments"][0]["body"] == "hi"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"body": "x", "visibility": "internal"}, "visibility"),
        ({"body": "x", "visibility": "PUBLIC"}, "visibility"),
        ({"body": "x", "visibility": None}, "visibility"),
        ({"body": ""}, "body"),
        ({"body": "x" * 10001}, "body"),
        ({"body": 5}, "body"),
        ({"body": None}, "body"),
        ({}, "body"),
        ({"visibility": "private"}, "body"),
        ({"body": "x", "author": "me"}, "author"),
        ({"body": "nul \x00 inside"}, "body"),
    ],
)
async def test_invalid_comment_is_400(api: httpx.AsyncClient, body: Json, path: str) -> None:
    order = await completed_order(api)

    response = await api.post(f"/orders/{order['id']}/comments", json=body)

    assert response.status_code == 400, response.text
    assert error_code(response) == "VALIDATION_ERROR"
    assert path in [e["path"] for e in response.json()["error"]["errors"]]
    assert await get_order(api, order["id"]) == order


async def test_delete_removes_it_from_the_order(
    http: httpx.AsyncClient, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api)
    await add(api, order, body="keep")
    doomed = (await add(api, order, body="remove")).json()["comments"][1]

    async with client(http, app, account, ADMIN_SHOPPING, client_id="support-8") as agent:
        response = await agent.delete(f"/orders/{order['id']}/comments/{doomed['id']}")

    assert response.status_code == 200, response.text
    updated = response.json()
    assert [c["body"] for c in updated["comments"]] == ["keep"]
    assert updated["version"] == 4
    assert await get_order(api, order["id"]) == updated
    assert [e["request"]["method"] for e in await api_events(api, order["id"])][-1] == "DELETE"
    # the delete is soft: the row stays, marked with who deleted it and when
    async with app.state.db.read() as conn:
        row = await conn.one(
            select(OrderCommentRow.deleted_at, OrderCommentRow.deleted_by).where(
                OrderCommentRow.account_id == account, OrderCommentRow.id == doomed["id"]
            )
        )
    assert row is not None
    assert row.deleted_by == "support-8"
    assert row.deleted_at is not None


async def test_second_delete_and_unknown_comment_are_404(api: httpx.AsyncClient) -> None:
    order = await completed_order(api)
    comment = (await add(api, order, body="once")).json()["comments"][0]
    first = await api.delete(f"/orders/{order['id']}/comments/{comment['id']}")
    assert first.status_code == 200, first.text

    for comment_id in (comment["id"], UNKNOWN_ID, "not-a-uuid"):
        response = await api.delete(f"/orders/{order['id']}/comments/{comment_id}")
        assert response.status_code == 404, response.text
        assert error_code(response) == "COMMENT_NOT_FOUND"
    assert (await get_order(api, order["id"]))["version"] == 3


async def test_a_comment_id_with_a_nul_character_is_400(api: httpx.AsyncClient) -> None:
    order = await completed_order(api)

    response = await api.delete(f"/orders/{order['id']}/comments/ab%00cd")

    assert response.status_code == 400, response.text
    assert response.json()["error"]["errors"][0]["path"] == "comment_id"


async def test_a_comment_of_another_order_is_404(api: httpx.AsyncClient) -> None:
    mine = await completed_order(api)
    other = await completed_order(api)
    comment = (await add(api, other, body="theirs")).json()["comments"][0]

    response = await api.delete(f"/orders/{mine['id']}/comments/{comment['id']}")

    assert response.status_code == 404, response.text
    assert error_code(response) == "COMMENT_NOT_FOUND"
    assert len((await get_order(api, other["id"]))["comments"]) == 1


async def test_unknown_order_is_404(api: httpx.AsyncClient) -> None:
    added = await api.post("/orders/NOSUCHORD/comments", json={"body": "x"})
    deleted = await api.delete(f"/orders/NOSUCHORD/comments/{UNKNOWN_ID}")

    assert added.status_code == 404, added.text
    assert error_code(added) == "ORDER_NOT_FOUND"
    assert deleted.status_code == 404, deleted.text
    assert error_code(deleted) == "ORDER_NOT_FOUND"


async def test_a_cancelled_order_accepts_comments(api: httpx.AsyncClient) -> None:
    """Decision 14: a cancelled order still accepts refunds, comments and service events."""
    order = await completed_order(api)
    await api.post(f"/orders/{order['id']}/cancel")

    added = await add(api, order, body="refund sent by post")
    assert added.status_code == 200, added.text
    assert added.json()["status"] == "cancelled"
    comment = added.json()["comments"][0]

    deleted = await api.delete(f"/orders/{order['id']}/comments/{comment['id']}")
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["comments"] == []
    assert deleted.json()["status"] == "cancelled"


async def test_read_scope_cannot_comment(
    http: httpx.AsyncClient, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api)
    comment = (await add(api, order, body="x")).json()["comments"][0]
    async with client(http, app, account, READ_SHOPPING) as reader:
        added = await reader.post(f"/orders/{order['id']}/comments", json={"body": "y"})
        deleted = await reader.delete(f"/orders/{order['id']}/comments/{comment['id']}")

    assert added.status_code == 403, added.text
    assert deleted.status_code == 403, deleted.text
    assert len((await get_order(api, order["id"]))["comments"]) == 1


async def test_stale_if_match_is_409(api: httpx.AsyncClient) -> None:
    order = await completed_order(api)
    await add(api, order, body="v2")

    response = await api.post(
        f"/orders/{order['id']}/comments", json={"body": "x"}, headers={"If-Match": '"1"'}
    )

    assert response.status_code == 409, response.text
    assert error_code(response) == "VERSION_CONFLICT"
    assert len((await get_order(api, order["id"]))["comments"]) == 1


async def test_include_events_on_the_comment_response(api: httpx.AsyncClient) -> None:
    order = await completed_order(api)

    response = await api.post(
        f"/orders/{order['id']}/comments",
        json={"body": "x"},
        params={"include_events": "true"},
    )

    assert response.status_code == 200, response.text
    assert [e["version"] for e in response.json()["events"]] == [1, 2]
    assert response.json()["state"] == "pending"


async def test_an_updated_order_keeps_its_comments(api: httpx.AsyncClient) -> None:
    order = await completed_order(api)
    comments = (await add(api, order, body="x")).json()["comments"]

    updated = await api.put(f"/orders/{order['id']}", json={"comment": "c", "comments": []})

    assert updated.status_code == 200, updated.text
    assert updated.json()["comments"] == comments
