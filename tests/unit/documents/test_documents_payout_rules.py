"""Structural validation of payout rules and destination trees (spec §4)."""

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from shopping.documents import (
    MAX_DESTINATION_DEPTH,
    Destination,
    DestinationType,
    DraftOptions,
    PayoutRule,
)

pytestmark = pytest.mark.filterwarnings("error")


def leaf(kind: str = "percentage", value: Any = "5", to: str = "account-a") -> dict[str, Any]:
    return {"type": kind, "value": value, "destination": to}


def group(*children: dict[str, Any], kind: str = "remaining_amount") -> dict[str, Any]:
    return {"type": kind, "destinations": list(children)}


def nested(depth: int) -> dict[str, Any]:
    """A chain of `depth` levels ending in a leaf."""
    node = leaf()
    for _ in range(depth - 1):
        node = group(node)
    return node


def rule(*destinations: dict[str, Any]) -> dict[str, Any]:
    return {
        "rule_type": "order.items.store.id",
        "rule_id": "sc029",
        "destinations": list(destinations),
    }


def errors_of(payload: dict[str, Any]) -> list[tuple[Any, str]]:
    with pytest.raises(ValidationError) as caught:
        Destination.model_validate(payload)
    return [(e["loc"], e["type"]) for e in caught.value.errors()]


VALID_TREES = [
    pytest.param(leaf(value=10), id="int-value"),
    pytest.param(leaf(value=5.5), id="float-value"),
    pytest.param(leaf(value="95.0"), id="decimal-string"),
    pytest.param(leaf(value="100"), id="percentage-100"),
    pytest.param(leaf("flat_amount", "500"), id="flat-string"),
    pytest.param(leaf("flat_amount", 0), id="flat-zero"),
    pytest.param(group(leaf(), leaf("flat_amount", 500)), id="remaining-group"),
    pytest.param({"type": "remaining_amount", "destination": "seller"}, id="remaining-leaf"),
    pytest.param(
        {**leaf(value=10), "destinations": [leaf("flat_amount", "500")]}, id="percentage-group"
    ),
    pytest.param(nested(MAX_DESTINATION_DEPTH), id="max-depth"),
]


@pytest.mark.parametrize("tree", VALID_TREES)
def test_valid_trees_echo_unchanged(tree: dict[str, Any]) -> None:
    assert Destination.model_validate(tree).to_document() == tree


INVALID_TREES = [
    pytest.param(
        {"type": "percentage", "destination": "a"},
        ("value",),
        "missing",
        id="percentage-without-value",
    ),
    pytest.param(
        {"type": "flat_amount", "destination": "a"}, ("value",), "missing", id="flat-without-value"
    ),
    pytest.param(leaf(value="150"), ("value",), "less_than_equal", id="percentage-over-100"),
    pytest.param(leaf(value=100.5), ("value",), "less_than_equal", id="float-over-100"),
    pytest.param(leaf(value=-1), ("value",), "greater_than_equal", id="negative-number"),
    pytest.param(leaf(value="-1"), ("value",), "payout_value", id="negative-string"),
    pytest.param(leaf(value="ten"), ("value",), "payout_value", id="non-numeric-string"),
    pytest.param(leaf(value="1e3"), ("value",), "payout_value", id="exponent-string"),
    pytest.param(leaf(value="5\n"), ("value",), "payout_value", id="trailing-newline"),
    pytest.param(leaf(value=True), ("value",), "number_type", id="bool-value"),
    pytest.param(leaf(value=[5]), ("value",), "number_type", id="list-value"),
    pytest.param(
        {"type": "remaining_amount"},
        ("destination",),
        "missing",
        id="remaining-without-children-or-destination",
    ),
    pytest.param(group(), ("destination",), "missing", id="remaining-with-empty-children"),
    pytest.param(
        {"type": "percentage", "value": 5},
        ("destination",),
        "missing",
        id="leaf-without-destination",
    ),
    pytest.param(leaf(kind="fixed"), ("type",), "enum", id="unknown-type"),
    pytest.param({"value": 5, "destination": "a"}, ("type",), "missing", id="missing-type"),
    pytest.param(
        group(leaf(value="101")), ("destinations", 0, "value"), "less_than_equal", id="bad-child"
    ),
    pytest.param(nested(MAX_DESTINATION_DEPTH + 1), (), "destination_depth", id="too-deep"),
]


@pytest.mark.parametrize(("tree", "loc", "error_type"), INVALID_TREES)
def test_invalid_trees_are_rejected(
    tree: dict[str, Any], loc: tuple[Any, ...], error_type: str
) -> None:
    assert errors_of(tree) == [(loc, error_type)]


def test_a_very_deep_tree_is_rejected_without_recursing() -> None:
    assert errors_of(nested(50_000)) == [((), "destination_depth")]


def test_decimal_value_is_exact() -> None:
    assert Destination.model_validate(leaf(value="5.0")).decimal_value == Decimal("5")
    assert Destination.model_validate(leaf(value=0.1)).decimal_value == Decimal("0.1")
    remaining = Destination.model_validate(group(leaf()))
    assert remaining.type is DestinationType.REMAINING_AMOUNT
    assert remaining.decimal_value is None


def test_rule_requires_identity_and_destinations() -> None:
    with pytest.raises(ValidationError) as caught:
        PayoutRule.model_validate({"destinations": []})
    assert {e["loc"]: e["type"] for e in caught.value.errors()} == {
        ("rule_type",): "missing",
        ("rule_id",): "missing",
        ("destinations",): "too_short",
    }


def test_rule_with_seller_commission_tree_is_accepted() -> None:
    payload = {
        **rule(leaf(value=10, to="platform"), group(leaf(value=100, to="seller"))),
        "rule_version": 2,
        "metadata": {"seller": "s-1"},
    }

    assert PayoutRule.model_validate(payload).to_document() == payload


def test_invalid_tree_inside_draft_options_reports_its_path() -> None:
    options = {"payout": {"rules": [rule(group(leaf(value="150")))]}}

    with pytest.raises(ValidationError) as caught:
        DraftOptions.model_validate(options)

    [error] = caught.value.errors()
    assert error["loc"] == (
        "payout",
        "object",
        "rules",
        0,
        "destinations",
        0,
        "destinations",
        0,
        "value",
    )
