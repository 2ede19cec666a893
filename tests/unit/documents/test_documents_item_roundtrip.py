"""Property: any valid item survives dump -> store as JSON -> validate -> dump unchanged."""

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopping.documents import OrderItem, discounts_fit
from shopping.documents.currencies import ISO_4217_CODES

pytestmark = pytest.mark.filterwarnings("error")

MAX_AMOUNT = 10**12
MAX_SAFE = 2**53 - 1

texts = st.text(max_size=12)
amounts = st.integers(-MAX_AMOUNT, MAX_AMOUNT)
line_ids = st.integers(0, 2**31 - 1)
flags = st.booleans()
finite_floats = st.floats(allow_nan=False, allow_infinity=False)
numbers = st.integers(-MAX_SAFE, MAX_SAFE) | finite_floats
non_negative = st.integers(0, MAX_SAFE) | st.floats(min_value=0, allow_infinity=False)
percentages = st.integers(0, 100) | st.floats(min_value=0, max_value=100)
decimals = st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str)
offsets = st.sampled_from(
    [UTC, timezone(timedelta(hours=2)), timezone(-timedelta(hours=5, minutes=30))]
)
datetimes = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=offsets
).map(datetime.isoformat)
json_values = st.recursive(
    st.none() | flags | st.integers(-MAX_SAFE, MAX_SAFE) | finite_floats | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
extras = st.dictionaries(texts.map(lambda key: f"x_{key}"), json_values, max_size=3)


def objects(required: dict[str, Any], optional: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A JSON object with the given keys, some optional, plus unknown extra keys."""
    known = st.fixed_dictionaries(required, optional=optional)
    return st.tuples(known, extras).map(lambda parts: {**parts[1], **parts[0]})


groups = objects({}, {"id": texts, "name": texts})
tax_lines = objects(
    {"percentage": percentages},
    {
        "amount": amounts,
        "amount_dwh": decimals,
        "exempt": flags,
        "included_in_price": flags,
        "tax_basis": amounts,
        "tax_basis_dwh": decimals,
        "tax_code": texts,
        "tax_group": texts,
    },
)
discount_lines = objects(
    {},
    {
        "amount": st.integers(-MAX_AMOUNT // 2, MAX_AMOUNT // 2),  # two of them fit one line
        "percentage": percentages,
        "discount_type": st.sampled_from(
            ["customer", "periodic", "manual", "loyalty", "total", "employee", "external"]
        ),
        "discount_subtype": texts,
        "discount_id": texts,
        "description": texts,
        "line_id": line_ids,
    },
)
additions = objects(
    {},
    {
        "id": texts,
        "description": texts,
        "quantity": st.integers(-1000, 1000),
        "gross_amount": amounts,
        "groups": st.lists(groups, max_size=2),
    },
)
items = objects(
    {"gross_amount": amounts, "tax_lines": st.lists(tax_lines, min_size=1, max_size=3)},
    {
        "id": texts,
        "line_id": line_ids,
        "quantity": numbers,
        "status": texts,
        "metadata": st.dictionaries(texts, json_values, max_size=3),
        "groups": st.lists(groups, max_size=2),
        "description": texts,
        "description_alias": texts,
        "eligible_for_discount": flags,
        "dimension": objects({}, {"color": texts, "size": texts, "variant": texts}),
        "discount_lines": st.lists(discount_lines, max_size=2),
        "additions": st.lists(additions, max_size=2),
        "store": objects({}, {"id": texts, "name": texts, "comment": texts}),
        "external_id": texts,
        "related_item": objects({}, {"line_id": line_ids, "type": texts}),
        "comment": st.text(max_size=255),
        "reversed_reason": texts,
        "dynamic_payout": objects({}, {"rule_type": texts, "rule_id": texts}),
        "original_currency": st.sampled_from(sorted(ISO_4217_CODES)),
        "original_gross_amount": amounts,
        "conversion_rate_ppm": st.integers(1, MAX_SAFE),
        "conversion_rate_timestamp": datetimes,
        "conversion_rate_source": texts,
    },
)


def with_discounts_that_fit(item: dict[str, Any]) -> dict[str, Any]:
    """Discounts may not turn a line into its opposite: where they would, the gross is set to
    their total (a net of zero)."""
    total = sum(line.get("amount", 0) for line in item.get("discount_lines", ()))
    if discounts_fit(item["gross_amount"], total):
        return item
    return {**item, "gross_amount": total}


items = items.map(with_discounts_that_fit)


@settings(max_examples=200, deadline=None)
@given(items)
def test_item_dump_is_stable_and_adds_nothing(item: dict[str, Any]) -> None:
    first = OrderItem.model_validate(item).to_document()
    stored = json.dumps(first)

    assert OrderItem.model_validate(json.loads(stored)).to_document() == first
    assert OrderItem.model_validate_json(stored).to_document() == first
    assert first.keys() == item.keys()
    for key, value in item.items():
        if key.startswith("x_"):
            assert first[key] == value
