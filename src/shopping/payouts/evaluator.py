"""Split an amount over a payout destination tree (reference §4, decision §10.21).

Pure and dependency-free. At every level of the tree:

1. `flat_amount` nodes take their value;
2. `percentage` nodes take `floor(level amount × value / 100)`;
3. a `remaining_amount` node takes what its siblings leave;
4. any leftover at a level without a `remaining_amount` node (rounding residue, or shares
   that do not add up to 100 %) goes to the last node listed there;
5. a node with children splits its own amount among them the same way.

So the leaf amounts always sum exactly to the base. A level whose flats and percentages need
more than its amount is an error. A negative base (a refund of a reversal line, say) is split
on its absolute value and the results re-signed, so a capture and its full refund mirror
each other exactly.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import Any

Json = dict[str, Any]

PERCENTAGE, FLAT_AMOUNT, REMAINING_AMOUNT = "percentage", "flat_amount", "remaining_amount"


class PayoutSplitError(ValueError):
    """The tree cannot split this amount (over-allocated level, malformed node)."""


def split_tree(destinations: list[Json], amount: int) -> list[Json]:
    """The tree with an `amount` on every node; leaf amounts sum to `amount`."""
    sign = -1 if amount < 0 else 1
    nodes = _split_level(destinations, abs(amount))
    return _resign(nodes, sign) if sign < 0 else nodes


def leaf_totals(evaluated: list[Json]) -> list[Json]:
    """`[{destination, amount}]` per payee, in order of first appearance (the flattened form
    payment-operation lines carry)."""
    totals: dict[str, int] = {}
    for leaf in _leaves(evaluated):
        totals[leaf["destination"]] = totals.get(leaf["destination"], 0) + leaf["amount"]
    return [{"destination": payee, "amount": amount} for payee, amount in totals.items()]


def _split_level(nodes: list[Json], amount: int) -> list[Json]:
    if not nodes:
        raise PayoutSplitError("a destination level is empty")
    remaining_nodes = [i for i, node in enumerate(nodes) if node.get("type") == REMAINING_AMOUNT]
    if len(remaining_nodes) > 1:
        raise PayoutSplitError("a level may have at most one remaining_amount destination")
    shares = [_fixed_share(node, amount) for node in nodes]
    taken = sum(share for share in shares if share is not None)
    if taken > amount:
        raise PayoutSplitError(f"destinations need {taken} but only {amount} is available")
    leftover = amount - taken
    target = remaining_nodes[0] if remaining_nodes else len(nodes) - 1
    amounts = [share or 0 for share in shares]
    amounts[target] += leftover
    return [_evaluated(node, share) for node, share in zip(nodes, amounts, strict=True)]


def _fixed_share(node: Json, amount: int) -> int | None:
    kind = node.get("type")
    if kind == REMAINING_AMOUNT:
        return None
    value = _decimal(node.get("value"))
    if kind == FLAT_AMOUNT:
        return int(value.to_integral_value(rounding=ROUND_FLOOR))
    if kind == PERCENTAGE:
        if value > 100:
            raise PayoutSplitError("a percentage is at most 100")
        return int((Decimal(amount) * value / 100).to_integral_value(rounding=ROUND_FLOOR))
    raise PayoutSplitError(f"unknown destination type {kind!r}")


def _evaluated(node: Json, amount: int) -> Json:
    children = node.get("destinations")
    out = {**node, "amount": amount}
    if children:
        out["destinations"] = _split_level(children, amount)
    elif not node.get("destination"):
        raise PayoutSplitError("a destination without children needs a `destination`")
    return out


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise PayoutSplitError("percentage and flat_amount destinations need a numeric value")
    try:
        number = Decimal(str(value))
    except ArithmeticError as exc:
        raise PayoutSplitError(f"{value!r} is not a number") from exc
    if not number.is_finite() or number < 0:
        raise PayoutSplitError(f"{value!r} is not a non-negative number")
    return number


def _resign(nodes: list[Json], sign: int) -> list[Json]:
    out = []
    for node in nodes:
        signed = {**node, "amount": sign * node["amount"]}
        if node.get("destinations"):
            signed["destinations"] = _resign(node["destinations"], sign)
        out.append(signed)
    return out


def _leaves(nodes: list[Json]) -> list[Json]:
    leaves: list[Json] = []
    for node in nodes:
        if node.get("destinations"):
            leaves += _leaves(node["destinations"])
        else:
            leaves.append(node)
    return leaves
