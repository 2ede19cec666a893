"""Payout rules: read-only list and detail pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import Response

from shopping.auth.scopes import BILLING_READ
from shopping.backoffice.web import (
    PREFIX,
    PageRoute,
    Visitor,
    api_call,
    backoffice_of,
    require,
    visitor_of,
)

router = APIRouter(prefix=f"{PREFIX}/payout-rules", route_class=PageRoute, include_in_schema=False)
SignedIn = Annotated[Visitor, Depends(visitor_of)]
RuleUuid = Annotated[str, Path(min_length=1, max_length=40)]


@router.get("")
async def rule_list(request: Request, visitor: SignedIn) -> Response:
    require(visitor, BILLING_READ, "Reading payout rules")
    state = request.app.state
    include_deleted = request.query_params.get("include_deleted") == "true"
    async with state.db.read() as conn:
        rules = await state.payout_rules.list_rules(
            conn,
            api_call(request, visitor),
            rule_type=None,
            rule_id=None,
            include_deleted=include_deleted,
        )
    return backoffice_of(request).pages.render(
        "payout_rules.html",
        visitor=visitor,
        title="Payout rules",
        section="payout_rules",
        rules=rules,
        include_deleted=include_deleted,
    )


@router.get("/{rule_uuid}")
async def rule_page(rule_uuid: RuleUuid, request: Request, visitor: SignedIn) -> Response:
    require(visitor, BILLING_READ, "Reading payout rules")
    state = request.app.state
    async with state.db.read() as conn:
        rule = await state.payout_rules.get(conn, api_call(request, visitor), rule_uuid)
    return backoffice_of(request).pages.render(
        "payout_rule.html",
        visitor=visitor,
        title=f"Payout rule {rule.get('rule_id') or rule_uuid}",
        section="payout_rules",
        rule=rule,
    )
