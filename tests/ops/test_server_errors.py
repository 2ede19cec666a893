"""Behind a real HTTP server: after an unhandled error the server closes the connection, and
the 500 says so (`Connection: close`), so a client never sends its next request into a socket
that is going away; other answers keep the connection open."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
import uvicorn
from fastapi import FastAPI

from shopping.errors import Conflict, install_error_handlers


@pytest.fixture
async def server_port() -> AsyncIterator[int]:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/crash")
    async def crash() -> None:
        raise RuntimeError("boom")

    @app.get("/conflict")
    async def conflict() -> None:
        raise Conflict("taken")

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(500):  # bounded: at most 5 s
        if server.started:
            break
        await asyncio.sleep(0.01)
    assert server.started
    yield port
    server.should_exit = True
    await task


async def exchange(port: int, *paths: str) -> bytes:
    """Send the requests on one connection, one after the other; everything read back."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    received = b""
    try:
        for path in paths:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: test\r\n\r\n".encode())
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            received += head + await reader.readexactly(length)
        received += await asyncio.wait_for(reader.read(), 5) if b"close" in received else b""
    finally:
        writer.close()
    return received


async def test_a_500_says_connection_close_and_the_connection_closes(server_port: int) -> None:
    got = await exchange(server_port, "/crash")
    assert got.startswith(b"HTTP/1.1 500")
    assert b"connection: close" in got.lower()  # and read() above returned: the server closed


async def test_a_409_keeps_the_connection_usable(server_port: int) -> None:
    got = await exchange(server_port, "/conflict", "/conflict")
    assert got.count(b"HTTP/1.1 409") == 2
    assert b"connection: close" not in got.lower()
