"""The event feed (our extension): `GET /shopping/events?starting_after=&limit=`."""

from __future__ import annotations

from typing import Any

from shopping.db.unit_of_work import UnitOfWork
from shopping.errors import BadRequest
from shopping.kit.requests import ApiCall
from shopping.webhooks.outbox import read_account_feed


class UnknownEvent(BadRequest):
    code = "INVALID_CURSOR"

    def __init__(self, event_id: str) -> None:
        super().__init__(
            f"starting_after {event_id} is not an event of this account",
            errors=[{"path": "starting_after", "message": "unknown cursor"}],
        )


class EventFeed:
    async def page(
        self, uow: UnitOfWork, call: ApiCall, starting_after: str | None, limit: int
    ) -> list[dict[str, Any]]:
        messages = await read_account_feed(uow, call.account_id, starting_after, limit)
        if messages is None:
            raise UnknownEvent(str(starting_after))
        return [message.body() for message in messages]
