"""The api-event appended to a draft for each version it reaches."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shopping.db.unit_of_work import UnitOfWork
from shopping.draft_orders import repository as repo
from shopping.kit.clock import isoformat
from shopping.kit.ids import new_uuid
from shopping.kit.requests import ApiCall

Json = dict[str, Any]


async def record_api_event(
    uow: UnitOfWork, call: ApiCall, draft_id: str, version: int, now: datetime
) -> Json:
    """Append the event to the draft's audit log; returns it for the draft document, which
    carries the same events so that reading a draft is one query."""
    event = new_api_event(call, version, now)
    await repo.insert_event(uow, call.account_id, draft_id, event, now)
    return event


def new_api_event(call: ApiCall, version: int, now: datetime) -> Json:
    return {
        "id": new_uuid(),
        "event_type": "api-event",
        "created_at": isoformat(now),
        "created_by": call.principal.client_id,
        "version": version,
        "request": {"path": call.path, "method": call.method, "body": call.body},
    }


def with_event(document: Json, event: Json) -> Json:
    return {**document, "events": [*document.get("events", ()), event]}
