"""`/v1/accounts/{aid}/discounts/...`: the Discounts API (rules, their customers, usages,
public rules, rules of a customer, and pricing a receipt)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query

from shopping.auth.scopes import DISCOUNTS, DISCOUNTS_PUBLIC, DISCOUNTS_READ, DISCOUNTS_WRITE
from shopping.deps import AuthorizedCall, DatabaseDep, WritesDep
from shopping.discounts import examples
from shopping.discounts.deps import Rules
from shopping.discounts.repository import RuleFilters
from shopping.discounts.responses import CustomerRef, DiscountRule, PricedReceipt, Usage
from shopping.discounts.schemas import CustomersGive, DiscountRuleWrite, Receipt
from shopping.discounts.states import STATES
from shopping.errors import ErrorResponses, ValidationFailed
from shopping.kit.json import JsonResponse
from shopping.kit.requests import ApiCall
from shopping.openapi.responses import success

router = APIRouter(prefix="/v1/accounts/{aid}/discounts", tags=["discounts"])

Reader = Annotated[ApiCall, Depends(AuthorizedCall(DISCOUNTS_READ))]
Writer = Annotated[ApiCall, Depends(AuthorizedCall(DISCOUNTS_WRITE))]
PublicReader = Annotated[ApiCall, Depends(AuthorizedCall(DISCOUNTS_PUBLIC))]
Pricer = Annotated[ApiCall, Depends(AuthorizedCall(DISCOUNTS))]
RuleId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9-]+$",
        description="The discount rule's id (UUID).",
    ),
]
CustomerId = Annotated[
    str, Path(min_length=1, max_length=255, description="The customer's id; `/` is everyone.")
]


def _cursor(what: str) -> Any:
    return Query(
        min_length=1,
        max_length=40,
        description=f"Continue the list after the {what} with this id (the last one of "
        "the previous page).",
    )


def _moment(description: str) -> Any:
    return Query(description=f"{description} (RFC 3339; without a time zone: UTC).")


def _example(summary: str, value: Any) -> Any:
    return Body(openapi_examples={"example": {"summary": summary, "value": value}})


RuleBody = Annotated[DiscountRuleWrite, _example("44 % off item 6 in May", examples.RULE_WRITE)]
CustomersBody = Annotated[
    CustomersGive, _example("Give the rule to everyone", examples.CUSTOMERS_GIVE)
]
ReceiptBody = Annotated[Receipt, _example("Two of item 6, no customer", examples.RECEIPT)]
PAGE_SIZE = "How many to list at most."


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@router.post(
    "/rules",
    summary="Create a discount rule",
    responses={**success(DiscountRule, examples.RULE), **ErrorResponses.write},
)
async def create_discount_rule(
    body: RuleBody, call: Writer, rules: Rules, writes: WritesDep
) -> JsonResponse:
    """Create a discount rule. It gives no discount until it is given to customers
    (`POST /discounts/rules/{rule_id}/customers`, `/` for everyone).

    Terms the server cannot honour are refused (400), never ignored. Read-only fields sent
    back (`id`, `created_at`, ...) are ignored.
    """
    return await writes.run(call, lambda uow: rules.create(uow, call, body))


@router.get(
    "/rules",
    summary="List discount rules",
    responses={**success(list[DiscountRule], [examples.RULE]), **ErrorResponses.read},
)
async def list_discount_rules(
    call: Reader,
    rules: Rules,
    db: DatabaseDep,
    state: Annotated[
        str,
        Query(
            description="Which rules: `active` (usable now), `scheduled` (window not begun), "
            "`completed` (window over), `available` (active, given to someone, not over), "
            "`inactive` (switched off), `deleted`, or `all` (all but deleted).",
            json_schema_extra={"enum": sorted(STATES)},
        ),
    ] = "all",
    purchase_from: Annotated[
        datetime | None, _moment("Only rules still usable after this moment")
    ] = None,
    purchase_to: Annotated[datetime | None, _moment("Only rules usable before this moment")] = None,
    since_datetime: Annotated[
        datetime | None,
        _moment("Only rules changed at or after this moment; not with `starting_after`"),
    ] = None,
    starting_after: Annotated[str | None, _cursor("rule")] = None,
    limit: Annotated[int, Query(ge=1, le=100, description=PAGE_SIZE)] = 10,
    includes: Annotated[
        Literal["statistics"] | None,
        Query(description="`statistics`: add each rule's use (`statistics`)."),
    ] = None,
) -> JsonResponse:
    """The account's discount rules, newest first, a page at a time."""
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


@router.get(
    "/rules/{rule_id}",
    summary="Get a discount rule",
    responses={**success(DiscountRule, examples.RULE), **ErrorResponses.read},
)
async def get_discount_rule(
    rule_id: RuleId, call: Reader, rules: Rules, db: DatabaseDep
) -> JsonResponse:
    """One discount rule; a deleted rule is returned with `deleted_at`."""
    async with db.read() as uow:
        return JsonResponse(await rules.get(uow, call, rule_id))


