"""Factories for draft-order tests: request bodies, and drafts created through the API.

Bodies are plain JSON dicts, built with the smallest set of fields each test cares about, so a
test reads as the facts it checks (`item(gross=12500, discounts=[manual(2500)])`).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import update

from shopping.models import DraftOrderRow

Json = dict[str, Any]

#: Dintero's own "draft order" response example (docs, DELETE item page), verbatim.
SEED_DRAFT_PATH = Path(__file__).resolve().parents[1] / "api" / "drafts" / "seed_004_draft.json"

_UNSET: Any = object()


def tax_line(percentage: float = 25, **fields: Any) -> Json:
    return {"percentage": percentage, **fields}


def discount(amount: int, discount_type: str = "manual", **fields: Any) -> Json:
    return {"amount": amount, "discount_type": discount_type, **fields}


def item(
    line_id: object = None,  # not only int: validation tests send wrong types
    gross: object = 10000,
    store: str | None = "SL02",
    discounts: Iterable[Json] = (),
    tax_lines: list[Json] | None = None,
    **fields: Any,
) -> Json:
    """One draft line: `gross` in minor units, a 25 % tax line, optionally a store and discounts."""
    out: Json = {
        "gross_amount": gross,
        "tax_lines": [tax_line()] if tax_lines is None else tax_lines,
    }
    if line_id is not None:
        out["line_id"] = line_id
    if store is not None:
        out["store"] = {"id": store, "name": f"Store {store}"}
    discount_lines = list(discounts)
    if discount_lines:
        out["discount_lines"] = discount_lines
    out.update(fields)
    return out


def customer(
    id: str = "cust-1",
    first_name: str = "Kari",
    last_name: str = "Nordmann",
    email: str = "kari@example.com",
    phone_number: str = "+4791234567",
    **fields: Any,
) -> Json:
    return {
        "id": id,
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "phone_number": phone_number,
        **fields,
    }


_default_customer = customer


def draft_body(
    *items: Json,
    currency: str = "NOK",
    customer: Json | None = _UNSET,
    options: Json | None = None,
    **order_fields: Any,
) -> Json:
    """A create/update body. `customer=None` leaves the customer out."""
    order: Json = {"currency": currency, "items": list(items)}
    if customer is _UNSET:
        customer = _default_customer()
    if customer is not None:
        order["customer"] = customer
    order.update(order_fields)
    body: Json = {"order": order}
    if options is not None:
        body["options"] = options
    return body


def seed_draft() -> Json:
    """Dintero's full example draft (read-only fields and all)."""
    loaded: Json = json.loads(SEED_DRAFT_PATH.read_text(encoding="utf-8"))
    return loaded


def echo(draft: Json) -> Json:
    """A PUT body that sends back a draft exactly as it was returned (a deep copy)."""
    return copy.deepcopy(draft)


async def create_draft(api: httpx.AsyncClient, body: Json | None = None, **params: Any) -> Json:
    """POST a draft (default: one 10000 item) and return it; fails loudly unless 200."""
    response = await api.post(
        "/draft_orders", json=body if body is not None else draft_body(item()), params=params
    )
    assert response.status_code == 200, response.text
    created: Json = response.json()
    return created


async def get_draft(api: httpx.AsyncClient, draft_id: str) -> Json:
    response = await api.get(f"/draft_orders/{draft_id}")
    assert response.status_code == 200, response.text
    got: Json = response.json()
    return got


async def list_drafts(api: httpx.AsyncClient, **params: Any) -> list[Json]:
    response = await api.get("/draft_orders", params=params)
    assert response.status_code == 200, response.text
    drafts: list[Json] = response.json()["draft_orders"]
    return drafts


async def list_ids(api: httpx.AsyncClient, **params: Any) -> list[str]:
    return [draft["id"] for draft in await list_drafts(api, **params)]


async def mark_draft(app: FastAPI, account: str, draft_id: str, status: str) -> None:
    """Set a draft's status in the database (completion is not an endpoint yet)."""
    async with app.state.db.write() as conn:
        count = await conn.execute(
            update(DraftOrderRow)
            .where(DraftOrderRow.account_id == account, DraftOrderRow.id == draft_id)
            .values(status=status)
        )
        assert count == 1


def line_ids(draft: Json) -> list[int]:
    return [line["line_id"] for line in draft["order"]["items"]]


def line(draft: Json, line_id: int) -> Json:
    """The item of `draft` with this line id."""
    matches: list[Json] = [line for line in draft["order"]["items"] if line["line_id"] == line_id]
    assert len(matches) == 1, f"line {line_id} appears {len(matches)} times"
    return matches[0]


def totals(draft: Json) -> Json:
    order = draft["order"]
    return {
        key: order[key]
        for key in ("gross_amount", "net_amount", "total_discount", "total_manual_discount_amount")
    }


def error_paths(response: httpx.Response) -> list[str]:
    return [err["path"] for err in response.json()["error"].get("errors", [])]
