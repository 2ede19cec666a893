"""Each kind of invalid input is rejected at the field it concerns.

The error `loc` matters: the API turns it into the `path` of the Dintero error envelope.
"""

from typing import Any

import pytest
from pydantic import ValidationError

from shopping.documents import (
    MAX_ORDER_ITEMS,
    DocumentModel,
    DraftOptions,
    OrderObject,
)


def item(**fields: Any) -> dict[str, Any]:
    """A valid item; keyword arguments override or (with value `...`) remove fields."""
    data: dict[str, Any] = {"gross_amount": 39800, "tax_lines": [{"percentage": 25}]}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not ...}


def order(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"currency": "NOK", "items": [item()]}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not ...}


def rejection(model: type[DocumentModel], payload: dict[str, Any]) -> tuple[Any, str]:
    """The (loc, type) of the single error `payload` must produce."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(payload)
    errors = caught.value.errors()
    assert len(errors) == 1, errors
    return errors[0]["loc"], errors[0]["type"]


ITEM = ("items", 0)
TOO_LONG = "x" * 256
NAIVE = "2023-11-07T05:31:56"

ORDER_CASES = [
    pytest.param(
        order(items=[item(gross_amount=...)]),
        (*ITEM, "gross_amount"),
        "missing",
        id="missing-gross_amount",
    ),
    pytest.param(
        order(items=[item(tax_lines=[])]), (*ITEM, "tax_lines"), "too_short", id="empty-tax_lines"
    ),
    pytest.param(
        order(items=[item(tax_lines=...)]), (*ITEM, "tax_lines"), "missing", id="missing-tax_lines"
    ),
    pytest.param(
        order(items=[item(tax_lines=[{"amount": 5}])]),
        (*ITEM, "tax_lines", 0, "percentage"),
        "missing",
        id="tax-line-no-percentage",
    ),
    pytest.param(
        order(items=[item(gross_amount="100")]),
        (*ITEM, "gross_amount"),
        "int_type",
        id="numeric-string-for-int",
    ),
    pytest.param(
        order(items=[item(gross_amount=1.5)]),
        (*ITEM, "gross_amount"),
        "int_type",
        id="float-for-int",
    ),
    pytest.param(
        order(items=[item(gross_amount=100.0)]),
        (*ITEM, "gross_amount"),
        "int_type",
        id="integral-float-for-int",
    ),
    pytest.param(
        order(items=[item(gross_amount=True)]),
        (*ITEM, "gross_amount"),
        "int_type",
        id="bool-for-int",
    ),
    pytest.param(
        order(items=[item(gross_amount=10**12 + 1)]),
        (*ITEM, "gross_amount"),
        "less_than_equal",
        id="amount-too-large",
    ),
    pytest.param(
        order(items=[item(line_id=-1)]),
        (*ITEM, "line_id"),
        "greater_than_equal",
        id="negative-line_id",
    ),
    pytest.param(
        order(items=[item(quantity="2")]),
        (*ITEM, "quantity"),
        "number_type",
        id="string-for-number",
    ),
    pytest.param(
        order(items=[item(quantity=False)]),
        (*ITEM, "quantity"),
        "number_type",
        id="bool-for-number",
    ),
    pytest.param(
        order(items=[item(status=5)]), (*ITEM, "status"), "string_type", id="number-for-string"
    ),
    pytest.param(order(pre_order="true"), ("pre_order",), "bool_type", id="string-for-bool"),
    pytest.param(order(pre_order=1), ("pre_order",), "bool_type", id="int-for-bool"),
    pytest.param(
        order(currency="nok"), ("currency",), "string_pattern_mismatch", id="bad-currency"
    ),
    pytest.param(order(currency=...), ("currency",), "missing", id="missing-currency"),
    pytest.param(
        order(shipping_address={"country": "Norway"}),
        ("shipping_address", "country"),
        "string_pattern_mismatch",
        id="bad-country",
    ),
    pytest.param(
        order(customer={"phone_number": "99999999"}),
        ("customer", "phone_number"),
        "string_pattern_mismatch",
        id="bad-phone",
    ),
    pytest.param(
        order(customer={"email": "not-an-email"}),
        ("customer", "email"),
        "string_pattern_mismatch",
        id="bad-email",
    ),
    pytest.param(
        order(customer={"date_of_birth": "20.09.1990"}),
        ("customer", "date_of_birth"),
        "date_type",
        id="bad-date",
    ),
    pytest.param(order(comment=TOO_LONG), ("comment",), "string_too_long", id="order-comment-256"),
    pytest.param(
        order(items=[item(comment=TOO_LONG)]),
        (*ITEM, "comment"),
        "string_too_long",
        id="item-comment-256",
    ),
    pytest.param(
        order(time_to_live=86399), ("time_to_live",), "greater_than_equal", id="ttl-86399"
    ),
    pytest.param(
        order(itinerary=[{"travel_mode": "PLANE"}]),
        ("itinerary", 0, "travel_mode"),
        "enum",
        id="unknown-travel_mode",
    ),
    pytest.param(
        order(itinerary=[{"travel_mode": "bus"}]),
        ("itinerary", 0, "travel_mode"),
        "enum",
        id="lowercase-travel_mode",
    ),
    pytest.param(
        order(items=[item(discount_lines=[{"discount_type": "bogus"}])]),
        (*ITEM, "discount_lines", 0, "discount_type"),
        "enum",
        id="unknown-discount_type",
    ),
    pytest.param(
        order(items=[item(discount_lines=[{"percentage": 101}])]),
        (*ITEM, "discount_lines", 0, "percentage"),
        "less_than_equal",
        id="discount-over-100-percent",
    ),
    pytest.param(order(delivery_at=NAIVE), ("delivery_at",), "timezone_aware", id="naive-datetime"),
    pytest.param(
        order(pickup_at=1699335116), ("pickup_at",), "datetime_type", id="timestamp-for-datetime"
    ),
    pytest.param(
        order(items=[item(original_currency="kr")]),
        (*ITEM, "original_currency"),
        "string_pattern_mismatch",
        id="bad-original_currency",
    ),
    pytest.param(
        order(items=[item(conversion_rate_ppm=0)]),
        (*ITEM, "conversion_rate_ppm"),
        "greater_than",
        id="zero-conversion-rate",
    ),
    pytest.param(
        order(order_id="x" * 41), ("order_id",), "string_too_long", id="order_id-41-chars"
    ),
    pytest.param(
        order(items=[item()] * (MAX_ORDER_ITEMS + 1)), ("items",), "too_long", id="too-many-items"
    ),
    pytest.param(order(metadata=[]), ("metadata",), "dict_type", id="metadata-not-object"),
    pytest.param(order(items=None), ("items",), "list_type", id="items-null"),
    pytest.param(order(currency="QQQ"), ("currency",), "currency_code", id="non-iso-currency"),
    pytest.param(
        order(items=[item(original_currency="QQQ")]),
        (*ITEM, "original_currency"),
        "currency_code",
        id="non-iso-original_currency",
    ),
    pytest.param(
        order(items=[item(tax_lines=[{"percentage": 100.5}])]),
        (*ITEM, "tax_lines", 0, "percentage"),
        "less_than_equal",
        id="tax-over-100-percent",
    ),
    pytest.param(
        order(items=[item(tax_lines=[{"percentage": -1}])]),
        (*ITEM, "tax_lines", 0, "percentage"),
        "greater_than_equal",
        id="negative-tax",
    ),
    pytest.param(
        order(items=[item(gross_amount=100, discount_lines=[{"amount": 101}])]),
        (*ITEM, "discount_lines"),
        "discounts_exceed_gross",
        id="discount-over-gross",
    ),
    pytest.param(
        order(items=[item(gross_amount=-100, discount_lines=[{"amount": -101}])]),
        (*ITEM, "discount_lines"),
        "discounts_exceed_gross",
        id="discount-over-reversal-gross",
    ),
]


@pytest.mark.parametrize(("payload", "loc", "error_type"), ORDER_CASES)
def test_order_object_rejects(
    payload: dict[str, Any], loc: tuple[Any, ...], error_type: str
) -> None:
    assert rejection(OrderObject, payload) == (loc, error_type)


def test_boundaries_that_are_accepted() -> None:
    OrderObject.model_validate(
        order(
            comment="x" * 255,
            time_to_live=86400,
            items=[item(gross_amount=-(10**12), quantity=1.5, line_id=0)] * MAX_ORDER_ITEMS,
        )
    )


OPTIONS_CASES = [
    pytest.param(
        {"replace": "order"},
        ("replace",),
        "replace_without_order_id",
        id="replace-without-order_id",
    ),
    pytest.param(
        {"replace": "order", "order_id": None},
        ("replace",),
        "replace_without_order_id",
        id="replace-with-null-order_id",
    ),
    pytest.param(
        {"replace": "draft", "order_id": "o1"}, ("replace",), "enum", id="unknown-replace"
    ),
    pytest.param(
        {"order_time_to_live": 86399},
        ("order_time_to_live",),
        "greater_than_equal",
        id="order_ttl-86399",
    ),
    pytest.param(
        {"generate_order_id": "uuid"},
        ("generate_order_id",),
        "enum",
        id="unknown-generate_order_id",
    ),
    pytest.param(
        {"split_draft": "false"}, ("split_draft",), "bool_type", id="string-for-split_draft"
    ),
    pytest.param({"payout": "yes"}, ("payout",), "payout_type", id="payout-string"),
    pytest.param({"payout": 1}, ("payout",), "payout_type", id="payout-int"),
]


@pytest.mark.parametrize(("payload", "loc", "error_type"), OPTIONS_CASES)
def test_draft_options_reject(
    payload: dict[str, Any], loc: tuple[Any, ...], error_type: str
) -> None:
    assert rejection(DraftOptions, payload) == (loc, error_type)


def test_replace_with_order_id_is_accepted() -> None:
    options = {"replace": "order", "order_id": "A1B2C3D4E"}

    assert DraftOptions.model_validate(options).to_document() == options


@pytest.mark.parametrize("flag", [True, False])
def test_legacy_payout_flag_is_accepted(flag: bool) -> None:
    assert DraftOptions.model_validate({"payout": flag}).to_document() == {"payout": flag}
