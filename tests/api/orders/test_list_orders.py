"""GET /orders (reference §2 row 9, Q-ORDERS, §5.9, §10.5): newest first, cursor pages, every
filter alone and combined (AND across parameters, OR within one), invalid values."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shopping.app import create_app
from shopping.auth.scopes import ADMIN_SHOPPING, READ_SHOPPING
from shopping.config import Settings
from tests.conftest import TEST_SECRET
from tests.support.drafts import customer, discount, item
from tests.support.orders import (
    client,
    completed_order,
    error_code,
    list_ids,
    list_orders,
    newest_first,
    orders_per_store,
)

Json = dict[str, Any]


def ids(*orders: Json) -> list[str]:
    return newest_first(*orders)


async def test_newest_first(api: httpx.AsyncClient) -> None:
    first = await completed_order(api, item(gross=1))
    second = await completed_order(api, item(gross=2))
    split = await orders_per_store(api, "A", "B", "C")

    listed = await list_orders(api)

    assert [o["id"] for o in listed] == [*ids(*split), second["id"], first["id"]]
    assert listed[-1] == first
    assert "events" not in listed[0]


async def test_an_empty_account_lists_nothing(api: httpx.AsyncClient) -> None:
    response = await api.get("/orders")

    assert response.status_code == 200, response.text
    assert response.json() == {"orders": []}


async def test_other_accounts_orders_never_appear(
    http: httpx.AsyncClient, app: FastAPI, api: httpx.AsyncClient, account: str
) -> None:
    mine = await completed_order(api)
    other = f"T{(int(account[1:]) + 1) % 10**8:08d}"
    async with client(http, app, other, ADMIN_SHOPPING) as stranger:
        theirs = await completed_order(stranger)
        assert await list_ids(stranger) == [theirs["id"]]
        response = await stranger.get("/orders", params={"starting_after": mine["id"]})
        assert response.status_code == 400, response.text

    assert await list_ids(api) == [mine["id"]]


async def test_read_scope_may_list(
    http: httpx.AsyncClient, app: FastAPI, account: str, api: httpx.AsyncClient
) -> None:
    order = await completed_order(api)
    async with client(http, app, account, READ_SHOPPING) as reader:
        assert await list_ids(reader) == [order["id"]]
    async with client(http, app, account, "write:shopping") as writer:
        assert (await writer.get("/orders")).status_code == 403


async def test_include_events_on_the_list(api: httpx.AsyncClient) -> None:
    first, second = await orders_per_store(api, "A", "B")
    await api.post(
        f"/orders/{first['id']}/events",
        json={"service": "s", "service_status": "x", "state": "failure"},
    )

    listed = {o["id"]: o for o in await list_orders(api, include_events="service-event")}

    assert [e["service"] for e in listed[first["id"]]["events"]] == ["s"]
    assert listed[first["id"]]["state"] == "failure"
    assert listed[second["id"]]["events"] == []
    assert listed[second["id"]]["state"] == "pending"
    bad = await api.get("/orders", params={"include_events": "all"})
    assert bad.status_code == 400, bad.text


# ---- pagination ----------------------------------------------------------------------------


async def test_limit_defaults_to_ten_and_is_honoured(api: httpx.AsyncClient) -> None:
    orders = await orders_per_store(api, *(f"S{n:02d}" for n in range(12)))
    expected = ids(*orders)

    assert await list_ids(api) == expected[:10]
    assert await list_ids(api, limit=1) == expected[:1]
    assert await list_ids(api, limit=12) == expected
    assert await list_ids(api, limit=100) == expected


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", "1.5"])
async def test_limit_out_of_range_is_400(api: httpx.AsyncClient, limit: str) -> None:
    response = await api.get("/orders", params={"limit": limit})

    assert response.status_code == 400, response.text
    assert error_code(response) == "VALIDATION_ERROR"
    assert response.json()["error"]["errors"][0]["path"] == "limit"


async def test_cursor_walks_every_page_without_gaps_or_duplicates(
    api: httpx.AsyncClient,
) -> None:
    orders = [await completed_order(api, item(gross=n)) for n in range(1, 4)]
    orders += await orders_per_store(api, "A", "B", "C", "D")
    orders.append(await completed_order(api, item(gross=9)))
    expected = ids(*orders)

    seen: list[str] = []
    pages: list[int] = []
    cursor: str | None = None
    for _ in range(10):
        params: Json = {"limit": 3}
        if cursor:
            params["starting_after"] = cursor
        page = await list_ids(api, **params)
        if not page:
            break
        pages.append(len(page))
        seen += page
        cursor = page[-1]

    assert seen == expected
    assert pages == [3, 3, 2]


async def test_starting_after_the_oldest_is_an_empty_page(api: httpx.AsyncClient) -> None:
    oldest = await completed_order(api)
    await completed_order(api)

    assert await list_ids(api, starting_after=oldest["id"]) == []


async def test_cursor_with_filters(api: httpx.AsyncClient) -> None:
    orders = await orders_per_store(api, "A", "B", "C", "D", "E")
    for order in orders[1::2]:
        await api.post(f"/orders/{order['id']}/close")
    open_ids = ids(*orders[0::2])

    first = await list_ids(api, status="open", limit=2)
    rest = await list_ids(api, status="open", limit=2, starting_after=first[-1])

    assert first + rest == open_ids


async def test_unknown_cursor_is_400(api: httpx.AsyncClient) -> None:
    await completed_order(api)

    response = await api.get(
        "/orders", params={"starting_after": "00000000-0000-4000-8000-000000000000"}
    )

    assert response.status_code == 400, response.text
    assert error_code(response) == "INVALID_CURSOR"
    assert response.json()["error"]["errors"][0]["path"] == "starting_after"


async def test_cursor_that_is_a_business_order_id_is_400(api: httpx.AsyncClient) -> None:
    order = await completed_order(api, options={"generate_order_id": "ALPHANUMERIC_9"})

    response = await api.get("/orders", params={"starting_after": order["order_id"]})

    assert response.status_code == 400, response.text


# ---- filters -------------------------------------------------------------------------------


async def test_status_filter(api: httpx.AsyncClient) -> None:
    opened, closed, cancelled = await orders_per_store(api, "A", "B", "C")
    await api.post(f"/orders/{closed['id']}/close")
    await api.post(f"/orders/{cancelled['id']}/cancel")

    assert await list_ids(api, status="open") == [opened["id"]]
    assert await list_ids(api, status="closed") == [closed["id"]]
    assert await list_ids(api, status="cancelled") == [cancelled["id"]]
    assert await list_ids(api, status=["open", "cancelled"]) == ids(opened, cancelled)
    assert await list_ids(api, status="closed,cancelled") == ids(closed, cancelled)
    assert await list_ids(api, status="open,closed,cancelled") == ids(opened, closed, cancelled)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("status", "completed"),
        ("status", "OPEN"),
        ("status", "open,deleted"),
        ("payment_status", "captured"),
        ("payment_status", "Paid"),
        ("currency", "nok"),
        ("currency", "NOKK"),
        ("currency", "NOK,12A"),
        ("created_at.gte", "yesterday"),
        ("created_at.lte", "2024-13-01"),
        ("net_amount.gte", "-1"),
        ("net_amount.lte", "ten"),
        ("net_amount.gte", "1.5"),
        ("itinerary_travel_mode", "bus"),
        ("itinerary_travel_mode", "BUS,ROCKET"),
        ("items_discount_lines_discount_type", "coupon"),
        ("items_discount_lines_discount_type", "MANUAL"),
        ("card_number", "123"),
        ("card_number", "12345"),
        ("card_number", "12a4"),
        ("card_number", "1234,abcd"),
        ("net_amount.gte", str(10**19)),  # beyond what the database can bind
        ("net_amount.lte", str(2**63)),
        ("created_at.gte", "0001-01-01T00:00:00+14:00"),  # before year 1 in UTC
        ("created_at.lte", "9999-12-31T23:00:00-05:00"),  # after year 9999 in UTC
        ("search", "x" * 256),
        ("search", "kari\x00"),  # Postgres text cannot hold NUL
        ("itinerary_arrival_address", "a\x00"),
        ("itinerary_departure_address", "\x00"),
        ("card_brand", "vi\x00sa"),
        ("psp", "\x00"),
        ("payment_product", "a,\x00b"),
        ("payment_product_type", "\x00"),
        ("itinerary_arrival_address", "x" * 256),
        ("itinerary_departure_address", "x" * 256),
    ],
)
async def test_invalid_filter_value_is_400(api: httpx.AsyncClient, name: str, value: str) -> None:
    response = await api.get("/orders", params={name: value})

    assert response.status_code == 400, response.text
    assert error_code(response) == "VALIDATION_ERROR"
    assert response.json()["error"]["errors"][0]["path"] == name


async def test_payment_status_filter(api: httpx.AsyncClient) -> None:
    """Payment operations do not exist yet: every order is `pending`."""
    first, second = await orders_per_store(api, "A", "B")

    assert await list_ids(api, payment_status="pending") == ids(first, second)
    assert await list_ids(api, payment_status="pending,paid") == ids(first, second)
    for other in ("partially_paid", "paid", "partially_refunded", "refunded"):
        assert await list_ids(api, payment_status=other) == []


PAYMENT_DETAIL_FILTERS = [
    ("card_brand", ["Visa", "visa,mastercard"]),
    ("card_number", ["1234", "0000,9999"]),
    ("psp", ["bambora", "Bambora,adyen"]),
    ("payment_product", ["bambora.creditcard", "vipps"]),
    ("payment_product_type", ["bambora.creditcard", "payex.mobilepay"]),
]


async def test_payment_detail_filters_match_nothing_yet(api: httpx.AsyncClient) -> None:
    """These match payment operations' `payment_details`, which no order has yet."""
    await completed_order(api, item(), customer=customer(first_name="Visa", last_name="Bambora"))

    for name, values in PAYMENT_DETAIL_FILTERS:
        for value in values:
            assert await list_ids(api, **{name: value}) == [], (name, value)


