"""One example per reward, requirement and limitation kind, and the documented examples."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from shopping.discounts.engine import evaluate
from tests.unit.discounts.support import cart, item, rule

PERCENT_44 = {"type": "discount_percent", "value": 44}


def lines(*args: object, **kwargs: object) -> dict[int, int]:
    return evaluate(*args, **kwargs).per_line()  # type: ignore[arg-type]


# ---- the documented examples ------------------------------------------------------------------
def test_the_reference_example_44_percent_off_item_6() -> None:
    r = rule(PERCENT_44, requirement={"item": {"items": [{"id": "6"}]}})
    result = evaluate(cart(item(2, 10000, id="6", quantity=2)), [r])
    (applied,) = result.applied
    assert applied.parts == ((2, 4400),)
    assert applied.percentage == Decimal(44)


def test_base_net_and_gross_differ_on_an_item_already_discounted() -> None:
    # item 100 with 20 already off: 10 % on net = 8, on gross = 10
    the_cart = cart(item(1, 100, prior=20))
    net = rule({"type": "discount_percent", "value": 10, "base": "net"})
    gross = rule({"type": "discount_percent", "value": 10, "base": "gross"})
    assert lines(the_cart, [net]) == {1: 8}
    assert lines(the_cart, [gross]) == {1: 10}


def test_three_for_two_gives_the_cheapest_unit_free() -> None:
    r = rule(
        {"type": "discount_item_quantity", "value": 1},
        requirement={"item": {"items": [{"group_id": "socks"}], "quantity": 3}},
    )
    the_cart = cart(
        item(1, 300, groups=("socks",), quantity=2),  # 150 a pair
        item(2, 100, groups=("socks",)),
        item(3, 999),
    )
    assert lines(the_cart, [r]) == {2: 100}
    # six socks: two free
    six = cart(item(1, 600, groups=("socks",), quantity=6))
    assert lines(six, [r]) == {1: 200}


# ---- rewards ----------------------------------------------------------------------------------
def test_amount_is_split_over_the_matching_lines_summing_exactly() -> None:
    r = rule({"type": "discount_amount", "value": 100})
    result = evaluate(cart(item(1, 100), item(2, 100), item(3, 100)), [r])
    assert result.per_line() == {1: 34, 2: 33, 3: 33}
    assert result.total == 100


def test_amount_never_exceeds_what_the_items_cost() -> None:
    r = rule({"type": "discount_amount", "value": 10000})
    assert lines(cart(item(1, 300, prior=100)), [r]) == {1: 200}


def test_percent_rounds_the_total_half_even_then_splits_it() -> None:
    r = rule({"type": "discount_percent", "value": 10})
    result = evaluate(cart(item(1, 5), item(2, 5), item(3, 15)), [r])
    # 10 % of 25 = 2.5 -> 2 (half even), split 5:5:15
    assert result.total == 2
    assert sum(result.per_line().values()) == 2


def test_item_new_price_per_unit() -> None:
    r = rule(
        {"type": "discount_item_new_price", "value": 50},
        requirement={"item": {"items": [{"id": "a"}]}},
    )
    assert lines(cart(item(1, 240, id="a", quantity=3), item(2, 100, id="b")), [r]) == {1: 90}


def test_item_new_price_above_the_price_gives_nothing() -> None:
    r = rule({"type": "discount_item_new_price", "value": 500})
    assert lines(cart(item(1, 200)), [r]) == {}


def test_mix_new_price_counts_only_reward_eligible_mixes() -> None:
    r = rule(
        {"type": "discount_mix_new_price", "value": 100},
        requirement={
            "item": {
                "mixes": [
                    {"items": [{"group_id": "burger"}], "quantity": 1, "reward_eligible": True},
                    {"items": [{"group_id": "drink"}], "quantity": 1, "reward_eligible": True},
                    {"items": [{"id": "member-card"}], "quantity": 1},
                ]
            }
        },
    )
    burger = item(1, 120, groups=("burger",))
    drink = item(2, 40, groups=("drink",))
    card = item(3, 10, id="member-card")
    result = evaluate(cart(burger, drink, card), [r])
    assert result.per_line() == {1: 45, 2: 15}  # 160 - 100 = 60, split 120:40
    assert lines(cart(burger, drink), [r]) == {}  # a mix is missing


def test_mix_new_price_per_complete_set_capped_by_reward_usage() -> None:
    mixes = [
        {"items": [{"id": "a"}], "quantity": 1, "reward_eligible": True},
        {"items": [{"id": "b"}], "quantity": 1, "reward_eligible": True},
    ]
    r = rule(
        {"type": "discount_mix_new_price", "value": 10},
        requirement={"item": {"mixes": mixes}},
    )
    the_cart = cart(item(1, 40, id="a", quantity=2), item(2, 40, id="b", quantity=2))
    assert evaluate(the_cart, [r]).total == 60  # two sets of 40 for 10
    capped = rule(
        {"type": "discount_mix_new_price", "value": 10},
        requirement={"item": {"mixes": mixes}},
        limitation={"discount_reward_usage": 1},
    )
    assert evaluate(the_cart, [capped]).total == 30


# ---- requirements -----------------------------------------------------------------------------
def test_purchase_window() -> None:
    early = rule(PERCENT_44, requirement={"purchase_from": "2026-12-05T00:00:00Z"})
    late = rule(PERCENT_44, requirement={"purchase_to": "2026-12-04T12:00:00Z"})  # exclusive
    assert lines(cart(item(1, 100)), [early]) == {}
    assert lines(cart(item(1, 100)), [late]) == {}


def test_items_and_groups_with_a_minimum_quantity() -> None:
    r = rule(
        PERCENT_44,
        requirement={"item": {"items": [{"id": "x"}, {"group_id": "g"}], "quantity": 2}},
    )
    assert lines(cart(item(1, 100, id="x")), [r]) == {}
    assert lines(cart(item(1, 100, id="x"), item(2, 100, groups=("g",))), [r]) == {1: 44, 2: 44}
    assert lines(cart(item(1, 100, id="x", quantity=2), item(2, 100)), [r]) == {1: 44}


def test_any_item() -> None:
    r = rule(PERCENT_44, requirement={"item": {"items": [{"id": "ANY_ITEM"}]}})
    assert lines(cart(item(1, 100), item(2, 100)), [r]) == {1: 44, 2: 44}


def test_minimum_gross_and_net_amounts() -> None:
    gross = rule(PERCENT_44, requirement={"gross_amount": 200})
    net = rule(PERCENT_44, requirement={"net_amount": 200})
    assert lines(cart(item(1, 199)), [gross]) == {}
    assert lines(cart(item(1, 250, prior=100)), [gross]) == {1: 110}  # base gross
    assert lines(cart(item(1, 250, prior=100)), [net]) == {}


def test_currencies_including_anything_but() -> None:
    nok = rule(PERCENT_44, requirement={"currencies": ["NOK"]})
    not_nok = rule(PERCENT_44, requirement={"currencies": [{"anything-but": ["NOK"]}]})
    assert lines(cart(item(1, 100)), [nok]) == {1: 44}
    assert lines(cart(item(1, 100), currency="SEK"), [nok]) == {}
    assert lines(cart(item(1, 100)), [not_nok]) == {}
    assert lines(cart(item(1, 100), currency="SEK"), [not_nok]) == {1: 44}


def test_stores() -> None:
    r = rule(PERCENT_44, requirement={"store_ids": ["s1"]})
    anywhere = rule(PERCENT_44, requirement={"store_ids": ["*"]})
    assert lines(cart(item(1, 100), store_id="s1"), [r]) == {1: 44}
    assert lines(cart(item(1, 100), store_id="s2"), [r]) == {}
    assert lines(cart(item(1, 100)), [r]) == {}
    assert lines(cart(item(1, 100)), [anywhere]) == {1: 44}


def test_discount_code() -> None:
    r = rule(PERCENT_44, requirement={"discount_code": "XMAS"})
    assert lines(cart(item(1, 100)), [r]) == {}
    assert lines(cart(item(1, 100), discount_codes=frozenset({"XMAS"})), [r]) == {1: 44}


def test_customer_attributes() -> None:
    r = rule(
        PERCENT_44,
        requirement={"customer": {"status": ["vip"], "addresses": [{"country": ["NO"]}]}},
    )
    vip = {"status": "vip", "addresses": [{"country": "SE"}, {"country": "NO"}]}
    assert lines(cart(item(1, 100), customer=vip), [r]) == {1: 44}
    assert lines(cart(item(1, 100), customer={**vip, "status": "new"}), [r]) == {}
    assert lines(cart(item(1, 100)), [r]) == {}


# ---- limitations ------------------------------------------------------------------------------
def test_items_not_eligible_for_discount_or_free_get_nothing() -> None:
    r = rule(PERCENT_44)
    assert lines(cart(item(1, 100, eligible=False), item(2, 0), item(3, 100)), [r]) == {3: 44}


def test_reward_usage_caps_the_units_rewarded() -> None:
    r = rule({"type": "discount_percent", "value": 50}, limitation={"discount_reward_usage": 2})
    # the two dearest units: 300 and 200
    assert lines(cart(item(1, 300), item(2, 200), item(3, 100)), [r]) == {1: 150, 2: 100}


def test_repeat_usage_per_customer() -> None:
    r = rule(PERCENT_44, limitation={"discount_repeat_usage": 2})
    assert lines(cart(item(1, 100)), [r], {"r1": 1}) == {1: 44}
    assert lines(cart(item(1, 100)), [r], {"r1": 2}) == {}
    unlimited = rule(PERCENT_44, limitation={"discount_repeat_usage": -1})
    assert lines(cart(item(1, 100)), [unlimited], {"r1": 99}) == {1: 44}


def test_rules_stack_in_order_each_on_what_is_left() -> None:
    first = rule({"type": "discount_amount", "value": 20}, id="a")
    second = rule({"type": "discount_percent", "value": 50, "base": "net"}, id="b")
    result = evaluate(cart(item(1, 100)), [second, first])
    assert [(a.rule.id, a.parts) for a in result.applied] == [("a", ((1, 20),)), ("b", ((1, 40),))]


def test_an_exclusive_rule_wins_only_when_it_gives_more() -> None:
    small = rule({"type": "discount_amount", "value": 10}, id="small")
    big = rule({"type": "discount_amount", "value": 30}, id="big")
    exclusive = rule(
        {"type": "discount_amount", "value": 35},
        id="x",
        limitation={"discount_combination": 0},
    )
    assert [a.rule.id for a in evaluate(cart(item(1, 100)), [small, big, exclusive]).applied] == [
        "big",  # same start and creation: by id
        "small",
    ]
    generous = rule(
        {"type": "discount_amount", "value": 50},
        id="x",
        limitation={"discount_combination": 0},
    )
    assert [a.rule.id for a in evaluate(cart(item(1, 100)), [small, big, generous]).applied] == [
        "x"
    ]


def test_eligible_only_items_without_a_discount() -> None:
    picky = rule(
        PERCENT_44,
        id="b",
        limitation={"discount_eligible": "item_eligible_for_discount_no_discount"},
        created_at="2026-11-02T00:00:00Z",
    )
    the_cart = cart(item(1, 100, id="only-a"), item(2, 100, prior=5))
    first_only_line_1 = rule(
        {"type": "discount_amount", "value": 10},
        id="a",
        requirement={"item": {"items": [{"id": "only-a"}]}},
    )
    assert lines(the_cart, [picky]) == {1: 44}
    assert lines(the_cart, [first_only_line_1, picky]) == {1: 10}


def test_receipt_without_any_discount() -> None:
    r = rule(PERCENT_44, limitation={"discount_eligible": "receipt_no_discount"})
    assert lines(cart(item(1, 100), item(2, 100, prior=1)), [r]) == {}
    assert lines(cart(item(1, 100), item(2, 100)), [r]) == {1: 44, 2: 44}


def test_blacklist() -> None:
    r = rule(PERCENT_44, limitation={"blacklist": [{"group_id": "tobacco"}]})
    assert lines(cart(item(1, 100, groups=("tobacco",)), item(2, 100)), [r]) == {2: 44}


def test_discount_hours_in_the_rules_timezone() -> None:
    # NOW is Friday 12:00 UTC = 13:00 in Oslo
    happy = {"timezone": "Europe/Oslo", "hours": [{"day": "fri", "start": "13:00", "end": "14:00"}]}
    later = {"timezone": "Europe/Oslo", "hours": [{"day": "fri", "start": "15:00", "end": "16:00"}]}
    assert lines(cart(item(1, 100)), [rule(PERCENT_44, limitation={"discount_hours": happy})]) == {
        1: 44
    }
    assert lines(cart(item(1, 100)), [rule(PERCENT_44, limitation={"discount_hours": later})]) == {}
    assert datetime(2026, 12, 4, tzinfo=UTC).weekday() == 4
