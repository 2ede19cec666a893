"""Draft options: how a draft becomes an order on completion (spec §3.2, §10 decisions 9-13)."""

from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import Discriminator, Tag, model_validator

from .base import DocumentModel, field_error
from .payout_rules import PayoutRule
from .types import Flag, Id40, Text, TimeToLive


class GenerateOrderId(StrEnum):
    """Format of the generated `order.order_id`; `UUID` is the default."""

    UUID = "UUID"
    ALPHANUMERIC_9 = "ALPHANUMERIC_9"
    ALPHANUMERIC_9_RESERVE = "ALPHANUMERIC_9_RESERVE"


class ReplaceMode(StrEnum):
    """What `options.replace` replaces in the existing order named by `options.order_id`."""

    ORDER = "order"


class PayoutOptions(DocumentModel):
    """Payout calculation for the draft's items: inline rules and how to pick one per item."""

    rules: list[PayoutRule] | None = None
    resolve_rule_id: Text | None = None
    resolve_rule_type: Text | None = None


def _payout_kind(value: Any) -> str | None:
    """Pick the payout branch by JSON type, so a bad object reports only its own errors."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict | PayoutOptions):
        return "object"
    return None


Payout = Annotated[
    Annotated[Flag, Tag("boolean")] | Annotated[PayoutOptions, Tag("object")],
    Discriminator(
        _payout_kind,
        custom_error_type="payout_type",
        custom_error_message="Input should be a boolean or a payout options object",
    ),
]
"""The legacy flag (`true` = resolve by `order.items.store.id`) or the options object."""


class DraftOptions(DocumentModel):
    """`draft.options`. `replace` is only meaningful, and only accepted, with `order_id`."""

    order_time_to_live: TimeToLive | None = None
    generate_order_id: GenerateOrderId | None = None
    order_id: Id40 | None = None
    replace: ReplaceMode | None = None
    payout: Payout | None = None
    split_draft: Flag | None = None
    serial_order_number_suffix: Flag | None = None
    multiple_authorizations: Flag | None = None

    @model_validator(mode="after")
    def _replace_needs_order_id(self) -> Self:
        if self.replace is not None and self.order_id is None:
            raise field_error(
                DraftOptions,
                ("replace",),
                "replace_without_order_id",
                "replace is only valid together with order_id",
                self.replace.value,
            )
        return self
