"""The Checkout API subset: `/v1/accounts/{aid}/checkout/...` with Dintero's paths."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from shopping.checkout.deps import (
    CheckoutAdmin,
    CheckoutReader,
    Checkouts,
    CheckoutWriter,
    checkout_base,
)
from shopping.checkout.documents import view_url
from shopping.checkout.filters import TRANSACTION_PARAMS, transaction_filters
from shopping.checkout.schemas import CaptureCreate, RefundCreate, SessionCreate
from shopping.checkout.service import NewSession, public_transaction
from shopping.db.unit_of_work import unit_of
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.pagination import DEFAULT_LIMIT, Limit
from shopping.kit.query import openapi_parameters
from shopping.webhooks.callbacks import callback_log

router = APIRouter(prefix="/v1/accounts/{aid}/checkout", tags=["checkout"])
CheckoutId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9.]+$")]
Json = dict[str, Any]


@router.post("/sessions-profile", responses=ErrorResponses.write)
async def create_session(
    body: SessionCreate,
    ctx: CheckoutWriter,
    checkout: Checkouts,
    request: Request,
    include_session: bool = False,
) -> JsonResponse:
    """Create a session for the hosted page; answers `{id, url}` (and `session`)."""
    call, base = ctx.call, checkout_base(request)

    async def use_case(conn: Any) -> Json:
        session = await checkout.create_session(unit_of(conn), call, NewSession(body.to_document()))
        created: Json = {"id": session["id"], "url": view_url(base, session["id"])}
        return {**created, "session": session} if include_session else created

    return await ctx.state.writes.run(call, use_case)


@router.get("/sessions", responses=ErrorResponses.read)
async def list_sessions(
    ctx: CheckoutReader,
    checkout: Checkouts,
    limit: Limit = DEFAULT_LIMIT,
    starting_after: Annotated[str | None, Query(max_length=64)] = None,
    merchant_reference: Annotated[str | None, Query(min_length=1, max_length=255)] = None,
) -> JsonResponse:
    async with ctx.state.db.read() as conn:
        sessions = await checkout.list_sessions(
            unit_of(conn),
            ctx.call.account_id,
            merchant_reference=merchant_reference,
            starting_after=starting_after,
            limit=limit,
        )
    return JsonResponse(sessions)


@router.get("/sessions/{session_id}", responses=ErrorResponses.read)
async def get_session(
    session_id: CheckoutId, ctx: CheckoutReader, checkout: Checkouts
) -> JsonResponse:
    async with ctx.state.db.read() as conn:
        return JsonResponse(await checkout.session(unit_of(conn), ctx.call.account_id, session_id))


@router.post("/sessions/{session_id}/cancel", responses=ErrorResponses.write)
async def cancel_session(
    session_id: CheckoutId, ctx: CheckoutWriter, checkout: Checkouts
) -> JsonResponse:
    """Cancel a session; an authorized transaction of it is voided."""
    call = ctx.call
    return await ctx.state.writes.run(
        call,
        lambda conn: checkout.cancel_session(
            unit_of(conn), call, session_id, call.principal.client_id
        ),
    )


@router.get("/sessions/{session_id}/callbacks", responses=ErrorResponses.read)
async def list_callbacks(
    session_id: CheckoutId, ctx: CheckoutReader, checkout: Checkouts
) -> JsonResponse:
    """The session's `callback_url` calls with every delivery attempt."""
    async with ctx.state.db.read() as conn:
        uow = unit_of(conn)
        await checkout.session(uow, ctx.call.account_id, session_id)
        return JsonResponse({"callbacks": await callback_log(uow, ctx.call.account_id, session_id)})


@router.get(
    "/transactions",
    responses=ErrorResponses.read,
    openapi_extra=openapi_parameters(TRANSACTION_PARAMS),
)
async def list_transactions(
    request: Request,
    ctx: CheckoutReader,
    checkout: Checkouts,
    limit: Limit = DEFAULT_LIMIT,
    starting_after: Annotated[str | None, Query(max_length=64)] = None,
) -> JsonResponse:
    filters = transaction_filters(request.query_params)
    async with ctx.state.db.read() as conn:
        found = await checkout.list_transactions(
            unit_of(conn), ctx.call.account_id, filters, starting_after=starting_after, limit=limit
        )
    return JsonResponse([public_transaction(t) for t in found])


@router.get("/transactions/{transaction_id}", responses=ErrorResponses.read)
async def get_transaction(
    transaction_id: CheckoutId, ctx: CheckoutReader, checkout: Checkouts
) -> JsonResponse:
    async with ctx.state.db.read() as conn:
        found = await checkout.transaction(unit_of(conn), ctx.call.account_id, transaction_id)
    return JsonResponse(public_transaction(found))


@router.post("/transactions/{transaction_id}/capture", responses=ErrorResponses.write)
async def capture(
    transaction_id: CheckoutId, body: CaptureCreate, ctx: CheckoutWriter, checkout: Checkouts
) -> JsonResponse:
    call = ctx.call
    return await ctx.state.writes.run(
        call, lambda conn: checkout.capture(unit_of(conn), call, transaction_id, body)
    )


@router.post("/transactions/{transaction_id}/refund", responses=ErrorResponses.write)
async def refund(
    transaction_id: CheckoutId, body: RefundCreate, ctx: CheckoutWriter, checkout: Checkouts
) -> JsonResponse:
    call = ctx.call
    return await ctx.state.writes.run(
        call, lambda conn: checkout.refund(unit_of(conn), call, transaction_id, body)
    )


@router.post("/transactions/{transaction_id}/void", responses=ErrorResponses.write)
async def void(
    transaction_id: CheckoutId, ctx: CheckoutWriter, checkout: Checkouts
) -> JsonResponse:
    call = ctx.call
    return await ctx.state.writes.run(
        call, lambda conn: checkout.void(unit_of(conn), call, transaction_id)
    )


@router.post("/admin/signature", responses=ErrorResponses.write)
async def create_signature(ctx: CheckoutAdmin, checkout: Checkouts) -> JsonResponse:
    """Create (or replace) the secret that signs callbacks with `Dintero-Signature`."""
    call = ctx.call
    return await ctx.state.writes.run(
        call, lambda conn: checkout.create_signature(unit_of(conn), call)
    )


@router.get("/admin/signature", responses=ErrorResponses.read)
async def get_signature(ctx: CheckoutAdmin, checkout: Checkouts) -> JsonResponse:
    async with ctx.state.db.read() as conn:
        return JsonResponse(await checkout.signature(unit_of(conn), ctx.call.account_id))
