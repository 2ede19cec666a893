"""Discount rules: read-only list and detail pages, through the same service calls as the
Discounts API's read routes."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from shopping.auth.scopes import DISCOUNTS_READ
from shopping.backoffice.discount_view import amount_text, reward_text, rule_currency, rule_state
from shopping.backoffice.web import (
    PREFIX,
    PageRoute,
    Visitor,
    api_call,
    backoffice_of,
    require,
    visitor_of,
)
from shopping.discounts.deps import Rules
from shopping.discounts.repository import RuleFilters
from shopping.discounts.states import STATES
from shopping.errors import ValidationFailed

router = APIRouter(
    prefix=f"{PREFIX}/discount-rules", route_class=PageRoute, include_in_schema=False
)
SignedIn = Annotated[Visitor, Depends(visitor_of)]
RuleId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9-]+$")]
Cursor = Annotated[str | None, Query(min_length=1, max_length=40)]
PAGE_SIZE = 25
#: Customers shown on a rule's page; the API pages through the rest.
CUSTOMERS_SHOWN = 100
WHAT = "Reading discount rules"


@router.get("")
async def rule_list(
    request: Request,
    visitor: SignedIn,
    rules: Rules,
    state: Annotated[str, Query()] = "all",
    starting_after: Cursor = None,
) -> Response:
    require(visitor, DISCOUNTS_READ, WHAT)
    if state not in STATES:
        raise ValidationFailed(f"Unknown rule state {state!r}; one of {', '.join(sorted(STATES))}")
    call = api_call(request, visitor)
    async with request.app.state.db.read() as uow:
        found = await rules.list_rules(
            uow,
            call,
            RuleFilters(state, None, None, None),
            starting_after=starting_after,
            limit=PAGE_SIZE + 1,
            statistics=True,
        )
    more, found = len(found) > PAGE_SIZE, found[:PAGE_SIZE]
    kept = [("state", state)] if state != "all" else []
    next_page = f"?{urlencode([*kept, ('starting_after', found[-1]['id'])])}" if more else None
    first_page = f"?{urlencode(kept)}" if starting_after else None
    now = rules.clock()
    return backoffice_of(request).pages.render(
        "discount_rules.html",
        visitor=visitor,
        title="Discount rules",
        section="discount_rules",
        rules=[
            {
                "rule": rule,
                "state": rule_state(rule, now),
                "reward": reward_text(rule),
                "amount": amount_text(
                    (rule.get("statistics") or {}).get("amount", 0), rule_currency(rule)
                ),
            }
            for rule in found
        ],
        state=state,
        states=sorted(STATES),
        next_page=next_page,
        first_page=first_page,
    )


@router.get("/{rule_id}")
async def rule_page(rule_id: RuleId, request: Request, visitor: SignedIn, rules: Rules) -> Response:
    require(visitor, DISCOUNTS_READ, WHAT)
    call = api_call(request, visitor)
    async with request.app.state.db.read() as uow:
        rule = await rules.get(uow, call, rule_id)
        customers = await rules.customer_refs(
            uow, call, rule_id, state="all", starting_after=None, limit=CUSTOMERS_SHOWN + 1
        )
        usages = await rules.usages(uow, call, rule_id)
    currency = rule_currency(rule)
    return backoffice_of(request).pages.render(
        "discount_rule.html",
        visitor=visitor,
        title=f"Discount rule {rule.get('name') or rule_id}",
        section="discount_rules",
        rule=rule,
        state=rule_state(rule, rules.clock()),
        reward=reward_text(rule),
        currency=currency,
        customers=customers[:CUSTOMERS_SHOWN],
        more_customers=len(customers) > CUSTOMERS_SHOWN,
        usages=[
            {**usage, "amount": amount_text(usage["statistics"]["amount"], currency)}
            for usage in usages
        ],
        amount_text=amount_text,
    )
