"""`/docs` and `/redoc` in Chromium with every host but the loopback address unreachable: the
pages render the API's operations from what the server serves alone. Screenshots are saved
under test-artifacts/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shopping.db.migrations import upgrade
from tests.checkout.browser import LiveServer, live_server, screenshot
from tests.support.browser import chromium, require_browser

#: names resolve to nothing, so any request off this machine fails
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
WAIT = 20  # seconds: the pages render well within this


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    require_browser()
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('docs') / 'shopping.db'}"
    upgrade(url)
    with live_server(url) as found:
        yield found


@pytest.fixture(scope="module")
def driver(server: LiveServer) -> Iterator[Any]:
    with chromium("1280,1000", "api-docs-chromium-", OFFLINE) as found:
        found.set_page_load_timeout(WAIT)
        yield found


def wait_for(driver: Any, css: str) -> list[Any]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    found: list[Any] = WebDriverWait(driver, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, css)
    )
    return found


def loaded_from(driver: Any) -> set[str]:
    """The origins of everything the page loaded (scripts, styles, the document, images)."""
    urls: list[str] = driver.execute_script(
        "return performance.getEntriesByType('resource').map(entry => entry.name)"
    )
    return {"/".join(url.split("/", 3)[:3]) for url in urls}


def test_the_browser_cannot_reach_the_internet(driver: Any) -> None:
    from selenium.common.exceptions import WebDriverException

    with pytest.raises(WebDriverException, match="ERR_NAME_NOT_RESOLVED"):
        driver.get("https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css")


def test_swagger_ui_lists_the_operations_and_can_authorize(driver: Any, server: LiveServer) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{server.url}/")  # the root leads here

    operations = wait_for(driver, ".opblock")
    assert driver.current_url == f"{server.url}/docs"
    assert len(operations) >= 40
    assert "/v1/accounts/{aid}/shopping/draft_orders" in driver.page_source
    assert loaded_from(driver) == {server.url}
    path = screenshot(driver, "api-docs-1-swagger-ui")
    assert path.stat().st_size > 10_000

    driver.find_element(By.CSS_SELECTOR, "button.authorize").click()
    dialog = wait_for(driver, ".dialog-ux .modal-ux-content")[0]
    assert "bearerAuth" in dialog.text
    assert "clientCredentials" in dialog.text
    screenshot(driver, "api-docs-2-swagger-ui-authorize")


def test_redoc_lists_the_operations(driver: Any, server: LiveServer) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{server.url}/redoc")

    operations = wait_for(driver, "[data-section-id^='operation/']")
    assert len(operations) >= 40
    assert "bearerAuth" in driver.page_source  # each operation names its security
    # ReDoc's bundle tries one image of its own, the Redocly logo under the menu; the page's
    # Content-Security-Policy refuses it and ReDoc hides the logo when it fails to load
    assert loaded_from(driver) == {server.url, "https://cdn.redoc.ly"}
    assert not driver.find_elements(By.CSS_SELECTOR, "img[alt='redocly logo']")
    path: Path = screenshot(driver, "api-docs-3-redoc")
    assert path.stat().st_size > 10_000
