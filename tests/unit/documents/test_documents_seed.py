"""The full draft example from Dintero's docs validates and echoes back unchanged.

The fixture is the request part (`order`, `options`) of the draft in seed 004. Its `order`
also contains the read-only fields Dintero returns, which must be dropped, not stored.
"""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from shopping.documents import (
    ITEM_READ_ONLY_FIELDS,
    ORDER_READ_ONLY_FIELDS,
    DocumentModel,
    DraftOptions,
    OrderObject,
    OrderUpdate,
    PayoutOptions,
    PayoutRule,
)

pytestmark = pytest.mark.filterwarnings("error")

SEED = Path(__file__).parent / "data" / "seed_draft_order.json"


def load_seed() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SEED.read_text(encoding="utf-8"))
    return data


def without_read_only(order: dict[str, Any]) -> dict[str, Any]:
    """What the stored document should be: the client's order minus server-computed fields."""
    expected = {k: v for k, v in order.items() if k not in ORDER_READ_ONLY_FIELDS}
    expected["items"] = [
        {k: v for k, v in item.items() if k not in ITEM_READ_ONLY_FIELDS} for item in order["items"]
    ]
    return expected


def test_seed_order_dumps_as_sent_minus_read_only_fields() -> None:
    order = load_seed()["order"]

    document = OrderObject.model_validate(order).to_document()

    assert document == without_read_only(order)


def test_seed_order_has_the_read_only_fields_it_should_lose() -> None:
    order = load_seed()["order"]
    assert order.keys() >= ORDER_READ_ONLY_FIELDS
    assert order["items"][0].keys() >= ITEM_READ_ONLY_FIELDS

    model = OrderObject.model_validate(order)

    assert model.model_extra == {}
    assert model.items is not None
    assert model.items[0].model_extra == {}


def test_seed_order_round_trips_through_stored_json() -> None:
    first = OrderObject.model_validate(load_seed()["order"]).to_document()
    stored = json.loads(json.dumps(first))

    assert OrderObject.model_validate(stored).to_document() == first
    assert OrderObject.model_validate_json(json.dumps(stored)).to_document() == first


def test_seed_typed_values() -> None:
    model = OrderObject.model_validate(load_seed()["order"])

    assert model.delivery_at is not None
    assert model.delivery_at.utcoffset() is not None
    assert model.itinerary is not None
    assert model.itinerary[0].tickets is not None
    assert model.itinerary[0].tickets[0].class_ == "<string>"
    assert model.customer is not None
    assert model.customer.company is not None
    assert model.customer.company.bussiness_name == "TKP tech AS"


def test_seed_options_validate_and_echo() -> None:
    options = load_seed()["options"]

    model = DraftOptions.model_validate(options)

    assert isinstance(model.payout, PayoutOptions)
    assert model.to_document() == options


def test_unknown_fields_are_kept_verbatim_at_every_level() -> None:
    order = load_seed()["order"]
    extra_value: dict[str, Any] = {"nested": [1, 2.5, None, True, "x", {"deep": []}]}
    order["x_top"] = extra_value
    order["items"][0]["x_item"] = "kept"
    order["items"][0]["tax_lines"][0]["x_tax"] = 7
    order["customer"]["x_customer"] = [{"a": 1}]
    order["customer"]["company"]["x_company"] = None
    order["itinerary"][0]["tickets"][0]["x_ticket"] = False
    sent = copy.deepcopy(order)

    document = OrderObject.model_validate(order).to_document()

    assert document == without_read_only(sent)
    assert document["x_top"] == extra_value
    assert document["items"][0]["x_item"] == "kept"
    assert document["customer"]["x_customer"] == [{"a": 1}]


def test_nothing_is_injected_into_a_minimal_order() -> None:
    order = {"currency": "NOK", "items": [{"gross_amount": 100, "tax_lines": [{"percentage": 25}]}]}

    assert OrderObject.model_validate(order).to_document() == order


def test_explicit_null_on_an_optional_field_is_echoed() -> None:
    order = {"currency": "NOK", "comment": None, "customer": {"email": None}}

    assert OrderObject.model_validate(order).to_document() == order


def test_class_alias_is_dumped_as_class() -> None:
    order = {"currency": "NOK", "itinerary": [{"tickets": [{"class": "first"}]}]}

    model = OrderObject.model_validate(order)

    assert model.itinerary is not None
    assert model.itinerary[0].tickets is not None
    assert model.itinerary[0].tickets[0].class_ == "first"
    assert model.to_document() == order


@pytest.mark.parametrize("model", [OrderObject, DraftOptions, OrderUpdate, PayoutRule])
def test_json_schema_can_be_generated(model: type[DocumentModel]) -> None:
    for mode in ("validation", "serialization"):
        schema = model.model_json_schema(mode=mode)

        assert schema["type"] == "object"
