"""Optimistic concurrency (issue 3 §3, decision 3): writes and reads carry `ETag: "<version>"`;
a write whose `If-Match` names another version is a 409 VERSION_CONFLICT that tells the
current version, and changes nothing."""

from __future__ import annotations

import httpx
import pytest

from tests.support.completion import (
    complete,
    error_code,
    get_order,
    list_orders,
    new_order,
    order_events,
)
from tests.support.drafts import create_draft, get_draft, item


def if_match(version: int | str) -> dict[str, str]:
    return {"If-Match": f'"{version}"' if isinstance(version, int) else version}


def assert_stale(response: httpx.Response, current: int) -> None:
    assert response.status_code == 409, response.text
    assert error_code(response) == "VERSION_CONFLICT"
    assert response.json()["error"]["current_version"] == current
    assert response.headers["ETag"] == f'"{current}"'


# ---- completion ----------------------------------------------------------------------------


async def test_completion_with_the_current_version_succeeds(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api)

    response = await complete(api, draft["id"], **if_match(1))

    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"2"'


@pytest.mark.parametrize("header", ["1", 'W/"1"'])
async def test_if_match_may_be_weak_or_bare(api: httpx.AsyncClient, header: str) -> None:
    draft = await create_draft(api)

    response = await complete(api, draft["id"], **{"If-Match": header})

    assert response.status_code == 200, response.text


async def test_completion_of_a_draft_changed_since_it_was_read_is_409(
    api: httpx.AsyncClient,
) -> None:
    draft = await create_draft(api)
    added = await api.post(f"/draft_orders/{draft['id']}/items", json=item(gross=1))
    assert added.status_code == 200, added.text

    response = await complete(api, draft["id"], **if_match(draft["version"]))

    assert_stale(response, 2)
    assert (await get_draft(api, draft["id"]))["status"] == "open"
    assert await list_orders(api) == []


async def test_a_stale_completion_with_a_key_is_stored_as_409(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api)
    headers = {**if_match(7), "Idempotency-Key": "stale-1"}

    first = await complete(api, draft["id"], **headers)
    again = await complete(api, draft["id"], **headers)

    assert_stale(first, 1)
    assert again.status_code == 409
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"


@pytest.mark.parametrize("header", ["abc", '"1", "2"', '"-1"', ""])
async def test_a_malformed_if_match_on_completion_is_400(
    api: httpx.AsyncClient, header: str
) -> None:
    draft = await create_draft(api)

    response = await complete(api, draft["id"], **{"If-Match": header})

    assert response.status_code == 400, response.text
    assert [e["path"] for e in response.json()["error"]["errors"]] == ["If-Match"]
    assert (await get_draft(api, draft["id"]))["status"] == "open"


async def test_if_match_star_matches_any_version(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api)

    response = await complete(api, draft["id"], **{"If-Match": "*"})

    assert response.status_code == 200, response.text


# ---- orders --------------------------------------------------------------------------------


async def test_order_reads_and_writes_carry_the_version_as_etag(api: httpx.AsyncClient) -> None:
    order = await new_order(api)

    got = await api.get(f"/orders/{order['id']}")
    updated = await api.put(f"/orders/{order['id']}", json={"comment": "x"})
    closed = await api.post(f"/orders/{order['id']}/close")
    commented = await api.post(f"/orders/{order['id']}/comments", json={"body": "hi"})

    assert got.headers["ETag"] == '"1"'
    assert [r.status_code for r in (updated, closed, commented)] == [200, 200, 200]
    assert [r.headers["ETag"] for r in (updated, closed, commented)] == ['"2"', '"3"', '"4"']
    assert [r.json()["version"] for r in (updated, closed, commented)] == [2, 3, 4]
    assert (await api.get(f"/orders/{order['order_id']}")).headers["ETag"] == '"4"'


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "", {"comment": "lost update"}),
        ("POST", "/close", None),
        ("POST", "/cancel", None),
        ("POST", "/comments", {"body": "late"}),
    ],
)
async def test_a_stale_order_write_is_409(
    api: httpx.AsyncClient, method: str, path: str, body: dict[str, str] | None
) -> None:
    order = await new_order(api)
    bumped = await api.put(f"/orders/{order['id']}", json={"comment": "meanwhile"})
    assert bumped.status_code == 200, bumped.text

    response = await api.request(
        method, f"/orders/{order['id']}{path}", json=body, headers=if_match(1)
    )

    assert_stale(response, 2)
    after = await get_order(api, order["id"])
    assert (after["version"], after["status"], after["comment"]) == (2, "open", "meanwhile")
    assert len(await order_events(api, order["id"])) == 2


async def test_an_order_write_with_the_current_version_succeeds(api: httpx.AsyncClient) -> None:
    order = await new_order(api)

    response = await api.put(f"/orders/{order['id']}", json={"comment": "ok"}, headers=if_match(1))

    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"2"'


async def test_a_stale_body_version_is_409_even_with_a_current_if_match(
    api: httpx.AsyncClient,
) -> None:
    order = await new_order(api)

    response = await api.put(
        f"/orders/{order['id']}", json={"comment": "x", "version": 5}, headers=if_match(1)
    )

    assert_stale(response, 1)


async def test_a_malformed_if_match_on_an_order_write_is_400(api: httpx.AsyncClient) -> None:
    order = await new_order(api)

    response = await api.put(
        f"/orders/{order['id']}", json={"comment": "x"}, headers={"If-Match": "v1"}
    )

    assert response.status_code == 400, response.text
    assert (await get_order(api, order["id"]))["version"] == 1
