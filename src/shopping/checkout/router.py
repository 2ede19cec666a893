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
from shopping.db.unit_of_work import UnitOfWork
from shopping.deps import DatabaseDep, WritesDep
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.pagination import DEFAULT_LIMIT, Limit
from shopping.kit.query import openapi_parameters
from shopping.webhooks.callbacks import callback_log

router = APIRouter(prefix="/v1/accounts/{aid}/checkout", tags=["checkout"])
CheckoutId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9.]+$")]
Json = dict[str, Any]


@router.post("/sessions-profile", responses=ErrorResponses.write)
async def create_checkout_session(
    body: SessionCreate,
    call: CheckoutWriter,
    checkout: Checkouts,
    writes: WritesDep,
    request: Request,
    include_session: bool = False,
) -> JsonResponse:
    """Create a session for the hosted page; answers `{id, url}` (and `session`)."""
    base = checkout_base(request)

    async def use_case(uow: UnitOfWork) -> Json:
        session = await checkout.create_session(uow, call, NewSession(body.to_document()))
        created: Json = {"id": session["id"], "url": view_url(base, session["id"])}
        return {**created, "session": session} if include_session else created

    return await writes.run(call, use_case)


@router.get("/sessions", responses=ErrorResponses.read)
async def list_checkout_sessions(
    call: CheckoutReader,
    checkout: Checkouts,
    db: DatabaseDep,
    limit: Limit = DEFAULT_LIMIT,
    starting_after: Annotated[str | None, Query(max_length=64)] = None,
    merchant_reference: Annotated[str | None, Query(min_length=1, max_length=255)] = None,
) -> JsonResponse:
    async with db.read() as uow:
        sessions = await checkout.list_sessions(
            uow,
            call.account_id,
            merchant_reference=merchant_reference,
            starting_after=starting_after,
            limit=limit,
        )
    return JsonResponse(sessions)


@router.get("/sessions/{session_id}", responses=ErrorResponses.read)
async def get_checkout_session(
    session_id: CheckoutId, call: CheckoutReader, checkout: Checkouts, db: DatabaseDep
) -> JsonResponse:
    async with db.read() as uow:
        return JsonResponse(await checkout.session(uow, call.account_id, session_id))


@router.post("/sessions/{session_id}/cancel", responses=ErrorResponses.write)
async def cancel_session(
    session_id: CheckoutId, call: CheckoutWriter, checkout: Checkouts, writes: WritesDep
) -> JsonResponse:
    """Cancel a session; an authorized transaction of it is voided."""
    return await writes.run(
        call,
        lambda uow: checkout.cancel_session(uow, call, session_id, call.principal.client_id),
    )


@router.get("/sessions/{session_id}/callbacks", responses=ErrorResponses.read)
async def list_callbacks(
    session_id: CheckoutId, call: CheckoutReader, checkout: Checkouts, db: DatabaseDep
) -> JsonResponse:
    """The session's `callback_url` calls with every delivery attempt."""
    async with db.read() as uow:
        await checkout.session(uow, call.account_id, session_id)
        return JsonResponse({"callbacks": await callback_log(uow, call.account_id, session_id)})


@router.get(
    "/transactions",
    responses=ErrorResponses.read,
    openapi_extra=openapi_parameters(TRANSACTION_PARAMS),
)
async def list_transactions(
    request: Request,
    call: CheckoutReader,
    checkout: Checkouts,
    db: DatabaseDep,
    limit: Limit = DEFAULT_LIMIT,
    starting_after: Annotated[str | None, Query(max_length=64)] = None,
) -> JsonResponse:
    filters = transaction_filters(request.query_params)
    async with db.read() as uow:
        found = await checkout.list_transactions(
            uow, call.account_id, filters, starting_after=starting_after, limit=limit
        )
    return JsonResponse([public_transaction(t) for t in found])


@router.get("/transactions/{transaction_id}", responses=ErrorResponses.read)
async def get_transaction(
    transaction_id: CheckoutId, call: CheckoutReader, checkout: Checkouts, db: DatabaseDep
) -> JsonResponse:
    async with db.read() as uow:
        found = await checkout.transaction(uow, call.account_id, transaction_id)
    return JsonResponse(public_transaction(found))


@router.post("/transactions/{transaction_id}/capture", responses=ErrorResponses.write)
async def capture(
    transaction_id: CheckoutId,
    body: CaptureCreate,
    call: CheckoutWriter,
    checkout: Checkouts,
    writes: WritesDep,
) -> JsonResponse:
    return await writes.run(call, lambda uow: checkout.capture(uow, call, transaction_id, body))


@router.post("/transactions/{transaction_id}/refund", responses=ErrorResponses.write)
async def refund(
    transaction_id: CheckoutId,
    body: RefundCreate,
    call: CheckoutWriter,
    checkout: Checkouts,
    writes: WritesDep,
) -> JsonResponse:
    return await writes.run(call, lambda uow: checkout.refund(uow, call, transaction_id, body))


@router.post("/transactions/{transaction_id}/void", responses=ErrorResponses.write)
async def void(
    transaction_id: CheckoutId, call: CheckoutWriter, checkout: Checkouts, writes: WritesDep
) -> JsonResponse:
    return await writes.run(call, lambda uow: checkout.void(uow, call, transaction_id))


@router.post("/admin/signature", responses=ErrorResponses.write)
async def create_signature(
    call: CheckoutAdmin, checkout: Checkouts, writes: WritesDep
) -> JsonResponse:
    """Create (or replace) the secret that signs callbacks with `Dintero-Signature`."""
    return await writes.run(call, lambda uow: checkout.create_signature(uow, call))


@router.get("/admin/signature", responses=ErrorResponses.read)
async def get_signature(call: CheckoutAdmin, checkout: Checkouts, db: DatabaseDep) -> JsonResponse:
    async with db.read() as uow:
        return JsonResponse(await checkout.signature(uow, call.account_id))
