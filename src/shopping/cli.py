"""`shopping-api`: serve | worker | migrate | clients create/list/revoke | demo.

Results go to stdout (JSON where a script reads them); messages for the person at the
terminal go to stderr, prefixed `shopping-api:`. Exit code 2 means the command could not run
as configured: a bad argument, a setting, or a database it cannot use (named, password masked,
with what to do) — never a traceback.
"""

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

from pydantic import ValidationError

from shopping import __version__
from shopping.auth.scopes import KNOWN_SCOPES
from shopping.commands.database import (
    DatabaseProblem,
    DatabaseTarget,
    explain,
    is_database_error,
    target_of,
)
from shopping.commands.schema import require_schema, say, upgrade_schema
from shopping.config import ConfigurationError, Settings

_ACCOUNT = re.compile(r"[PT]\d{8}")
#: the process could not run as configured (argparse uses the same code for bad arguments)
EXIT_CONFIGURATION = 2


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result: int = args.handler(args)
    except (ConfigurationError, DatabaseProblem) as exc:
        say(str(exc))
        return EXIT_CONFIGURATION
    except ValidationError as exc:  # a SHOPPING_* variable with a value it cannot take
        problems = "; ".join(
            f"SHOPPING_{'__'.join(map(str, error['loc'])).upper()}: {error['msg']}"
            for error in exc.errors()
        )
        say(f"invalid setting: {problems}")
        return EXIT_CONFIGURATION
    except Exception as exc:
        if not is_database_error(exc):
            raise
        say(explain(exc, _configured_target()))
        return EXIT_CONFIGURATION
    return result


def _configured_target() -> DatabaseTarget:
    try:
        return target_of(Settings())
    except Exception:  # naming the database is a courtesy; the error is reported anyway
        return DatabaseTarget("", "(the configured database)", None)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shopping-api", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"shopping-api {__version__}")
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
    _add_account(create)
    create.add_argument(
        "--scope",
        action="append",
        required=True,
        dest="scopes",
        help="a scope to grant (repeat for more); e.g. admin:shopping",
    )
    create.add_argument("--name", default="default")
    create.set_defaults(handler=_create_client)

    listing = client_commands.add_parser("list", help="the account's clients, revoked ones too")
    _add_account(listing)
    listing.add_argument("--json", action="store_true", help="one JSON object a line")
    listing.set_defaults(handler=_list_clients)

    revoke = client_commands.add_parser(
        "revoke",
        help="refuse a client new tokens at once (tokens it holds work until they expire)",
    )
    _add_account(revoke)
    revoke.add_argument("client_id")
    revoke.set_defaults(handler=_revoke_client)

    demo = commands.add_parser(
        "demo", help="fill a test account with sample drafts, orders, payments and a webhook"
    )
    _add_account(demo)
    demo.set_defaults(handler=_demo)
    return parser


def _add_account(command: argparse.ArgumentParser) -> None:
    command.add_argument("--account", required=True, help="account id, e.g. T12345678")


def _add_log_format(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--log-format", choices=("json", "text"), default="json", help="log lines on stdout"
    )


def _account_problem(account: str) -> str | None:
    if _ACCOUNT.fullmatch(account):
        return None
    return "--account must be T (test) or P (production) followed by 8 digits, e.g. T12345678"


def _migrate(_: argparse.Namespace) -> int:
    upgrade_schema(target_of(Settings()))
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from shopping.observability.logs import logging_config
    from shopping.observability.multiprocess import multiprocess_metrics

    settings = Settings()
    target = target_of(settings)
    if args.workers > 1:
        # The parent only supervises: migrating in a child keeps SQLAlchemy and Alembic out
        # of its memory (it would hold them for the server's whole life). The child reports
        # the database, its revision and any problem itself.
        migrated = subprocess.run([sys.executable, "-m", "shopping.cli", "migrate"], check=False)
        if migrated.returncode != 0:
            return migrated.returncode
    else:
        upgrade_schema(target)
    # Resolve the signing secret once, before worker processes start, so they all share it.
    os.environ["SHOPPING_JWT_SECRET"] = settings.signing_secret()
    say(addresses(args.host, args.port))
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


