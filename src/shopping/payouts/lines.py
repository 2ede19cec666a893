"""Payouts of order items and of payment-operation lines (reference §4, §10.21)."""

from __future__ import annotations

from typing import Any

from shopping.payouts.evaluator import leaf_totals, split_tree

Json = dict[str, Any]


def item_payout(rule: Json, net_amount: int) -> Json:
    """`item.payout`: the rule with an amount on every node of its tree."""
    payout: Json = {k: rule[k] for k in ("rule_id", "rule_type", "rule_version") if k in rule}
    payout["destinations"] = split_tree(rule["destinations"], net_amount)
    return payout


def operation_line_payout(item: Json, amount: int) -> Json | None:
    """An operation line's payout: the line's rule applied to the operation amount,
    flattened to `[{destination, amount}]`. None when the line has no payout rule."""
    payout = item.get("payout")
    if not isinstance(payout, dict) or not payout.get("destinations"):
        return None
    return {
        "rule_id": payout.get("rule_id"),
        "rule_type": payout.get("rule_type"),
        "destinations": leaf_totals(split_tree(payout["destinations"], amount)),
    }
