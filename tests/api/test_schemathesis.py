"""Schemathesis drives every account operation with requests drawn from the document.

For each operation under `/v1/accounts/{aid}/`, Hypothesis draws a small, repeatable set of
requests (path, query, headers, body): mostly ones the OpenAPI document allows, its own
examples among them, some it does not. Each is sent with credentials holding every known
scope of the account, and each answer is checked: no server error, a documented status and
content type, and a body that validates against that status's schema. Every operation runs
in a fresh account holding the resources its path names (`tests/support/seeds.py`); about
half the requests aim at those, the rest at generated ids.
"""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import CheckFunction
from schemathesis.core.result import Ok
from schemathesis.schemas import APIOperation

from shopping.app import create_app
from shopping.config import Settings
from tests.support.seeds import credentials_for, seed_for

#: Requests per operation: both backends together take about a minute on two cores.
EXAMPLES_PER_OPERATION = 20
#: operations whose document does not yet describe every answer: operation → what is missing
Operation = APIOperation[Any, Any, Any, Any]
Request = Case[Operation]
CHECKS: list[CheckFunction] = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


def operation_params() -> list[Any]:
    return [
        pytest.param(
            operation,
            id=operation.label,
        )
        for operation in account_operations()
    ]


@cache
def account_operations() -> list[Operation]:
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:", jwt_secret="x" * 40))
    schema = schemathesis.openapi.from_dict(app.openapi())
    # every body refuses U+0000 up front (400); drawing it would hide what lies behind
    schema.config.generation.update(allow_x00=False)
    account_api = schema.include(path_regex=r"^/v1/accounts/\{aid\}/")
    operations = []
    for result in account_api.get_all_operations():
        assert isinstance(result, Ok), f"schemathesis cannot read an operation: {result}"
        operations.append(result.ok())
    return operations


@pytest.fixture
async def seeds(app: FastAPI, account: str, operation: Operation) -> dict[str, str]:
    return await seed_for(app, account, operation.path)


@pytest.fixture
async def credentials(app: FastAPI, account: str, operation: Operation) -> dict[str, str]:
    return await credentials_for(app, account, operation.path)


@pytest.fixture
def requests(operation: Operation) -> st.SearchStrategy[Request]:
    """Requests the document allows (its own examples among them) and requests it does not;
    built outside the test, as schemathesis draws parts of the examples with Hypothesis."""
    documented = operation.schema.get_strategies_from_examples(operation)
    allowed = st.one_of(operation.as_strategy(), *documented)
    return st.one_of(allowed, operation.as_strategy(GenerationMode.NEGATIVE))


@pytest.mark.parametrize("operation", operation_params())
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,  # the same requests on every run
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # a failing request is reported as drawn, unshrunk
    # the account and its resources are made once per operation, not once per request
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_operation_conforms_to_the_document(
    app: FastAPI,
    account: str,
    seeds: dict[str, str],
    credentials: dict[str, str],
    requests: st.SearchStrategy[Request],
    operation: Operation,
    data: st.DataObject,
) -> None:
    case = data.draw(requests, label="request")
    case.path_parameters = {**(case.path_parameters or {}), "aid": account}
    if data.draw(st.booleans(), label="aim at the seeded resources"):
        case.path_parameters |= {k: v for k, v in seeds.items() if k in case.path_parameters}
    case.headers.update(credentials)
    if "Idempotency-Key" in case.headers:  # a key per request: a reused one stops at 422
        case.headers["Idempotency-Key"] = str(uuid.uuid4())
    response = await send(app, case.as_transport_kwargs(base_url="http://testserver"))
    case.validate_response(response, checks=CHECKS)


async def send(app: FastAPI, request: dict[str, Any]) -> httpx.Response:
    """Send schemathesis' requests-style arguments with httpx, in-process."""
    request.pop("cookies", None)  # the document declares none
    if isinstance(request.get("data"), (bytes, str)):
        request["content"] = request.pop("data")  # a raw body
    # header values are Latin-1 on the wire (negative cases draw any of its characters)
    request["headers"] = {
        name: value.encode("latin-1") for name, value in request["headers"].items()
    }
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as client:
        return await client.request(**request)
