"""Building the session and transaction documents clients read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shopping.kit.clock import isoformat
from shopping.kit.ids import new_uuid

Json = dict[str, Any]
PAYMENT_PRODUCT = "dintero_psp"
CARD_PRODUCT_TYPE = "dintero_psp.creditcard"


def session_event(name: str, now: datetime, **details: Any) -> Json:
    event: Json = {"id": new_uuid(), "name": name, "created_at": isoformat(now)}
    if details:
        event["details"] = details
    return event


def transaction_event(
    event: str,
    status: str,
    amount: int,
    now: datetime,
    created_by: str,
    *,
    success: bool = True,
    items: list[Json] | None = None,
    error: Json | None = None,
    **extra: Any,
) -> Json:
    out: Json = {
        "id": new_uuid(),
        "event": event,
        "transaction_status": status,
        "success": success,
        "amount": amount,
        "created_at": isoformat(now),
        "created_by": created_by,
        **extra,
    }
    if items is not None and any(line["line_id"] != "" for line in items):
        out["items"] = items
    if error is not None:
        out["error"] = error
    return out


def view_url(base: str, session_id: str) -> str:
    return f"{base.rstrip('/')}/v1/view/{session_id}"


def session_state(session: Json, now: datetime) -> str:
    """What the page shows: `open`, `paid` (it has its transaction), `cancelled`, `expired`."""
    if session.get("transaction_id"):
        return "paid"
    if session.get("cancelled_at"):
        return "cancelled"
    if datetime.fromisoformat(session["expires_at"].replace("Z", "+00:00")) <= now:
        return "expired"
    return "open"
