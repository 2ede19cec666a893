"""Bodies of the Discounts API: a rule (requirement, reward, limitation) and what refers to
it. Known terms are typed and checked; a term the engine cannot honour is a 400, never
silently ignored (a rule that needed stamps would otherwise be given without them)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

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
    model_config = ConfigDict(extra="forbid")


class ItemRef(Strict):
    id: Text | None = None
    group_id: Text | None = None

    @model_validator(mode="after")
    def _names_something(self) -> ItemRef:
        if self.id is None and self.group_id is None:
            raise ValueError("an item reference needs id or group_id")
        return self


class Mix(Strict):
    items: Annotated[list[ItemRef], Field(min_length=1, max_length=100)]
    quantity: Count = 1
    reward_eligible: bool = False


class ItemRequirement(Strict):
    items: Annotated[list[ItemRef], Field(max_length=1000)] | None = None
    quantity: Count | None = None
    mixes: Annotated[list[Mix], Field(max_length=20)] | None = None


class AnythingBut(Strict):
    anything_but: Annotated[list[Annotated[str, Field(pattern=r"^[A-Z]{3}$")]], Field()] = Field(
        alias="anything-but"
    )


class Requirement(Strict):
    purchase_from: AwareDatetime
    purchase_to: AwareDatetime
    customer: dict[str, Any] | None = None
    item: ItemRequirement | None = None
    store_ids: Annotated[list[Text], Field(max_length=1000)] | None = None
    store: dict[str, Any] | None = None
    gross_amount: Amount | None = None
    net_amount: Amount | None = None
    currencies: list[Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | AnythingBut] | None = None
    discount_code: Text | None = None

    @model_validator(mode="after")
    def _window(self) -> Requirement:
        if self.purchase_from >= self.purchase_to:
            raise ValueError("purchase_from must be before purchase_to")
        return self


class Reward(Strict):
    type: Literal[
        "discount_amount",
        "discount_percent",
        "discount_item_new_price",
        "discount_item_quantity",
        "discount_mix_new_price",
    ]
    value: Annotated[int | float, Field(ge=0, le=2**53 - 1)]
    base: Literal["net", "gross"] | None = None

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
    day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    start: str
    end: str

    @model_validator(mode="after")
    def _clock(self) -> OpeningHours:
        if not CLOCK.fullmatch(self.start) or not CLOCK.fullmatch(self.end):
            raise ValueError("start and end are HH:MM")
        if self.start >= self.end:
            raise ValueError("start must be before end")
        return self


class DiscountHours(Strict):
    timezone: str = "UTC"
    hours: Annotated[list[OpeningHours], Field(max_length=100)] = []

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class Limitation(Strict):
    discount_hours: DiscountHours | None = None
    discount_reward_usage: Limit | None = None
    discount_repeat_usage: Limit | None = None
    discount_combination: Literal[-1, 0] | None = None
    discount_eligible: (
        Literal[
            "item_eligible_for_discount",
            "item_eligible_for_discount_no_discount",
            "receipt_no_discount",
        ]
        | None
    ) = None
    blacklist: Annotated[list[ItemRef], Field(max_length=1000)] | None = None


class Link(BaseModel):
    model_config = ConfigDict(extra="allow")
    href: Annotated[str, Field(min_length=1, max_length=2048)]
    rel: Text | None = None
    type: Text | None = None


class DiscountRuleWrite(Strict):
    """Create (POST) or replace (PUT) a rule."""

    name: Text | None = None
    description: LongText | None = None
    receipt_text: Text | None = None
    campaign_id: Text | None = None
    active: bool = True
    private: bool = False
    visible_from: AwareDatetime | None = None
    requirement: Requirement
    reward: Reward
    limitation: Limitation = Limitation()
    metadata: dict[str, Any] | None = None
    links: Annotated[list[Link], Field(max_length=20)] | None = None

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

    customers: Annotated[list[Text], Field(min_length=1, max_length=1000)]


class ReceiptItem(BaseModel):
    model_config = ConfigDict(extra="allow")
    line_id: Annotated[int, Field(ge=0, le=2**31 - 1)] | str | None = None
    id: Text | None = None
    groups: list[dict[str, Any]] | None = None
    quantity: Annotated[float, Field(ge=0)] | None = None
    gross_amount: Annotated[int, Field(ge=-(2**53), le=2**53 - 1)] | None = None
    amount: Annotated[int, Field(ge=-(2**53), le=2**53 - 1)] | None = None
    eligible_for_discount: bool | None = None
    discount_lines: list[dict[str, Any]] | None = None

    @model_validator(mode="after")
    def _priced(self) -> ReceiptItem:
        if self.gross_amount is None and self.amount is None:
            raise ValueError("an item needs gross_amount (or amount)")
        return self


class Receipt(BaseModel):
    """`POST /discounts/available_for_receipt`: the purchase to price."""

    model_config = ConfigDict(extra="allow")
    receipt_id: Text | None = None
    purchase_at: AwareDatetime | None = None
    customer_id: Text | None = None
    store: dict[str, Any] | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    discount_code: Text | None = None
    items: Annotated[list[ReceiptItem], Field(max_length=1000)]
