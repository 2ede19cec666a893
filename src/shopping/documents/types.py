"""Reusable scalar types for Dintero order documents.

Clients send JSON, and the mirror must not "helpfully" coerce what Dintero would reject: an
integer field takes only a JSON integer (no `true`, `1.5` or `"100"`), a string field only a
string, a boolean only `true`/`false`. Date-times are the one place where a string is parsed,
because JSON has no date type; they must carry a time zone.
"""

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    Strict,
    StrictBool,
    StrictStr,
    StringConstraints,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from .currencies import ISO_4217_CODES

MAX_AMOUNT = 10**12
"""Largest absolute money amount in minor units; far above any real order, far below overflow."""

MAX_SAFE_INTEGER = 2**53 - 1
"""Largest integer every JSON consumer (JavaScript included) reads back exactly."""

MAX_LINE_ID = 2**31 - 1
MIN_TIME_TO_LIVE = 86_400
MAX_TIME_TO_LIVE = 10**10
"""About 317 years: keeps `updated_at + time_to_live` inside the representable date range."""

_DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

Text = StrictStr
Flag = StrictBool
JsonObject = dict[str, Any]

Comment = Annotated[str, StringConstraints(strict=True, max_length=255)]
Id40 = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=40)]
CustomerId = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=255)]


def _iso_4217(value: str) -> str:
    if value not in ISO_4217_CODES:
        raise PydanticCustomError("currency_code", "Input should be an ISO 4217 currency code")
    return value


CurrencyCode = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[A-Z]{3}$"),
    AfterValidator(_iso_4217),
    Field(description="An ISO 4217 currency code, e.g. NOK"),
]
CountryCode = Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Z]{2}$")]
PhoneNumber = Annotated[str, StringConstraints(strict=True, pattern=r"^\+[1-9][0-9]{1,14}$")]
Email = Annotated[
    str, StringConstraints(strict=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]
DecimalString = Annotated[str, StringConstraints(strict=True, pattern=r"^-?[0-9]+(\.[0-9]+)?$")]
"""An exact decimal carried as text, e.g. the tax line's `amount_dwh` "5584.0440"."""

Integer = Annotated[int, Strict(), Field(ge=-MAX_SAFE_INTEGER, le=MAX_SAFE_INTEGER)]
Amount = Annotated[int, Strict(), Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT)]
"""Money in the currency's smallest unit; negative for reversal lines."""
LineId = Annotated[int, Strict(), Field(ge=0, le=MAX_LINE_ID)]
_DIGITS = re.compile(r"[0-9]{1,10}")


def _digits_only(value: Any) -> Any:
    """`int()` reads `1.0`, `+1`, ` 1` and `1_0` too; none of them names a line."""
    if isinstance(value, str) and not _DIGITS.fullmatch(value):
        raise PydanticCustomError("line_id_digits", "Input should be a line id written in digits")
    return value


LineIdPath = Annotated[int, Field(ge=0, le=MAX_LINE_ID), BeforeValidator(_digits_only)]
"""A line id in a URL path (`/items/{line_id}`): digits only, parsed as an integer."""
TimeToLive = Annotated[int, Strict(), Field(ge=MIN_TIME_TO_LIVE, le=MAX_TIME_TO_LIVE)]
RatePpm = Annotated[int, Strict(), Field(gt=0, le=MAX_SAFE_INTEGER)]
"""A conversion rate in parts per million (1 099 000 = 1.099)."""


@dataclass(frozen=True, slots=True)
class NumberCheck:
    """Validate a JSON number (integer or finite float, never bool or string) within a range.

    A union of `StrictInt | StrictFloat` reports two errors for one bad value; this reports one,
    and it keeps an integer an integer so `25` is echoed as `25`, not `25.0`.
    """

    ge: float | None = None
    le: float | None = None

    def validate(self, value: Any) -> int | float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PydanticCustomError("number_type", "Input should be a number")
        if isinstance(value, float) and not math.isfinite(value):
            raise PydanticCustomError("finite_number", "Input should be a finite number")
        if isinstance(value, int) and abs(value) > MAX_SAFE_INTEGER:
            raise PydanticCustomError(
                "number_too_large",
                "Input should be at most {limit} in magnitude",
                {"limit": MAX_SAFE_INTEGER},
            )
        if self.ge is not None and value < self.ge:
            raise PydanticCustomError(
                "greater_than_equal",
                "Input should be greater than or equal to {ge}",
                {"ge": self.ge},
            )
        if self.le is not None and value > self.le:
            raise PydanticCustomError(
                "less_than_equal", "Input should be less than or equal to {le}", {"le": self.le}
            )
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(self.validate)

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema: JsonSchemaValue = {"type": "number"}
        if self.ge is not None:
            json_schema["minimum"] = self.ge
        if self.le is not None:
            json_schema["maximum"] = self.le
        return json_schema


Number = Annotated[int | float, NumberCheck()]
NonNegativeNumber = Annotated[int | float, NumberCheck(ge=0)]
Percentage = Annotated[int | float, NumberCheck(ge=0, le=100)]


def _datetime_input(value: Any) -> Any:
    """Refuse numbers (pydantic would read them as Unix timestamps) and other non-strings."""
    if isinstance(value, str | datetime):
        return value
    raise PydanticCustomError("datetime_type", "Input should be an ISO 8601 date-time string")


def _date_input(value: Any) -> Any:
    """Accept only `YYYY-MM-DD` (or a `date`), not timestamps or date-times."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE_PATTERN.fullmatch(value):
        return value
    raise PydanticCustomError("date_type", "Input should be a date string YYYY-MM-DD")


DateTime = Annotated[AwareDatetime, BeforeValidator(_datetime_input)]
"""A date-time with an explicit offset; dumped as ISO 8601 (UTC as `Z`)."""
Date = Annotated[date, BeforeValidator(_date_input)]


#: an RFC 3339 date-time in UTC, as every answer writes it (for response models)
Moment = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
