"""Column types that behave the same on SQLite and Postgres."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Dialect, String, TypeDecorator

#: JSON documents, stored as text (`json` on Postgres). The database never looks inside them:
#: what queries filter or sort on has columns and facet rows of its own. `jsonb` would parse
#: every document on write and print it again on every read, for nothing.
JsonDocument = JSON()

#: Text compared by code point, so prefix ranges (`>= term AND < term || U+10FFFF`) use the
#: index on both databases; SQLite's default BINARY collation already behaves this way.
CodePointText = String().with_variant(String(collation="C"), "postgresql")


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on both databases.

    SQLite has no timezone support: values are stored as naive UTC (fixed-width text, so they
    sort correctly) and come back tagged as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