@router.put(
    "/rules/{rule_id}",
    summary="Update a discount rule",
    responses={**success(DiscountRule, examples.RULE_UPDATED), **ErrorResponses.write},
)
async def update_discount_rule(
    rule_id: RuleId, body: RuleBody, call: Writer, rules: Rules, writes: WritesDep
) -> JsonResponse:
    """Replace a rule's fields with the body's. Once a purchase has used the rule its
    `requirement`, `reward` and `limitation` are fixed (409), except that
    `requirement.purchase_to` may move later; texts, links, metadata, `active` and `private`
    may always change. A deleted rule cannot be updated (409)."""
    return await writes.run(call, lambda uow: rules.update(uow, call, rule_id, body))


@router.delete(
    "/rules/{rule_id}",
    summary="Delete a discount rule",
    responses={**success(DiscountRule, examples.RULE_DELETED), **ErrorResponses.write},
)
async def delete_discount_rule(
    rule_id: RuleId, call: Writer, rules: Rules, writes: WritesDep
) -> JsonResponse:
    """Delete a rule: no purchase can use it from now on. Answers with the rule and its
    `deleted_at`; deleting it again is a 409."""
    return await writes.run(call, lambda uow: rules.delete(uow, call, rule_id))


@router.post(
    "/rules/{rule_id}/customers",
    summary="Give a discount rule to customers",
    responses={**success(DiscountRule, examples.RULE), **ErrorResponses.write},
)
async def give_rule(
    rule_id: RuleId, body: CustomersBody, call: Writer, rules: Rules, writes: WritesDep
) -> JsonResponse:
    """Give the rule to customers (`/`: everyone), so their purchases can use it. Giving it
    again to a customer who has it changes nothing; one it was taken from gets it back.
    Answers with the rule; a deleted rule cannot be given (409)."""
    return await writes.run(call, lambda uow: rules.give(uow, call, rule_id, body))


@router.get(
    "/rules/{rule_id}/customers",
    summary="List the customers a rule is given to",
    responses={**success(list[CustomerRef], examples.CUSTOMER_REFS), **ErrorResponses.read},
)
async def list_customer_refs(
    rule_id: RuleId,
    call: Reader,
    rules: Rules,
    db: DatabaseDep,
    state: Annotated[
        Literal["all", "active", "inactive"],
        Query(
            description="`active`: refs in force; `inactive`: refs taken back; `all`: both. "
            "A ref stays in force after its rule is deleted."
        ),
    ] = "all",
    starting_after: Annotated[str | None, _cursor("customer ref")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description=PAGE_SIZE)] = 10,
) -> JsonResponse:
    """The customer refs of a rule (one per customer it was given to), oldest first, a page
    at a time."""
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


@router.get(
    "/rules/{rule_id}/usages",
    summary="List a rule's usages",
    responses={**success(list[Usage], examples.USAGES), **ErrorResponses.read},
)
async def list_usages(rule_id: RuleId, call: Reader, rules: Rules, db: DatabaseDep) -> JsonResponse:
    """How each customer has used the rule: one entry per customer, with every completed
    draft order that used it and the totals."""
    async with db.read() as uow:
        return JsonResponse(await rules.usages(uow, call, rule_id))


@router.get(
    "/public/rules",
    summary="List the public discount rules",
    responses={**success(list[DiscountRule], [examples.PUBLIC_RULE]), **ErrorResponses.read},
)
async def public_rules(
    call: PublicReader,
    rules: Rules,
    db: DatabaseDep,
    limit: Annotated[int, Query(ge=1, le=100, description=PAGE_SIZE)] = 10,
) -> JsonResponse:
    """The rules anyone can use: given to everyone (`/`), active, not private, not over, and
    usable now or past their `visible_from`. Metadata keys starting
    `dintero:exclude:public:` are left out."""
    async with db.read() as uow:
        return JsonResponse(await rules.public_rules(uow, call, limit=limit))


@router.get(
    "/customers/{customer_id}/rules",
    summary="List the discount rules of a customer",
    responses={**success(list[DiscountRule], [examples.RULE]), **ErrorResponses.read},
)
async def customer_rules(
    customer_id: CustomerId, call: Reader, rules: Rules, db: DatabaseDep
) -> JsonResponse:
    """The rules the customer can use: given to them or to everyone (`/`), active, not
    deleted and not over; in the order their purchase windows begin."""
    async with db.read() as uow:
        return JsonResponse(await rules.rules_of_customer(uow, call, customer_id))


@router.post(
    "/available_for_receipt",
    summary="Price a receipt with the discount rules",
    responses={**success(PricedReceipt, examples.PRICED_RECEIPT), **ErrorResponses.write},
)
async def available_for_receipt(
    body: ReceiptBody, call: Pricer, rules: Rules, db: DatabaseDep
) -> JsonResponse:
    """Apply the rules the receipt's customer (or, without `customer_id`, everyone) can use
    to its items, and answer with the receipt priced: each item's `gross_amount`, net
    `amount`, `discount_lines` and `is_changed`, and the receipt's `discounts` and
    `is_changed`. Nothing is stored and no usage is counted; only items with
    `eligible_for_discount: true` are discounted."""
    async with db.read() as uow:
        return JsonResponse(await rules.available_for_receipt(uow, call, body))
