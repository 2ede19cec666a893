"""A TCP proxy on loopback in front of the test Postgres, for tests that watch or hold back
what travels on the wire. Subclasses decide how the two directions are pumped."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, Self

from sqlalchemy import URL


class TcpProxy:
    def __init__(self, target: URL) -> None:
        self.target = target
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.url = ""  # the target's URL, pointed at the proxy

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = self.target.set(host="127.0.0.1", port=port).render_as_string(
            hide_password=False
        )
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _serve(
        self, client_in: asyncio.StreamReader, client_out: asyncio.StreamWriter
    ) -> None:
        host, port = self.target.host or "127.0.0.1", self.target.port or 5432
        server_in, server_out = await asyncio.open_connection(host, port)
        for pump in self.pumps(client_in, client_out, server_in, server_out):
            self._tasks.add(asyncio.create_task(pump))

    def pumps(
        self,
        client_in: asyncio.StreamReader,
        client_out: asyncio.StreamWriter,
        server_in: asyncio.StreamReader,
        server_out: asyncio.StreamWriter,
    ) -> list[Coroutine[Any, Any, None]]:
        """The coroutines that carry client → server and server → client."""
        raise NotImplementedError
