"""Query parameters of the order lists (Q-ORDERS, and the subset Q-SCOPED)."""

from __future__ import annotations

import re

from starlette.requests import Request

from shopping.documents.types import MAX_SAFE_INTEGER
from shopping.draft_orders.search import normalize
from shopping.errors import ValidationFailed
from shopping.kit.query import Param, QueryString
from shopping.orders import facets
from shopping.orders.repository import OrderFilters
from shopping.orders.state import PAYMENT_STATUSES, STATUSES

TRAVEL_MODES = frozenset(
    {"BUS", "CAR", "FERRY", "METRO", "TAXI", "TRAIN", "TRAM", "WALK", "WAIT", "CUSTOM"}
)
DISCOUNT_TYPES = frozenset(
    {"customer", "periodic", "manual", "loyalty", "total", "employee", "external"}
)
CURRENCY_CODE = re.compile(r"[A-Z]{3}")
LAST_FOUR = re.compile(r"\d{4}")

SCOPED_PARAMS = (
    Param("status", "list", "Order status (repeat or comma-separate)", tuple(sorted(STATUSES))),
    Param("payment_status", "list", "Payment status", tuple(sorted(PAYMENT_STATUSES))),
    Param("created_at.gte", "date", "Created on or after (date: from its start, UTC)"),
    Param("created_at.lte", "date", "Created on or before (date: to its end, UTC)"),
)
ACCOUNT_PARAMS = (
    *SCOPED_PARAMS,
    Param("currency", "list", "ISO 4217 currency codes"),
    Param("net_amount.gte", "integer", "Net amount at least (minor units)"),
    Param("net_amount.lte", "integer", "Net amount at most (minor units)"),
    Param("search", "text", "Prefix of order id, external id, customer id, email, phone, name"),
    Param(
        "itinerary_travel_mode",
        "list",
        "Travel mode of an itinerary leg",
        tuple(sorted(TRAVEL_MODES)),
    ),
    Param("itinerary_arrival_address", "text", "Prefix of an arrival address field"),
    Param("itinerary_departure_address", "text", "Prefix of a departure address field"),
    Param(
        "items_discount_lines_discount_type",
        "list",
        "Discount type of an item's discount line",
        tuple(sorted(DISCOUNT_TYPES)),
    ),
    Param("card_brand", "list", "payment_details.card.brand of a payment operation"),
    Param("card_number", "list", "Last four digits of the card"),
    Param("psp", "list", "payment_details.psp of a payment operation"),
    Param("payment_product", "list", "payment_details.payment_product"),
    Param("payment_product_type", "list", "payment_details.payment_product_type"),
)


#: What a list is filtered by when its query names no filter (most calls: `?limit=10`):
#: every filter read below is empty when its parameter is absent, so none is read then
#: (reading seventeen absent parameters would be a noticeable share of a list's work).
NO_FILTERS = OrderFilters()
_SCOPED_NAMES = frozenset(param.name for param in SCOPED_PARAMS)
_ACCOUNT_NAMES = frozenset(param.name for param in ACCOUNT_PARAMS)


async def scoped_filters(request: Request) -> OrderFilters:
    """Q-SCOPED: the filters of the store- and customer-scoped lists."""
    if _SCOPED_NAMES.isdisjoint(request.query_params.keys()):
        return NO_FILTERS
    query = QueryString(request.query_params)
    return OrderFilters(
        statuses=query.many("status", allowed=STATUSES),
        payment_statuses=query.many("payment_status", allowed=PAYMENT_STATUSES),
        created_from=query.moment_from("created_at.gte"),
        created_until=query.moment_until("created_at.lte"),
    )


async def account_filters(request: Request) -> OrderFilters:
    """Q-ORDERS: every filter of the account-level order list."""
    if _ACCOUNT_NAMES.isdisjoint(request.query_params.keys()):
        return NO_FILTERS
    base = await scoped_filters(request)
    query = QueryString(request.query_params)
    facet_values = (
        (facets.TRAVEL_MODE, query.many("itinerary_travel_mode", allowed=TRAVEL_MODES)),
        (
            facets.DISCOUNT_TYPE,
            query.many("items_discount_lines_discount_type", allowed=DISCOUNT_TYPES),
        ),
        (facets.CARD_NUMBER, query.many("card_number", pattern=LAST_FOUR)),
        (facets.CARD_BRAND, _normalized(query.many("card_brand"), "card_brand")),
        (facets.PSP, _normalized(query.many("psp"), "psp")),
        (facets.PAYMENT_PRODUCT, _normalized(query.many("payment_product"), "payment_product")),
        (
            facets.PAYMENT_PRODUCT_TYPE,
            _normalized(query.many("payment_product_type"), "payment_product_type"),
        ),
    )
    prefixes = (
        (facets.SEARCH, _text(query.text("search"), "search")),
        (
            facets.ARRIVAL_ADDRESS,
            _text(query.text("itinerary_arrival_address"), "itinerary_arrival_address"),
        ),
        (
            facets.DEPARTURE_ADDRESS,
            _text(query.text("itinerary_departure_address"), "itinerary_departure_address"),
        ),
    )
    return OrderFilters(
        statuses=base.statuses,
        payment_statuses=base.payment_statuses,
        created_from=base.created_from,
        created_until=base.created_until,
        currencies=query.many("currency", pattern=CURRENCY_CODE),
        net_amount_gte=query.integer("net_amount.gte", ge=0, le=MAX_SAFE_INTEGER),
        net_amount_lte=query.integer("net_amount.lte", ge=0, le=MAX_SAFE_INTEGER),
        facets=tuple((name, values) for name, values in facet_values if values),
        prefixes=tuple((name, normalize(term)) for name, term in prefixes if term and term.strip()),
    )


def _normalized(values: tuple[str, ...], name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalize(v) for v in values if _text(v, name)))


def _text(value: str | None, name: str) -> str | None:
    """Free text compared with stored values; Postgres text cannot hold U+0000."""
    if value is not None and "\x00" in value:
        raise ValidationFailed(
            f"Invalid value for {name}",
            errors=[{"path": name, "message": "must not contain NUL characters"}],
        )
    return value
