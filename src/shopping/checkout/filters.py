"""`GET /transactions` filters, read from the query string in one pass."""

from __future__ import annotations

from typing import get_args

from starlette.datastructures import QueryParams

from shopping.checkout.repository import TransactionFilters
from shopping.checkout.responses import TransactionStatus
from shopping.kit.query import Param, QueryString

STATUSES = frozenset(get_args(TransactionStatus))
MAX_AMOUNT = 10**15

TRANSACTION_PARAMS = (
    Param("id", "list", "Transaction ids"),
    Param("status", "list", "Transaction statuses", tuple(sorted(STATUSES))),
    Param("session_id", "list", "Session ids"),
    Param("payment_product_type", "list", "e.g. dintero_psp.creditcard"),
    Param("card_brand", "list", "e.g. Visa"),
    Param("merchant_reference", "text", "The order's merchant_reference"),
    Param("merchant_reference_2", "text", "The order's merchant_reference_2"),
    Param("customer_id", "text", "The session's customer.customer_id"),
    Param("amount", "integer", "Exact amount"),
    Param("amount.gte", "integer", "Amount at least"),
    Param("amount.lte", "integer", "Amount at most"),
    Param("created_at.gte", "date", "Created at or after"),
    Param("created_at.lte", "date", "Created at or before"),
)


def transaction_filters(params: QueryParams) -> TransactionFilters:
    query = QueryString(params)

    def many(name: str) -> tuple[str, ...]:
        # Dintero spells arrays `id[]`; plain repeated names work as well
        return query.many(name) + query.many(f"{name}[]")

    statuses = query.many("status", allowed=STATUSES) + query.many("status[]", allowed=STATUSES)
    return TransactionFilters(
        ids=many("id"),
        statuses=statuses,
        session_ids=many("session_id"),
        payment_product_types=many("payment_product_type"),
        card_brands=many("card_brand"),
        merchant_reference=query.text("merchant_reference"),
        merchant_reference_2=query.text("merchant_reference_2"),
        customer_id=query.text("customer_id"),
        amount=query.integer("amount", ge=0, le=MAX_AMOUNT),
        amount_gte=query.integer("amount.gte", ge=0, le=MAX_AMOUNT),
        amount_lte=query.integer("amount.lte", ge=0, le=MAX_AMOUNT),
        created_gte=query.moment_from("created_at.gte"),
        created_lte=query.moment_until("created_at.lte"),
    )
