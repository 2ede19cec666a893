"""`/v1/accounts/{aid}/billing/payout-rules`: stored payout rules (reference A8, §7.3)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from shopping.auth.scopes import BILLING_READ, BILLING_WRITE
from shopping.deps import AuthorizedCall, DatabaseDep, WritesDep
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.requests import ApiCall
from shopping.payouts.schemas import PayoutRuleWrite
from shopping.payouts.service import PayoutRules

router = APIRouter(prefix="/v1/accounts/{aid}/billing", tags=["payout rules"])

Reader = Annotated[ApiCall, Depends(AuthorizedCall(BILLING_READ))]
Writer = Annotated[ApiCall, Depends(AuthorizedCall(BILLING_WRITE))]
RuleUuid = Annotated[str, Path(min_length=1, max_length=40)]
Key = Annotated[str | None, Query(min_length=1, max_length=255)]


async def get_payout_rules(request: Request) -> PayoutRules:
    rules: PayoutRules = request.app.state.payout_rules
    return rules


PayoutRulesDep = Annotated[PayoutRules, Depends(get_payout_rules)]


@router.post("/payout-rules", responses=ErrorResponses.write)
async def create_payout_rule(
    body: PayoutRuleWrite, call: Writer, rules: PayoutRulesDep, writes: WritesDep
) -> JsonResponse:
    return await writes.run(call, lambda conn: rules.create(conn, call, body))


@router.get("/payout-rules", responses=ErrorResponses.read)
async def list_payout_rules(
    call: Reader,
    rules: PayoutRulesDep,
    db: DatabaseDep,
    rule_type: Key = None,
    rule_id: Key = None,
    include_deleted: bool = False,
) -> JsonResponse:
    async with db.read() as conn:
        found = await rules.list_rules(
            conn, call, rule_type=rule_type, rule_id=rule_id, include_deleted=include_deleted
        )
    return JsonResponse({"payout_rules": found})


@router.get("/payout-rules/{rule_uuid}", responses=ErrorResponses.read)
async def get_payout_rule(
    rule_uuid: RuleUuid, call: Reader, rules: PayoutRulesDep, db: DatabaseDep
) -> JsonResponse:
    async with db.read() as conn:
        return JsonResponse(await rules.get(conn, call, rule_uuid))


@router.put("/payout-rules/{rule_uuid}", responses=ErrorResponses.write)
async def update_payout_rule(
    rule_uuid: RuleUuid,
    body: PayoutRuleWrite,
    call: Writer,
    rules: PayoutRulesDep,
    writes: WritesDep,
) -> JsonResponse:
    return await writes.run(call, lambda conn: rules.update(conn, call, rule_uuid, body))


@router.delete("/payout-rules/{rule_uuid}", responses=ErrorResponses.write)
async def delete_payout_rule(
    rule_uuid: RuleUuid, call: Writer, rules: PayoutRulesDep, writes: WritesDep
) -> JsonResponse:
    return await writes.run(call, lambda conn: rules.delete(conn, call, rule_uuid))
