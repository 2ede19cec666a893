"""The payout split on hand-computed examples (reference §4, decision 21).

The tree is the shape of Dintero's worked example (rule sc029). Its published figures do not
reconcile (§4, note 5), so the expected amounts here are computed by hand with our algorithm:
flats take their value, percentages `floor(level amount × value / 100)`, `remaining_amount` what
its siblings leave, and a level without a remaining node gives its leftover to its last node.
"""

from __future__ import annotations

from typing import Any

import pytest

from shopping.payouts.evaluator import PayoutSplitError, leaf_totals, split_tree

Json = dict[str, Any]


def example_tree() -> list[Json]:
    return [
        {
            "type": "percentage",
            "value": 10,
            "destinations": [
                {"type": "flat_amount", "value": "500", "destination": "account-a"},
                {
                    "type": "remaining_amount",
                    "destinations": [
                        {"type": "percentage", "value": "5.0", "destination": "account-b"}
                    ],
                },
            ],
        },
        {"type": "flat_amount", "value": 500, "destination": "account-a"},
        {
            "type": "remaining_amount",
            "destinations": [
                {"type": "percentage", "value": 5, "destination": "account-b"},
                {"type": "percentage", "value": "95.0", "destination": "account-c"},
            ],
        },
    ]


def amounts(nodes: list[Json]) -> list[Any]:
    """The evaluated tree as nested amounts: a leaf is its amount, a group `(amount, [...])`."""
    return [
        (node["amount"], amounts(node["destinations"]))
        if node.get("destinations")
        else node["amount"]
        for node in nodes
    ]


# base → the amounts of the example tree, worked out by hand:
#   top: pct 10 = floor(base/10); flat 500; remaining = base − both
#   under pct 10 (P): flat 500; remaining P − 500, all to its only child (5 % + leftover)
#   under the top remaining (R): 5 % = floor(R × 5/100); 95 % = floor(R × 95/100) + residue
HAND_COMPUTED = {
    # 43000: pct 4300, remaining 38200; 4300 → 500 + 3800 (190 + 3610 leftover);
    # 38200 → 1910 + 36290 (exact)
    43000: [(4300, [500, (3800, [3800])]), 500, (38200, [1910, 36290])],
    # 40000: the sample's own first-level figures (4000 → 500 + 3500)
    40000: [(4000, [500, (3500, [3500])]), 500, (35500, [1775, 33725])],
    # 10001: 1000.1 → 1000; remaining 8501 → 425 (425.05) + 8075 (8075.95) + 1 residue
    10001: [(1000, [500, (500, [500])]), 500, (8501, [425, 8076])],
    # 5999: 599.9 → 599; 599 → 500 + 99; remaining 4900 → 245 + 4655
    5999: [(599, [500, (99, [99])]), 500, (4900, [245, 4655])],
    # 5000: the first group is exactly its flat, its remaining child gets 0
    5000: [(500, [500, (0, [0])]), 500, (4000, [200, 3800])],
    # 12345: 1234.5 → 1234; 1234 → 500 + 734; remaining 10611 → 530 (530.55) +
    # 10080 (10080.45) + 1 residue
    12345: [(1234, [500, (734, [734])]), 500, (10611, [530, 10081])],
}


@pytest.mark.parametrize("base", sorted(HAND_COMPUTED))
def test_example_tree_hand_computed(base: int) -> None:
    evaluated = split_tree(example_tree(), base)

    assert amounts(evaluated) == HAND_COMPUTED[base]


def test_example_tree_keeps_every_node_field() -> None:
    evaluated = split_tree(example_tree(), 43000)

    def strip(nodes: list[Json]) -> list[Json]:
        out = []
        for node in nodes:
            bare = {k: v for k, v in node.items() if k != "amount"}
            if node.get("destinations"):
                bare["destinations"] = strip(node["destinations"])
            out.append(bare)
        return out

    assert strip(evaluated) == example_tree()


def test_example_tree_leaf_totals_per_destination() -> None:
    evaluated = split_tree(example_tree(), 43000)

    assert leaf_totals(evaluated) == [
        {"destination": "account-a", "amount": 1000},
        {"destination": "account-b", "amount": 5710},
        {"destination": "account-c", "amount": 36290},
    ]


def test_negative_base_mirrors_the_positive_split() -> None:
    assert amounts(split_tree(example_tree(), -43000)) == [
        (-4300, [-500, (-3800, [-3800])]),
        -500,
        (-38200, [-1910, -36290]),
    ]
    assert leaf_totals(split_tree(example_tree(), -10001)) == [
        {"destination": "account-a", "amount": -1000},
        {"destination": "account-b", "amount": -925},
        {"destination": "account-c", "amount": -8076},
    ]


def test_split_does_not_change_its_input() -> None:
    tree = example_tree()
    split_tree(tree, 43000)
    assert tree == example_tree()


@pytest.mark.parametrize("base", [4999, 1000, 0])
def test_example_tree_cannot_split_a_base_its_flats_exceed(base: int) -> None:
    # 4999: the first group gets 499 but its flat needs 500
    with pytest.raises(PayoutSplitError):
        split_tree(example_tree(), base)


# ---- levels -----------------------------------------------------------------------------


def leaf(kind: str, value: Any = None, to: str = "x") -> Json:
    node: Json = {"type": kind, "destination": to}
    if value is not None:
        node["value"] = value
    return node


def test_remaining_node_is_settled_last_whatever_its_position() -> None:
    tree = [
        leaf("remaining_amount", to="rest"),
        leaf("percentage", 30, "p"),
        leaf("flat_amount", 7, "f"),
    ]
    assert [n["amount"] for n in split_tree(tree, 1000)] == [693, 300, 7]


