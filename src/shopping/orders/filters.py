"""Query parameters of the order lists (Q-ORDERS, and the subset Q-SCOPED)."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Query

from shopping.documents.types import MAX_SAFE_INTEGER
from shopping.draft_orders.search import normalize
from shopping.errors import ValidationFailed
from shopping.kit.pagination import DayOrMoment, day_end, day_start, multi_value
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

Many = Annotated[list[str] | None, Query()]


async def scoped_filters(
    status: Many = None,
    payment_status: Many = None,
    created_gte: Annotated[DayOrMoment, Query(alias="created_at.gte")] = None,
    created_lte: Annotated[DayOrMoment, Query(alias="created_at.lte")] = None,
) -> OrderFilters:
    """Q-SCOPED: the filters of the store- and customer-scoped lists."""
    return OrderFilters(
        statuses=multi_value(status, "status", allowed=STATUSES),
        payment_statuses=multi_value(payment_status, "payment_status", allowed=PAYMENT_STATUSES),
        created_from=day_start(created_gte),
        created_until=day_end(created_lte),
    )


async def account_filters(
    status: Many = None,
    payment_status: Many = None,
    created_gte: Annotated[DayOrMoment, Query(alias="created_at.gte")] = None,
    created_lte: Annotated[DayOrMoment, Query(alias="created_at.lte")] = None,
    currency: Many = None,
    net_gte: Annotated[int | None, Query(alias="net_amount.gte", ge=0, le=MAX_SAFE_INTEGER)] = None,
    net_lte: Annotated[int | None, Query(alias="net_amount.lte", ge=0, le=MAX_SAFE_INTEGER)] = None,
    search: Annotated[str | None, Query(min_length=1, max_length=255)] = None,
    itinerary_travel_mode: Many = None,
    itinerary_arrival_address: Annotated[str | None, Query(max_length=255)] = None,
    itinerary_departure_address: Annotated[str | None, Query(max_length=255)] = None,
    items_discount_lines_discount_type: Many = None,
    card_brand: Many = None,
    card_number: Many = None,
    psp: Many = None,
    payment_product: Many = None,
    payment_product_type: Many = None,
) -> OrderFilters:
    """Q-ORDERS: every filter of the account-level order list."""
    base = await scoped_filters(status, payment_status, created_gte, created_lte)
    facet_values = (
        (
            facets.TRAVEL_MODE,
            multi_value(itinerary_travel_mode, "itinerary_travel_mode", allowed=TRAVEL_MODES),
        ),
        (
            facets.DISCOUNT_TYPE,
            multi_value(
                items_discount_lines_discount_type,
                "items_discount_lines_discount_type",
                allowed=DISCOUNT_TYPES,
            ),
        ),
        (facets.CARD_NUMBER, multi_value(card_number, "card_number", pattern=LAST_FOUR)),
        (facets.CARD_BRAND, _normalized(card_brand, "card_brand")),
        (facets.PSP, _normalized(psp, "psp")),
        (facets.PAYMENT_PRODUCT, _normalized(payment_product, "payment_product")),
        (facets.PAYMENT_PRODUCT_TYPE, _normalized(payment_product_type, "payment_product_type")),
    )
    prefixes = (
        (facets.SEARCH, _text(search, "search")),
        (facets.ARRIVAL_ADDRESS, _text(itinerary_arrival_address, "itinerary_arrival_address")),
        (
            facets.DEPARTURE_ADDRESS,
            _text(itinerary_departure_address, "itinerary_departure_address"),
        ),
    )
    return OrderFilters(
        statuses=base.statuses,
        payment_statuses=base.payment_statuses,
        created_from=base.created_from,
        created_until=base.created_until,
        currencies=multi_value(currency, "currency", pattern=CURRENCY_CODE),
        net_amount_gte=net_gte,
        net_amount_lte=net_lte,
        facets=tuple((name, values) for name, values in facet_values if values),
        prefixes=tuple((name, normalize(term)) for name, term in prefixes if term and term.strip()),
    )


def _normalized(values: list[str] | None, name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalize(v) for v in multi_value(values, name) if _text(v, name)))


def _text(value: str | None, name: str) -> str | None:
    """Free text compared with stored values; Postgres text cannot hold U+0000."""
    if value is not None and "\x00" in value:
        raise ValidationFailed(
            f"Invalid value for {name}",
            errors=[{"path": name, "message": "must not contain NUL characters"}],
        )
    return value