async def test_currency_filter(api: httpx.AsyncClient) -> None:
    nok = await completed_order(api, currency="NOK")
    sek = await completed_order(api, currency="SEK")
    eur = await completed_order(api, currency="EUR")

    assert await list_ids(api, currency="NOK") == [nok["id"]]
    assert await list_ids(api, currency=["SEK", "EUR"]) == [eur["id"], sek["id"]]
    assert await list_ids(api, currency="NOK,EUR") == [eur["id"], nok["id"]]
    assert await list_ids(api, currency="DKK") == []


async def test_net_amount_filters_are_inclusive(api: httpx.AsyncClient) -> None:
    small, middle, large = await completed_orders_with_nets(api, 1000, 5000, 9000)

    assert await list_ids(api, **{"net_amount.gte": 5000}) == ids(middle, large)
    assert await list_ids(api, **{"net_amount.gte": 5001}) == [large["id"]]
    assert await list_ids(api, **{"net_amount.lte": 5000}) == ids(small, middle)
    assert await list_ids(api, **{"net_amount.lte": 999}) == []
    both = {"net_amount.gte": 1000, "net_amount.lte": 5000}
    assert await list_ids(api, **both) == ids(small, middle)
    assert await list_ids(api, **{"net_amount.gte": 0}) == ids(small, middle, large)
    assert await list_ids(api, **{"net_amount.gte": 6000, "net_amount.lte": 4000}) == []