def test_leftover_without_a_remaining_node_goes_to_the_last_node() -> None:
    tree = [leaf("percentage", 33, "a"), leaf("percentage", 33, "b"), leaf("flat_amount", 5, "c")]
    # 33 + 33 + 5 = 71 of 100: the last node takes the 29 left
    assert [n["amount"] for n in split_tree(tree, 100)] == [33, 33, 34]
    # rounding residue: floor(33.33) twice, 5 flat, 26.34 left over
    assert [n["amount"] for n in split_tree(tree, 101)] == [33, 33, 35]


def test_percentages_round_down() -> None:
    tree = [leaf("percentage", "33.3", "a"), leaf("remaining_amount", to="b")]
    assert [n["amount"] for n in split_tree(tree, 999)] == [332, 667]  # 332.667 → 332


def test_fractional_flat_values_round_down() -> None:
    tree = [leaf("flat_amount", "10.9", "a"), leaf("remaining_amount", to="b")]
    assert [n["amount"] for n in split_tree(tree, 100)] == [10, 90]


def test_values_as_numbers_and_strings_agree() -> None:
    as_numbers = [leaf("percentage", 12.5, "a"), leaf("flat_amount", 40, "b")]
    as_text = [leaf("percentage", "12.5", "a"), leaf("flat_amount", "40", "b")]
    # 124.875 → 124; flat 40; the 835 left over goes to the last node
    assert amounts(split_tree(as_numbers, 999)) == amounts(split_tree(as_text, 999)) == [124, 875]


def test_over_allocated_level_is_an_error() -> None:
    with pytest.raises(PayoutSplitError):
        split_tree([leaf("percentage", 60, "a"), leaf("percentage", 50, "b")], 1000)
    with pytest.raises(PayoutSplitError):
        split_tree([leaf("flat_amount", 600, "a"), leaf("flat_amount", 401, "b")], 1000)
    with pytest.raises(PayoutSplitError):
        split_tree([leaf("percentage", 100, "a"), leaf("flat_amount", 1, "b")], 1000)


def test_a_level_that_exactly_fits_is_fine() -> None:
    tree = [
        leaf("percentage", 60, "a"),
        leaf("flat_amount", 400, "b"),
        leaf("remaining_amount", to="c"),
    ]
    assert [n["amount"] for n in split_tree(tree, 1000)] == [600, 400, 0]


def test_over_allocated_nested_level_is_an_error() -> None:
    tree = [
        {"type": "percentage", "value": 1, "destinations": [leaf("flat_amount", 11, "a")]},
        leaf("remaining_amount", to="b"),
    ]
    assert [n["amount"] for n in split_tree(tree, 1100)] == [11, 1089]
    with pytest.raises(PayoutSplitError):
        split_tree(tree, 1099)


def test_two_remaining_nodes_on_one_level_are_an_error() -> None:
    with pytest.raises(PayoutSplitError):
        split_tree([leaf("remaining_amount", to="a"), leaf("remaining_amount", to="b")], 1000)


def test_a_second_remaining_node_in_a_nested_level_is_an_error() -> None:
    tree = [
        {
            "type": "remaining_amount",
            "destinations": [leaf("remaining_amount", to="a"), leaf("remaining_amount", to="b")],
        }
    ]
    with pytest.raises(PayoutSplitError):
        split_tree(tree, 1000)


@pytest.mark.parametrize(
    "node",
    [
        {"type": "percentage", "value": 101, "destination": "a"},
        {"type": "percentage", "value": -1, "destination": "a"},
        {"type": "flat_amount", "value": "abc", "destination": "a"},
        {"type": "flat_amount", "destination": "a"},
        {"type": "percentage", "value": True, "destination": "a"},
        {"type": "bonus", "value": 1, "destination": "a"},
        {"type": "percentage", "value": 10},
        {"type": "percentage", "value": 10, "destinations": []},
        {"type": "percentage", "value": "NaN", "destination": "a"},
    ],
)
def test_malformed_nodes_are_errors(node: Json) -> None:
    with pytest.raises(PayoutSplitError):
        split_tree([node, leaf("remaining_amount", to="rest")], 1000)


def test_an_empty_tree_is_an_error() -> None:
    with pytest.raises(PayoutSplitError):
        split_tree([], 1000)


def test_a_group_node_splits_its_own_amount() -> None:
    tree = [
        {
            "type": "flat_amount",
            "value": 300,
            "destinations": [leaf("percentage", 50, "a"), leaf("percentage", 50, "b")],
        },
        leaf("remaining_amount", to="c"),
    ]
    evaluated = split_tree(tree, 1001)
    assert amounts(evaluated) == [(300, [150, 150]), 701]


# ---- leaf_totals --------------------------------------------------------------------------


def test_leaf_totals_aggregates_per_destination_in_order_of_first_appearance() -> None:
    tree = [
        leaf("flat_amount", 10, "b"),
        {
            "type": "percentage",
            "value": 50,
            "destinations": [leaf("percentage", 50, "a"), leaf("remaining_amount", to="b")],
        },
        leaf("remaining_amount", to="a"),
    ]
    evaluated = split_tree(tree, 1010)
    # b 10; group 505 → a 252, b 253; a 495
    assert amounts(evaluated) == [10, (505, [252, 253]), 495]
    assert leaf_totals(evaluated) == [
        {"destination": "b", "amount": 263},
        {"destination": "a", "amount": 747},
    ]


def test_leaf_totals_keeps_zero_amounts() -> None:
    evaluated = split_tree([leaf("flat_amount", 0, "a"), leaf("remaining_amount", to="b")], 50)
    assert leaf_totals(evaluated) == [
        {"destination": "a", "amount": 0},
        {"destination": "b", "amount": 50},
    ]
