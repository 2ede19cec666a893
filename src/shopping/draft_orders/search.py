"""What a draft can be found by with `search` (reference Q-DRAFTS): order_id, external ids,
customer id, email, phone number and name. Values are case-folded; a search term matches a value
it equals or is a prefix of, answered from the `draft_facets` index."""

from __future__ import annotations

from typing import Any

SEARCH = "search"
MAX_VALUE_LENGTH = 255


def normalize(term: str) -> str:
    return " ".join(term.split()).casefold()[:MAX_VALUE_LENGTH]


def search_values(order: dict[str, Any]) -> set[str]:
    customer = order.get("customer") or {}
    first, last = customer.get("first_name"), customer.get("last_name")
    candidates: list[Any] = [
        order.get("order_id"),
        customer.get("id"),
        customer.get("email"),
        customer.get("phone_number"),
        first,
        last,
        f"{first} {last}" if first and last else None,
    ]
    candidates += [
        ext.get("id") for ext in order.get("external_ids") or () if isinstance(ext, dict)
    ]
    return {normalize(value) for value in candidates if isinstance(value, str) and value.strip()}
