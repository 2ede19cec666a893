"""The OpenAPI document is enough to build a client: `openapi-python-client` generates a typed
Python package from a live server's `/openapi.json`, and that package alone makes a whole
purchase against the server (token, draft, line, completion, authorization, capture, refund,
a filtered order list).

The generated functions and models are used as a client author would use them: a model the
document declares is parsed into its generated class (an answer that does not match it fails
here); an answer the document leaves open (`{}`) comes back as JSON.
"""

from __future__ import annotations

import base64
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from uuid import UUID

import httpx
import pytest

from tests.docs.test_readme_walkthrough import environment, executable, serving

ACCOUNT = "T12345678"
PACKAGE = "generated_shopping_client"
#: the operations the purchase calls, by tag module and operation id
OPERATIONS = (
    "auth.issue_token",
    "draft_orders.create_draft",
    "draft_orders.add_item",
    "draft_orders.complete_draft",
    "payment_operations.create_authorization",
    "payment_operations.create_capture",
    "payment_operations.create_refund",
    "orders.list_orders",
)


def generate(document: Path, into: Path) -> str:
    """Generate the package `PACKAGE` under `into` (no post hooks: no formatter needed, nothing
    fetched); the generator's output, warnings included."""
    config = into / "generator.json"
    config.write_text(json.dumps({"post_hooks": []}))
    done = subprocess.run(  # noqa: S603 - the project's own development tool
        [
            str(Path(sys.executable).parent / "openapi-python-client"),
            "generate",
            "--path",
            str(document),
            "--output-path",
            str(into / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


class Generated:
    """The generated package's modules, imported from where it was written."""

    def __init__(self, directory: Path) -> None:
        sys.path.insert(0, str(directory))
        self.package = importlib.import_module(PACKAGE)
        self.models = importlib.import_module(f"{PACKAGE}.models")

    def operation(self, name: str) -> ModuleType:
        return importlib.import_module(f"{PACKAGE}.api.{name}")

    def client(self, base_url: str, token: str, prefix: str = "Bearer") -> Any:
        return self.package.AuthenticatedClient(base_url=base_url, token=token, prefix=prefix)

    def forget(self, directory: Path) -> None:
        sys.path.remove(str(directory))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[tuple[Generated, str]]:
    """The package generated from the live server's document, and the server's base URL."""
    database = f"sqlite+aiosqlite:///{tmp_path / 'shopping.db'}"
    with serving(database, tmp_path) as base:
        document = tmp_path / "openapi.json"
        document.write_bytes(httpx.get(f"{base}/openapi.json", timeout=10).content)
        output = generate(document, tmp_path)
        problems = warnings_about_the_purchase(output, json.loads(document.read_text()))
        assert not problems, "the generator could not use the document for:\n" + "\n".join(problems)
        package = Generated(tmp_path)
        try:
            yield package, base
        finally:
            package.forget(tmp_path)


def warnings_about_the_purchase(output: str, document: dict[str, Any]) -> list[str]:
    """The generator's warnings (`WARNING parsing GET /path …`) about the purchase's
    operations: an operation left out, or an answer it could not type."""
    used = {name.split(".")[1] for name in OPERATIONS}
    found = []
    for line in output.splitlines():
        if line.startswith("WARNING parsing "):
            _, _, method, path, *_ = line.split()
            operation = document["paths"].get(path, {}).get(method.lower(), {})
            if operation.get("operationId") in used:
                found.append(line)
    return found


def create_client(directory: Path, database: str) -> dict[str, str]:
    created = subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [
            str(executable()),
            "clients",
            "create",
            "--account",
            ACCOUNT,
            "--name",
            "generated client",
            "--scope",
            "admin:shopping",
        ],
        cwd=directory,
        env=environment(database),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    client: dict[str, str] = json.loads(created.stdout)
    return client


def answer(response: Any, status: int = 200) -> Any:
    """The parsed model when the document declares one, else the JSON body."""
    assert response.status_code == status, response.content
    if response.parsed is not None:
        return response.parsed
    return json.loads(response.content)


def as_json(value: Any) -> Any:
    """A generated model (or JSON already) as JSON, to read fields the document leaves open."""
    return value.to_dict() if hasattr(value, "to_dict") else value


def test_a_generated_client_makes_a_whole_purchase(
    generated: tuple[Generated, str], tmp_path: Path
) -> None:
    package, base = generated
    models = package.models
    for name in OPERATIONS:
        assert hasattr(package.operation(name), "sync_detailed"), name

    # the token: client credentials as HTTP Basic (the `clientCredentials` scheme)
    client = create_client(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'shopping.db'}")
    credentials = base64.b64encode(f"{client['client_id']}:{client['client_secret']}".encode())
    basic = package.client(base, credentials.decode(), prefix="Basic")
    token = answer(
        package.operation("auth.issue_token").sync_detailed(
            ACCOUNT, client=basic, body=models.TokenRequest(grant_type="client_credentials")
        )
    )
    assert isinstance(token, models.TokenResponse)
    api = package.client(base, token.access_token)

    # a draft with one line, then a second line
    draft = answer(
        package.operation("draft_orders.create_draft").sync_detailed(
            ACCOUNT,
            client=api,
            body=models.DraftOrderWrite(
                order=models.OrderObject(
                    currency="NOK",
                    items=[
                        models.OrderItem(
                            id="SKU-1",
                            description="Stablestol",
                            quantity=1,
                            gross_amount=10000,
                            tax_lines=[
                                models.TaxLine(percentage=25, amount=2000, included_in_price=True)
                            ],
                        )
                    ],
                )
            ),
            idempotency_key="generated-client-draft",
        )
    )
    assert isinstance(draft, models.DraftOrder)
    assert draft.status == models.DraftOrderStatus.OPEN
    with_line = answer(
        package.operation("draft_orders.add_item").sync_detailed(
            ACCOUNT,
            UUID(draft.id),
            client=api,
            body=models.OrderItem(
                id="SKU-2",
                description="Putetrekk",
                quantity=2,
                gross_amount=5000,
                tax_lines=[models.TaxLine(percentage=25)],
            ),
            if_match=f'"{draft.version}"',
        )
    )
    assert isinstance(with_line, models.DraftOrder)
    assert [item["line_id"] for item in as_json(with_line.order)["items"]] == [1, 2]

    # completed: an order waiting for payment
    completed = as_json(
        answer(
            package.operation("draft_orders.complete_draft").sync_detailed(
                ACCOUNT, UUID(draft.id), client=api
            )
        )
    )
    assert completed["status"] == "completed"
    order_id = completed["orders"][0]["id"]

    # a payment system of its own authorizes, then the shop captures and refunds a line
    both_lines = [
        models.OperationLine(line_id=1, amount=10000),
        models.OperationLine(line_id=2, amount=5000),
    ]
    authorization = as_json(
        answer(
            package.operation("payment_operations.create_authorization").sync_detailed(
                ACCOUNT,
                order_id,
                client=api,
                body=models.OperationCreate(items=both_lines, processed_by="generated-psp"),
            )
        )
    )
    assert authorization["amount"] == 15000
    capture = as_json(
        answer(
            package.operation("payment_operations.create_capture").sync_detailed(
                ACCOUNT, order_id, client=api, body=models.OperationCreate(items=both_lines)
            )
        )
    )
    assert (capture["amount"], capture["success"]) == (15000, True)
    refund = as_json(
        answer(
            package.operation("payment_operations.create_refund").sync_detailed(
                ACCOUNT,
                order_id,
                client=api,
                body=models.OperationCreate(items=[models.OperationLine(line_id=2, amount=5000)]),
            )
        )
    )
    assert (refund["amount"], refund["success"]) == (5000, True)

    # the list, filtered by payment status with the generated enum
    listed = answer(
        package.operation("orders.list_orders").sync_detailed(
            ACCOUNT,
            client=api,
            payment_status=[models.ListOrdersPaymentStatusItem.PARTIALLY_REFUNDED],
        )
    )
    assert isinstance(listed, models.OrderList)
    assert [as_json(order)["id"] for order in listed.orders] == [order_id]
    assert as_json(listed.orders[0])["payment_status"] == "partially_refunded"
    unpaid = answer(
        package.operation("orders.list_orders").sync_detailed(
            ACCOUNT, client=api, payment_status=[models.ListOrdersPaymentStatusItem.PENDING]
        )
    )
    assert unpaid.orders == []
