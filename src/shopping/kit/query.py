"""Query-string filters read in one pass.

List endpoints take many optional filters. Declaring each as a FastAPI parameter costs a
validation round per parameter on every request, most of them absent; here one dependency
reads the query string once and checks only what is there. The parameters still appear in the
OpenAPI document, through `openapi_parameters`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from starlette.datastructures import QueryParams

from shopping.errors import ValidationFailed
from shopping.kit.pagination import day_end, day_start, multi_value

Kind = Literal["list", "text", "integer", "date"]
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTEGER = re.compile(r"-?[0-9]{1,19}")


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    kind: Kind
    description: str
    enum: tuple[str, ...] = ()

    def openapi(self) -> dict[str, Any]:
        schema: dict[str, Any]
        if self.kind == "list":
            item: dict[str, Any] = {"type": "string"}
            if self.enum:
                item["enum"] = list(self.enum)
            schema = {"type": "array", "items": item}
        elif self.kind == "integer":
            schema = {"type": "integer", "minimum": 0}
        elif self.kind == "date":
            schema = {"type": "string", "format": "date"}
        else:
            schema = {"type": "string", "maxLength": 255}
        return {
            "name": self.name,
            "in": "query",
            "required": False,
            "description": self.description,
            "schema": schema,
            **({"style": "form", "explode": True} if self.kind == "list" else {}),
        }


def openapi_parameters(params: Sequence[Param]) -> dict[str, Any]:
    """`openapi_extra` for a route whose filters are read with `QueryString`."""
    return {"parameters": [param.openapi() for param in params]}


class QueryString:
    def __init__(self, params: QueryParams) -> None:
        self._params = params

    def many(
        self,
        name: str,
        *,
        allowed: frozenset[str] | None = None,
        pattern: re.Pattern[str] | None = None,
    ) -> tuple[str, ...]:
        values = self._params.getlist(name)
        return multi_value(values, name, allowed=allowed, pattern=pattern) if values else ()

    def text(self, name: str, *, max_length: int = 255) -> str | None:
        value = self._params.get(name)
        if value is None:
            return None
        if not value or len(value) > max_length:
            raise _invalid(name, f"must be 1 to {max_length} characters")
        return value

    def integer(self, name: str, *, ge: int, le: int) -> int | None:
        value = self._params.get(name)
        if value is None:
            return None
        if not _INTEGER.fullmatch(value) or not ge <= int(value) <= le:
            raise _invalid(name, f"must be an integer from {ge} to {le}")
        return int(value)

    def moment_from(self, name: str) -> datetime | None:
        """A lower bound: a date means from the start of that day (UTC)."""
        return day_start(self._moment(name), name)

    def moment_until(self, name: str) -> datetime | None:
        """An upper bound: a date is inclusive to the end of that day (UTC)."""
        return day_end(self._moment(name), name)

    def _moment(self, name: str) -> date | datetime | None:
        value = self._params.get(name)
        if value is None:
            return None
        try:
            if _DATE.fullmatch(value):
                return date.fromisoformat(value)
            return datetime.fromisoformat(value)
        except ValueError:
            raise _invalid(name, "must be a date (YYYY-MM-DD) or an ISO 8601 date-time") from None


def _invalid(name: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        f"Invalid value for {name}", errors=[{"path": name, "message": message}]
    )
