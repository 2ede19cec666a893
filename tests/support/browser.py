"""Debian's Chromium, driven by Selenium, for the browser tests of every page.

Nothing here downloads a browser. Without `/usr/bin/chromium` and `/usr/bin/chromedriver` the
tests skip with a notice, except where a browser is required (`CI=true` or
`SHOPPING_TEST_REQUIRE_POSTGRES=1`): there they fail.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import postgres_required, project_root

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = project_root() / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def require_browser() -> None:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if not missing:
        return
    message = "browser tests need " + ", ".join(missing) + " (apt install chromium chromium-driver)"
    if postgres_required():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def chromium(window_size: str, profile_prefix: str, *flags: str) -> Iterator[Any]:
    """A headless Chromium with a fresh profile, removed afterwards; `flags` are added to the
    usual ones."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix=profile_prefix)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    own = (f"--window-size={window_size}", f"--user-data-dir={profile}", *flags)
    for flag in (*CHROMIUM_FLAGS, *own):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
