"""Draft options: how a draft becomes an order on completion (spec §3.2, §10 decisions 9-13)."""

from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import Discriminator, Field, Tag, model_validator

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

    rules: list[PayoutRule] | None = Field(
        None, description="Payout rules for this draft, consulted before the stored ones"
    )
    resolve_rule_id: Text | None = Field(
        None,
        description="Path into an item whose value is the rule id, e.g. `order.items.store.id`",
    )
    resolve_rule_type: Text | None = Field(
        None, description="The type of rule to pick, e.g. `order.items.store.id`"
    )


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

    order_time_to_live: TimeToLive | None = Field(
        None,
        description="Seconds (at least 86400) the created order lives after its last change; "
        "copied to `order.time_to_live`",
    )
    generate_order_id: GenerateOrderId | None = Field(
        None,
        description="Format of the generated `order_id`: `UUID` (default), `ALPHANUMERIC_9`, "
        "or `ALPHANUMERIC_9_RESERVE`, which also sets `order.order_id` on the draft at once",
    )
    order_id: Id40 | None = Field(
        None, description="An existing order this draft is merged into on completion"
    )
    replace: ReplaceMode | None = Field(
        None,
        description="With `order_id`: `order` replaces that order's content on completion "
        "(only while it has no payment operations)",
    )
    payout: Payout | None = Field(
        None,
        description="Compute payout splits for the items: the options object, or `true` to "
        "resolve the rule by `order.items.store.id`",
    )
    split_draft: Flag | None = Field(
        None,
        description="Make one order per item store on completion; a custom `order.order_id` "
        "needs `false`",
    )
    serial_order_number_suffix: Flag | None = Field(
        None, description="Add a running suffix to the `order_number` of each created order"
    )
    multiple_authorizations: Flag | None = Field(
        None,
        description="Allow several authorizations of the same items; captures, refunds and "
        "cancellations then need an `authorization_id`",
    )

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
