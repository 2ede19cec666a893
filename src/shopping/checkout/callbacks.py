"""The shop's `callback_url` as Dintero calls it, and the browser's way back to `return_url`.

Control parameters in `callback_url` (they stay in the URL, as Dintero leaves them):
`method=POST` (the transaction as JSON body; default GET), `report_error=true` (also call on
cancelled / failed payments), `delay_callback=<seconds>` (≤ 60), `sid_parameter_name=<name>`
(the session id's parameter name, default `session_id`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from shopping.kit.clock import isoformat
from shopping.webhooks.callbacks import CallbackRequest

Json = dict[str, Any]
MAX_DELAY_SECONDS = 60


@dataclass(frozen=True, slots=True)
class CallbackPlan:
    request: CallbackRequest
    delay: timedelta


def with_params(url: str, params: dict[str, str]) -> str:
    """`url` with `params` appended; the URL's own parameters are kept as they were."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = set(params)
    kept = [(name, value) for name, value in query if name not in names]
    return urlunsplit(parts._replace(query=urlencode([*kept, *params.items()])))


def return_url(session: Json, transaction_id: str | None, error: str | None) -> str:
    params = {"merchant_reference": session["order"]["merchant_reference"]}
    if transaction_id is not None:
        params["transaction_id"] = transaction_id
    params["session_id"] = session["id"]
    if error is not None:
        params["error"] = error
    return with_params(session["url"]["return_url"], params)


def plan_callback(
    session: Json, transaction: Json | None, error: str | None, now: datetime
) -> CallbackPlan | None:
    """The callback a finished payment (or a failure, with `report_error`) makes, if any."""
    url = (session.get("url") or {}).get("callback_url")
    if not url:
        return None
    controls = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    if error is not None and controls.get("report_error", "").lower() != "true":
        return None
    method = "POST" if controls.get("method", "").upper() == "POST" else "GET"
    sid_name = controls.get("sid_parameter_name") or "session_id"
    params: dict[str, str] = {}
    if transaction is not None:
        params["transaction_id"] = transaction["id"]
    params[sid_name] = session["id"]
    params["merchant_reference"] = session["order"]["merchant_reference"]
    params["time"] = transaction["created_at"] if transaction is not None else isoformat(now)
    if error is not None:
        params["error"] = error
    body = transaction if method == "POST" else None
    return CallbackPlan(
        CallbackRequest(with_params(url, params), method, body),
        timedelta(seconds=_delay(controls.get("delay_callback"))),
    )


def _delay(raw: str | None) -> int:
    if raw is None or not raw.strip().isdigit():
        return 0
    return min(int(raw), MAX_DELAY_SECONDS)