def addresses(host: str, port: int) -> str:
    """Where `serve` answers: the API and its reference pages, as URLs a browser can open."""
    # a wildcard address is not one to browse to; this machine answers on it as localhost
    browsable = "localhost" if host in ("0.0.0.0", "::", "") else host  # noqa: S104 - compared
    base = f"http://{f'[{browsable}]' if ':' in browsable else browsable}:{port}"
    listening = "" if browsable == host else f" (listening on {host or 'all interfaces'})"
    return (
        f"serving the API at {base}{listening}; reference pages (offline): "
        f"{base}/docs (Swagger UI), {base}/redoc (ReDoc)"
    )


def _worker(args: argparse.Namespace) -> int:
    from shopping.observability.logs import configure_logging

    # `--once` prints its counts on stdout, so its logs go to stderr
    configure_logging(args.log_format, "info", "stderr" if args.once else "stdout")
    settings = Settings()
    target = target_of(settings)
    require_schema(target)
    asyncio.run(_run_worker(settings, once=args.once))
    return 0


async def _run_worker(settings: Settings, *, once: bool) -> None:
    from shopping.db import create_database
    from shopping.kit.clock import utc_now
    from shopping.worker.build import worker_for

    db = create_database(settings)
    try:
        async with worker_for(settings, db, utc_now) as worker:
            if once:
                print(json.dumps(await worker.run_once()))
                return
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            await worker.run_forever(stop)
    finally:
        await db.dispose()


def _create_client(args: argparse.Namespace) -> int:
    problem = _account_problem(args.account)
    if problem is not None:
        say(problem)
        return EXIT_CONFIGURATION
    unknown = sorted(set(args.scopes) - KNOWN_SCOPES)
    if unknown:
        say(
            f"unknown scope(s): {', '.join(unknown)}; valid scopes: "
            f"{', '.join(sorted(KNOWN_SCOPES))}"
        )
        return EXIT_CONFIGURATION
    from shopping.commands.clients import store_client

    settings = Settings()
    upgrade_schema(target_of(settings))  # idempotent; lets a newcomer create a client first
    client = asyncio.run(store_client(settings, args.account, args.scopes, args.name))
    print(
        json.dumps(
            {
                "client_id": client.client_id,
                "client_secret": client.client_secret,
                "account_id": client.account_id,
                "scopes": client.scopes,
            }
        )
    )
    return 0


def _list_clients(args: argparse.Namespace) -> int:
    problem = _account_problem(args.account)
    if problem is not None:
        say(problem)
        return EXIT_CONFIGURATION
    from shopping.commands.clients import client_json, client_line, clients_of

    settings = Settings()
    target = target_of(settings)
    require_schema(target)
    found = asyncio.run(clients_of(settings, args.account))
    for client in found:
        print(json.dumps(client_json(client)) if args.json else client_line(client))
    if not found:
        say(f"account {args.account} has no clients in {target.shown}")
    return 0


def _revoke_client(args: argparse.Namespace) -> int:
    problem = _account_problem(args.account)
    if problem is not None:
        say(problem)
        return EXIT_CONFIGURATION
    from shopping.auth.clients import Revocation
    from shopping.commands.clients import revoke

    settings = Settings()
    target = target_of(settings)
    require_schema(target)
    outcome = asyncio.run(revoke(settings, args.account, args.client_id))
    if outcome is Revocation.UNKNOWN:
        say(
            f"account {args.account} has no client {args.client_id} in {target.shown}; "
            f"`shopping-api clients list --account {args.account}` shows its clients"
        )
        return 1
    expiry = settings.token_ttl_seconds
    if outcome is Revocation.ALREADY_REVOKED:
        say(f"client {args.client_id} was already revoked")
    else:
        say(
            f"client {args.client_id} revoked: it gets no new tokens; tokens it holds stop "
            f"working when they expire (within {expiry} s, SHOPPING_TOKEN_TTL_SECONDS)"
        )
    return 0


def _demo(args: argparse.Namespace) -> int:
    problem = _account_problem(args.account)
    if problem is None and not args.account.startswith("T"):
        problem = "demo data goes into test accounts only: --account must start with T"
    if problem is not None:
        say(problem)
        return EXIT_CONFIGURATION
    from shopping.commands.demo import DemoFailed, fill_account

    settings = Settings()
    upgrade_schema(target_of(settings))
    try:
        result = asyncio.run(fill_account(settings, args.account))
    except DemoFailed as exc:
        say(f"the demo data could not be made: {exc}")
        return 1
    print(json.dumps(result.as_json()))
    say(
        f"account {args.account}: {len(result.drafts)} open drafts, {len(result.orders)} "
        f"orders, {len(result.subscriptions)} webhook subscription (inactive); running the "
        "demo again adds nothing"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
