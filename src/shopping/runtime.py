"""Settings of the Python runtime for a long-running server process."""

from __future__ import annotations

import gc
from typing import Final

#: Net allocations between collections of the youngest generation. CPython's default (700) is
#: reached several times by one request that decodes, builds and encodes a few order
#: documents; each collection then walks everything the request holds.
YOUNG_GENERATION_THRESHOLD: Final = 10_000


def settle_heap() -> None:
    """Call once the app is built, before serving.

    `gc.freeze()` moves everything alive at that point (modules, routes, validators, table
    metadata: a large heap) to a permanent generation: it lives as long as the process, and
    every full collection would otherwise traverse it again, in the middle of some request.
    Reference counting still frees a request's objects at once — the collector only finds
    cycles — so collecting the young generation less often costs little memory and keeps
    collector pauses out of the requests' latency.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, old)
