"""Planner statistics for our tables on a Postgres server whose autovacuum is off.

Postgres plans a prepared statement (ours, and the foreign-key check it runs per inserted row)
generically once it has seen it a few times, from the statistics and table sizes of that
moment, and keeps that plan until the statistics of a table it reads change. Autovacuum's
ANALYZE changes them as tables grow. Without it a plan made while a table was empty stays for
the life of the connection: with nothing to choose between them, the planner takes any index
that starts with `account_id` for a look-up by `(account_id, id)` and filters the account's
rows one by one (measured: a draft event's foreign-key check grew to 12 ms per insert at
60 000 drafts); once analyzed while tiny, it takes a sequential scan.

So when autovacuum is off, `serve` does the part of its work that plans depend on: every few
seconds it analyzes each of our tables that changed by more than half since its last ANALYZE
(or by 50 rows, while it is small). A plan is then never made from statistics of a table
less than two thirds of its size, which keeps look-ups by key on their index. One process at
a time does it (an advisory lock); with autovacuum on it does nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from shopping.db.database import Database

log = logging.getLogger("shopping.db")

#: Arbitrary, fixed: the advisory lock that lets one process at a time analyze.
ADVISORY_LOCK = 7_201_512_021
#: Changed rows since the last ANALYZE that make a table due: like autovacuum's rule, with a
#: larger scale factor (ANALYZE samples up to 30 000 rows; doing it on every 10 % of growth
#: would cost more than the plans it keeps right).
BASE_THRESHOLD, SCALE_FACTOR = 50, 0.5
#: The statistics target of these ANALYZEs (Postgres's default is 100: 30 000 sampled rows).
#: What the plans here depend on, table sizes and which columns are unique, is as good from
#: 3 000 rows; measured on tables of 40 000 rows, each ANALYZE took 12-22 ms instead of
#: 75-210 ms of a server's CPU, which it took from the requests running beside it.
STATISTICS_TARGET = 10

_AUTOVACUUM_ON = text("SELECT current_setting('autovacuum') = 'on'")
_TRY_LOCK = text("SELECT pg_try_advisory_lock(:key)")
_UNLOCK = text("SELECT pg_advisory_unlock(:key)")
_DUE = text(
    "SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid"
    " WHERE s.schemaname = current_schema()"
    " AND s.n_mod_since_analyze > :base + :scale * greatest(c.reltuples, 0)"
    " ORDER BY s.relname"
)


async def refresh_statistics(db: Database) -> list[str]:
    """Analyze the tables that are due, if autovacuum is off; returns their names."""
    if db.dialect != "postgresql":
        return []
    async with db.read() as conn:  # autocommit: each ANALYZE commits on its own
        if (await conn.execute(_AUTOVACUUM_ON)).scalar_one():
            return []
        if not (await conn.execute(_TRY_LOCK, {"key": ADVISORY_LOCK})).scalar_one():
            return []  # another process is at it
        try:
            return await _analyze_due(conn)
        finally:
            await conn.execute(_UNLOCK, {"key": ADVISORY_LOCK})


async def _analyze_due(conn: AsyncConnection) -> list[str]:
    params = {"base": BASE_THRESHOLD, "scale": SCALE_FACTOR}
    due = list((await conn.execute(_DUE, params)).scalars())
    quote = conn.dialect.identifier_preparer.quote
    if not due:
        return due
    await conn.execute(text(f"SET default_statistics_target = {STATISTICS_TARGET}"))
    try:
        for table in due:
            await conn.execute(text(f"ANALYZE {quote(table)}"))
    finally:  # the connection goes back to the pool as it came
        await conn.execute(text("RESET default_statistics_target"))
    return due


async def keep_statistics(db: Database, stop: asyncio.Event, interval_seconds: float) -> None:
    """`refresh_statistics` every `interval_seconds` until `stop` is set."""
    while not stop.is_set():
        try:
            analyzed = await refresh_statistics(db)
            if analyzed:
                log.debug("analyzed", extra={"tables": analyzed})
        except Exception:  # a failed pass must not end the loop; the next one retries
            log.exception("refreshing planner statistics failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval_seconds)