async def completed_orders_with_nets(api: httpx.AsyncClient, *nets: int) -> list[Json]:
    """Orders whose net differs from their gross (a 500 discount on each)."""
    out = []
    for net in nets:
        order = await completed_order(api, item(gross=net + 500, discounts=[discount(500)]))
        assert order["net_amount"] == net
        out.append(order)
    return out


async def test_net_amount_follows_order_updates(api: httpx.AsyncClient) -> None:
    order = await completed_order(api, item(line_id=1, gross=10000))
    await api.put(
        f"/orders/{order['id']}",
        json={"items": [{"line_id": 1, "discount_lines": [discount(6000)]}]},
    )

    assert await list_ids(api, **{"net_amount.lte": 4000}) == [order["id"]]
    assert await list_ids(api, **{"net_amount.gte": 4001}) == []


async def test_created_at_with_todays_date(api: httpx.AsyncClient) -> None:
    order = await completed_order(api)
    today = datetime.fromisoformat(order["created_at"]).date()
    day = timedelta(days=1)

    assert await list_ids(api, **{"created_at.gte": today.isoformat()}) == [order["id"]]
    assert await list_ids(api, **{"created_at.lte": today.isoformat()}) == [order["id"]]
    assert await list_ids(api, **{"created_at.gte": (today + day).isoformat()}) == []
    assert await list_ids(api, **{"created_at.lte": (today - day).isoformat()}) == []


