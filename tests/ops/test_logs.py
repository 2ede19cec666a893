"""Structured logs: one access line per request, JSON by default, never secrets."""

from __future__ import annotations

import base64
import io
import json
import logging
import logging.config
import sys
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from shopping.auth.scopes import ADMIN_SHOPPING
from shopping.observability.logs import _QUIET, JsonFormatter, TextFormatter, logging_config
from tests.conftest import token_for
from tests.ops.conftest import json_lines
from tests.support.drafts import create_draft, draft_body, item

CARD = "4111111111111111"


def _record(**extra: object) -> logging.LogRecord:
    record = logging.LogRecord("shopping.x", logging.INFO, __file__, 1, "hello %s", ("you",), None)
    record.__dict__.update(extra)
    return record


def test_the_json_formatter_writes_one_object_with_the_extra_fields() -> None:
    line = JsonFormatter().format(_record(order_id="o-1", count=3))
    assert "\n" not in line
    out = json.loads(line)
    assert out["time"].endswith("Z")
    assert len(out["time"]) == len("2024-05-01T12:00:00.123Z")
    assert {k: out[k] for k in ("level", "logger", "message", "order_id", "count")} == {
        "level": "INFO",
        "logger": "shopping.x",
        "message": "hello you",
        "order_id": "o-1",
        "count": 3,
    }


def test_the_formatters_drop_fields_named_like_credentials() -> None:
    record = _record(authorization="Bearer abc", client_secret="s3cr3t", secret="x", token="t")
    for formatter in (JsonFormatter(), TextFormatter()):
        line = formatter.format(record)
        for leaked in ("Bearer abc", "s3cr3t", "token"):
            assert leaked not in line


def test_exceptions_are_one_json_line_with_the_traceback() -> None:
    record = _record()
    try:
        raise ValueError("nope")
    except ValueError:
        record.exc_info = sys.exc_info()
    out = json.loads(JsonFormatter().format(record))
    assert "ValueError: nope" in out["exception"]


def test_the_text_formatter_is_readable() -> None:
    line = TextFormatter().format(_record(status=200))
    assert line.endswith(" INFO shopping.x hello you status=200")


@pytest.fixture
def restore_logging() -> Iterator[None]:
    names = ["", "uvicorn", "uvicorn.error", "uvicorn.access", *_QUIET]
    saved = [
        (logger, list(logger.handlers), logger.level, logger.propagate, logger.disabled)
        for logger in map(logging.getLogger, names)
    ]
    yield
    for logger, handlers, level, propagate, disabled in saved:
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate, logger.disabled = propagate, disabled


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize("log_format", ["json", "text"])
def test_the_logging_config_writes_uvicorn_and_our_loggers_in_one_format(
    log_format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    logging.config.dictConfig(logging_config(log_format, "debug"))
    logging.getLogger("uvicorn.error").info("Application startup complete.")
    logging.getLogger("shopping.access").info("request", extra={"status": 200})
    # not even at debug: webhook URLs, SQL parameters
    logging.getLogger("httpx").info("HTTP Request: POST https://hook.example/?token=abc")
    logging.getLogger("aiosqlite").debug("executing INSERT ... ('secret', ...)")
    logging.getLogger("sqlalchemy.engine.Engine").info("INSERT ... ('secret', ...)")
    written = capsys.readouterr()
    assert written.err == ""  # logs go to standard output, as the README says
    lines = written.out.splitlines()
    assert len(lines) == 2, lines
    if log_format == "json":
        parsed = [json.loads(line) for line in lines]
        assert parsed[0]["message"] == "Application startup complete."
        assert parsed[1]["status"] == 200
    else:
        assert lines[1].endswith("request status=200")


@pytest.mark.usefixtures("restore_logging")
def test_a_command_whose_output_is_its_result_can_log_to_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logging.config.dictConfig(logging_config("json", "info", stream="stderr"))
    logging.getLogger("shopping.worker").info("sweep done")
    written = capsys.readouterr()
    assert written.out == ""
    assert json.loads(written.err)["message"] == "sweep done"


def test_an_unknown_format_or_stream_is_refused() -> None:
    with pytest.raises(ValueError, match="json, text"):
        logging_config("xml")
    with pytest.raises(ValueError, match="stdout or stderr"):
        logging_config("json", "info", stream="file")  # type: ignore[arg-type]


async def test_one_access_line_per_request_with_the_route_template_and_the_caller(
    app: FastAPI, http: httpx.AsyncClient, account: str, access_logs: io.StringIO
) -> None:
    token = token_for(app, account, ADMIN_SHOPPING, client_id="client-42")
    headers = {"Authorization": f"Bearer {token}", "X-Request-Id": "log-1"}
    base = f"/v1/accounts/{account}/shopping"
    response = await http.get(f"{base}/orders/no-such-order", headers=headers)
    assert response.status_code == 404
    await http.get("/health/live", headers={"X-Request-Id": "log-2"})

    first, second = json_lines(access_logs)
    assert first["duration_ms"] >= 0
    assert {k: v for k, v in first.items() if k not in {"time", "duration_ms"}} == {
        "level": "INFO",
        "logger": "shopping.access",
        "message": "request",
        "request_id": "log-1",
        "method": "GET",
        "route": "/v1/accounts/{aid}/shopping/orders/{order_id}",
        "status": 404,
        "account_id": account,
        "client_id": "client-42",
    }
    assert second["route"] == "/health/live"
    assert "account_id" not in second
    assert "client_id" not in second


async def test_unmatched_and_unauthenticated_requests_are_logged_without_a_caller(
    http: httpx.AsyncClient, account: str, access_logs: io.StringIO
) -> None:
    await http.get("/v1/nowhere/123")
    await http.get(
        f"/v1/accounts/{account}/shopping/draft_orders",
        headers={"Authorization": "Bearer not-a-token"},
    )
    unmatched, bad_token = json_lines(access_logs)
    assert (unmatched["route"], unmatched["status"]) == ("<unmatched>", 404)
    assert (bad_token["route"], bad_token["status"]) == (
        "/v1/accounts/{aid}/shopping/draft_orders",
        401,
    )
    assert "client_id" not in bad_token


async def test_logs_hold_no_tokens_secrets_or_card_data(
    app: FastAPI, api: httpx.AsyncClient, http: httpx.AsyncClient, account: str,
    access_logs: io.StringIO, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    caplog.set_level(logging.INFO)
    card = {"masked_pan": CARD, "card_number": CARD, "cvc": "123"}
    await create_draft(api, draft_body(item(description=CARD), metadata=card))
    basic = base64.b64encode(b"some-client:very-secret-client-secret").decode()
    await http.post(
        f"/v1/accounts/{account}/auth/token",
        json={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    token = api.headers["Authorization"].removeprefix("Bearer ")
    written = access_logs.getvalue() + "\n".join(
        JsonFormatter().format(record) for record in caplog.records
    )
    assert len(json_lines(access_logs)) == 2
    for secret in (token, basic, "very-secret-client-secret", CARD, "cvc"):
        assert secret not in written
