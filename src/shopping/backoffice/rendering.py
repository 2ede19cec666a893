"""Templates and the filters they use: money in major units, times in UTC with a relative hint.

Autoescaping is on for every template: whatever a shop sent (names, comments, metadata) is
shown as text, never as markup. Pages allow no scripts at all (Content-Security-Policy).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from jinja2 import ChainableUndefined, Environment, PackageLoader
from starlette.responses import HTMLResponse

from shopping.backoffice.money import format_money, major_units
from shopping.kit.clock import Clock

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def parse_moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def utc_text(value: Any) -> str:
    moment = parse_moment(value)
    if moment is None:
        return "—" if value in (None, "") else str(value)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def relative(moment: datetime, now: datetime) -> str:
    seconds = int((now - moment).total_seconds())
    future, seconds = seconds < 0, abs(seconds)
    for size, unit in ((86400 * 365, "year"), (86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            text = f"{count} {unit}{'s' if count != 1 else ''}"
            return f"in {text}" if future else f"{text} ago"
    return "in under a minute" if future else "just now"


def pretty_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)


def new_form_key() -> str:
    """A fresh key per rendered form: the idempotency key of the write it sends."""
    return f"backoffice-{uuid.uuid4()}"


class Pages:
    """The template environment, bound to the app's clock (for "3 minutes ago")."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.env = Environment(
            loader=PackageLoader("shopping.backoffice", "templates"),
            autoescape=True,
            undefined=ChainableUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["money"] = format_money
        self.env.filters["major"] = major_units
        self.env.filters["utc"] = utc_text
        self.env.filters["ago"] = self._ago
        self.env.filters["pretty_json"] = pretty_json
        self.env.globals["form_key"] = new_form_key

    def _ago(self, value: Any) -> str:
        moment = parse_moment(value)
        return relative(moment, self.clock()) if moment is not None else ""

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(**context)
        return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
