"""`/v1/accounts/{aid}/billing/payout-rules`: stored payout rules (reference A8, §7.3)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from shopping.auth.scopes import BILLING_READ, BILLING_WRITE
from shopping.deps import Endpoint, endpoint_for
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.payouts.schemas import PayoutRuleWrite

router = APIRouter(prefix="/v1/accounts/{aid}/billing", tags=["payout rules"])

Reader = Annotated[Endpoint, Depends(endpoint_for(BILLING_READ))]
Writer = Annotated[Endpoint, Depends(endpoint_for(BILLING_WRITE))]
RuleUuid = Annotated[str, Path(min_length=1, max_length=40)]
Key = Annotated[str | None, Query(min_length=1, max_length=255)]


@router.post("/payout-rules", responses=ErrorResponses.write)
async def create_rule(body: PayoutRuleWrite, ctx: Writer) -> JsonResponse:
    call, state = ctx.call, ctx.state
    return await state.writes.run(call, lambda conn: state.payout_rules.create(conn, call, body))


@router.get("/payout-rules", responses=ErrorResponses.read)
async def list_rules(
    ctx: Reader,
    rule_type: Key = None,
    rule_id: Key = None,
    include_deleted: bool = False,
) -> JsonResponse:
    call, state = ctx.call, ctx.state
    async with state.db.read() as conn:
        rules = await state.payout_rules.list_rules(
            conn, call, rule_type=rule_type, rule_id=rule_id, include_deleted=include_deleted
        )
    return JsonResponse({"payout_rules": rules})


@router.get("/payout-rules/{rule_uuid}", responses=ErrorResponses.read)
async def get_rule(rule_uuid: RuleUuid, ctx: Reader) -> JsonResponse:
    call, state = ctx.call, ctx.state
    async with state.db.read() as conn:
        return JsonResponse(await state.payout_rules.get(conn, call, rule_uuid))


@router.put("/payout-rules/{rule_uuid}", responses=ErrorResponses.write)
async def update_rule(rule_uuid: RuleUuid, body: PayoutRuleWrite, ctx: Writer) -> JsonResponse:
    call, state = ctx.call, ctx.state
    return await state.writes.run(
        call, lambda conn: state.payout_rules.update(conn, call, rule_uuid, body)
    )


@router.delete("/payout-rules/{rule_uuid}", responses=ErrorResponses.write)
async def delete_rule(rule_uuid: RuleUuid, ctx: Writer) -> JsonResponse:
    call, state = ctx.call, ctx.state
    return await state.writes.run(
        call, lambda conn: state.payout_rules.delete(conn, call, rule_uuid)
    )