# ---- search --------------------------------------------------------------------------------


@pytest.fixture
async def searchable(api: httpx.AsyncClient) -> dict[str, Json]:
    kari = await completed_order(
        api,
        customer=customer(
            id="cust-kari-1",
            first_name="Kari",
            last_name="Nordmann",
            email="kari.nordmann@example.com",
            phone_number="+4791234567",
        ),
        external_ids=[{"id": "POS-7781", "source": "pos"}],
        options={"generate_order_id": "ALPHANUMERIC_9"},
    )
    ola = await completed_order(
        api,
        customer=customer(
            id="cust-ola-2",
            first_name="Ola",
            last_name="Berg",
            email="ola@berg.no",
            phone_number="+4798765432",
        ),
        external_ids=[{"id": "ERP-1000"}],
    )
    anonymous = await completed_order(api, customer=None)
    return {"kari": kari, "ola": ola, "anonymous": anonymous}


SEARCH_PREFIXES = [
    ("kari.nordmann@example.com", "kari"),
    ("kari.nord", "kari"),
    ("KARI.NORDMANN@EX", "kari"),
    ("+4791234567", "kari"),
    ("+47912", "kari"),
    ("Kari", "kari"),
    ("nordm", "kari"),
    ("kari nordmann", "kari"),
    ("  Kari   Nord ", "kari"),
    ("cust-kari", "kari"),
    ("POS-77", "kari"),
    ("pos-7781", "kari"),
    ("ola@berg", "ola"),
    ("Berg", "ola"),
    ("ERP-1", "ola"),
    ("cust-ola-2", "ola"),
]


async def test_search_by_prefix(api: httpx.AsyncClient, searchable: dict[str, Json]) -> None:
    for term, who in SEARCH_PREFIXES:
        assert await list_ids(api, search=term) == [searchable[who]["id"]], term


async def test_search_by_order_id(api: httpx.AsyncClient, searchable: dict[str, Json]) -> None:
    kari, ola = searchable["kari"], searchable["ola"]

    assert await list_ids(api, search=kari["order_id"]) == [kari["id"]]
    assert await list_ids(api, search=kari["order_id"][:5].lower()) == [kari["id"]]
    assert await list_ids(api, search=ola["order_id"]) == [ola["id"]]  # = its uuid


async def test_search_matching_several_none_or_all(
    api: httpx.AsyncClient, searchable: dict[str, Json]
) -> None:
    both = ids(searchable["kari"], searchable["ola"])
    for term in ("cust-", "+479"):
        assert await list_ids(api, search=term) == both, term
    # prefixes only: the middle of a value, and LIKE wildcards, match nothing
    for term in ("nobody", "example.com", "ari", "7781", "%", "_", "kari*"):
        assert await list_ids(api, search=term) == [], term
    assert len(await list_ids(api, search="   ")) == 3  # blank: no filter


