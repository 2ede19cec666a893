"""`/v1/accounts/{aid}/discounts/...`: the Discounts API (rules, their customers, usages,
public rules, rules of a customer, and pricing a receipt)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from shopping.auth.scopes import DISCOUNTS, DISCOUNTS_PUBLIC, DISCOUNTS_READ, DISCOUNTS_WRITE
from shopping.deps import AuthorizedCall, DatabaseDep, WritesDep
from shopping.discounts.deps import Rules
from shopping.discounts.repository import RuleFilters
from shopping.discounts.schemas import CustomersGive, DiscountRuleWrite, Receipt
from shopping.discounts.states import STATES
from shopping.errors import ErrorResponses, ValidationFailed
from shopping.kit.json import JsonResponse
from shopping.kit.requests import ApiCall

router = APIRouter(prefix="/v1/accounts/{aid}/discounts", tags=["discounts"])

Reader = Annotated[ApiCall, Depends(AuthorizedCall(DISCOUNTS_READ))]
Writer = Annotated[ApiCall, Depends(AuthorizedCall(DISCOUNTS_WRITE))]
PublicReader = Annotated[ApiCall, Depends(AuthorizedCall(DISCOUNTS_PUBLIC))]
Pricer = Annotated[ApiCall, Depends(AuthorizedCall(DISCOUNTS))]
RuleId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9-]+$")]
CustomerId = Annotated[str, Path(min_length=1, max_length=255)]
Cursor = Annotated[str | None, Query(min_length=1, max_length=40)]
Moment = Annotated[datetime | None, Query()]
PageSize = Annotated[int, Query(ge=1, le=100)]
RefPageSize = Annotated[int, Query(ge=1, le=1000)]


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@router.post("/rules", responses=ErrorResponses.write)
async def create_discount_rule(
    body: DiscountRuleWrite, call: Writer, rules: Rules, writes: WritesDep
) -> JsonResponse:
    return await writes.run(call, lambda uow: rules.create(uow, call, body))


@router.get("/rules", responses=ErrorResponses.read)
async def list_discount_rules(
    call: Reader,
    rules: Rules,
    db: DatabaseDep,
    state: Annotated[str, Query()] = "all",
    purchase_from: Moment = None,
    purchase_to: Moment = None,
    since_datetime: Moment = None,
    starting_after: Cursor = None,
    limit: PageSize = 10,
    includes: Annotated[Literal["statistics"] | None, Query()] = None,
) -> JsonResponse:
    if state not in STATES:
        raise ValidationFailed(
            "Invalid value for state",
            errors=[{"path": "state", "message": f"one of {', '.join(sorted(STATES))}"}],
        )
    filters = RuleFilters(state, _utc(purchase_from), _utc(purchase_to), _utc(since_datetime))
    async with db.read() as uow:
        found = await rules.list_rules(
            uow,
            call,
            filters,
            starting_after=starting_after,
            limit=limit,
            statistics=includes == "statistics",
        )
    return JsonResponse(found)


@router.get("/rules/{rule_id}", responses=ErrorResponses.read)
async def get_discount_rule(
    rule_id: RuleId, call: Reader, rules: Rules, db: DatabaseDep
) -> JsonResponse:
    async with db.read() as uow:
        return JsonResponse(await rules.get(uow, call, rule_id))


@router.put("/rules/{rule_id}", responses=ErrorResponses.write)
async def update_discount_rule(
    rule_id: RuleId, body: DiscountRuleWrite, call: Writer, rules: Rules, writes: WritesDep
) -> JsonResponse:
    return await writes.run(call, lambda uow: rules.update(uow, call, rule_id, body))


@router.delete("/rules/{rule_id}", responses=ErrorResponses.write)
async def delete_discount_rule(
    rule_id: RuleId, call: Writer, rules: Rules, writes: WritesDep
) -> JsonResponse:
    return await writes.run(call, lambda uow: rules.delete(uow, call, rule_id))


@router.post("/rules/{rule_id}/customers", responses=ErrorResponses.write)
async def give_rule(
    rule_id: RuleId, body: CustomersGive, call: Writer, rules: Rules, writes: WritesDep
) -> JsonResponse:
    return await writes.run(call, lambda uow: rules.give(uow, call, rule_id, body))


@router.get("/rules/{rule_id}/customers", responses=ErrorResponses.read)
async def list_customer_refs(
    rule_id: RuleId,
    call: Reader,
    rules: Rules,
    db: DatabaseDep,
    state: Annotated[Literal["all", "active", "inactive"], Query()] = "all",
    starting_after: Cursor = None,
    limit: RefPageSize = 10,
) -> JsonResponse:
    async with db.read() as uow:
        refs = await rules.customer_refs(
            uow,
            call,
            rule_id,
            state=state,
            starting_after=starting_after,
            limit=limit,
        )
    return JsonResponse(refs)


@router.get("/rules/{rule_id}/usages", responses=ErrorResponses.read)
async def list_usages(rule_id: RuleId, call: Reader, rules: Rules, db: DatabaseDep) -> JsonResponse:
    async with db.read() as uow:
        return JsonResponse(await rules.usages(uow, call, rule_id))


@router.get("/public/rules", responses=ErrorResponses.read)
async def public_rules(
    call: PublicReader, rules: Rules, db: DatabaseDep, limit: PageSize = 10
) -> JsonResponse:
    async with db.read() as uow:
        return JsonResponse(await rules.public_rules(uow, call, limit=limit))


@router.get("/customers/{customer_id}/rules", responses=ErrorResponses.read)
async def customer_rules(
    customer_id: CustomerId, call: Reader, rules: Rules, db: DatabaseDep
) -> JsonResponse:
    async with db.read() as uow:
        return JsonResponse(await rules.rules_of_customer(uow, call, customer_id))


@router.post("/available_for_receipt", responses=ErrorResponses.write)
async def available_for_receipt(
    body: Receipt, call: Pricer, rules: Rules, db: DatabaseDep
) -> JsonResponse:
    async with db.read() as uow:
        return JsonResponse(await rules.available_for_receipt(uow, call, body))
