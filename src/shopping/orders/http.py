"""HTTP pieces shared by every route under `/orders/{order_id}`."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request

from shopping.auth.scopes import SHOPPING_READ, SHOPPING_WRITE
from shopping.db.unit_of_work import UnitOfWork
from shopping.deps import AuthorizedCall
from shopping.idempotency.runner import WriteRunner
from shopping.kit.json import JsonResponse
from shopping.kit.requests import ApiCall
from shopping.orders.actions import OrderActions
from shopping.orders.include_events import event_types
from shopping.orders.repository import OrderRecord
from shopping.orders.service import Orders

Reader = Annotated[ApiCall, Depends(AuthorizedCall(SHOPPING_READ))]
Writer = Annotated[ApiCall, Depends(AuthorizedCall(SHOPPING_WRITE))]


async def get_orders(request: Request) -> Orders:
    orders: Orders = request.app.state.orders
    return orders


async def get_order_actions(request: Request) -> OrderActions:
    actions: OrderActions = request.app.state.order_actions
    return actions


OrdersDep = Annotated[Orders, Depends(get_orders)]
OrderActionsDep = Annotated[OrderActions, Depends(get_order_actions)]
#: Postgres text cannot hold U+0000: such input is a 400, not a database error
NO_NUL = r"^[^\x00]*$"
OrderRef = Annotated[
    str,
    Path(
        min_length=1, max_length=255, pattern=NO_NUL, description="The order's `id` or `order_id`"
    ),
]
IncludeEvents = Annotated[
    list[str] | None,
    Query(
        description="Embed the order's `events` and their combined `state`: `true` for all, "
        "`api-event` or `service-event` for one kind (repeat or comma-separate), `false` "
        "(default) for none"
    ),
]
StartingAfter = Annotated[
    uuid.UUID | None,
    Query(description="Cursor: the `id` of the last order of the previous page"),
]


async def run_order_write(
    writes: WriteRunner,
    orders: Orders,
    call: ApiCall,
    include_events: list[str] | None,
    action: Callable[[UnitOfWork], Awaitable[OrderRecord]],
) -> JsonResponse:
    """Run an order-changing action exactly once and answer with the order it saved."""
    types = event_types(include_events)  # validated before anything runs

    async def use_case(uow: UnitOfWork) -> dict[str, Any]:
        return await orders.present(uow, call, await action(uow), types)

    return await writes.run(call, use_case)