async def test_search_follows_updates(api: httpx.AsyncClient, searchable: dict[str, Json]) -> None:
    ola = searchable["ola"]

    response = await api.put(
        f"/orders/{ola['id']}",
        json={"customer": customer(id="cust-ola-2", email="ola@fjord.no", first_name="Ola")},
    )

    assert response.status_code == 200, response.text
    assert await list_ids(api, search="ola@fjord") == [ola["id"]]
    assert await list_ids(api, search="ola@berg") == []
    assert await list_ids(api, search="Berg") == []


# ---- itinerary and discount types ------------------------------------------------------------


@pytest.fixture
async def travels(api: httpx.AsyncClient) -> dict[str, Json]:
    bus = await completed_order(
        api,
        itinerary=[
            {
                "travel_mode": "BUS",
                "departure_address": {
                    "name": "Oslo Bussterminal",
                    "address_line": "Schweigaards gate 8",
                    "postal_code": "0185",
                    "postal_place": "Oslo",
                },
                "arrival_address": {
                    "id": "STOP-BGO",
                    "name": "Bergen busstasjon",
                    "address_line": "Strømgaten 8",
                    "postal_code": "5015",
                    "postal_place": "Bergen",
                },
            }
        ],
    )
    train_ferry = await completed_order(
        api,
        itinerary=[
            {
                "travel_mode": "TRAIN",
                "departure_address": {"name": "Bergen stasjon", "postal_place": "Bergen"},
                "arrival_address": {"name": "Voss stasjon", "postal_place": "Voss"},
            },
            {
                "travel_mode": "FERRY",
                "departure_address": {"postal_place": "Gudvangen"},
                "arrival_address": {"address_line": "Flåm kai", "postal_place": "Flåm"},
            },
        ],
    )
    walk = await completed_order(api, itinerary=[{"travel_mode": "WALK"}])
    none = await completed_order(api)
    return {"bus": bus, "train_ferry": train_ferry, "walk": walk, "none": none}


async def test_travel_mode_filter(api: httpx.AsyncClient, travels: dict[str, Json]) -> None:
    bus, train_ferry, walk = travels["bus"], travels["train_ferry"], travels["walk"]

    assert await list_ids(api, itinerary_travel_mode="BUS") == [bus["id"]]
    assert await list_ids(api, itinerary_travel_mode="FERRY") == [train_ferry["id"]]
    assert await list_ids(api, itinerary_travel_mode="TRAIN,WALK") == ids(train_ferry, walk)
    assert await list_ids(api, itinerary_travel_mode=["BUS", "FERRY"]) == ids(bus, train_ferry)
    assert await list_ids(api, itinerary_travel_mode="TAXI") == []


ARRIVAL_TERMS = [
    ("Bergen", ["bus"]),  # postal place of the bus's arrival
    ("bergen bus", ["bus"]),  # name, case-insensitive
    ("strømgaten", ["bus"]),  # address line
    ("5015", ["bus"]),  # postal code
    ("STOP-B", ["bus"]),  # id
    ("Voss", ["train_ferry"]),
    ("flåm", ["train_ferry"]),  # address line "Flåm kai" and place "Flåm"
    ("Oslo", []),  # only a departure address
    ("Gudvangen", []),
    ("busstasjon", []),  # not a prefix of any value
]


async def test_arrival_address_filter(api: httpx.AsyncClient, travels: dict[str, Json]) -> None:
    for term, who in ARRIVAL_TERMS:
        expected = ids(*(travels[name] for name in who)) if who else []
        assert await list_ids(api, itinerary_arrival_address=term) == expected, term


DEPARTURE_TERMS = [
    ("Oslo", ["bus"]),
    ("schweigaards", ["bus"]),
    ("0185", ["bus"]),
    ("Bergen", ["train_ferry"]),  # the train leaves from Bergen; the bus arrives there
    ("gudv", ["train_ferry"]),
    ("Voss", []),
    ("Flåm", []),
]


async def test_departure_address_filter(api: httpx.AsyncClient, travels: dict[str, Json]) -> None:
    for term, who in DEPARTURE_TERMS:
        expected = ids(*(travels[name] for name in who)) if who else []
        assert await list_ids(api, itinerary_departure_address=term) == expected, term


