"""GET /draft_orders: newest first, cursor pages, filters (AND across, OR within), search."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shopping.app import create_app
from shopping.auth.scopes import ADMIN_SHOPPING, READ_SHOPPING
from shopping.config import Settings
from tests.conftest import TEST_SECRET, bearer
from tests.support.drafts import (
    create_draft,
    customer,
    discount,
    draft_body,
    error_paths,
    get_draft,
    item,
    list_drafts,
    list_ids,
    mark_draft,
)

Json = dict[str, Any]


async def create_many(api: httpx.AsyncClient, count: int) -> list[str]:
    """`count` drafts, created one after the other; their ids oldest first."""
    return [(await create_draft(api, draft_body(item(gross=n + 1))))["id"] for n in range(count)]


async def test_list_is_newest_first_with_events(api: httpx.AsyncClient) -> None:
    first = await create_draft(api, draft_body(item()))
    second = await create_draft(api, draft_body(item(gross=2)))
    third = await create_draft(api, draft_body(item(gross=3)))
    await api.post(f"/draft_orders/{first['id']}/items", json=item(gross=4))
    await api.put(f"/draft_orders/{first['id']}", json=draft_body(item(gross=5)))

    drafts = await list_drafts(api)

    assert [d["id"] for d in drafts] == [third["id"], second["id"], first["id"]]
    assert [[e["version"] for e in d["events"]] for d in drafts] == [[1], [1], [1, 2, 3]]
    assert [e["request"]["method"] for e in drafts[2]["events"]] == ["POST", "POST", "PUT"]
    for draft in drafts:
        assert draft == await get_draft(api, draft["id"])


async def test_an_empty_account_lists_nothing(api: httpx.AsyncClient) -> None:
    response = await api.get("/draft_orders")

    assert response.status_code == 200, response.text
    assert response.json() == {"draft_orders": []}


async def test_read_scope_may_list(api: httpx.AsyncClient, app: FastAPI, account: str) -> None:
    created = await create_draft(api)

    response = await api.get("/draft_orders", headers=bearer(app, account, READ_SHOPPING))

    assert response.status_code == 200, response.text
    assert [d["id"] for d in response.json()["draft_orders"]] == [created["id"]]


async def test_limit_defaults_to_ten_and_is_honoured(api: httpx.AsyncClient) -> None:
    ids = await create_many(api, 12)
    newest_first = ids[::-1]

    assert await list_ids(api) == newest_first[:10]
    assert await list_ids(api, limit=1) == newest_first[:1]
    assert await list_ids(api, limit=11) == newest_first[:11]
    assert await list_ids(api, limit=100) == newest_first


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "1.5", ""])
async def test_limit_out_of_range_is_400(api: httpx.AsyncClient, limit: str) -> None:
    response = await api.get("/draft_orders", params={"limit": limit})

    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert error_paths(response) == ["limit"]


async def test_starting_after_walks_every_page_without_gaps_or_duplicates(
    api: httpx.AsyncClient,
) -> None:
    ids = await create_many(api, 25)
    seen: list[str] = []
    pages: list[int] = []
    cursor: str | None = None
    while True:
        params: Json = {"limit": 7}
        if cursor is not None:
            params["starting_after"] = cursor
        page = await list_ids(api, **params)
        if not page:
            break
        pages.append(len(page))
        seen += page
        cursor = page[-1]
        assert len(pages) < 10, "pagination does not end"

    assert pages == [7, 7, 7, 4]
    assert seen == ids[::-1]


async def test_starting_after_the_oldest_is_an_empty_page(api: httpx.AsyncClient) -> None:
    ids = await create_many(api, 2)

    assert await list_ids(api, starting_after=ids[1]) == [ids[0]]
    assert await list_ids(api, starting_after=ids[0]) == []


async def test_unknown_cursor_is_400(
    api: httpx.AsyncClient, app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    await create_many(api, 1)
    other = "P" + account[1:]
    foreign = await http.post(
        f"/v1/accounts/{other}/shopping/draft_orders",
        json=draft_body(item()),
        headers=bearer(app, other, ADMIN_SHOPPING),
    )
    assert foreign.status_code == 200, foreign.text

    for cursor in ("6f1c2f5e-4a8b-4a53-9a55-3d1f7f0b6a11", foreign.json()["id"]):
        response = await api.get("/draft_orders", params={"starting_after": cursor})
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert error["code"] == "INVALID_CURSOR"
        assert error_paths(response) == ["starting_after"]


async def test_malformed_cursor_is_400(api: httpx.AsyncClient) -> None:
    response = await api.get("/draft_orders", params={"starting_after": "not-a-uuid"})

    assert response.status_code == 400, response.text
    assert error_paths(response) == ["starting_after"]


async def test_drafts_of_another_account_never_appear(
    api: httpx.AsyncClient, app: FastAPI, http: httpx.AsyncClient, account: str
) -> None:
    other = "P" + account[1:]
    foreign = await http.post(
        f"/v1/accounts/{other}/shopping/draft_orders",
        json=draft_body(item(), customer=customer(id="shared-id", email="shared@example.com")),
        headers=bearer(app, other, ADMIN_SHOPPING),
    )
    assert foreign.status_code == 200, foreign.text
    mine = await create_draft(api, draft_body(item(), customer=customer(id="mine")))

    assert await list_ids(api) == [mine["id"]]
    assert await list_ids(api, customer_id="shared-id") == []
    assert await list_ids(api, search="shared@example.com") == []
    assert await list_ids(api, status="open", currency="NOK") == [mine["id"]]


# ---- filters -----------------------------------------------------------------------------


async def test_status_filter_repeated_or_comma_separated(
    api: httpx.AsyncClient, app: FastAPI, account: str
) -> None:
    opened, completed, deleted = await create_many(api, 3)
    await mark_draft(app, account, completed, "completed")
    await mark_draft(app, account, deleted, "deleted")

    assert await list_ids(api, status="open") == [opened]
    assert await list_ids(api, status="completed") == [completed]
    assert await list_ids(api, status="deleted") == [deleted]
    assert await list_ids(api, status=["open", "deleted"]) == [deleted, opened]
    assert await list_ids(api, status="open,completed") == [completed, opened]
    assert await list_ids(api, status=["open,completed", "deleted"]) == [
        deleted,
        completed,
        opened,
    ]
    assert await list_ids(api) == [deleted, completed, opened]


@pytest.mark.parametrize("status", ["closed", "OPEN", "open,nope"])
async def test_invalid_status_is_400(api: httpx.AsyncClient, status: str) -> None:
    response = await api.get("/draft_orders", params={"status": status})

    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert set(error_paths(response)) == {"status"}


async def test_currency_filter(api: httpx.AsyncClient) -> None:
    nok = await create_draft(api, draft_body(item(), currency="NOK"))
    sek = await create_draft(api, draft_body(item(), currency="SEK"))

    assert await list_ids(api, currency="NOK") == [nok["id"]]
    assert await list_ids(api, currency="SEK") == [sek["id"]]
    assert await list_ids(api, currency="SEK,NOK") == [sek["id"], nok["id"]]
    assert await list_ids(api, currency=["NOK", "DKK"]) == [nok["id"]]
    assert await list_ids(api, currency="EUR") == []
    await api.put(f"/draft_orders/{nok['id']}", json=draft_body(item(), currency="EUR"))
    assert await list_ids(api, currency="EUR") == [nok["id"]]
    assert await list_ids(api, currency="NOK") == []


@pytest.mark.parametrize("currency", ["nok", "NOKK", "NO", "N0K"])
async def test_invalid_currency_is_400(api: httpx.AsyncClient, currency: str) -> None:
    response = await api.get("/draft_orders", params={"currency": currency})

    assert response.status_code == 400, response.text
    assert error_paths(response) == ["currency"]


async def test_customer_id_filter(api: httpx.AsyncClient) -> None:
    first = await create_draft(api, draft_body(item(), customer=customer(id="cust-1")))
    second = await create_draft(api, draft_body(item(), customer=customer(id="cust-2")))
    await create_draft(api, draft_body(item(), customer=None))

    assert await list_ids(api, customer_id="cust-1") == [first["id"]]
    assert await list_ids(api, customer_id="cust-2") == [second["id"]]
    assert await list_ids(api, customer_id="cust") == []
    assert await list_ids(api, customer_id="unknown") == []
    await api.put(
        f"/draft_orders/{second['id']}", json=draft_body(item(), customer=customer(id="cust-1"))
    )
    assert await list_ids(api, customer_id="cust-1") == [second["id"], first["id"]]
    assert await list_ids(api, customer_id="cust-2") == []


async def test_created_at_filters_with_todays_dates(api: httpx.AsyncClient) -> None:
    draft = await create_draft(api)
    today = datetime.fromisoformat(draft["created_at"]).date()
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    ids = [draft["id"]]

    assert await list_ids(api, **{"created_at.gte": today.isoformat()}) == ids
    assert await list_ids(api, **{"created_at.lte": today.isoformat()}) == ids
    assert await list_ids(api, **{"created_at.gte": yesterday.isoformat()}) == ids
    assert await list_ids(api, **{"created_at.lte": tomorrow.isoformat()}) == ids
    assert await list_ids(api, **{"created_at.gte": tomorrow.isoformat()}) == []
    assert await list_ids(api, **{"created_at.lte": yesterday.isoformat()}) == []
    both = {"created_at.gte": today.isoformat(), "created_at.lte": today.isoformat()}
    assert await list_ids(api, **both) == ids


@pytest.mark.parametrize("value", ["2024-13-01", "yesterday", "2024-02-30", "10/05/2024"])
@pytest.mark.parametrize("name", ["created_at.gte", "created_at.lte"])
async def test_invalid_created_at_is_400(api: httpx.AsyncClient, name: str, value: str) -> None:
    response = await api.get("/draft_orders", params={name: value})

    assert response.status_code == 400, response.text
    assert error_paths(response) == [name]


async def test_net_amount_filters(api: httpx.AsyncClient) -> None:
    low = await create_draft(api, draft_body(item(gross=1000)))
    mid = await create_draft(api, draft_body(item(gross=2500), item(gross=2500)))
    high = await create_draft(api, draft_body(item(gross=10000, discounts=[discount(1000)])))

    assert await list_ids(api, **{"net_amount.gte": 5000}) == [high["id"], mid["id"]]
    assert await list_ids(api, **{"net_amount.lte": 5000}) == [mid["id"], low["id"]]
    assert await list_ids(api, **{"net_amount.gte": 5000, "net_amount.lte": 5000}) == [mid["id"]]
    assert await list_ids(api, **{"net_amount.gte": 9001}) == []
    assert await list_ids(api, **{"net_amount.gte": 0}) == [high["id"], mid["id"], low["id"]]
    # the filter follows the net after an item change (gross 10000 − 1000 discount → 0)
    await api.delete(f"/draft_orders/{high['id']}/items/1")
    assert await list_ids(api, **{"net_amount.lte": 999}) == [high["id"]]


@pytest.mark.parametrize("value", ["-1", "1.5", "abc"])
@pytest.mark.parametrize("name", ["net_amount.gte", "net_amount.lte"])
async def test_invalid_net_amount_is_400(api: httpx.AsyncClient, name: str, value: str) -> None:
    response = await api.get("/draft_orders", params={name: value})

    assert response.status_code == 400, response.text
    assert error_paths(response) == [name]


async def test_filters_combine_with_and(api: httpx.AsyncClient, app: FastAPI, account: str) -> None:
    match = await create_draft(
        api, draft_body(item(gross=5000), currency="SEK", customer=customer(id="c-1"))
    )
    wrong_currency = await create_draft(
        api, draft_body(item(gross=5000), currency="NOK", customer=customer(id="c-1"))
    )
    wrong_customer = await create_draft(
        api, draft_body(item(gross=5000), currency="SEK", customer=customer(id="c-2"))
    )
    too_cheap = await create_draft(
        api, draft_body(item(gross=10), currency="SEK", customer=customer(id="c-1"))
    )
    completed = await create_draft(
        api, draft_body(item(gross=5000), currency="SEK", customer=customer(id="c-1"))
    )
    await mark_draft(app, account, completed["id"], "completed")
    params = {"status": "open", "currency": "SEK", "customer_id": "c-1", "net_amount.gte": 100}

    assert await list_ids(api, **params) == [match["id"]]
    assert await list_ids(api, **{**params, "search": "kari"}) == [match["id"]]
    assert await list_ids(api, **{**params, "search": "ola"}) == []
    assert await list_ids(api, **{**params, "status": "open,completed"}) == [
        completed["id"],
        match["id"],
    ]
    assert await list_ids(api, currency="SEK", customer_id="c-2") == [wrong_customer["id"]]
    assert await list_ids(api, currency="NOK") == [wrong_currency["id"]]
    assert await list_ids(api, **{"net_amount.lte": 10}) == [too_cheap["id"]]


# ---- search ------------------------------------------------------------------------------


@pytest.fixture
async def searchable(api: httpx.AsyncClient) -> dict[str, Json]:
    kari = await create_draft(
        api,
        draft_body(
            item(),
            customer=customer(
                id="CUST-ABC-1",
                first_name="Kari",
                last_name="Nordmann",
                email="Kari.Nordmann@Example.com",
                phone_number="+4791234567",
            ),
            external_ids=[{"id": "EXT-777", "source": "pos"}, {"source": "no-id"}],
        ),
    )
    ola = await create_draft(
        api,
        draft_body(
            item(),
            customer=customer(
                id="other-9",
                first_name="Ola",
                last_name="Hansen",
                email="ola@hansen.no",
                phone_number="+4690000000",
            ),
            options={"generate_order_id": "ALPHANUMERIC_9_RESERVE"},
        ),
    )
    anonymous = await create_draft(api, draft_body(item(), customer=None))
    return {"kari": kari, "ola": ola, "anonymous": anonymous}


KARI_TERMS = [
    "kari.nordmann@example.com",  # email, case-insensitive
    "KARI.NORD",  # email prefix
    "+4791234567",  # phone number
    "+4791",  # phone prefix
    "Kari",  # first name (and email prefix)
    "nordmann",  # last name
    "NORDM",  # last name prefix
    "Kari Nordmann",  # full name
    "kari nor",  # full-name prefix
    "  kari   nordmann ",  # whitespace is normalised
    "cust-abc-1",  # customer id
    "CUST-A",  # customer id prefix
    "ext-777",  # external id
    "EXT-7",  # external id prefix
]


@pytest.mark.parametrize("term", KARI_TERMS)
async def test_search_matches_customer_and_external_ids(
    api: httpx.AsyncClient, searchable: dict[str, Json], term: str
) -> None:
    assert await list_ids(api, search=term) == [searchable["kari"]["id"]]


@pytest.mark.parametrize(
    "term", ["zzz-nomatch", "ordmann", "example.com", "91234567", "pos", "Nordmann Kari", "no-id"]
)
async def test_search_without_a_match_returns_nothing(
    api: httpx.AsyncClient, searchable: dict[str, Json], term: str
) -> None:
    assert await list_ids(api, search=term) == []


async def test_search_matches_the_reserved_order_id(
    api: httpx.AsyncClient, searchable: dict[str, Json]
) -> None:
    order_id = searchable["ola"]["order"]["order_id"]
    ola = [searchable["ola"]["id"]]

    assert await list_ids(api, search=order_id) == ola
    assert await list_ids(api, search=order_id.lower()) == ola
    assert await list_ids(api, search=order_id[:6]) == ola


async def test_search_matches_a_custom_order_id(
    api: httpx.AsyncClient, searchable: dict[str, Json]
) -> None:
    custom = await create_draft(api, draft_body(item(), customer=None, order_id="WEB-2024-0042"))

    assert await list_ids(api, search="web-2024-0042") == [custom["id"]]
    assert await list_ids(api, search="WEB-2024") == [custom["id"]]


async def test_search_matching_several_drafts(
    api: httpx.AsyncClient, searchable: dict[str, Json]
) -> None:
    kari = await create_draft(
        api, draft_body(item(), customer=customer(first_name="Kari", last_name="Olsen"))
    )

    assert await list_ids(api, search="kari") == [kari["id"], searchable["kari"]["id"]]
    assert await list_ids(api, search="kari o") == [kari["id"]]
    assert await list_ids(api, search="o") == [kari["id"], searchable["ola"]["id"]]


async def test_search_follows_updates(api: httpx.AsyncClient, searchable: dict[str, Json]) -> None:
    kari = searchable["kari"]
    body = draft_body(item(), customer=customer(email="new@example.com", first_name="Karin"))

    response = await api.put(f"/draft_orders/{kari['id']}", json=body)

    assert response.status_code == 200, response.text
    assert await list_ids(api, search="kari.nordmann") == []
    assert await list_ids(api, search="ext-777") == []
    assert await list_ids(api, search="new@example.com") == [kari["id"]]
    assert await list_ids(api, search="karin") == [kari["id"]]
    assert await list_ids(api, search="kari") == [kari["id"]]  # prefix of "karin"


async def test_search_term_with_special_characters(
    api: httpx.AsyncClient, searchable: dict[str, Json]
) -> None:
    for term in ("%", "_", "kari%", "k_ri", "'; drop table draft_orders; --", "\\"):
        assert await list_ids(api, search=term) == [], term


async def test_empty_or_blank_search_matches_everything(
    api: httpx.AsyncClient, searchable: dict[str, Json]
) -> None:
    all_ids = [searchable[k]["id"] for k in ("anonymous", "ola", "kari")]

    assert await list_ids(api, search="   ") == all_ids
    response = await api.get("/draft_orders", params={"search": ""})
    assert response.status_code == 400, response.text


async def test_search_and_pagination(api: httpx.AsyncClient) -> None:
    ids = [
        (await create_draft(api, draft_body(item(), customer=customer(last_name=f"Berg{n}"))))["id"]
        for n in range(5)
    ]
    await create_draft(api, draft_body(item(), customer=customer(last_name="Dahl")))

    first = await list_ids(api, search="berg", limit=3)
    second = await list_ids(api, search="berg", limit=3, starting_after=first[-1])

    assert first + second == ids[::-1]


# ---- boundaries, with a pinned clock -----------------------------------------------------


class PinnedClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def pinned(
    database_url: str, admin_headers: dict[str, str], account: str
) -> AsyncIterator[tuple[PinnedClock, httpx.AsyncClient]]:
    """A second app on the same database whose clock the test sets (tokens stay real-time)."""
    clock = PinnedClock(datetime(2024, 5, 10, 12, tzinfo=UTC))
    app = create_app(Settings(database_url=database_url, jwt_secret=TEST_SECRET), clock=clock)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(
            transport=transport,
            base_url=f"http://testserver/v1/accounts/{account}/shopping",
            headers=admin_headers,
        ) as client:
            yield clock, client
    finally:
        await app.state.db.dispose()


async def create_at(clock: PinnedClock, api: httpx.AsyncClient, moment: str) -> str:
    clock.now = datetime.fromisoformat(moment)
    draft = await create_draft(api)
    assert draft["created_at"] == moment.replace("+00:00", "Z")
    return str(draft["id"])


async def test_created_at_bounds_are_inclusive_days(
    pinned: tuple[PinnedClock, httpx.AsyncClient],
) -> None:
    clock, api = pinned
    before = await create_at(clock, api, "2024-05-09T23:59:59.999999+00:00")
    start = await create_at(clock, api, "2024-05-10T00:00:00+00:00")
    end = await create_at(clock, api, "2024-05-10T23:59:59.999999+00:00")
    after = await create_at(clock, api, "2024-05-11T00:00:00+00:00")

    assert await list_ids(api) == [after, end, start, before]
    assert await list_ids(api, **{"created_at.gte": "2024-05-10"}) == [after, end, start]
    assert await list_ids(api, **{"created_at.lte": "2024-05-10"}) == [end, start, before]
    day = {"created_at.gte": "2024-05-10", "created_at.lte": "2024-05-10"}
    assert await list_ids(api, **day) == [end, start]
    assert await list_ids(api, **{"created_at.gte": "2024-05-12"}) == []
    assert await list_ids(api, **{"created_at.lte": "2024-05-08"}) == []


async def test_created_at_accepts_date_times(
    pinned: tuple[PinnedClock, httpx.AsyncClient],
) -> None:
    """A date-time bound is that instant, even at midnight, in its own time zone."""
    clock, api = pinned
    before = await create_at(clock, api, "2024-05-09T23:00:00+00:00")
    start = await create_at(clock, api, "2024-05-10T00:00:00+00:00")
    noon = await create_at(clock, api, "2024-05-10T12:00:00+00:00")

    assert await list_ids(api, **{"created_at.lte": "2024-05-10T00:00:00Z"}) == [start, before]
    assert await list_ids(api, **{"created_at.gte": "2024-05-10T00:00:00Z"}) == [noon, start]
    assert await list_ids(api, **{"created_at.gte": "2024-05-10T00:00:00.000001Z"}) == [noon]
    # midnight in Oslo (summer time) is 22:00 UTC the day before
    oslo = {"created_at.gte": "2024-05-10T00:00:00+02:00"}
    assert await list_ids(api, **oslo) == [noon, start, before]
    assert await list_ids(api, **{"created_at.lte": "2024-05-10T11:59:59Z"}) == [start, before]


async def test_pages_are_stable_when_drafts_share_a_timestamp(
    pinned: tuple[PinnedClock, httpx.AsyncClient],
) -> None:
    clock, api = pinned
    clock.now = datetime(2024, 5, 10, 12, tzinfo=UTC)
    ids = [(await create_draft(api))["id"] for _ in range(7)]
    clock.now += timedelta(seconds=1)
    newest = (await create_draft(api))["id"]
    expected = [newest, *sorted(ids, reverse=True)]

    seen: list[str] = []
    cursor: str | None = None
    for _ in range(5):
        params: Json = {"limit": 3}
        if cursor:
            params["starting_after"] = cursor
        page = await list_ids(api, **params)
        if not page:
            break
        seen += page
        cursor = page[-1]

    assert seen == expected
    assert await list_ids(api, limit=100) == expected


async def test_today_is_a_date_in_utc(api: httpx.AsyncClient) -> None:
    """Sanity check of the helper dates used above: the API's `created_at` is UTC."""
    draft = await create_draft(api)
    created = datetime.fromisoformat(draft["created_at"])
    assert created.utcoffset() == timedelta(0)
    assert abs(created - datetime.now(UTC)) < timedelta(minutes=5)
    assert isinstance(created.date(), date)


@pytest.mark.parametrize(
    "params",
    [
        {"net_amount.gte": "10000000000000000000"},
        {"created_at.gte": "0001-01-01T00:00:00+14:00"},
        {"search": "a\x00b"},
        {"customer_id": "a\x00b"},
    ],
)
async def test_out_of_range_or_nul_filters_are_400(
    api: httpx.AsyncClient, params: dict[str, str]
) -> None:
    response = await api.get("/draft_orders", params=params)

    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_a_nul_in_a_draft_body_is_400_and_stores_nothing(api: httpx.AsyncClient) -> None:
    body = '{"order": {"currency": "NOK", "comment": "a\\u0000b"}}'
    response = await api.post(
        "/draft_orders", content=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400, response.text
    assert (await api.get("/draft_orders")).json()["draft_orders"] == []
