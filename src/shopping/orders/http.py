"""HTTP pieces shared by every route under `/orders/{order_id}`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Path, Query

from shopping.auth.scopes import SHOPPING_READ, SHOPPING_WRITE
from shopping.db.unit_of_work import UnitOfWork
from shopping.deps import Endpoint, State, endpoint_for
from shopping.kit.json import JsonResponse
from shopping.kit.requests import ApiCall
from shopping.orders.include_events import event_types
from shopping.orders.repository import OrderRecord

Reader = Annotated[Endpoint, Depends(endpoint_for(SHOPPING_READ))]
Writer = Annotated[Endpoint, Depends(endpoint_for(SHOPPING_WRITE))]
#: Postgres text cannot hold U+0000: such input is a 400, not a database error
NO_NUL = r"^[^\x00]*$"
OrderRef = Annotated[
    str,
    Path(
        min_length=1, max_length=255, pattern=NO_NUL, description="The order's `id` or `order_id`"
    ),
]
IncludeEvents = Annotated[
    list[str] | None, Query(description="false, true, api-event, service-event")
]


async def run_order_write(
    state: State,
    call: ApiCall,
    include_events: list[str] | None,
    action: Callable[[UnitOfWork], Awaitable[OrderRecord]],
) -> JsonResponse:
    """Run an order-changing action exactly once and answer with the order it saved."""
    types = event_types(include_events)  # validated before anything runs

    async def use_case(uow: UnitOfWork) -> dict[str, Any]:
        return await state.orders.present(uow, call, await action(uow), types)

    return await state.writes.run(call, use_case)