async def test_itinerary_filters_follow_updates(
    api: httpx.AsyncClient, travels: dict[str, Json]
) -> None:
    walk = travels["walk"]

    response = await api.put(
        f"/orders/{walk['id']}",
        json={"itinerary": [{"travel_mode": "TAXI", "arrival_address": {"name": "Voss"}}]},
    )

    assert response.status_code == 200, response.text
    assert await list_ids(api, itinerary_travel_mode="WALK") == []
    assert await list_ids(api, itinerary_travel_mode="TAXI") == [walk["id"]]
    assert await list_ids(api, itinerary_arrival_address="voss") == ids(
        travels["train_ferry"], walk
    )


async def test_discount_type_filter(api: httpx.AsyncClient) -> None:
    manual = await completed_order(api, item(discounts=[discount(100, "manual")]))
    mixed = await completed_order(
        api,
        item(line_id=1, discounts=[discount(100, "loyalty")]),
        item(line_id=2, discounts=[discount(100, "periodic"), discount(50, "employee")]),
    )
    plain = await completed_order(api, item())
    name = "items_discount_lines_discount_type"

    assert await list_ids(api, **{name: "manual"}) == [manual["id"]]
    assert await list_ids(api, **{name: "employee"}) == [mixed["id"]]
    assert await list_ids(api, **{name: "manual,periodic"}) == ids(manual, mixed)
    assert await list_ids(api, **{name: ["loyalty", "manual"]}) == ids(manual, mixed)
    assert await list_ids(api, **{name: "total"}) == []
    # an order update that drops the last manual discount takes the order out
    await api.put(f"/orders/{manual['id']}", json={"items": [{"line_id": 1, "discount_lines": []}]})
    assert await list_ids(api, **{name: "manual"}) == []
    assert plain["id"] in await list_ids(api)


# ---- combined ------------------------------------------------------------------------------


async def test_filters_combine_with_and_across_and_or_within(api: httpx.AsyncClient) -> None:
    def buyer(first_name: str) -> Json:
        return customer(id=f"c-{first_name}", first_name=first_name, email=f"{first_name}@x.no")

    target = await completed_order(
        api,
        item(gross=5000, discounts=[discount(500, "manual")]),
        customer=buyer("anna"),
        currency="SEK",
        itinerary=[{"travel_mode": "BUS", "arrival_address": {"postal_place": "Bergen"}}],
    )
    wrong_currency = await completed_order(
        api,
        item(gross=5000, discounts=[discount(500, "manual")]),
        customer=buyer("anne"),
        currency="NOK",
        itinerary=[{"travel_mode": "BUS", "arrival_address": {"postal_place": "Bergen"}}],
    )
    wrong_mode = await completed_order(
        api,
        item(gross=5000, discounts=[discount(500, "manual")]),
        customer=buyer("anders"),
        currency="SEK",
        itinerary=[{"travel_mode": "CAR", "arrival_address": {"postal_place": "Bergen"}}],
    )
    closed = await completed_order(
        api,
        item(gross=5000, discounts=[discount(500, "loyalty")]),
        customer=buyer("ann"),
        currency="SEK",
        itinerary=[{"travel_mode": "TRAIN", "arrival_address": {"postal_place": "Bergen"}}],
    )
    await api.post(f"/orders/{closed['id']}/close")
    everything = ids(target, wrong_currency, wrong_mode, closed)

    assert await list_ids(api, search="an") == everything
    assert await list_ids(api, search="an", currency="SEK") == ids(target, wrong_mode, closed)
    assert await list_ids(
        api, search="an", currency="SEK", itinerary_travel_mode="BUS,TRAIN"
    ) == ids(target, closed)
    assert await list_ids(
        api, search="an", currency="SEK", itinerary_travel_mode="BUS,TRAIN", status="open"
    ) == [target["id"]]
    full = {
        "status": "open,closed",
        "payment_status": "pending",
        "currency": "SEK,EUR",
        "net_amount.gte": 4500,
        "net_amount.lte": 4500,
        "search": "ANN",
        "itinerary_travel_mode": "BUS",
        "itinerary_arrival_address": "berg",
        "items_discount_lines_discount_type": "manual,total",
    }
    assert await list_ids(api, **full) == [target["id"]]
    assert await list_ids(api, **{**full, "net_amount.lte": 4499}) == []
    assert await list_ids(api, **{**full, "itinerary_arrival_address": "oslo"}) == []
    assert await list_ids(api, **{**full, "items_discount_lines_discount_type": "total"}) == []
    assert await list_ids(api, **{**full, "payment_status": "paid"}) == []
    assert await list_ids(api, **{**full, "psp": "bambora"}) == []


