"""The Dockerfile and docker-compose.yml, checked by reading them (no container engine needed);
`docker compose config` runs too where an engine is installed."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from shopping.health import router as health_router

ROOT = Path(__file__).resolve().parents[2]
EXACT_PYTHON = re.compile(r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?")


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments), continuation lines joined."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, rest = line.partition(" ")
        out.append((keyword.upper(), rest.strip()))
    return out


def arguments(keyword: str) -> list[str]:
    return [rest for found, rest in instructions() if found == keyword]


def env() -> dict[str, str]:
    values: dict[str, str] = {}
    for rest in arguments("ENV"):
        for word in shlex.split(rest):
            key, _, value = word.partition("=")
            values[key] = value
    return values


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def health_paths() -> set[str]:
    return {path for route in health_router.routes if (path := getattr(route, "path", None))}


# --- Dockerfile -----------------------------------------------------------------------------


def test_the_base_image_is_an_exact_python_release() -> None:
    (default,) = [rest for rest in arguments("ARG") if rest.startswith("PYTHON_IMAGE=")]
    assert EXACT_PYTHON.fullmatch(default.removeprefix("PYTHON_IMAGE=")), default
    stages = arguments("FROM")
    assert len(stages) == 2
    assert all(stage.split()[0] == "${PYTHON_IMAGE}" for stage in stages), stages


def test_dependencies_are_installed_from_the_lock_with_hashes() -> None:
    runs = " ".join(arguments("RUN"))
    assert "--require-hashes -r /tmp/requirements.lock" in runs
    assert any("requirements.lock" in copied for copied in arguments("COPY"))
    # the project's own wheel brings no dependency of its own choosing
    assert "pip wheel --no-cache-dir --no-deps" in runs
    assert "--no-deps /wheels/" in runs
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert "requirements.lock" not in ignored
    assert (ROOT / "requirements.lock").is_file()


def test_the_image_runs_as_a_user_that_owns_the_sqlite_data_directory() -> None:
    (user,) = arguments("USER")
    assert user not in {"root", "0"}
    runs = " ".join(arguments("RUN"))
    assert f"chown {user}:{user} /data" in runs
    assert "/data" in " ".join(arguments("VOLUME"))
    url = env()["SHOPPING_DATABASE_URL"]
    assert url == "sqlite+aiosqlite:////data/shopping.db"
    # the last USER comes after the directory is made, so the server process writes there
    order = [keyword for keyword, _ in instructions()]
    assert order.index("USER") > max(i for i, k in enumerate(order) if k == "RUN")


def test_the_image_health_check_asks_the_api() -> None:
    (check,) = arguments("HEALTHCHECK")
    path = re.search(r"http://127\.0\.0\.1:8000(/[\w/]+)", check)
    assert path is not None, check
    assert path.group(1) in health_paths()
    (command,) = arguments("CMD")
    assert '"serve"' in command
    assert '"8000"' in command


def test_the_image_finds_its_migrations() -> None:
    assert env()["SHOPPING_MIGRATIONS_DIR"] == "/app/migrations"
    assert any(copied.split()[-1] == "./migrations" for copied in arguments("COPY"))
    assert (ROOT / "migrations" / "env.py").is_file()


# --- docker-compose.yml ------------------------------------------------------------------------


def test_only_the_api_has_an_http_health_check() -> None:
    services = compose()["services"]
    for name in ("worker", "migrate"):
        assert services[name]["healthcheck"] == {"disable": True}, name
    test = " ".join(services["api"]["healthcheck"]["test"])
    path = re.search(r"http://127\.0\.0\.1:8000(/[\w/]+)", test)
    assert path is not None, test
    assert path.group(1) in health_paths()
    assert services["postgres"]["healthcheck"]["test"][0] == "CMD-SHELL"


def test_each_service_runs_a_command_the_cli_has() -> None:
    services = compose()["services"]
    assert services["migrate"]["command"] == ["shopping-api", "migrate"]
    assert services["worker"]["command"] == ["shopping-api", "worker"]
    assert services["api"]["command"][:2] == ["shopping-api", "serve"]
    assert services["migrate"]["restart"] == "no"
    for name in ("api", "worker"):
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"}
        }


def test_postgres_ends_sessions_left_idle_in_a_transaction() -> None:
    command = compose()["services"]["postgres"]["command"]
    settings = dict(command[i + 1].split("=", 1) for i, word in enumerate(command) if word == "-c")
    assert settings["idle_in_transaction_session_timeout"] not in {"0", ""}


def test_every_shopping_service_shares_one_configuration() -> None:
    services = compose()["services"]
    environments = [services[name]["environment"] for name in ("migrate", "api", "worker")]
    assert all(environment == environments[0] for environment in environments)
    assert environments[0]["SHOPPING_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "SHOPPING_JWT_SECRET" in environments[0]


def compose_engine() -> bool:
    if shutil.which("docker") is None:
        return False
    found = subprocess.run(
        ["docker", "compose", "version"],  # noqa: S607 - the engine on PATH, if any
        capture_output=True,
        check=False,
    )
    return found.returncode == 0


@pytest.mark.skipif(not compose_engine(), reason="no docker compose on this machine")
def test_docker_compose_accepts_the_file() -> None:
    result = subprocess.run(
        ["docker", "compose", "config", "--quiet"],  # noqa: S607 - the engine on PATH
        cwd=ROOT,
        env={**os.environ, "SHOPPING_JWT_SECRET": "x" * 32},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
