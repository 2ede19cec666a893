"""Structured logs: one JSON object a line (or readable text), and the access log.

Both formatters add a record's `extra` fields and the current request id. Nothing here logs
headers or bodies; as a second line of defence, extra fields named like credentials are
dropped before a record is written.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Final, Literal

import orjson

from shopping.observability.context import request_id_var

LogFormat = Literal["json", "text"]
LOG_FORMATS: Final = ("json", "text")

access_log = logging.getLogger("shopping.access")

#: attributes every LogRecord has; anything else on a record came from `extra=`
_STANDARD: Final = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "color_message",
    "taskName",
}
#: never written, whatever a caller passes in `extra=`
_SECRET_FIELDS: Final = frozenset(
    {
        "authorization",
        "password",
        "secret",
        "client_secret",
        "jwt_secret",
        "signing_secret",
        "webhook_secret",
        "token",
        "access_token",
        "card",
        "card_number",
        "body",
        "headers",
    }
)


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    extras = {
        key: value
        for key, value in record.__dict__.items()
        if key not in _STANDARD and key.lower() not in _SECRET_FIELDS
    }
    if "request_id" not in extras:
        request_id = request_id_var.get()
        if request_id is not None:
            extras["request_id"] = request_id
    return extras


_second: tuple[int, str] = (-1, "")  # the last second formatted, rebound as one tuple


def _timestamp(created: float) -> str:
    global _second
    seconds = int(created)
    cached_second, prefix = _second
    if cached_second != seconds:
        prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
        _second = (seconds, prefix)
    return f"{prefix}.{int((created - seconds) * 1000):03d}Z"


class JsonFormatter(logging.Formatter):
    """`{"time": …, "level": …, "logger": …, "message": …, <extra fields>}`."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": _timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        out.update(_extras(record))
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        return orjson.dumps(out, default=str, option=orjson.OPT_NON_STR_KEYS).decode()


class TextFormatter(logging.Formatter):
    """`2024-05-01T12:00:00.123Z INFO shopping.access request method=GET status=200 …`."""

    def format(self, record: logging.LogRecord) -> str:
        parts = [
            _timestamp(record.created),
            record.levelname,
            record.name,
            record.getMessage(),
            *(f"{key}={value}" for key, value in _extras(record).items()),
        ]
        line = " ".join(parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line


_FORMATTERS: Final = {"json": JsonFormatter, "text": TextFormatter}
_QUIET: Final = ("httpx", "httpcore", "aiosqlite", "sqlalchemy", "psycopg", "alembic")


LogStream = Literal["stdout", "stderr"]


def logging_config(
    log_format: str, level: str = "info", stream: LogStream = "stdout"
) -> dict[str, Any]:
    """A `logging.config.dictConfig` (also uvicorn's `log_config`): everything in one format,
    uvicorn's own loggers included, to standard output (where container platforms collect
    logs); `stream="stderr"` for a command whose standard output carries its result."""
    if stream not in ("stdout", "stderr"):
        raise ValueError("log stream must be stdout or stderr")
    if log_format not in _FORMATTERS:
        raise ValueError(f"log format must be one of {', '.join(LOG_FORMATS)}")
    formatter = _FORMATTERS[log_format]
    level_name = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": {"()": f"{formatter.__module__}.{formatter.__qualname__}"}},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "stream": f"ext://sys.{stream}",
            }
        },
        "root": {"handlers": ["default"], "level": level_name},
        "loggers": {
            # uvicorn's loggers write through the root handler (one format for all)
            "uvicorn": {"handlers": [], "propagate": True, "level": level_name},
            "uvicorn.error": {"handlers": [], "propagate": True, "level": level_name},
            "uvicorn.access": {"handlers": [], "propagate": True, "level": level_name},
            # never written, whatever the level: httpx logs each request's URL (webhook URLs
            # may carry credentials); the database drivers log statements with their
            # parameters (documents, secret hashes)
            **{name: {"level": "WARNING"} for name in _QUIET},
        },
    }


def configure_logging(log_format: str, level: str = "info", stream: LogStream = "stdout") -> None:
    import logging.config

    logging.config.dictConfig(logging_config(log_format, level, stream))
