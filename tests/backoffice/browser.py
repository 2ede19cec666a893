"""Browser-test support: the app served by uvicorn on a free loopback port (in a background
thread), Debian's Chromium driven through Selenium, and screenshots saved as artifacts.

The browser is the system's (`/usr/bin/chromium` with `/usr/bin/chromedriver`); nothing is
downloaded. Without it the browser tests are skipped with a notice, except where they must
run (`CI=true` or `SHOPPING_TEST_REQUIRE_POSTGRES=1`): there a missing browser fails them.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from selenium.webdriver.remote.webdriver import WebDriver

from shopping.auth.clients import NewClient, create_client
from shopping.config import Settings
from shopping.db import create_database
from tests.support.browser import SCREENSHOTS
from tests.support.browser import chromium as shared_chromium


class LiveServer:
    """The app on `http://127.0.0.1:<port>`, served from a thread with its own event loop."""

    def __init__(self, app: FastAPI, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="live-server", daemon=True)

    def start(self, timeout: float = 15.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the live server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)


@contextmanager
def live_server(app: FastAPI, port: int) -> Iterator[LiveServer]:
    server = LiveServer(app, port)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def chromium() -> Iterator[WebDriver]:
    """A headless Chromium with a fresh profile, removed afterwards."""
    with shared_chromium("1440,1100", "backoffice-chromium-") as driver:
        driver.implicitly_wait(0)
        yield driver


def screenshot(driver: WebDriver, name: str) -> Path:
    """The whole page (not just the window) as `test-artifacts/screenshots/<name>.png`."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, max(int(height) + 120, 700))
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(width, 1100)
    return path


def store_client(settings: Settings, account: str, *scopes: str) -> NewClient:
    """An API client, stored the way the CLI's `clients create` stores it."""

    async def store() -> NewClient:
        db = create_database(settings)
        try:
            async with db.write() as conn:
                return await create_client(conn, account, list(scopes), "back office")
        finally:
            await db.dispose()

    # its own thread and event loop: the test session's loop stays untouched
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, store()).result()
