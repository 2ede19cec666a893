"""The README's walkthrough runs as written: its shell blocks, in order, in one `bash` against a
live `shopping-api serve` on a fresh database (SQLite, and Postgres when reachable).

The blocks are the fenced ```sh blocks under the "A purchase end to end" heading. `jq` is
needed: without it the test is skipped with a notice, except in CI (`CI=true`), where that fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.support.databases import empty_postgres, postgres_available

README = Path(__file__).resolve().parents[2] / "README.md"
HEADING = "## A purchase end to end"
ACCOUNT = "T12345678"


def walkthrough_blocks(markdown: str) -> list[str]:
    """The ```sh blocks between the walkthrough's heading and the next `## ` heading."""
    start = markdown.index(HEADING) + len(HEADING)
    following = re.search(r"^## ", markdown[start:], re.MULTILINE)
    section = markdown[start : start + following.start() if following else None]
    return re.findall(r"^```sh\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def require_jq() -> None:
    if shutil.which("jq") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("jq is required in CI to run the README's walkthrough")
        pytest.skip("jq is not installed: the README's walkthrough cannot run (apt-get install jq)")


@contextmanager
def serving(database_url: str, directory: Path) -> Iterator[str]:
    """`shopping-api serve` on a free loopback port; its base URL once it is ready."""
    port = free_port()
    env = environment(database_url)
    log = (directory / "server.log").open("wb")
    server = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        [str(executable()), "serve", "--port", str(port)],
        cwd=directory,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if server.poll() is not None:
                pytest.fail("the server stopped:\n" + (directory / "server.log").read_text())
            try:
                if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                log_text = (directory / "server.log").read_text()
                pytest.fail("the server did not get ready:\n" + log_text)
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def executable() -> Path:
    return Path(sys.executable).parent / "shopping-api"


def environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "SHOPPING_DATABASE_URL": database_url,
        "SHOPPING_JWT_SECRET": "readme-walkthrough-signing-secret-0123456789",
        "SHOPPING_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
    }


def run_walkthrough(database_url: str, directory: Path) -> list[str]:
    """Run the blocks; the lines they printed on stdout."""
    blocks = walkthrough_blocks(README.read_text(encoding="utf-8"))
    # the walkthrough runs from a clone's directory: give this one the clone's `.venv`
    (directory / ".venv").symlink_to(Path(sys.executable).parent.parent)
    with serving(database_url, directory) as base:
        started = time.monotonic()
        done = subprocess.run(  # noqa: S603 - the README's own blocks
            ["bash", "-e", "-o", "pipefail", "-c", "\n".join(blocks)],  # noqa: S607 - bash on PATH
            cwd=directory,
            env={**environment(database_url), "BASE": base},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
        assert time.monotonic() - started < 30
    return done.stdout.splitlines()


def check_outputs(lines: list[str]) -> None:
    printed = [json.loads(line) for line in lines if line.startswith(("{", "["))]
    client, draft, items, completed, session, authorization, capture, refund, order = printed[:9]
    listed, subscription = printed[9:]
    assert client["account_id"] == ACCOUNT
    assert set(client["scopes"]) == {"admin:shopping", "admin:hooks", "admin:checkout"}
    assert draft["status"] == "open"
    assert [item["line_id"] for item in items["items"]] == [1, 2]
    assert completed["status"] == "completed"
    assert completed["orders"][0]["payment_status"] == "pending"
    assert session["url"].endswith(f"/v1/view/{session['id']}")
    redirect = next(line for line in lines if line.startswith("303 "))
    assert "transaction_id=" in redirect
    assert f"session_id={session['id']}" in redirect
    assert authorization["processed_by"] == "dintero-checkout"
    assert authorization["amount"] == 15000
    assert capture == {"amount": 15000, "success": True}
    assert refund == {"amount": 5000, "success": True}
    assert order["payment_status"] == "partially_refunded"
    assert order["payment_details"]["remaining_refund_amount"] == 10000
    assert listed == [{"id": completed["orders"][0]["id"], "payment_status": "partially_refunded"}]
    assert subscription["active"] is True


def test_the_walkthrough_has_its_blocks() -> None:
    blocks = walkthrough_blocks(README.read_text(encoding="utf-8"))
    assert blocks[0].startswith("BASE=${BASE:-http://127.0.0.1:8000}")
    assert any("clients create" in block for block in blocks)
    assert any("hooks/subscriptions" in block for block in blocks)


def test_the_walkthrough_runs_on_sqlite(tmp_path: Path) -> None:
    require_jq()
    url = f"sqlite+aiosqlite:///{tmp_path / 'shopping.db'}"
    check_outputs(run_walkthrough(url, tmp_path))


def test_the_walkthrough_runs_on_postgres(tmp_path: Path) -> None:
    require_jq()
    if not postgres_available():
        required = os.environ.get("SHOPPING_TEST_REQUIRE_POSTGRES") == "1"
        if required or os.environ.get("CI") == "true":
            pytest.fail("Postgres is required to run the README's walkthrough on Postgres")
        pytest.skip("no Postgres reachable: the walkthrough ran on SQLite only")
    with empty_postgres() as url:
        check_outputs(run_walkthrough(url, tmp_path))
