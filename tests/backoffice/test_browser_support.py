"""Without Chromium the browser tests skip with a notice, except where they must run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import browser


@pytest.fixture
def no_chromium(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("SHOPPING_TEST_REQUIRE_POSTGRES", raising=False)
    return monkeypatch


def test_a_missing_browser_skips_with_a_notice(no_chromium: pytest.MonkeyPatch) -> None:
    with pytest.raises(pytest.skip.Exception, match="apt install chromium"):
        browser.require_browser()


@pytest.mark.parametrize(
    ("name", "value"), [("CI", "true"), ("SHOPPING_TEST_REQUIRE_POSTGRES", "1")]
)
def test_a_missing_browser_fails_where_the_tests_must_run(
    no_chromium: pytest.MonkeyPatch, name: str, value: str
) -> None:
    no_chromium.setenv(name, value)
    with pytest.raises(pytest.fail.Exception, match="browser tests need"):
        browser.require_browser()