# ---- created_at boundaries, with a pinned clock ---------------------------------------------


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
    pinned_app = create_app(
        Settings(database_url=database_url, jwt_secret=TEST_SECRET), clock=clock
    )
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=pinned_app),
            base_url=f"http://testserver/v1/accounts/{account}/shopping",
            headers=admin_headers,
        ) as pinned_client:
            yield clock, pinned_client
    finally:
        await pinned_app.state.db.dispose()


async def order_at(clock: PinnedClock, api: httpx.AsyncClient, moment: str, **kw: Any) -> str:
    clock.now = datetime.fromisoformat(moment)
    order = await completed_order(api, **kw)
    assert datetime.fromisoformat(order["created_at"]) == clock.now
    return str(order["id"])


@pytest.mark.parametrize("path", ["/orders", "/customers/cust-1/orders", "/stores/SL02/orders"])
async def test_created_at_bounds_are_inclusive_days(
    pinned: tuple[PinnedClock, httpx.AsyncClient], path: str
) -> None:
    clock, api = pinned
    before = await order_at(clock, api, "2024-05-09T23:59:59.999999+00:00")
    start = await order_at(clock, api, "2024-05-10T00:00:00+00:00")
    end = await order_at(clock, api, "2024-05-10T23:59:59.999999+00:00")
    after = await order_at(clock, api, "2024-05-11T00:00:00+00:00")

    assert await list_ids(api, path) == [after, end, start, before]
    assert await list_ids(api, path, **{"created_at.gte": "2024-05-10"}) == [after, end, start]
    assert await list_ids(api, path, **{"created_at.lte": "2024-05-10"}) == [end, start, before]
    day = {"created_at.gte": "2024-05-10", "created_at.lte": "2024-05-10"}
    assert await list_ids(api, path, **day) == [end, start]
    assert await list_ids(api, path, **{"created_at.gte": "2024-05-12"}) == []
    assert await list_ids(api, path, **{"created_at.lte": "2024-05-08"}) == []


async def test_created_at_accepts_date_times(
    pinned: tuple[PinnedClock, httpx.AsyncClient],
) -> None:
    clock, api = pinned
    before = await order_at(clock, api, "2024-05-09T23:00:00+00:00")
    start = await order_at(clock, api, "2024-05-10T00:00:00+00:00")
    noon = await order_at(clock, api, "2024-05-10T12:00:00+00:00")

    assert await list_ids(api, **{"created_at.lte": "2024-05-10T00:00:00Z"}) == [start, before]
    assert await list_ids(api, **{"created_at.gte": "2024-05-10T00:00:00.000001Z"}) == [noon]
    oslo = {"created_at.gte": "2024-05-10T00:00:00+02:00"}
    assert await list_ids(api, **oslo) == [noon, start, before]


async def test_pages_are_stable_when_orders_share_a_timestamp(
    pinned: tuple[PinnedClock, httpx.AsyncClient],
) -> None:
    clock, api = pinned
    clock.now = datetime(2024, 5, 10, 12, tzinfo=UTC)
    same = [(await completed_order(api, item(gross=n)))["id"] for n in range(1, 6)]
    clock.now += timedelta(seconds=1)
    newest = (await completed_order(api))["id"]
    expected = [newest, *sorted(same, reverse=True)]

    first = await list_ids(api, limit=4)
    second = await list_ids(api, limit=4, starting_after=first[-1])

    assert first + second == expected
