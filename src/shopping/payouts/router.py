"""`/v1/accounts/{aid}/billing/payout-rules`: stored payout rules (reference A8, §7.3)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query, Request

from shopping.auth.scopes import BILLING_READ, BILLING_WRITE
from shopping.deps import AuthorizedCall, DatabaseDep, WritesDep
from shopping.errors import ErrorResponses
from shopping.kit.json import JsonResponse
from shopping.kit.requests import ApiCall
from shopping.openapi.responses import success
from shopping.payouts import examples
from shopping.payouts.schemas import PayoutRuleList, PayoutRuleWrite, StoredPayoutRule
from shopping.payouts.service import PayoutRules

router = APIRouter(prefix="/v1/accounts/{aid}/billing", tags=["payout rules"])

Reader = Annotated[ApiCall, Depends(AuthorizedCall(BILLING_READ))]
Writer = Annotated[ApiCall, Depends(AuthorizedCall(BILLING_WRITE))]
RuleUuid = Annotated[
    str, Path(min_length=1, max_length=40, description="The payout rule's id (UUID).")
]
RuleBody = Annotated[
    PayoutRuleWrite,
    Body(
        openapi_examples={
            "sc029": {
                "summary": "A commission split further, a flat fee, the rest to two sellers",
                "value": examples.PAYOUT_RULE_WRITE,
            }
        }
    ),
]


async def get_payout_rules(request: Request) -> PayoutRules:
    rules: PayoutRules = request.app.state.payout_rules
    return rules


PayoutRulesDep = Annotated[PayoutRules, Depends(get_payout_rules)]


@router.post(
    "/payout-rules",
    summary="Create a payout rule",
    responses={**success(StoredPayoutRule, examples.STORED_PAYOUT_RULE), **ErrorResponses.write},
)
async def create_payout_rule(
    body: RuleBody, call: Writer, rules: PayoutRulesDep, writes: WritesDep
) -> JsonResponse:
    """Store a payout rule as its version 1. Items of completed orders whose draft resolves
    payout rules by this `rule_type` and `rule_id` (and that no inline rule of the draft
    matches) get their `payout` split by it.

    One rule per `rule_type` and `rule_id` may be in use: a second is a 409. The key of a
    deleted rule may be used again; its versions keep counting from the deleted rule's.
    """
    return await writes.run(call, lambda conn: rules.create(conn, call, body))


@router.get(
    "/payout-rules",
    summary="List payout rules",
    responses={**success(PayoutRuleList, examples.PAYOUT_RULE_LIST), **ErrorResponses.read},
)
async def list_payout_rules(
    call: Reader,
    rules: PayoutRulesDep,
    db: DatabaseDep,
    rule_type: Annotated[
        str | None,
        Query(min_length=1, max_length=255, description="Only rules of this `rule_type`."),
    ] = None,
    rule_id: Annotated[
        str | None,
        Query(min_length=1, max_length=255, description="Only rules with this `rule_id`."),
    ] = None,
    include_deleted: Annotated[
        bool, Query(description="Also list deleted rules (they carry `deleted_at`).")
    ] = False,
) -> JsonResponse:
    """The latest version of each of the account's payout rules, optionally filtered by key.
    Deleted rules are left out unless `include_deleted=true`."""
    async with db.read() as conn:
        found = await rules.list_rules(
            conn, call, rule_type=rule_type, rule_id=rule_id, include_deleted=include_deleted
        )
    return JsonResponse({"payout_rules": found})


@router.get(
    "/payout-rules/{rule_uuid}",
    summary="Get a payout rule",
    responses={**success(StoredPayoutRule, examples.STORED_PAYOUT_RULE), **ErrorResponses.read},
)
async def get_payout_rule(
    rule_uuid: RuleUuid, call: Reader, rules: PayoutRulesDep, db: DatabaseDep
) -> JsonResponse:
    """The latest version of one payout rule; a deleted rule is returned with `deleted_at`."""
    async with db.read() as conn:
        return JsonResponse(await rules.get(conn, call, rule_uuid))


@router.put(
    "/payout-rules/{rule_uuid}",
    summary="Update a payout rule",
    responses={**success(StoredPayoutRule, examples.UPDATED_PAYOUT_RULE), **ErrorResponses.write},
)
async def update_payout_rule(
    rule_uuid: RuleUuid,
    body: RuleBody,
    call: Writer,
    rules: PayoutRulesDep,
    writes: WritesDep,
) -> JsonResponse:
    """Store new `destinations` and `metadata` for a rule as its next version; orders
    completed from now on are split by it, earlier payouts keep the version they used.

    `rule_type` and `rule_id` cannot change, and a deleted rule cannot be updated (409).
    """
    return await writes.run(call, lambda conn: rules.update(conn, call, rule_uuid, body))


@router.delete(
    "/payout-rules/{rule_uuid}",
    summary="Delete a payout rule",
    responses={**success(StoredPayoutRule, examples.DELETED_PAYOUT_RULE), **ErrorResponses.write},
)
async def delete_payout_rule(
    rule_uuid: RuleUuid, call: Writer, rules: PayoutRulesDep, writes: WritesDep
) -> JsonResponse:
    """Delete a payout rule: items completed from now on no longer use it. Answers with the
    rule and its `deleted_at`; deleting it again is a 409."""
    return await writes.run(call, lambda conn: rules.delete(conn, call, rule_uuid))
