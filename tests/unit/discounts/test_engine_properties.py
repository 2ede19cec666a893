"""Invariants of the engine over generated carts and rules."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from shopping.discounts.cart import Cart, CartItem
from shopping.discounts.engine import evaluate
from shopping.discounts.rewards import AMOUNT
from shopping.discounts.rules import Rule, rule_targets
from tests.unit.discounts.support import cart, item, rule

QUANTITIES: st.SearchStrategy[int | str] = st.sampled_from([1, 1, 2, 3, 5, "0.5", "2.5"])
IDS = ["a", "b", "c"]
#: The requirement each generated rule was drawn with (by rule id, for this example).
REQUIREMENTS: dict[str, dict[str, Any]] = {}
GROUPS = ["g", "h"]


@st.composite
def items(draw: st.DrawFn) -> list[CartItem]:
    count = draw(st.integers(1, 6))
    out = []
    for line_id in draw(st.lists(st.integers(1, 50), min_size=count, max_size=count, unique=True)):
        gross = draw(st.integers(-100, 5000))
        out.append(
            item(
                line_id,
                gross,
                id=draw(st.sampled_from(IDS)),
                groups=tuple(draw(st.lists(st.sampled_from(GROUPS), max_size=2))),
                quantity=draw(QUANTITIES),
                prior=draw(st.integers(0, max(gross, 0))),
                eligible=draw(st.booleans()) or draw(st.booleans()),
            )
        )
    return out


refs = st.lists(
    st.one_of(
        st.builds(lambda i: {"id": i}, st.sampled_from([*IDS, "ANY_ITEM"])),
        st.builds(lambda g: {"group_id": g}, st.sampled_from(GROUPS)),
    ),
    min_size=1,
    max_size=2,
)


@st.composite
def rules(draw: st.DrawFn, rule_id: str) -> Rule:
    kind = draw(
        st.sampled_from(
            [
                "discount_amount",
                "discount_percent",
                "discount_item_new_price",
                "discount_item_quantity",
                "discount_mix_new_price",
            ]
        )
    )
    requirement: dict[str, Any] = {}
    reward: dict[str, Any] = {"type": kind, "base": draw(st.sampled_from(["gross", "net"]))}
    if kind == "discount_percent":
        reward["value"] = draw(st.sampled_from([0, 5, 10, 12.5, 33, 50, 100]))
    elif kind == "discount_item_quantity":
        reward["value"] = draw(st.integers(1, 2))
        requirement["item"] = {"items": draw(refs), "quantity": reward["value"] + 1}
    else:
        reward["value"] = draw(st.integers(0, 3000))
    if kind == "discount_mix_new_price":
        mixes = [
            {"items": draw(refs), "quantity": draw(st.integers(1, 2)), "reward_eligible": e}
            for e in draw(st.lists(st.booleans(), min_size=1, max_size=2))
        ]
        requirement["item"] = {"mixes": mixes}
    elif "item" not in requirement and draw(st.booleans()):
        requirement["item"] = {"items": draw(refs), "quantity": draw(st.integers(1, 3))}
    limitation = {
        "discount_combination": draw(st.sampled_from([-1, -1, 0])),
        "discount_reward_usage": draw(st.sampled_from([-1, -1, 1, 2])),
        "discount_eligible": draw(
            st.sampled_from(
                [
                    "item_eligible_for_discount",
                    "item_eligible_for_discount_no_discount",
                    "receipt_no_discount",
                ]
            )
        ),
    }
    created = draw(st.sampled_from(["2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"]))
    REQUIREMENTS[rule_id] = requirement
    return rule(
        reward, id=rule_id, requirement=requirement, limitation=limitation, created_at=created
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Cart, list[Rule]]:
    count = draw(st.integers(1, 4))
    return cart(*draw(items())), [draw(rules(f"r{n}")) for n in range(count)]


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_discounts_never_exceed_a_line_nor_make_its_net_negative(
    scenario: tuple[Cart, list[Rule]],
) -> None:
    the_cart, the_rules = scenario
    per_line = evaluate(the_cart, the_rules).per_line()
    for cart_item in the_cart.items:
        given_here = per_line.get(cart_item.line_id, 0)
        assert given_here >= 0
        if given_here:  # only a line that had something left, and never below zero
            assert cart_item.eligible_for_discount
            assert cart_item.gross_amount > 0
            assert cart_item.net_amount - given_here >= 0


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_items_or_rules(
    scenario: tuple[Cart, list[Rule]], rnd: Any
) -> None:
    the_cart, the_rules = scenario
    shuffled_items = list(the_cart.items)
    rnd.shuffle(shuffled_items)
    shuffled_rules = list(the_rules)
    rnd.shuffle(shuffled_rules)
    other = Cart(items=tuple(shuffled_items), currency=the_cart.currency, at=the_cart.at)
    first, second = evaluate(the_cart, the_rules), evaluate(other, shuffled_rules)
    assert [(a.rule.id, a.parts) for a in first.applied] == [
        (a.rule.id, a.parts) for a in second.applied
    ]


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_exclusive_rules_never_stack(scenario: tuple[Cart, list[Rule]]) -> None:
    the_cart, the_rules = scenario
    applied = evaluate(the_cart, the_rules).applied
    if any(a.rule.exclusive for a in applied):
        assert len(applied) == 1


@settings(max_examples=300, deadline=None)
@given(items(), st.integers(0, 20000))
def test_an_amount_is_split_into_parts_that_sum_exactly_to_the_reward(
    cart_items: list[CartItem], value: int
) -> None:
    the_cart = cart(*cart_items)
    (r,) = [rule({"type": AMOUNT, "value": value})]
    result = evaluate(the_cart, [r])
    room = sum(
        max(0, i.net_amount) for i in cart_items if i.eligible_for_discount and i.gross_amount > 0
    )
    assert result.total == min(value, room)
    for applied in result.applied:
        assert sum(amount for _, amount in applied.parts) == applied.amount


@settings(max_examples=200, deadline=None)
@given(items(), st.sampled_from([1, 10, 25, 33, 50, 99, 100]))
def test_a_percent_reward_is_the_rounded_share_of_its_lines(
    cart_items: list[CartItem], percent: int
) -> None:
    the_cart = cart(*cart_items)
    result = evaluate(the_cart, [rule({"type": "discount_percent", "value": percent})])
    base = sum(i.gross_amount for i in cart_items if i.eligible_for_discount and i.gross_amount > 0)
    exact = percent * base / 100
    assert abs(result.total - exact) <= 0.5 or any(i.prior_discount for i in cart_items)


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_looking_rules_up_by_the_carts_targets_leaves_out_none_that_apply(
    scenario: tuple[Cart, list[Rule]],
) -> None:
    the_cart, the_rules = scenario
    targets = set(the_cart.targets())
    looked_up = [r for r in the_rules if rule_targets(REQUIREMENTS[r.id]) & targets]
    assert evaluate(the_cart, looked_up) == evaluate(the_cart, the_rules)
