"""The order update body: order-level details plus status/discount changes per line."""

from typing import Any

import pytest
from pydantic import ValidationError

from shopping.documents import OrderUpdate

pytestmark = pytest.mark.filterwarnings("error")

UPDATE_CASES = [
    pytest.param(
        {"items": [{"status": "picked"}]},
        ("items", 0, "line_id"),
        "missing",
        id="item-without-line_id",
    ),
    pytest.param(
        {"items": [{"line_id": "1"}]}, ("items", 0, "line_id"), "int_type", id="string-line_id"
    ),
    pytest.param({"comment": "x" * 256}, ("comment",), "string_too_long", id="comment-256"),
    pytest.param({"time_to_live": 86399}, ("time_to_live",), "greater_than_equal", id="ttl-86399"),
]


@pytest.mark.parametrize(("payload", "loc", "error_type"), UPDATE_CASES)
def test_order_update_rejects(
    payload: dict[str, Any], loc: tuple[Any, ...], error_type: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        OrderUpdate.model_validate(payload)

    assert [(e["loc"], e["type"]) for e in caught.value.errors()] == [(loc, error_type)]


def test_order_update_echoes_only_what_was_sent() -> None:
    update = {
        "items": [
            {
                "line_id": 1,
                "status": "delivered",
                "discount_lines": [{"amount": 100, "discount_subtype": "campaign"}],
                "original_currency": "SEK",
                "conversion_rate_timestamp": "2023-11-07T05:31:56Z",
                "x_extra": {"kept": True},
            }
        ],
        "courier_id": "c-1",
        "delivery_id": "d-1",
    }

    assert OrderUpdate.model_validate(update).to_document() == update
    assert OrderUpdate.model_validate({}).to_document() == {}
