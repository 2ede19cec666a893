"""`shopping-api serve` says where the API and its reference pages are, with URLs that work."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import httpx
import pytest

from shopping.cli import addresses
from tests.cli.test_cli import TIMEOUT, cli_env, command, free_port, wait_until_live


def test_serve_logs_the_urls_of_the_api_and_its_reference_pages(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
            command("serve", "--port", str(port)),
            cwd=tmp_path,
            env=cli_env(tmp_path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_live(base, server, log)
        said = re.search(r"^shopping-api: serving the API at (.+)$", log.read_text(), re.MULTILINE)
        assert said is not None, log.read_text()
        assert said.group(1) == (
            f"{base}; reference pages (offline): {base}/docs (Swagger UI), {base}/redoc (ReDoc)"
        )
        for page in re.findall(r"http://\S+/(?:docs|redoc)\b", said.group(1)):
            answer = httpx.get(page, timeout=10)
            assert answer.status_code == 200, page
            assert answer.headers["content-type"].startswith("text/html")
    finally:
        server.terminate()
        server.wait(timeout=TIMEOUT)


@pytest.mark.parametrize(
    ("host", "base", "listening"),
    [
        ("0.0.0.0", "http://localhost:8000", " (listening on 0.0.0.0)"),  # noqa: S104 - a test
        ("::", "http://localhost:8000", " (listening on ::)"),
        ("::1", "http://[::1]:8000", ""),
        ("shop.internal", "http://shop.internal:8000", ""),
    ],
)
def test_addresses_are_ones_a_browser_can_open(host: str, base: str, listening: str) -> None:
    assert addresses(host, 8000) == (
        f"serving the API at {base}{listening}; reference pages (offline): "
        f"{base}/docs (Swagger UI), {base}/redoc (ReDoc)"
    )
