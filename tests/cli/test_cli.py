"""`shopping-api` as an operator runs it: a real process, a SQLite file, stdout and exit codes."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from shopping.auth.client_secrets import verify_secret
from shopping.auth.scopes import KNOWN_SCOPES

ACCOUNT = "T12345678"
TIMEOUT = 30  # seconds: every wait in this module is bounded by this
TABLES = {"api_clients", "draft_orders", "draft_events", "draft_facets", "order_id_reservations"}


def database(tmp_path: Path) -> Path:
    return tmp_path / "shopping.db"


def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPPING_")}
    env["SHOPPING_DATABASE_URL"] = f"sqlite+aiosqlite:///{database(tmp_path)}"
    return env


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "shopping.cli", *args]


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        command(*args),
        cwd=tmp_path,
        env=cli_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def tables(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


def create_client(tmp_path: Path, *args: str) -> dict[str, object]:
    result = run_cli(tmp_path, "clients", "create", "--account", ACCOUNT, *args)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout  # ONE JSON object, nothing else on stdout
    client: dict[str, object] = json.loads(lines[0])
    return client


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# --- migrate -------------------------------------------------------------------------------


def test_migrate_creates_the_tables_and_can_run_again(tmp_path: Path) -> None:
    first = run_cli(tmp_path, "migrate")

    assert first.returncode == 0, first.stderr
    assert tables(database(tmp_path)) >= TABLES | {"alembic_version"}

    again = run_cli(tmp_path, "migrate")

    assert again.returncode == 0, again.stderr
    assert tables(database(tmp_path)) >= TABLES


# --- clients create ----------------------------------------------------------------------------


def test_clients_create_prints_one_json_object_and_stores_only_a_hash(tmp_path: Path) -> None:
    client = create_client(tmp_path, "--scope", "admin:shopping", "--name", "x")

    assert set(client) == {"client_id", "client_secret", "account_id", "scopes"}
    assert client["account_id"] == ACCOUNT
    assert client["scopes"] == ["admin:shopping"]
    assert uuid.UUID(str(client["client_id"]))
    secret = str(client["client_secret"])
    assert len(secret) >= 32

    with sqlite3.connect(database(tmp_path)) as conn:
        rows = conn.execute(
            "SELECT account_id, client_id, name, secret_hash, scopes, revoked_at FROM api_clients"
        ).fetchall()
    assert len(rows) == 1
    account_id, client_id, name, secret_hash, scopes, revoked_at = rows[0]
    assert (account_id, client_id, name, revoked_at) == (ACCOUNT, client["client_id"], "x", None)
    assert json.loads(scopes) == ["admin:shopping"]
    assert secret_hash.startswith("scrypt$")
    assert secret not in secret_hash
    assert verify_secret(secret, secret_hash)
    # not in clear anywhere on disk: the database, its WAL/SHM files, the JWT secret file
    for path in tmp_path.iterdir():
        assert secret.encode() not in path.read_bytes(), path


def test_clients_create_deduplicates_and_sorts_scopes(tmp_path: Path) -> None:
    client = create_client(
        tmp_path,
        "--scope",
        "write:shopping",
        "--scope",
        "read:shopping",
        "--scope",
        "write:shopping",
    )

    assert client["scopes"] == ["read:shopping", "write:shopping"]


def test_clients_create_grants_checkout_scopes(tmp_path: Path) -> None:
    scopes = ("write:checkout", "read:checkout", "admin:checkout")
    client = create_client(tmp_path, *(arg for scope in scopes for arg in ("--scope", scope)))

    assert client["scopes"] == sorted(scopes)


@pytest.mark.parametrize(
    "account", ["T1234567", "T123456789", "X12345678", "t12345678", "T1234567a"]
)
def test_clients_create_refuses_a_bad_account(tmp_path: Path, account: str) -> None:
    result = run_cli(
        tmp_path, "clients", "create", "--account", account, "--scope", "admin:shopping"
    )

    assert result.returncode == 2
    assert "--account" in result.stderr
    assert result.stdout == ""
    assert not database(tmp_path).exists()


def test_clients_create_refuses_an_unknown_scope(tmp_path: Path) -> None:
    result = run_cli(
        tmp_path,
        "clients",
        "create",
        "--account",
        ACCOUNT,
        "--scope",
        "admin:shopping",
        "--scope",
        "admin:everything",
    )

    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    unknown, _, valid = line.partition("; valid scopes: ")
    assert unknown == "shopping-api: unknown scope(s): admin:everything"
    assert valid.split(", ") == sorted(KNOWN_SCOPES)
    assert result.stdout == ""
    assert not database(tmp_path).exists()


def test_clients_create_needs_a_scope(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "clients", "create", "--account", ACCOUNT)

    assert result.returncode == 2
    assert "--scope" in result.stderr
    assert result.stdout == ""


# --- serve -------------------------------------------------------------------------------


def wait_until_live(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server exited with {server.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/health/live", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"the server did not answer within {TIMEOUT}s:\n{log.read_text()}")


def test_serve_answers_with_a_client_created_from_the_cli(tmp_path: Path) -> None:
    client = create_client(tmp_path, "--scope", "admin:shopping", "--name", "shop")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"

    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
            command("serve", "--port", str(port), "--log-level", "info"),
            cwd=tmp_path,
            env=cli_env(tmp_path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_live(base, server, log)
        with httpx.Client(base_url=base, timeout=10) as http:
            token = http.post(
                f"/v1/accounts/{ACCOUNT}/auth/token",
                json={"grant_type": "client_credentials"},
                auth=(str(client["client_id"]), str(client["client_secret"])),
            )
            assert token.status_code == 200, token.text
            assert token.json()["token_type"] == "Bearer"
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            drafts = f"/v1/accounts/{ACCOUNT}/shopping/draft_orders"

            created = http.post(
                drafts,
                headers=headers,
                json={
                    "order": {
                        "currency": "NOK",
                        "items": [{"gross_amount": 1000, "tax_lines": [{"percentage": 25}]}],
                    }
                },
            )
            assert created.status_code == 200, created.text
            listed = http.get(drafts, headers=headers)
            assert listed.status_code == 200, listed.text
            assert [draft["id"] for draft in listed.json()["draft_orders"]] == [
                created.json()["id"]
            ]
            assert http.get(drafts).status_code == 401

        # no secret configured on SQLite: one was generated beside the database, private
        secret_file = tmp_path / "shopping.db.jwt-secret"
        assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600

        # SIGTERM is a graceful shutdown (uvicorn re-raises the signal once it is done)
        server.terminate()
        assert server.wait(timeout=TIMEOUT) in {0, -signal.SIGTERM}, log.read_text()
        output = log.read_text()
        assert "Application shutdown complete" in output, output
        assert "Traceback" not in output, output
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=TIMEOUT)
