"""Not lending a Postgres connection whose session the server ended while it sat in the pool.

A restart, a failover or `pg_terminate_backend` ends idle sessions: the server sends a goodbye
(a FATAL error) and closes the socket. The pool runs `check_alive` on every connection before
lending it (psycopg_pool's `check` callback); a dead one is discarded and another lent, so the
unit of work gets a live connection instead of failing on a dead one. The check reads what is
waiting on the socket without blocking and without a round trip, through psycopg's public
libpq wrapper (`connection.pgconn`) and notice handlers.
"""

from __future__ import annotations

import select
import weakref
from typing import Any

from psycopg import AsyncConnection, OperationalError
from psycopg.errors import Diagnostic
from psycopg.pq import ConnStatus

_said_goodbye: weakref.WeakSet[Any] = weakref.WeakSet()


class SessionEnded(OperationalError):
    """The server ended this connection's session while it was idle."""


async def check_alive(connection: AsyncConnection[Any]) -> None:
    """Raise `SessionEnded` when the server has ended this idle connection's session."""
    if closed_by_server(connection):
        raise SessionEnded("the server closed this session while it was idle")


def closed_by_server(connection: AsyncConnection[Any]) -> bool:
    """Whether the server has ended this idle session. It then sent its goodbye and closed
    the socket, so there is something to read, where a live idle session has nothing, or an
    asynchronous message (a notification) that is read and kept."""
    if connection.closed or connection.broken:
        return True
    pgconn = connection.pgconn
    try:
        for _ in range(3):  # the goodbye is read first (libpq takes it as a notice), then EOF
            readable, _, _ = select.select([pgconn.socket], [], [], 0)
            if not readable:
                break
            pgconn.consume_input()
            pgconn.is_busy()  # parses what was read: the goodbye reaches the notice handlers
    except (OSError, OperationalError):
        return True
    # the goodbye may be here before the end of the stream is (the server process closes its
    # socket as it exits, a moment after)
    return pgconn.status != ConnStatus.OK or connection in _said_goodbye


def watch_for_goodbye(connection: AsyncConnection[Any]) -> None:
    """Note on a new connection when the server says goodbye while it is idle: libpq hands
    that FATAL error to the notice handlers, as it does any error that answers no query."""
    ref = weakref.ref(connection)

    def on_notice(diagnostic: Diagnostic) -> None:
        if diagnostic.severity_nonlocalized == "FATAL" and (alive := ref()) is not None:
            _said_goodbye.add(alive)

    connection.add_notice_handler(on_notice)
