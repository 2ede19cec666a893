"""How routes reach the discount services built by `create_app`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shopping.discounts.service import DiscountRules


def get_discount_rules(request: Request) -> DiscountRules:
    rules: DiscountRules = request.app.state.discount_rules
    return rules


Rules = Annotated[DiscountRules, Depends(get_discount_rules)]
