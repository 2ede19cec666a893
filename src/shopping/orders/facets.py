"""The (name, value) pairs an order is filtered by, derived from its document.

Free-text values (search terms, addresses, payment details) are case-folded; filters
normalize their input the same way. Enumerations (travel mode, discount type) are kept as is.

Stored in `order_facets` and brought up to date on every write, so filters on nested arrays
(travel modes, discount types, payment details of operations, stores) and `search` are index
lookups that behave the same on SQLite and Postgres.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from shopping.draft_orders.search import normalize, search_values

Json = dict[str, Any]
Facet = tuple[str, str]

SEARCH = "search"
STORE = "store"
TRAVEL_MODE = "travel_mode"
ARRIVAL_ADDRESS = "arrival_address"
DEPARTURE_ADDRESS = "departure_address"
DISCOUNT_TYPE = "discount_type"
CARD_BRAND = "card_brand"
CARD_NUMBER = "card_number"
PSP = "psp"
PAYMENT_PRODUCT = "payment_product"
PAYMENT_PRODUCT_TYPE = "payment_product_type"

_ADDRESS_FIELDS = ("id", "name", "address_line", "postal_code", "postal_place")
_OPERATIONS = ("authorizations", "captures", "refunds", "cancellations")


def order_facets(order: Json) -> set[Facet]:
    return set(_facets(order))


def _facets(order: Json) -> Iterator[Facet]:
    for value in search_values(order):
        yield SEARCH, value
    yield from _store_facets(order)
    for leg in _dicts(order.get("itinerary")):
        if isinstance(leg.get("travel_mode"), str):
            yield TRAVEL_MODE, leg["travel_mode"]
        yield from _address_facets(ARRIVAL_ADDRESS, leg.get("arrival_address"))
        yield from _address_facets(DEPARTURE_ADDRESS, leg.get("departure_address"))
    for item in _dicts(order.get("items")):
        for line in _dicts(item.get("discount_lines")):
            if isinstance(line.get("discount_type"), str):
                yield DISCOUNT_TYPE, line["discount_type"]
    for kind in _OPERATIONS:
        for operation in _dicts(order.get(kind)):
            yield from _payment_facets(operation.get("payment_details"))


def _store_facets(order: Json) -> Iterator[Facet]:
    stores = [order.get("store"), *(item.get("store") for item in _dicts(order.get("items")))]
    for store in stores:
        if isinstance(store, dict) and isinstance(store.get("id"), str):
            yield STORE, store["id"]


def _address_facets(name: str, address: Any) -> Iterator[Facet]:
    if not isinstance(address, dict):
        return
    for field in _ADDRESS_FIELDS:
        value = address.get(field)
        if isinstance(value, str) and value.strip():
            yield name, normalize(value)


def _payment_facets(details: Any) -> Iterator[Facet]:
    if not isinstance(details, dict):
        return
    for name in (PSP, PAYMENT_PRODUCT, PAYMENT_PRODUCT_TYPE):
        if isinstance(details.get(name), str):
            yield name, normalize(details[name])
    card = details.get("card")
    if isinstance(card, dict):
        if isinstance(card.get("brand"), str):
            yield CARD_BRAND, normalize(card["brand"])
        masked = card.get("masked_pan")
        if isinstance(masked, str) and len(masked) >= 4 and masked[-4:].isdigit():
            yield CARD_NUMBER, masked[-4:]


def _dicts(value: Any) -> list[Json]:
    return (
        [entry for entry in value or () if isinstance(entry, dict)]
        if isinstance(value, list)
        else []
    )
