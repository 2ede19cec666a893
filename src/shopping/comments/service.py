"""Comment use cases. The comment rows are the record; the order document carries the live
comments so that reading an order stays one query."""

from __future__ import annotations

from shopping.comments import repository as repo
from shopping.comments.errors import CommentNotFound
from shopping.comments.schemas import CommentCreate
from shopping.db.unit_of_work import UnitOfWork
from shopping.kit.clock import isoformat
from shopping.kit.ids import new_uuid
from shopping.kit.requests import ApiCall
from shopping.orders.repository import OrderRecord
from shopping.orders.service import Orders


class Comments:
    def __init__(self, orders: Orders) -> None:
        self.orders = orders

    async def add(
        self, uow: UnitOfWork, call: ApiCall, reference: str, body: CommentCreate
    ) -> OrderRecord:
        record = await self.orders.locked(uow, call, reference)
        now = self.orders.clock()
        comment = {
            "id": new_uuid(),
            "created_at": isoformat(now),
            "created_by": call.principal.client_id,
            "body": body.body,
            "visibility": body.visibility,
        }
        await repo.insert_comment(
            uow,
            call.account_id,
            {
                "order_id": record.id,
                "id": comment["id"],
                "body": body.body,
                "visibility": body.visibility,
                "created_at": now,
                "created_by": call.principal.client_id,
            },
        )
        comments = [*record.document.get("comments", []), comment]
        await self.orders.save(uow, call, record, {**record.document, "comments": comments})
        return record

    async def delete(
        self, uow: UnitOfWork, call: ApiCall, reference: str, comment_id: str
    ) -> OrderRecord:
        record = await self.orders.locked(uow, call, reference)
        deleted = await repo.soft_delete(
            uow,
            call.account_id,
            record.id,
            comment_id,
            at=self.orders.clock(),
            by=call.principal.client_id,
        )
        if not deleted:
            raise CommentNotFound(comment_id)
        comments = [c for c in record.document.get("comments", []) if c.get("id") != comment_id]
        await self.orders.save(uow, call, record, {**record.document, "comments": comments})
        return record
