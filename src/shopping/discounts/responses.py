"""What the Discounts API answers: a rule with its read-only fields, the customers it is
given to, its usages, and a priced receipt. They document the answers only (handlers return
their own JSON), so they accept fields later versions may add."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from shopping.discounts.schemas import (
    ReceiptDiscountLine,
    ReceiptHeader,
    ReceiptItem,
    Reward,
    RuleTerms,
)


class RuleStatistics(BaseModel):
    """How much a rule has been used (`includes=statistics`)."""

    usage: int = Field(description="Purchases the rule was used in.")
    amount: int = Field(description="Total discount given by the rule, in minor units.")
    customers: int = Field(description="Customers who used the rule.")


class DiscountRule(RuleTerms):
    """A discount rule."""

    id: str = Field(description="Read-only: the rule's id (UUID).")
    type: Literal["item", "receipt"] = Field(
        description="Read-only: `item` when the rule has `requirement.item` (it discounts "
        "items), else `receipt`."
    )
    created_at: datetime = Field(description="Read-only: when the rule was created.")
    created_by: str = Field(description="Read-only: the API client that created it.")
    updated_at: datetime = Field(description="Read-only: when the rule was last changed.")
    updated_by: str = Field(description="Read-only: the API client that last changed it.")
    deleted_at: datetime | None = Field(
        None, description="Read-only: when the rule was deleted; absent while it is not."
    )
    deleted_by: str | None = Field(None, description="Read-only: the API client that deleted it.")
    statistics: RuleStatistics | None = Field(
        None, description="Read-only: the rule's use, listed with `includes=statistics` only."
    )


class CustomerRef(BaseModel):
    """A rule given to one customer (or, as `/`, to everyone)."""

    id: str = Field(description="The ref's id (UUID); the cursor of the list.")
    customer_id: str = Field(description="The customer's id; `/` is everyone.")
    created_at: datetime = Field(description="When the rule was given to the customer.")
    created_by: str = Field(description="The API client that gave it.")
    updated_at: datetime = Field(description="When the ref last changed.")
    deleted_at: datetime | None = Field(
        None, description="When the ref was taken back; absent while it is in force."
    )
    deleted_by: str | None = Field(None, description="Who took it back.")


class UsageRef(BaseModel):
    """One purchase a customer used the rule in."""

    ref: str = Field(description="The purchase: the id of the draft order completed with it.")
    ref_type: str = Field(
        description="What kind of purchase `ref` is: `draft_complete` (a completed draft)."
    )
    usage: int = Field(description="Uses counted by this purchase (1).")
    stamp: int = Field(description="Stamps counted (always 0: stamp cards are not supported).")
    amount: int = Field(description="Discount the purchase got from the rule, in minor units.")
    created_at: datetime = Field(description="When the purchase was counted.")
    created_by: str = Field(description="The API client that completed the purchase.")


class UsageStatistics(BaseModel):
    """One customer's use of a rule, in total."""

    usage: int = Field(description="Purchases the customer used the rule in.")
    amount: int = Field(description="Total discount the customer got, in minor units.")
    stamp: int = Field(description="Stamps collected (always 0: stamp cards are not supported).")


class Usage(BaseModel):
    """How one customer has used a rule."""

    id: str = Field(description="The usage record's id (UUID).")
    ref_id: str = Field(description="Id of the customer ref the rule was used under.")
    discount_id: str = Field(description="The rule's id.")
    customer_id: str = Field(description="The customer's id (`/`: purchases without one).")
    create_at: datetime = Field(
        description="When the customer first used the rule (spelt as in Dintero's API)."
    )
    updated_at: datetime = Field(description="When the customer last used it.")
    created_by: str = Field(description="The API client that completed the first purchase.")
    usage_refs: list[UsageRef] = Field(description="Each purchase, oldest first.")
    statistics: UsageStatistics = Field(description="The totals of `usage_refs`.")


class RefItem(BaseModel):
    """The part of a rule's discount on one item."""

    line_id: int = Field(description="The item's position in `items`, from 1.")
    amount: int = Field(description="Discount on the item, in minor units.")


class AppliedRef(BaseModel):
    """The customer ref a rule was applied under, and what it gave."""

    id: str = Field(description="Id of the customer ref.")
    customer_id: str = Field(description="The ref's customer (`/`: everyone).")
    amount: int = Field(description="Discount the rule gives the purchase, in minor units.")
    usage: int = Field(description="Uses the purchase counts once completed (1).")
    items: list[RefItem] = Field(description="The discount per item.")


class AppliedDiscount(BaseModel):
    """A rule the receipt qualified for, and the discount it gives."""

    id: str = Field(description="The rule's id.")
    name: str | None = Field(description="The rule's `name`.")
    receipt_text: str | None = Field(description="The rule's `receipt_text`.")
    type: Literal["item", "receipt"] = Field(description="The rule's `type`.")
    reward: Reward = Field(description="The rule's `reward`.")
    refs: list[AppliedRef] = Field(description="The customer ref it applies under.")


class PricedReceiptItem(ReceiptItem):
    """An item of the receipt as sent, priced."""

    gross_amount: int = Field(
        description="The line's amount before discounts (the `amount` sent when "
        "`gross_amount` was not), in minor units."
    )
    amount: int = Field(
        description="The line's amount after all its `discount_lines`, in minor units."
    )
    discount_lines: list[ReceiptDiscountLine] = Field(
        description="The discounts sent that name none of the account's rules, then those "
        "the rules give now."
    )
    is_changed: bool = Field(description="Whether the account's rules discount this item.")


class PricedReceipt(ReceiptHeader):
    """The receipt as sent, with the discounts the account's rules give it."""

    items: list[PricedReceiptItem] = Field(description="The items, priced, in the order sent.")
    discounts: list[AppliedDiscount] = Field(
        description="Every rule the receipt qualified for, with the discount it gives."
    )
    is_changed: bool = Field(description="Whether any rule discounts the receipt.")
