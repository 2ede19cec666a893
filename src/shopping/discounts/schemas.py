"""Bodies of the Discounts API: a rule (requirement, reward, limitation) and what refers to
it. Known terms are typed and checked; a term the engine cannot honour is a 400, never
silently ignored (a rule that needed stamps would otherwise be given without them)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from shopping.discounts.rewards import ITEM_QUANTITY, MIX_NEW_PRICE, PERCENT

Text = Annotated[str, Field(min_length=1, max_length=255)]
LongText = Annotated[str, Field(max_length=4000)]
Count = Annotated[int, Field(ge=1, le=10**6, strict=True)]
Limit = Annotated[int, Field(ge=-1, le=10**6, strict=True)]
Amount = Annotated[int, Field(ge=0, le=2**53 - 1, strict=True)]
CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d|24:00")
#: Read-only rule fields a client may echo back; they are ignored on write.
READ_ONLY = frozenset(
    {"id", "type", "created_at", "created_by", "updated_at", "updated_by", "deleted_at"}
    | {"deleted_by", "statistics"}
)


class Strict(BaseModel):
    """A part of a rule: unknown terms are refused on write. Rules the API returns make no
    such promise (later versions may add terms), so their schema allows other properties."""

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        if handler.mode == "serialization":
            handler.resolve_ref_schema(schema).pop("additionalProperties", None)
        return schema


class ItemRef(Strict):
    """An item, or a group of items, named by `id` or `group_id` (at least one)."""

    id: Text | None = Field(
        None,
        description="An item id (the receipt item's `id`); `ANY_ITEM` matches every item.",
    )
    group_id: Text | None = Field(
        None, description="A group id: matches items listing it in their `groups[].id`."
    )

    @model_validator(mode="after")
    def _names_something(self) -> ItemRef:
        if self.id is None and self.group_id is None:
            raise ValueError("an item reference needs id or group_id")
        return self


class Mix(Strict):
    """One part of a mix-and-match: the purchase needs `quantity` of these items."""

    items: Annotated[list[ItemRef], Field(min_length=1, max_length=100)] = Field(
        description="Items that count toward this mix (any of them)."
    )
    quantity: Count = Field(1, description="How many of the items the purchase needs.")
    reward_eligible: bool = Field(
        False,
        description="Whether this mix's items are priced by the reward "
        "(`discount_mix_new_price` sets the price of the reward-eligible items).",
    )


class ItemRequirement(Strict):
    """Which items the purchase needs; the rule then rewards those items."""

    items: Annotated[list[ItemRef], Field(max_length=1000)] | None = Field(
        None, description="The purchase needs any of these items."
    )
    quantity: Count | None = Field(
        None, description="The least number of matching items the purchase needs."
    )
    mixes: Annotated[list[Mix], Field(max_length=20)] | None = Field(
        None, description="Mix-and-match: the purchase needs every one of these mixes."
    )


class AnythingBut(Strict):
    """Every currency except those listed."""

    anything_but: Annotated[list[Annotated[str, Field(pattern=r"^[A-Z]{3}$")]], Field()] = Field(
        alias="anything-but", description="Currencies (ISO 4217) the rule does not apply in."
    )


class Requirement(Strict):
    """What a purchase must meet for the rule to apply."""

    purchase_from: AwareDatetime = Field(
        description="Start of the purchase window (RFC 3339, with a time zone)."
    )
    purchase_to: AwareDatetime = Field(
        description="End of the purchase window (RFC 3339, with a time zone), after "
        "`purchase_from`; once the rule is used it may only move later."
    )
    customer: dict[str, Any] | None = Field(
        None,
        description="Customer attribute filters, each listing accepted values (e.g. "
        '`status: ["vip"]`), matched against the purchase\'s `customer`.',
    )
    item: ItemRequirement | None = Field(
        None,
        description="Items the purchase needs; a rule with `item` is given on items "
        "(`type: item`), one without on the receipt (`type: receipt`).",
    )
    store_ids: Annotated[list[Text], Field(max_length=1000)] | None = Field(
        None, description="Stores the purchase must be made in (`*`: any store)."
    )
    store: dict[str, Any] | None = Field(
        None,
        description="Store filters (Dintero's shape); its `id` list adds to `store_ids`, "
        "the other fields are stored and returned as sent.",
    )
    gross_amount: Amount | None = Field(
        None, description="The least gross amount of the purchase, in minor units."
    )
    net_amount: Amount | None = Field(
        None,
        description="The least net amount of the purchase (after discounts it already "
        "carries), in minor units.",
    )
    currencies: list[Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | AnythingBut] | None = Field(
        None,
        description="Currencies (ISO 4217) the purchase may be in, or "
        '`[{"anything-but": [...]}]` for all but some.',
    )
    discount_code: Text | None = Field(
        None,
        description="A code the purchase must carry: the receipt's `discount_code`, one of "
        "a draft's `discount_codes`, or an item whose `id` is the code.",
    )

    @model_validator(mode="after")
    def _window(self) -> Requirement:
        if self.purchase_from >= self.purchase_to:
            raise ValueError("purchase_from must be before purchase_to")
        return self


class Reward(Strict):
    """The discount the rule gives."""

    type: Literal[
        "discount_amount",
        "discount_percent",
        "discount_item_new_price",
        "discount_item_quantity",
        "discount_mix_new_price",
    ] = Field(
        description="How the discount is computed: `discount_amount` takes `value` minor "
        "units off, `discount_percent` `value` % off, `discount_item_new_price` sets each "
        "item's price to `value`, `discount_item_quantity` gives `value` items free, "
        "`discount_mix_new_price` prices the reward-eligible mix items at `value` together."
    )
    value: Annotated[int | float, Field(ge=0, le=2**53 - 1)] = Field(
        description="Percent (0-100, may have decimals) for `discount_percent`; otherwise a "
        "whole number: minor units, or items for `discount_item_quantity`."
    )
    base: Literal["net", "gross"] | None = Field(
        None,
        description="What a percent or amount is taken from: `gross` (the price), or `net` "
        "(the price less discounts the item already has). Default `gross`.",
    )

    @model_validator(mode="after")
    def _value(self) -> Reward:
        if self.type == PERCENT:
            if self.value > 100:
                raise ValueError("a percent reward is at most 100")
        elif not float(self.value).is_integer():
            raise ValueError(f"{self.type} takes a whole number of minor units or items")
        if self.type == ITEM_QUANTITY and self.value < 1:
            raise ValueError("discount_item_quantity gives at least one item")
        return self


class OpeningHours(Strict):
    """Hours of one weekday when the rule applies."""

    day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = Field(
        description="The weekday."
    )
    start: str = Field(description="Start time, `HH:MM` (24-hour clock), in the time zone.")
    end: str = Field(description="End time, `HH:MM` (`24:00` for midnight), after `start`.")

    @model_validator(mode="after")
    def _clock(self) -> OpeningHours:
        if not CLOCK.fullmatch(self.start) or not CLOCK.fullmatch(self.end):
            raise ValueError("start and end are HH:MM")
        if self.start >= self.end:
            raise ValueError("start must be before end")
        return self


class DiscountHours(Strict):
    """When during the week the rule applies."""

    timezone: str = Field(
        "UTC", description="IANA time zone of `hours`, e.g. `Europe/Oslo`. Default `UTC`."
    )
    hours: Annotated[list[OpeningHours], Field(max_length=100)] = Field(
        [], description="The hours the rule applies in; empty: any hour."
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class Limitation(Strict):
    """Limits on when and how often the rule applies."""

    discount_hours: DiscountHours | None = Field(
        None, description="Weekday hours the rule applies in; absent: any time."
    )
    discount_reward_usage: Limit | None = Field(
        None,
        description="The most rewards one purchase gets when several items match (`-1`: no limit).",
    )
    discount_repeat_usage: Limit | None = Field(
        None,
        description="The most purchases one customer may use the rule in (`-1`: no limit).",
    )
    discount_combination: Literal[-1, 0] | None = Field(
        None,
        description="`0`: the rule is exclusive and is not combined with other rules on "
        "the same purchase; `-1`: it combines with any.",
    )
    discount_eligible: (
        Literal[
            "item_eligible_for_discount",
            "item_eligible_for_discount_no_discount",
            "receipt_no_discount",
        ]
        | None
    ) = Field(
        None,
        description="Which items may be discounted: those with `eligible_for_discount`, "
        "only those without a discount already, or only receipts without any discount.",
    )
    blacklist: Annotated[list[ItemRef], Field(max_length=1000)] | None = Field(
        None, description="Items never discounted by the rule."
    )


class RuleLink(BaseModel):
    """A link shown with the rule, e.g. its image or the web shop."""

    model_config = ConfigDict(extra="allow")
    href: Annotated[str, Field(min_length=1, max_length=2048)] = Field(description="The URL.")
    rel: Text | None = Field(
        None,
        description="What the link is: `thumbnail_discount_image`, `medium_discount_image`, "
        "`large_discount_image`, `webshop`, or your own.",
    )
    type: Text | None = Field(None, description="Media type of the target, e.g. `image/png`.")


class RuleTerms(BaseModel):
    """The fields of a rule a client writes, and reads back."""

    name: Text | None = Field(None, description="The rule's name, e.g. `Spar 100,-`.")
    description: LongText | None = Field(None, description="Free text about the rule.")
    receipt_text: Text | None = Field(
        None,
        description="Text shown on the receipt; the `description` of the discount lines "
        "the rule gives (the `name` when absent).",
    )
    campaign_id: Text | None = Field(None, description="The campaign the rule belongs to.")
    active: bool = Field(
        True, description="Whether the rule can be used in purchases (once given to customers)."
    )
    private: bool = Field(False, description="Whether the rule is left out of the public rules.")
    visible_from: AwareDatetime | None = Field(
        None,
        description="From when the public rules show the rule, before `purchase_from`.",
    )
    requirement: Requirement = Field(description="What a purchase must meet.")
    reward: Reward = Field(description="The discount given.")
    limitation: Limitation = Field(
        default_factory=Limitation,
        description="When and how often the rule applies; absent: no limits.",
    )
    metadata: dict[str, Any] | None = Field(
        None,
        description="Free-form key-value data; keys starting `dintero:exclude:public:` are "
        "left out of the public rules.",
    )
    links: Annotated[list[RuleLink], Field(max_length=20)] | None = Field(
        None, description="Links shown with the rule (images, the web shop)."
    )


class DiscountRuleWrite(RuleTerms):
    """Create (POST) or replace (PUT) a rule. Unknown fields are refused; the read-only
    fields of a rule echoed back (`id`, `created_at`, ...) are ignored."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _ignore_read_only(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in READ_ONLY}
        return data

    @model_validator(mode="after")
    def _reward_fits_requirement(self) -> DiscountRuleWrite:
        item = self.requirement.item
        if self.reward.type == ITEM_QUANTITY and (
            item is None or not item.items or (item.quantity or 1) <= self.reward.value
        ):
            raise ValueError(
                "discount_item_quantity needs requirement.item.items and an item.quantity "
                "above the number of free items"
            )
        if self.reward.type == MIX_NEW_PRICE and (item is None or not item.mixes):
            raise ValueError("discount_mix_new_price needs requirement.item.mixes")
        return self

    def to_document(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    @property
    def window(self) -> tuple[datetime, datetime]:
        return self.requirement.purchase_from, self.requirement.purchase_to


class CustomersGive(Strict):
    """`POST /discounts/rules/{id}/customers`: customer ids; `/` is everyone."""

    customers: Annotated[list[Text], Field(min_length=1, max_length=1000)] = Field(
        description="Ids of the customers to give the rule to; `/` gives it to everyone "
        "(purchases without a customer id too)."
    )


class ReceiptDiscountLine(BaseModel):
    """A discount on a receipt item. Lines that name none of the account's rules (manual,
    external, ...) are kept and count as discounts the item already has; lines of the
    account's rules are replaced by the ones this pricing gives."""

    model_config = ConfigDict(extra="allow")
    amount: Annotated[int, Field(ge=-(2**53), le=2**53 - 1)] | None = Field(
        None, description="The discount, in minor units."
    )
    percentage: Annotated[int | float, Field(ge=0, le=100)] | None = Field(
        None, description="The percent taken off, when the discount is a percentage."
    )
    discount_type: Text | None = Field(
        None,
        description="`customer` for lines the account's rules give; also `periodic`, "
        "`manual`, `loyalty`, `total`, `employee`, `external`.",
    )
    discount_id: Text | None = Field(None, description="Id of the rule that gave the discount.")
    description: Text | None = Field(
        None, description="Text for the receipt: the rule's `receipt_text` (or `name`)."
    )
    line_id: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = Field(
        None, description="Number of the discount line within the item, from 1."
    )


class ReceiptItem(BaseModel):
    """An item of the receipt; unknown fields are kept and echoed."""

    model_config = ConfigDict(extra="allow")
    line_id: Annotated[int, Field(ge=0, le=2**31 - 1)] | str | None = Field(
        None, description="The item's line on the receipt, as you number it."
    )
    id: Text | None = Field(
        None, description="The product id, matched against the rules' `requirement.item`."
    )
    groups: list[dict[str, Any]] | None = Field(
        None, description="Product groups (`{id, name}`), matched by the rules' `group_id`s."
    )
    quantity: Annotated[float, Field(ge=0)] | None = Field(
        None, description="How many units the line holds. Default 1."
    )
    gross_amount: Annotated[int, Field(ge=-(2**53), le=2**53 - 1)] | None = Field(
        None,
        description="The line's amount before discounts, in minor units (this or `amount`).",
    )
    amount: Annotated[int, Field(ge=-(2**53), le=2**53 - 1)] | None = Field(
        None,
        description="The line's amount before discounts when `gross_amount` is absent, in "
        "minor units (Dintero's receipts).",
    )
    eligible_for_discount: bool | None = Field(
        None, description="Only items with `true` are discounted. Default `false`."
    )
    discount_lines: list[ReceiptDiscountLine] | None = Field(
        None, description="Discounts the item already has."
    )

    @model_validator(mode="after")
    def _priced(self) -> ReceiptItem:
        if self.gross_amount is None and self.amount is None:
            raise ValueError("an item needs gross_amount (or amount)")
        return self


class ReceiptHeader(BaseModel):
    """The fields of a receipt besides its items; unknown fields are kept and echoed."""

    model_config = ConfigDict(extra="allow")
    receipt_id: Text | None = Field(None, description="Your id of the receipt.")
    purchase_at: AwareDatetime | None = Field(
        None,
        description="When the purchase is made (RFC 3339); rules are chosen for that "
        "moment. Default: now.",
    )
    customer_id: Text | None = Field(
        None,
        description="The customer: the rules given to them apply, and those given to "
        "everyone (`/`). Without it only the rules given to everyone apply.",
    )
    store: dict[str, Any] | None = Field(
        None, description="The store of the purchase; its `id` is matched by `store_ids`."
    )
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = Field(
        description="The currency (ISO 4217), e.g. `NOK`."
    )
    discount_code: Text | None = Field(
        None, description="A discount code the customer gave (see `requirement.discount_code`)."
    )


class Receipt(ReceiptHeader):
    """`POST /discounts/available_for_receipt`: the purchase to price."""

    items: Annotated[list[ReceiptItem], Field(max_length=1000)] = Field(
        description="The items purchased."
    )
