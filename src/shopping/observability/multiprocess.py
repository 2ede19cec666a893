"""The metrics directory of several server processes (prometheus-client multiprocess mode).

Kept free of `prometheus_client` imports: it must be set up before that library is imported.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

MULTIPROC_ENV: Final = "PROMETHEUS_MULTIPROC_DIR"


@contextmanager
def multiprocess_metrics(workers: int) -> Iterator[Path | None]:
    """With more than one server process (or when the operator names a directory in
    `PROMETHEUS_MULTIPROC_DIR`): a directory emptied of earlier runs' files, exported to the
    processes about to start. One made here is removed afterwards."""
    configured = os.environ.get(MULTIPROC_ENV)
    if workers <= 1 and not configured:
        yield None
        return
    if configured:
        path = Path(configured)
        path.mkdir(parents=True, exist_ok=True)
    else:
        path = Path(tempfile.mkdtemp(prefix="shopping-metrics-"))
        os.environ[MULTIPROC_ENV] = str(path)
    for stale in path.glob("*.db"):  # values of processes that no longer exist
        stale.unlink(missing_ok=True)
    try:
        yield path
    finally:
        if not configured:
            os.environ.pop(MULTIPROC_ENV, None)
            shutil.rmtree(path, ignore_errors=True)
