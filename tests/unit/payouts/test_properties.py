"""Properties of the payout split for random destination trees (issue 4, decision 21).

For every valid tree and amount: the leaf amounts sum exactly to the amount, none is negative
for a positive amount, the result is deterministic, the split of `-x` mirrors the split of `x`
(a capture and its full refund), and `leaf_totals` is the per-destination sum of the leaves.

Trees are up to 4 levels deep. `fitting_trees` keep every level's percentages at ≤ 90 % and
come with a base big enough for every level to fit (`need`, a sufficient bound computed from
the tree); `any_trees` have no such limits, so a split may fail, and then only with
`PayoutSplitError`, and always when the top level alone asks for more than the base.
"""

from __future__ import annotations

import copy
import math
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopping.payouts.evaluator import PayoutSplitError, leaf_totals, split_tree

Json = dict[str, Any]

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MAX_DEPTH = 4
PAYEES = st.sampled_from(["platform", "seller", "courier", "charity"])


# ---- strategies ---------------------------------------------------------------------------


def percentage_value(low: int, high: int) -> st.SearchStrategy[Any]:
    """A percentage in [low, high] as Dintero sends them: 10, "10", "5.0", 12.5."""
    tenths = st.integers(low * 10, high * 10)
    return st.one_of(
        st.integers(low, high),
        st.integers(low, high).map(str),
        tenths.map(lambda t: f"{t // 10}.{t % 10}"),
        tenths.map(lambda t: t / 10),
    )


def flat_value(high: int) -> st.SearchStrategy[Any]:
    return st.one_of(st.integers(0, high), st.integers(0, high).map(str))


@st.composite
def level(
    draw: st.DrawFn, depth: int, max_percent: int, max_flat: int, group_min: int
) -> list[Json]:
    """One level of 1–4 nodes, at most one `remaining_amount`, percentages summing to at
    most `max_percent`."""
    size = draw(st.integers(1, 4))
    kinds = draw(
        st.lists(
            st.sampled_from(["percentage", "flat_amount", "remaining_amount"]),
            min_size=size,
            max_size=size,
        )
    )
    if kinds.count("remaining_amount") > 1:
        first = kinds.index("remaining_amount")
        kinds = [
            k if k != "remaining_amount" or i == first else "flat_amount"
            for i, k in enumerate(kinds)
        ]
    budget = max_percent
    nodes = []
    for kind in kinds:
        node: Json = {"type": kind}
        may_nest = depth < MAX_DEPTH and kind != "flat_amount"
        nest = may_nest and draw(st.booleans())
        if kind == "percentage":
            low = min(group_min, budget) if nest else 0
            node["value"] = draw(percentage_value(low, budget))
            budget -= math.ceil(Fraction(str(node["value"])))
            if nest and Fraction(str(node["value"])) < group_min:
                nest = False
        elif kind == "flat_amount":
            node["value"] = draw(flat_value(max_flat))
        if nest:
            node["destinations"] = draw(level(depth + 1, max_percent, max_flat, group_min))
        else:
            node["destination"] = draw(PAYEES)
        nodes.append(node)
    return nodes


def fitting_trees() -> st.SearchStrategy[list[Json]]:
    return level(1, max_percent=90, max_flat=50, group_min=10)


def any_trees() -> st.SearchStrategy[list[Json]]:
    return level(1, max_percent=100, max_flat=5000, group_min=0)


def need(nodes: list[Json]) -> int:
    """A base from which every level of a fitting tree fits (a sufficient bound: larger bases
    only give every node more)."""
    flats = sum(
        (Fraction(str(n["value"])) for n in nodes if n["type"] == "flat_amount"), Fraction(0)
    )
    percent = sum(
        (Fraction(str(n["value"])) for n in nodes if n["type"] == "percentage"), Fraction(0)
    )
    free = 1 - percent / 100  # ≥ 1/10 in a fitting tree
    bounds: list[Fraction] = [flats / free]
    for node in nodes:
        if not node.get("destinations"):
            continue
        below = need(node["destinations"])
        if node["type"] == "percentage":
            bounds.append((below + 1) * 100 / Fraction(str(node["value"])))
        else:  # remaining_amount
            bounds.append((below + flats) / free)
    return math.ceil(max(bounds))


@st.composite
def fitting_cases(draw: st.DrawFn) -> tuple[list[Json], int]:
    tree = draw(fitting_trees())
    low = need(tree)
    return tree, draw(st.integers(low, max(low, 10**9)))


# ---- helpers ------------------------------------------------------------------------------


def leaves(nodes: list[Json]) -> list[Json]:
    out: list[Json] = []
    for node in nodes:
        out += leaves(node["destinations"]) if node.get("destinations") else [node]
    return out


