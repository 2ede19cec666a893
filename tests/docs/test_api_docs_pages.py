"""`/docs` (Swagger UI) and `/redoc` (ReDoc) load only what the server itself serves, so they
work offline; `/` leads to `/docs`. (`test_api_docs_browser.py` opens them in Chromium.)"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from importlib.metadata import version

import httpx
import pytest

from shopping.app import create_app
from shopping.config import Settings
from tests.conftest import TEST_SECRET

ASSETS = f"/docs/assets/{version('fastapi-offline')}"


@pytest.fixture(scope="module")
async def pages() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:", jwt_secret=TEST_SECRET))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def referenced_urls(html: str) -> list[str]:
    """Every `src`, `href` and `spec-url` of the page, and the URL Swagger UI loads."""
    found = re.findall(r"""(?:src|href|spec-url)="([^"]*)"|url: '([^']*)'""", html)
    return [attribute or script for attribute, script in found]


@pytest.mark.parametrize(
    ("page", "assets"),
    [
        ("/docs", {"swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"}),
        ("/redoc", {"redoc.standalone.js", "favicon.png"}),
    ],
)
async def test_the_pages_reference_only_the_servers_own_assets(
    pages: httpx.AsyncClient, page: str, assets: set[str]
) -> None:
    answer = await pages.get(page)

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert not re.search(r"https?://", answer.text), "the page loads something from the internet"
    urls = referenced_urls(answer.text)
    assert set(urls) == {f"{ASSETS}/{name}" for name in assets} | {"/openapi.json"}
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    for url in urls:
        assert (await pages.get(url)).status_code == 200, url


async def test_swagger_ui_keeps_the_authorization_across_reloads(
    pages: httpx.AsyncClient,
) -> None:
    page = (await pages.get("/docs")).text

    assert '"persistAuthorization": true' in page
    assert '"validatorUrl": null' in page  # no badge fetched from swagger.io


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
        ("swagger-ui.css", "text/css; charset=utf-8"),
        ("redoc.standalone.js", "text/javascript; charset=utf-8"),
        ("favicon.png", "image/png"),
    ],
)
async def test_the_assets_are_served_with_their_type_and_cached_for_good(
    pages: httpx.AsyncClient, name: str, content_type: str
) -> None:
    answer = await pages.get(f"{ASSETS}/{name}")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == content_type
    assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert len(answer.content) > 1000


async def test_only_the_known_assets_are_served(pages: httpx.AsyncClient) -> None:
    assert (await pages.get(f"{ASSETS}/core.py")).status_code == 404
    assert (await pages.get(f"{ASSETS}/..%2F__init__.py")).status_code == 404


async def test_the_root_leads_to_the_swagger_ui(pages: httpx.AsyncClient) -> None:
    answer = await pages.get("/")

    assert answer.status_code in {307, 308}
    assert answer.headers["location"] == "/docs"


async def test_the_pages_are_not_operations_of_the_document(pages: httpx.AsyncClient) -> None:
    paths = (await pages.get("/openapi.json")).json()["paths"]

    assert not {"/", "/docs", "/redoc"} & set(paths)
    assert not any(path.startswith("/docs/") for path in paths)
