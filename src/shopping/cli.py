"""`shopping-api`: serve | worker | migrate | clients create."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Sequence

from shopping.auth.scopes import KNOWN_SCOPES
from shopping.config import ConfigurationError, Settings

_ACCOUNT = re.compile(r"[PT]\d{8}")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        result: int = args.handler(args)
    except ConfigurationError as exc:
        print(f"shopping-api: {exc}", file=sys.stderr)
        return 2
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shopping-api", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="upgrade the schema, then serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="server processes")
    serve.add_argument("--log-level", default="info")
    _add_log_format(serve)
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser("worker", help="run the background sweeps until stopped")
    worker.add_argument("--once", action="store_true", help="one pass, then exit")
    _add_log_format(worker)
    worker.set_defaults(handler=_worker)

    migrate = commands.add_parser("migrate", help="upgrade the database schema to head")
    migrate.set_defaults(handler=_migrate)

    clients = commands.add_parser("clients", help="manage API clients")
    client_commands = clients.add_subparsers(required=True, metavar="ACTION")
    create = client_commands.add_parser("create", help="create a client; prints JSON once")
    create.add_argument("--account", required=True, help="account id, e.g. T12345678")
    create.add_argument("--scope", action="append", required=True, dest="scopes")
    create.add_argument("--name", default="default")
    create.set_defaults(handler=_create_client)
    return parser


def _add_log_format(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--log-format", choices=("json", "text"), default="json", help="log lines on stdout"
    )


def _migrate(_: argparse.Namespace) -> int:
    from shopping.db.migrations import upgrade

    upgrade(Settings().database_url)
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from shopping.observability.logs import logging_config
    from shopping.observability.multiprocess import multiprocess_metrics

    settings = Settings()
    if args.workers > 1:
        # The parent only supervises: migrating in a child keeps SQLAlchemy and Alembic out
        # of its memory (it would hold them for the server's whole life).
        subprocess.run([sys.executable, "-m", "shopping.cli", "migrate"], check=True)
    else:
        from shopping.db.migrations import upgrade

        upgrade(settings.database_url)
    # Resolve the signing secret once, before worker processes start, so they all share it.
    os.environ["SHOPPING_JWT_SECRET"] = settings.signing_secret()
    with multiprocess_metrics(args.workers):  # several workers: metrics added up across them
        uvicorn.run(
            "shopping.app:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level=args.log_level,
            log_config=logging_config(args.log_format, args.log_level),
            access_log=False,  # ours: one structured line per request (shopping.access)
            proxy_headers=True,
            timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
        )
    return 0


def _worker(args: argparse.Namespace) -> int:
    from shopping.db import create_database
    from shopping.kit.clock import utc_now
    from shopping.observability.logs import configure_logging
    from shopping.worker.build import worker_for

    # `--once` prints its counts on stdout, so its logs go to stderr
    configure_logging(args.log_format, "info", "stderr" if args.once else "stdout")
    settings = Settings()

    async def run() -> None:
        db = create_database(settings)
        try:
            async with worker_for(settings, db, utc_now) as worker:
                if args.once:
                    print(json.dumps(await worker.run_once()))
                    return
                stop = asyncio.Event()
                loop = asyncio.get_running_loop()
                for signum in (signal.SIGINT, signal.SIGTERM):
                    loop.add_signal_handler(signum, stop.set)
                await worker.run_forever(stop)
        finally:
            await db.dispose()

    asyncio.run(run())
    return 0


def _create_client(args: argparse.Namespace) -> int:
    if not _ACCOUNT.fullmatch(args.account):
        print("shopping-api: --account must be T or P followed by 8 digits", file=sys.stderr)
        return 2
    unknown = sorted(set(args.scopes) - KNOWN_SCOPES)
    if unknown:
        print(f"shopping-api: unknown scope(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    from shopping.db.migrations import upgrade

    settings = Settings()
    upgrade(settings.database_url)  # idempotent; lets a newcomer create a client first
    client = asyncio.run(_store_client(settings, args.account, args.scopes, args.name))
    print(json.dumps(client))
    return 0


async def _store_client(
    settings: Settings, account_id: str, scopes: list[str], name: str
) -> dict[str, object]:
    from shopping.auth.clients import create_client
    from shopping.db import create_database

    db = create_database(settings)
    try:
        async with db.write() as conn:
            client = await create_client(conn, account_id, scopes, name)
    finally:
        await db.dispose()
    return {
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        "account_id": client.account_id,
        "scopes": client.scopes,
    }


if __name__ == "__main__":
    raise SystemExit(main())
