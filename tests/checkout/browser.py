"""Browser-test support: the app served by uvicorn on a free loopback port, a shop that
receives the return redirect and callbacks, and Debian's Chromium driven by Selenium.

Nothing here downloads a browser. Without `/usr/bin/chromium` and `/usr/bin/chromedriver`
the tests skip with a notice, except where a browser is required (`CI=true` or
`SHOPPING_TEST_REQUIRE_POSTGRES=1`): there they fail.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from shopping.app import create_app
from shopping.config import Settings
from tests.conftest import TEST_SECRET
from tests.support.browser import SCREENSHOTS, free_port
from tests.support.browser import chromium as shared_chromium


@dataclass
class LiveServer:
    app: FastAPI
    url: str


@contextmanager
def live_server(database_url: str) -> Iterator[LiveServer]:
    """The app on a free loopback port, its worker inside (callbacks go out), loopback
    callback targets allowed."""
    settings = Settings(
        database_url=database_url,
        jwt_secret=TEST_SECRET,
        webhook_allowed_hosts="127.0.0.1",
        worker_in_process=True,
        relay_interval_seconds=0.1,
    )
    app = create_app(settings)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(app, f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Shop:
    """The shop's side: `/return` answers the customer's browser, `/callback` the server."""

    url: str
    requests: list[Received] = field(default_factory=list)

    def received(self, prefix: str) -> list[Received]:
        return [r for r in self.requests if r.path.startswith(prefix)]

    def wait_for(self, prefix: str, count: int = 1, timeout: float = 10) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received(prefix)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"no {prefix} request arrived: {self.requests}")
            time.sleep(0.05)
        return self.received(prefix)


@contextmanager
def shop() -> Iterator[Shop]:
    port = free_port()
    found = Shop(f"http://127.0.0.1:{port}")

    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            found.requests.append(
                Received(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
            )
            body = b"<!doctype html><title>Shop</title><h1>Back at the shop</h1>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _record

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[Any]:
    with shared_chromium("1200,1000", "checkout-chromium-") as driver:
        driver.set_page_load_timeout(20)
        yield driver


def screenshot(driver: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path
