"""Which payout rule applies to an item (decisions 13 and 22), and the payouts that rule gives
an item and an operation line. Pure functions; stored rules are tested through the API."""

from __future__ import annotations

from typing import Any

import pytest

from shopping.payouts.evaluator import PayoutSplitError
from shopping.payouts.lines import item_payout, operation_line_payout
from shopping.payouts.resolution import inline_rule, rule_reference, value_at

Json = dict[str, Any]

ITEM = {
    "line_id": 1,
    "id": "sku-7",
    "store": {"id": "S1", "name": "Store 1", "chain": {"id": "C9"}},
    "groups": [{"id": "g"}],
    "net_amount": 1000,
}


def rule(
    rule_id: str = "S1", version: int | None = None, to: str = "seller", **fields: Any
) -> Json:
    out: Json = {
        "rule_type": "order.items.store.id",
        "rule_id": rule_id,
        "destinations": [
            {"type": "percentage", "value": 10, "destination": "platform"},
            {"type": "remaining_amount", "destination": to},
        ],
        **fields,
    }
    if version is not None:
        out["rule_version"] = version
    return out


# ---- rule_reference -------------------------------------------------------------------------


def test_dynamic_payout_wins_over_resolution() -> None:
    item = {**ITEM, "dynamic_payout": {"rule_type": "custom", "rule_id": "R42"}}
    options = {"resolve_rule_id": "order.items.store.id"}
    assert rule_reference(item, options) == ("custom", "R42")
    assert rule_reference(item, True) == ("custom", "R42")
    assert rule_reference(item, None) == ("custom", "R42")


def test_an_incomplete_dynamic_payout_falls_back_to_resolution() -> None:
    item = {**ITEM, "dynamic_payout": {"rule_type": "custom"}}
    assert rule_reference(item, True) == ("order.items.store.id", "S1")
    assert rule_reference(item, None) is None


@pytest.mark.parametrize(
    ("path", "expected_id"),
    [
        ("order.items.store.id", "S1"),
        ("store.id", "S1"),
        ("id", "sku-7"),
        ("order.items.id", "sku-7"),
        ("store.chain.id", "C9"),
        ("line_id", "1"),  # a number becomes its text
    ],
)
def test_resolve_rule_id_is_a_path_into_the_item(path: str, expected_id: str) -> None:
    assert rule_reference(ITEM, {"resolve_rule_id": path}) == (path, expected_id)


def test_resolve_rule_type_names_the_rule_type() -> None:
    options = {"resolve_rule_id": "store.id", "resolve_rule_type": "seller"}
    assert rule_reference(ITEM, options) == ("seller", "S1")


@pytest.mark.parametrize(
    "path", ["store.missing", "missing", "store.id.deeper", "store", "groups", "order.items.nope"]
)
def test_a_path_without_a_plain_value_gives_no_rule(path: str) -> None:
    assert rule_reference(ITEM, {"resolve_rule_id": path}) is None


def test_an_item_without_the_value_gives_no_rule() -> None:
    assert rule_reference({"line_id": 2, "net_amount": 5}, True) is None
    assert rule_reference({**ITEM, "store": None}, {"resolve_rule_id": "store.id"}) is None


def test_legacy_true_means_the_store_id() -> None:
    assert rule_reference(ITEM, True) == ("order.items.store.id", "S1")


@pytest.mark.parametrize("options", [None, False, {}, {"rules": [rule()]}, {"resolve_rule_id": ""}])
def test_nothing_to_resolve_by_gives_no_rule(options: Any) -> None:
    assert rule_reference(ITEM, options) is None


def test_value_at_follows_dotted_paths() -> None:
    assert value_at(ITEM, "order.items.store.chain.id") == "C9"
    assert value_at(ITEM, "store") == ITEM["store"]
    assert value_at(ITEM, "store.nope") is None


# ---- inline rules ---------------------------------------------------------------------------


def test_inline_rule_matches_type_and_id() -> None:
    wanted = rule("S1")
    options = {"rules": [rule("S2"), {**rule("S1"), "rule_type": "other"}, wanted]}
    assert inline_rule(options, "order.items.store.id", "S1") == wanted
    assert inline_rule(options, "order.items.store.id", "S3") is None


def test_the_newest_inline_rule_version_wins() -> None:
    options = {"rules": [rule(version=2, to="v2"), rule(version=3, to="v3"), rule(version=1)]}
    chosen = inline_rule(options, "order.items.store.id", "S1")
    assert chosen is not None
    assert chosen["rule_version"] == 3


def test_a_versioned_inline_rule_beats_an_unversioned_one() -> None:
    options = {"rules": [rule(to="plain"), rule(version=1, to="v1")]}
    chosen = inline_rule(options, "order.items.store.id", "S1")
    assert chosen is not None
    assert chosen["destinations"][1]["destination"] == "v1"


@pytest.mark.parametrize("options", [True, None, {}, {"rules": []}])
def test_no_inline_rules(options: Any) -> None:
    assert inline_rule(options, "order.items.store.id", "S1") is None


# ---- payouts of items and operation lines -----------------------------------------------------


def test_item_payout_is_the_rule_with_amounts() -> None:
    payout = item_payout({**rule(version=4), "metadata": {"x": 1}, "account_id": "T1"}, 1001)
    assert payout == {
        "rule_id": "S1",
        "rule_type": "order.items.store.id",
        "rule_version": 4,
        "destinations": [
            {"type": "percentage", "value": 10, "destination": "platform", "amount": 100},
            {"type": "remaining_amount", "destination": "seller", "amount": 901},
        ],
    }


def test_operation_line_payout_flattens_the_item_rule_over_the_line_amount() -> None:
    item = {**ITEM, "payout": item_payout(rule(), 1000)}
    assert operation_line_payout(item, 555) == {
        "rule_id": "S1",
        "rule_type": "order.items.store.id",
        "destinations": [
            {"destination": "platform", "amount": 55},
            {"destination": "seller", "amount": 500},
        ],
    }
    refund = operation_line_payout(item, -555)
    assert refund is not None
    assert refund["destinations"] == [
        {"destination": "platform", "amount": -55},
        {"destination": "seller", "amount": -500},
    ]


def test_a_line_without_a_rule_has_no_operation_payout() -> None:
    assert operation_line_payout(ITEM, 100) is None
    assert operation_line_payout({**ITEM, "payout": {"rule_id": "x"}}, 100) is None


def test_an_operation_amount_the_rule_cannot_split_is_an_error() -> None:
    flat = {
        "rule_type": "t",
        "rule_id": "r",
        "destinations": [
            {"type": "flat_amount", "value": 300, "destination": "fee"},
            {"type": "remaining_amount", "destination": "seller"},
        ],
    }
    item = {**ITEM, "payout": item_payout(flat, 1000)}
    assert operation_line_payout(item, 300) is not None
    with pytest.raises(PayoutSplitError):
        operation_line_payout(item, 299)
