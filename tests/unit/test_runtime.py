"""The server process freezes its start-up heap and collects young objects less often."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from shopping.app import create_app
from shopping.config import Settings
from shopping.runtime import YOUNG_GENERATION_THRESHOLD, settle_heap


@pytest.fixture
def restored_gc() -> Iterator[None]:
    threshold = gc.get_threshold()
    gc.unfreeze()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_settle_heap_freezes_what_is_alive_and_raises_the_young_threshold(
    restored_gc: None,
) -> None:
    _, middle, old = gc.get_threshold()
    settle_heap()
    assert gc.get_freeze_count() > 1000
    assert gc.get_threshold() == (YOUNG_GENERATION_THRESHOLD, middle, old)


async def test_the_app_settles_its_heap_on_start_up(restored_gc: None, tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/gc.db"))
    assert gc.get_freeze_count() == 0
    async with app.router.lifespan_context(app):
        assert gc.get_freeze_count() > 1000
