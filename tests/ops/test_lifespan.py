"""The worker `serve` runs in-process on embedded SQLite stops cleanly with the server."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from shopping.app import create_app
from shopping.config import Settings
from shopping.db.migrations import upgrade
from tests.conftest import TEST_SECRET


async def test_the_in_process_worker_stops_promptly_and_cleanly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'lifespan.db'}"
    await asyncio.to_thread(upgrade, url)
    # long pauses between passes: stopping must not wait for them to run out
    settings = Settings(
        database_url=url,
        jwt_secret=TEST_SECRET,
        relay_interval_seconds=60,
        worker_interval_seconds=3600,
    )
    assert settings.runs_worker_in_process
    app = create_app(settings)
    caplog.set_level(logging.WARNING, logger="shopping")
    before = asyncio.all_tasks()
    async with app.router.lifespan_context(app):
        await asyncio.sleep(0.2)  # the worker's first passes run, then it waits
        worker_tasks = asyncio.all_tasks() - before
        assert worker_tasks, "no worker task runs in-process"
        assert not any(task.done() for task in worker_tasks)
        started = time.monotonic()
    assert time.monotonic() - started < 2
    for task in worker_tasks:
        assert task.done()
        assert not task.cancelled()
        assert task.exception() is None
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


async def test_without_the_in_process_worker_no_task_is_left(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'lifespan.db'}"
    app = create_app(Settings(database_url=url, jwt_secret=TEST_SECRET, worker_in_process=False))
    before = asyncio.all_tasks()
    async with app.router.lifespan_context(app):
        assert asyncio.all_tasks() == before
    assert asyncio.all_tasks() == before