def every_node(nodes: list[Json]) -> list[Json]:
    out: list[Json] = []
    for node in nodes:
        out.append(node)
        out += every_node(node.get("destinations") or [])
    return out


def negated(nodes: list[Json]) -> list[Json]:
    out = []
    for node in nodes:
        flipped = {**node, "amount": -node["amount"]}
        if node.get("destinations"):
            flipped["destinations"] = negated(node["destinations"])
        out.append(flipped)
    return out


def top_level_over_allocated(nodes: list[Json], amount: int) -> bool:
    taken = 0
    for node in nodes:
        value = Decimal(str(node.get("value", 0)))
        if node["type"] == "flat_amount":
            taken += int(value.to_integral_value(rounding=ROUND_FLOOR))
        elif node["type"] == "percentage":
            taken += int((Decimal(amount) * value / 100).to_integral_value(rounding=ROUND_FLOOR))
    return taken > amount


def assert_well_split(tree: list[Json], amount: int, evaluated: list[Json]) -> None:
    assert sum(leaf["amount"] for leaf in leaves(evaluated)) == amount
    assert sum(node["amount"] for node in evaluated) == amount
    for node in every_node(evaluated):
        assert isinstance(node["amount"], int)
        if amount >= 0:
            assert node["amount"] >= 0, node
        if node.get("destinations"):  # every group hands out exactly its own amount
            assert sum(child["amount"] for child in node["destinations"]) == node["amount"]
    totals = leaf_totals(evaluated)
    expected: dict[str, int] = {}
    for leaf in leaves(evaluated):
        expected[leaf["destination"]] = expected.get(leaf["destination"], 0) + leaf["amount"]
    assert totals == [{"destination": d, "amount": a} for d, a in expected.items()]
    assert sum(t["amount"] for t in totals) == amount


# ---- properties ---------------------------------------------------------------------------


@SETTINGS
@given(fitting_cases())
def test_fitting_trees_split_every_amount_exactly(case: tuple[list[Json], int]) -> None:
    tree, amount = case
    original = copy.deepcopy(tree)

    evaluated = split_tree(tree, amount)

    assert tree == original  # the input is not changed
    assert_well_split(tree, amount, evaluated)


@SETTINGS
@given(fitting_cases())
def test_split_is_deterministic(case: tuple[list[Json], int]) -> None:
    tree, amount = case
    first = split_tree(tree, amount)
    assert split_tree(copy.deepcopy(tree), amount) == first
    assert split_tree(tree, amount) == first


@SETTINGS
@given(fitting_cases())
def test_a_refund_mirrors_its_capture(case: tuple[list[Json], int]) -> None:
    tree, amount = case
    capture = split_tree(tree, amount)
    refund = split_tree(tree, -amount)

    assert refund == negated(capture)
    assert_well_split(tree, -amount, refund)
    capture_totals = {t["destination"]: t["amount"] for t in leaf_totals(capture)}
    refund_totals = {t["destination"]: t["amount"] for t in leaf_totals(refund)}
    assert {d: capture_totals[d] + refund_totals[d] for d in capture_totals} == dict.fromkeys(
        capture_totals, 0
    )


@SETTINGS
@given(any_trees(), st.integers(-(10**7), 10**7))
def test_any_tree_splits_exactly_or_refuses(tree: list[Json], amount: int) -> None:
    try:
        evaluated = split_tree(tree, amount)
    except PayoutSplitError:
        # the negative amount fails exactly when the positive one does
        try:
            split_tree(tree, -amount)
        except PayoutSplitError:
            return
        raise AssertionError("the split of -amount succeeded where amount failed") from None
    assert not top_level_over_allocated(tree, abs(amount))
    assert_well_split(tree, amount, evaluated)
    assert split_tree(tree, -amount) == negated(evaluated)


@SETTINGS
@given(any_trees(), st.integers(0, 10**7))
def test_an_over_allocated_top_level_is_refused(tree: list[Json], amount: int) -> None:
    if top_level_over_allocated(tree, amount):
        try:
            split_tree(tree, amount)
        except PayoutSplitError:
            return
        raise AssertionError("an over-allocated level was split")


@SETTINGS
@given(fitting_trees())
def test_need_is_enough_and_a_tree_without_flats_splits_zero(tree: list[Json]) -> None:
    evaluated = split_tree(tree, need(tree))
    assert_well_split(tree, need(tree), evaluated)
    if not any(
        node["type"] == "flat_amount" and Fraction(str(node["value"])) for node in every_node(tree)
    ):
        assert all(node["amount"] == 0 for node in every_node(split_tree(tree, 0)))
