"""`/orders/{order_id}/sessions`: create, list, get (reference §2 rows 31–33)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from shopping.checkout.deps import checkout_base
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.orders.http import OrderRef, Reader, Writer
from shopping.payment_sessions.schemas import SessionCreate

router = APIRouter(prefix="/v1/accounts/{aid}/shopping", tags=["payment sessions"])
SessionId = Annotated[str, Path(min_length=1, max_length=40)]


@router.post("/orders/{order_id}/sessions", responses=ErrorResponses.write)
async def create_session(
    order_id: OrderRef, body: SessionCreate, ctx: Writer, request: Request
) -> JsonResponse:
    call, state, base = ctx.call, ctx.state, checkout_base(request)
    return await state.writes.run(
        call, lambda conn: state.sessions.create(conn, call, order_id, body, base)
    )


@router.get("/orders/{order_id}/sessions", responses=ErrorResponses.read)
async def list_sessions(order_id: OrderRef, ctx: Reader) -> JsonResponse:
    call, state = ctx.call, ctx.state
    async with state.db.read() as conn:
        return JsonResponse(await state.sessions.list_sessions(conn, call, order_id))


@router.get("/orders/{order_id}/sessions/{session_id}", responses=ErrorResponses.read)
async def get_session(order_id: OrderRef, session_id: SessionId, ctx: Reader) -> JsonResponse:
    call, state = ctx.call, ctx.state
    async with state.db.read() as conn:
        return JsonResponse(await state.sessions.get(conn, call, order_id, session_id))
