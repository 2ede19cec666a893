"""Settings, read from `SHOPPING_*` environment variables (nested fields use `__`)."""

from __future__ import annotations

import os
import secrets
import time
from functools import cached_property
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConfigurationError(RuntimeError):
    """The server is configured in a way it cannot run with.

    Defined here, not with the HTTP errors, so reading settings imports no web framework
    (the `serve` supervisor process stays small)."""


DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./shopping.db"
MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOPPING_", env_nested_delimiter="__")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy async URL; sqlite+aiosqlite (embedded) or postgresql+psycopg.",
    )
    jwt_secret: SecretStr | None = Field(
        default=None,
        description="HS256 signing secret; required on Postgres, generated for embedded SQLite.",
    )
    token_ttl_seconds: int = Field(default=14400, ge=60, le=86400)
    public_url: str | None = Field(
        default=None, description="Base URL used in `_links`; defaults to the request's own."
    )
    checkout_url: str | None = Field(
        default=None,
        description="Base of payment-session URLs: `{checkout_url}/v1/view/{session_id}`; "
        "default this server's own public URL (`public_url`, else the request's origin), "
        "where the local hosted checkout page answers",
    )
    db_pool_size: int = Field(
        default=20,
        ge=1,
        le=200,
        description="Connections per process (Postgres), opened as units of work need them",
    )
    db_max_overflow: int = Field(
        default=20,
        ge=0,
        le=200,
        description="Extra connections allowed under load; idle ones close after 10 minutes",
    )
    db_statement_timeout_ms: int = Field(default=15000, ge=100)
    idempotency_ttl_seconds: int = Field(
        default=7 * 86400, ge=7 * 86400, description="How long an Idempotency-Key is kept"
    )
    idempotency_lease_seconds: float = Field(
        default=60.0, gt=0, description="After this an unfinished request's key may be retried"
    )
    idempotency_wait_seconds: float = Field(
        default=5.0, ge=0, description="How long a concurrent duplicate waits before its 409"
    )

    webhook_allowed_hosts: str = Field(
        default="",
        description="Comma-separated hosts or CIDR ranges webhooks may target although they "
        "are private or loopback (e.g. `127.0.0.1,localhost` for local receivers)",
    )
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    webhook_lease_seconds: float | None = Field(
        default=None,
        gt=0,
        description="How long a worker's claim on a delivery lasts before another worker may "
        "send it again; default twice the timeout plus 30 s (keep it above the timeout)",
    )
    webhook_disable_after_failing_hours: float = Field(
        default=72.0,
        gt=0,
        description="A subscription is disabled once its deliveries have kept failing this long "
        "with no success in between (one success starts the count again)",
    )
    webhook_retention_days: int = Field(
        default=30,
        ge=4,  # beyond the ~3 days of retries
        description="How long finished deliveries, their attempts and delivered outbox "
        "messages (the event feed) are kept",
    )
    relay_interval_seconds: float = Field(default=0.5, gt=0, le=60)
    worker_interval_seconds: float = Field(default=5.0, gt=0, le=3600)
    worker_in_process: bool | None = Field(
        default=None,
        description="Run the worker's sweeps inside `serve`; default: only on embedded SQLite",
    )
    max_body_bytes: int = Field(
        default=1024 * 1024, ge=1, description="Largest request body accepted; larger get 413"
    )
    rate_limit_per_second: float = Field(
        default=0.0,
        ge=0,
        description="Requests per second each API client may make, per server process "
        "(token bucket; 429 with Retry-After beyond it); 0 (the default) disables it, "
        "for a sandbox or a server behind a gateway that limits already",
    )
    rate_limit_burst: int = Field(
        default=400, ge=0, description="Requests a client may make at once; 0 disables"
    )
    graceful_shutdown_seconds: int = Field(
        default=30,
        ge=0,
        description="On SIGTERM `serve` stops accepting connections and lets in-flight "
        "requests finish for up to this long",
    )

    @property
    def runs_worker_in_process(self) -> bool:
        return self.is_sqlite if self.worker_in_process is None else self.worker_in_process

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @cached_property
    def sqlite_path(self) -> Path | None:
        """The database file of an embedded (file-backed) SQLite URL, else None."""
        if not self.is_sqlite:
            return None
        _, _, path = self.database_url.partition(":///")
        if not path or path.startswith(":memory:"):
            return None
        return Path(path.split("?", 1)[0])

    def signing_secret(self) -> str:
        """The JWT signing secret.

        Postgres deployments must configure one (several API processes share it). The embedded
        SQLite default generates one on first start and keeps it beside the database file so
        issued tokens survive restarts.
        """
        if self.jwt_secret is not None:
            value = self.jwt_secret.get_secret_value()
            if len(value) < MIN_SECRET_LENGTH:
                raise ConfigurationError(
                    f"SHOPPING_JWT_SECRET must be at least {MIN_SECRET_LENGTH} characters"
                )
            return value
        path = self.sqlite_path
        if path is None:
            raise ConfigurationError(
                "SHOPPING_JWT_SECRET is required unless the database is a SQLite file"
            )
        secret_file = path.with_name(path.name + ".jwt-secret")
        secret_file.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: when several processes start at once exactly one writes the secret.
            fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return _read_secret(secret_file)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
        return _read_secret(secret_file)


def _read_secret(path: Path) -> str:
    for _ in range(50):  # another process may have created the file but not written it yet
        value = path.read_text().strip()
        if value:
            return value
        time.sleep(0.02)
    raise ConfigurationError(f"the JWT secret file {path} is empty")
