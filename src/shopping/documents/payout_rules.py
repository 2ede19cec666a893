"""Payout rules and their destination trees (spec §4).

Used inline in `draft.options.payout.rules` and, later, by the Billing API's stored rules, so
the structure is checked here once: a tree that passes can always be evaluated by the payout
split without further shape checks (amount-dependent errors remain the evaluator's).
"""

import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import Field, PlainValidator, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from .base import DocumentModel, field_error
from .types import Integer, JsonObject, NumberCheck, Text

MAX_DESTINATION_DEPTH = 8
"""Deepest allowed nesting of destinations (the root level counts as 1)."""

_NUMERIC_TEXT_RE = re.compile(r"[0-9]+(\.[0-9]+)?")
_NON_NEGATIVE = NumberCheck(ge=0)


class DestinationType(StrEnum):
    """How a destination node takes its share of the parent amount."""

    PERCENTAGE = "percentage"
    FLAT_AMOUNT = "flat_amount"
    REMAINING_AMOUNT = "remaining_amount"


def _payout_value(value: Any) -> int | float | str:
    """Dintero's samples mix `10` and `"10"`/`"5.0"`; both are kept exactly as sent."""
    if isinstance(value, str):
        if _NUMERIC_TEXT_RE.fullmatch(value):
            return value
        raise PydanticCustomError(
            "payout_value", "Input should be a non-negative number or numeric string like '5.0'"
        )
    return _NON_NEGATIVE.validate(value)


PayoutValue = Annotated[
    int | float | str,
    PlainValidator(_payout_value),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": f"^{_NUMERIC_TEXT_RE.pattern}$"},
            ]
        }
    ),
]


def _too_deep(node: Any) -> bool:
    """Whether a raw destination tree nests deeper than allowed.

    Checked before validation so a hostile, very deep body never reaches recursive parsing.
    """
    level: list[Any] = [node]
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DESTINATION_DEPTH:
            return True
        level = [
            child
            for parent in level
            if isinstance(parent, dict) and isinstance(parent.get("destinations"), list)
            for child in parent["destinations"]
        ]
    return False


class Destination(DocumentModel):
    """A node of a payout split: a leaf pays `destination`, a group splits among its children.

    `percentage` and `flat_amount` need a `value`; a percentage is at most 100. A node without
    children must name a `destination` (so a `remaining_amount` node has children or a payee).
    """

    type: DestinationType = Field(
        description="How this node takes its share of its parent's amount: `percentage` of "
        "it, a `flat_amount`, or the `remaining_amount` its siblings leave."
    )
    value: PayoutValue | None = Field(
        None,
        description="The percentage (0-100) or the flat amount in minor units; a number or "
        'a numeric string (`10`, `"5.0"`), kept as sent. Required unless `type` is '
        "`remaining_amount`.",
    )
    destination: Text | None = Field(
        None,
        description="The payout destination (e.g. a seller's account id) paid this node's "
        "amount; required on a node without nested `destinations`.",
    )
    destinations: list["Destination"] | None = Field(
        None,
        description="Nested nodes that split this node's amount among themselves "
        f"(at most {MAX_DESTINATION_DEPTH} levels in all).",
    )

    @property
    def decimal_value(self) -> Decimal | None:
        """The value as an exact decimal (`"5.0"` and `5.0` give the same)."""
        return None if self.value is None else Decimal(str(self.value))

    @model_validator(mode="before")
    @classmethod
    def _limit_depth(cls, data: Any) -> Any:
        if _too_deep(data):
            raise PydanticCustomError(
                "destination_depth",
                "Destinations may be nested at most {limit} levels deep",
                {"limit": MAX_DESTINATION_DEPTH},
            )
        return data

    @model_validator(mode="after")
    def _check_shape(self) -> Self:
        value = self.decimal_value
        if self.type is not DestinationType.REMAINING_AMOUNT and value is None:
            message = f"A {self.type.value} destination needs a value"
            raise field_error(Destination, ("value",), "missing", message, None)
        if self.type is DestinationType.PERCENTAGE and value is not None and value > 100:
            raise field_error(
                Destination,
                ("value",),
                "less_than_equal",
                "A percentage is at most 100",
                self.value,
            )
        if not self.destinations and self.destination is None:
            raise field_error(
                Destination,
                ("destination",),
                "missing",
                "A destination without nested destinations must name a destination",
                None,
            )
        return self


class PayoutRule(DocumentModel):
    """A named split of item amounts, selected per item by `rule_type` and `rule_id`."""

    rule_type: Text = Field(
        description="What kind of key `rule_id` is, e.g. `order.items.store.id`; with "
        "`rule_id` it selects the rule for an item."
    )
    rule_id: Text = Field(description="The key of the rule within its type, e.g. a store id.")
    destinations: Annotated[list[Destination], Field(min_length=1)] = Field(
        description="The split: the top-level nodes share the amount being paid out."
    )
    rule_version: Integer | None = Field(
        None, description="The rule's version, from 1; each stored update adds one."
    )
    account_id: Text | None = Field(None, description="The account the rule belongs to.")
    metadata: JsonObject | None = Field(
        None, description="Free-form key-value data kept with the rule."
    )
