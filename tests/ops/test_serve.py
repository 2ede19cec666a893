"""`shopping-api serve` as an operator runs it: graceful shutdown, JSON logs, metrics added
up across worker processes. Real processes on a SQLite file."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.multiprocess import MultiProcessCollector

from shopping import cli
from shopping.auth.principal import Principal
from shopping.auth.scopes import ADMIN_SHOPPING
from shopping.auth.tokens import TokenIssuer
from shopping.observability.metrics import settled_files
from shopping.observability.multiprocess import MULTIPROC_ENV
from tests.conftest import TEST_SECRET
from tests.ops.conftest import sample, samples
from tests.support.drafts import draft_body, item

ACCOUNT = "T23456789"
TIMEOUT = 30


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(db: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SHOPPING_") and k.upper() != MULTIPROC_ENV
    }
    env |= {
        "SHOPPING_DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "SHOPPING_JWT_SECRET": TEST_SECRET,
    }
    return env | extra


def bearer(client_id: str = "ops-client") -> dict[str, str]:
    token = TokenIssuer(TEST_SECRET, 3600).issue(
        Principal(ACCOUNT, client_id, frozenset({ADMIN_SHOPPING}))
    )
    return {"Authorization": f"Bearer {token}"}


class Server:
    def __init__(self, process: subprocess.Popen[bytes], base: str, log: Path) -> None:
        self.process, self.base, self.log = process, base, log

    def output(self) -> str:
        return self.log.read_text()

    def json_lines(self) -> list[dict[str, Any]]:
        lines = self.output().splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def wait_for_log(self, text: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while text not in self.output():
            if time.monotonic() > deadline:
                pytest.fail(f"the server never logged {text!r}:\n{self.output()}")
            time.sleep(0.05)


@contextmanager
def serving(tmp_path: Path, *args: str, **env: str) -> Iterator[Server]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
            [sys.executable, "-m", "shopping.cli", "serve", "--port", str(port), *args],
            cwd=tmp_path,
            env=server_env(tmp_path / "shopping.db", **env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, base, log)
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}:\n{server.output()}")
            try:
                if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not start:\n{server.output()}")
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=TIMEOUT)


def test_sigterm_lets_an_in_flight_write_finish_and_keeps_it(tmp_path: Path) -> None:
    with serving(tmp_path, SHOPPING_GRACEFUL_SHUTDOWN_SECONDS="20") as server:
        headers = bearer()
        drafts = f"{server.base}/v1/accounts/{ACCOUNT}/shopping/draft_orders"
        created = httpx.post(drafts, json=draft_body(item()), headers=headers, timeout=10)
        assert created.status_code == 200, created.text
        draft_id = created.json()["id"]

        # hold SQLite's write lock: the add-item request waits inside the server for it
        lock = sqlite3.connect(tmp_path / "shopping.db", isolation_level=None, timeout=10)
        lock.execute("BEGIN IMMEDIATE")
        with ThreadPoolExecutor(1) as pool:
            in_flight = pool.submit(
                httpx.post,
                f"{drafts}/{draft_id}/items",
                json=item(line_id=2, gross=500),
                headers={**headers, "X-Request-Id": "in-flight-1"},
                timeout=TIMEOUT,
            )
            time.sleep(0.5)
            assert not in_flight.done()

            server.process.send_signal(signal.SIGTERM)
            server.wait_for_log("Shutting down")
            with pytest.raises(httpx.TransportError):  # no new connections meanwhile
                httpx.get(f"{server.base}/health/live", timeout=2)
            assert not in_flight.done()
            assert server.process.poll() is None

            lock.execute("ROLLBACK")
            lock.close()
            response = in_flight.result(timeout=TIMEOUT)

        assert response.status_code == 200, response.text
        assert len(response.json()["order"]["items"]) == 2
        assert server.process.wait(timeout=TIMEOUT) in {0, -signal.SIGTERM}, server.output()

    output = server.output()
    assert "Traceback" not in output, output
    assert "Application shutdown complete" in output
    access = [line for line in server.json_lines() if line["logger"] == "shopping.access"]
    held = next(line for line in access if line.get("request_id") == "in-flight-1")
    assert (held["status"], held["route"]) == (
        200,
        "/v1/accounts/{aid}/shopping/draft_orders/{id}/items",
    )
    assert held["client_id"] == "ops-client"
    assert held["account_id"] == ACCOUNT
    # stored: the change survived the shutdown
    with sqlite3.connect(tmp_path / "shopping.db") as conn:
        (document,) = conn.execute(
            "SELECT document FROM draft_orders WHERE id = ?", (draft_id,)
        ).fetchone()
    assert len(json.loads(document)["order"]["items"]) == 2


LIVE = {"method": "GET", "route": "/health/live", "status": "200"}


def live_counts(metrics_dir: Path) -> list[float]:
    """`GET /health/live` requests counted by each worker process (one file each)."""
    counts = []
    for path in settled_files(metrics_dir):
        if not Path(path).name.startswith("counter_"):
            continue
        found = {}
        for metric in MultiProcessCollector.merge([path]):  # type: ignore[no-untyped-call]
            for s in metric.samples:
                found[(s.name, frozenset(s.labels.items()))] = s.value
        counts.append(sample(found, "shopping_http_requests_total", **LIVE))
    return counts


def test_several_workers_report_request_metrics_added_up(tmp_path: Path) -> None:
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_999999.db").write_bytes(b"stale")  # an earlier run's file
    env = {MULTIPROC_ENV: str(metrics_dir)}
    with serving(tmp_path, "--workers", "2", **env) as server:
        assert not (metrics_dir / "counter_999999.db").exists()
        requests = 0
        deadline = time.monotonic() + TIMEOUT
        # new connections, a few at a time, until both workers have served some
        with ThreadPoolExecutor(4) as pool:
            while sum(n > 0 for n in live_counts(metrics_dir)) < 2 or requests < 40:
                assert time.monotonic() < deadline, "one worker got every connection"
                batch = list(pool.map(lambda _: httpx.get(f"{server.base}/health/live"), range(8)))
                assert {response.status_code for response in batch} == {200}
                requests += len(batch)
        per_worker = live_counts(metrics_dir)
        scraped = [samples(httpx.get(f"{server.base}/metrics", timeout=10).text) for _ in range(6)]
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=TIMEOUT)
    assert sum(per_worker) == requests
    # every scrape, whichever worker answers it, sees every worker's requests
    assert {sample(found, "shopping_http_requests_total", **LIVE) for found in scraped} == {
        requests
    }
    # the readiness probes while starting are counted too (not checked: how many)
    assert all(sample(found, "shopping_metrics_database_up") == 1 for found in scraped)


# ---- the CLI's wiring, without starting a server -----------------------------------------


@pytest.fixture
def fake_uvicorn(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[dict[str, Any]]:
    import uvicorn

    import shopping.db.migrations

    calls: list[dict[str, Any]] = []

    def run(app: str, **kwargs: Any) -> None:
        directory = os.environ.get(MULTIPROC_ENV)
        calls.append(
            {
                **kwargs,
                "env": directory,
                "dir_existed": bool(directory) and Path(str(directory)).is_dir(),
            }
        )

    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.setattr(shopping.db.migrations, "upgrade", lambda url: None)
    for key in [k for k in os.environ if k.startswith("SHOPPING_") or k == MULTIPROC_ENV]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("SHOPPING_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("SHOPPING_JWT_SECRET", TEST_SECRET)
    return calls


def test_serve_passes_the_shutdown_timeout_and_the_log_format(
    fake_uvicorn: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOPPING_GRACEFUL_SHUTDOWN_SECONDS", "7")
    assert cli.main(["serve", "--log-format", "text", "--log-level", "warning"]) == 0
    assert cli.main(["serve"]) == 0
    text, default = fake_uvicorn
    assert text["timeout_graceful_shutdown"] == 7
    assert text["access_log"] is False
    formatter = text["log_config"]["formatters"]["default"]["()"]
    assert formatter == "shopping.observability.logs.TextFormatter"
    assert text["log_config"]["root"]["level"] == "WARNING"
    assert default["log_config"]["formatters"]["default"]["()"].endswith("JsonFormatter")
    assert text["env"] is None  # one process: no metrics directory


def test_serve_with_workers_gets_a_fresh_metrics_directory(
    fake_uvicorn: list[dict[str, Any]],
) -> None:
    assert cli.main(["serve", "--workers", "3"]) == 0
    (call,) = fake_uvicorn
    assert call["workers"] == 3
    assert call["env"] is not None
    assert call["dir_existed"]
    assert not Path(call["env"]).exists()  # removed after the server stopped
    assert MULTIPROC_ENV not in os.environ


def test_the_worker_command_takes_a_log_format() -> None:
    args = cli.build_parser().parse_args(["worker", "--once", "--log-format", "text"])
    assert args.log_format == "text"
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["serve", "--log-format", "xml"])
