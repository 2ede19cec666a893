"""Run Alembic migrations from code (`shopping-api migrate`, `serve`, tests)."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config

from shopping.config import ConfigurationError

_PROJECT_ROOT = Path(__file__).resolve().parents[3]


def migrations_dir() -> Path:
    """The `migrations/` folder: `SHOPPING_MIGRATIONS_DIR`, the source checkout, or ./migrations."""
    candidates = [
        os.environ.get("SHOPPING_MIGRATIONS_DIR"),
        _PROJECT_ROOT / "migrations",
        Path.cwd() / "migrations",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "env.py").is_file():
            return Path(candidate)
    raise ConfigurationError("cannot find the migrations folder; set SHOPPING_MIGRATIONS_DIR")


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["configure_logging"] = False
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Must be called with no event loop running in this thread (env.py uses asyncio.run)."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)
