"""Importing an order directly, without a draft (Dintero's `POST /orders`), for moving orders
over from another system.

The body is the order as a draft would carry it, validated the same way; its items get the
same computed fields a draft gives them and the order the same totals as a completed draft
(`build_order`, then `Orders.insert`). `order_id`, when given, is claimed for the account
exactly as completion claims it, so it is used once (409 otherwise). `created_at` may name
when the order was really created (not in the future); the import itself is `updated_at`
and the api-event's time. The order goes out as a `shopping_order_update` event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, Field

from shopping.db.unit_of_work import UnitOfWork
from shopping.documents import OrderItem
from shopping.documents.order import MAX_ORDER_ITEMS, OrderObject
from shopping.draft_orders import repository as drafts_repo
from shopping.draft_orders.document import build_order
from shopping.draft_orders.errors import OrderIdTaken
from shopping.errors import ValidationFailed
from shopping.kit.clock import Clock, isoformat
from shopping.kit.ids import new_uuid
from shopping.kit.requests import ApiCall
from shopping.orders.document import new_order
from shopping.orders.service import Orders, render

Json = dict[str, Any]


class OrderImport(OrderObject):
    """An order to import: the fields of a draft's order, at least one item, and optionally
    when it was created."""

    items: Annotated[list[OrderItem], Field(min_length=1, max_length=MAX_ORDER_ITEMS)] = Field(
        description=f"The order lines: at least one, at most {MAX_ORDER_ITEMS}"
    )
    created_at: AwareDatetime | None = Field(
        default=None,
        description="When the order was created in the system it comes from (not in the "
        "future); default: now",
    )


class OrderImports:
    def __init__(self, clock: Clock, orders: Orders) -> None:
        self.clock = clock
        self.orders = orders

    async def create(self, uow: UnitOfWork, call: ApiCall, body: OrderImport) -> Json:
        now, order_uuid = self.clock(), new_uuid()
        created_at = body.created_at or now
        if created_at > now:
            raise ValidationFailed(
                "created_at cannot be in the future",
                errors=[{"path": "created_at", "message": "after the current time"}],
            )
        content = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
        content.pop("created_at", None)
        built = build_order(content, version=1, previous=None, options={})
        order_id = str(built.get("order_id") or order_uuid)
        if built.get("order_id"):
            await self._claim(uow, call, order_id, order_uuid, now)
        document = new_order(
            order_uuid=order_uuid,
            order_id=order_id,
            content=built,
            created_at=created_at,
            created_by=call.principal.client_id,
        )
        document["updated_at"] = isoformat(now)
        order = await self.orders.insert(
            uow, call, document, draft_id=None, now=now, created_at=created_at, announce=True
        )
        return render(order, call.base_url)

    async def _claim(
        self, uow: UnitOfWork, call: ApiCall, order_id: str, order_uuid: str, now: datetime
    ) -> None:
        """The business id for this order alone: the same reservation a draft's completion
        makes (an order's own UUID is not reserved, so it is checked as well)."""
        claimed = await drafts_repo.reserve_order_id(
            uow, call.account_id, order_id, order_uuid, now
        )
        if not claimed or await self.orders.exists(uow, call, order_id):
            raise OrderIdTaken(order_id)
