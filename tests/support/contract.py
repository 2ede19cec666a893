"""Every response the API tests receive, checked against the app's OpenAPI document.

`ContractTransport` wraps the in-process transport the tests share: each response to an
operation the document describes must have a documented status, and its JSON body must
validate against that status's schema. A test whose call gets an undocumented answer fails
there, naming the operation, the status and the first schema error; so the document cannot
drift from what the API really sends.
"""

from __future__ import annotations

import json
import re
import weakref
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

PARAMETER = re.compile(r"\\\{[^}]+\\\}")


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    responses: dict[str, Any]


class Contract:
    """The document's operations, matched by method and path, and their response schemas."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.components = document.get("components", {})
        operations = [
            Operation(method.upper(), template, _pattern(template), operation["responses"])
            for template, item in document["paths"].items()
            for method, operation in item.items()
        ]
        # literal paths before templated ones (`/orders/imports` before `/orders/{id}`)
        operations.sort(key=lambda op: op.template.count("{"))
        self.operations = operations
        self.validators: dict[tuple[str, str, str], Draft202012Validator] = {}

    def operation(self, method: str, path: str) -> Operation | None:
        return next(
            (op for op in self.operations if op.method == method and op.pattern.match(path)),
            None,
        )

    def violations(self, method: str, path: str, status: int, body: bytes) -> list[str]:
        """What is wrong with one response, or nothing."""
        operation = self.operation(method, path)
        if operation is None:
            return []  # a page, a static file, /metrics: not part of the API document
        where = f"{method} {operation.template} -> {status}"
        documented = operation.responses.get(str(status)) or operation.responses.get("default")
        if documented is None:
            return [f"{where}: status not documented ({sorted(operation.responses)})"]
        schema = documented.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return [] if not body else [f"{where}: a body where the document has none"]
        try:
            value = json.loads(body)
        except ValueError:
            return [f"{where}: the body is not JSON"]
        validator = self._validator(operation, str(status), schema)
        error = best_match(validator.iter_errors(value))
        if error is None:
            return []
        location = "/".join(str(part) for part in error.absolute_path) or "(body)"
        return [f"{where}: at {location}: {error.message}"]

    def _validator(
        self, operation: Operation, status: str, schema: dict[str, Any]
    ) -> Draft202012Validator:
        key = (operation.method, operation.template, status)
        if key not in self.validators:
            self.validators[key] = validator_for(schema, self.components)
        return self.validators[key]


def validator_for(schema: dict[str, Any], components: dict[str, Any]) -> Draft202012Validator:
    """A validator of one schema of the document, its `#/components/...` references resolved
    against the document's components."""
    return Draft202012Validator({"allOf": [schema], "components": components})


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + PARAMETER.sub("[^/]+", re.escape(template)) + "$")


_CONTRACTS: weakref.WeakKeyDictionary[FastAPI, Contract] = weakref.WeakKeyDictionary()


def contract_of(app: FastAPI) -> Contract:
    if app not in _CONTRACTS:
        _CONTRACTS[app] = Contract(app.openapi())
    return _CONTRACTS[app]


class ContractViolation(AssertionError):
    pass


class ContractTransport(httpx.AsyncBaseTransport):
    """An in-process transport that checks each API response against the document."""

    def __init__(self, app: FastAPI) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        contract = contract_of(self.app)
        problems = contract.violations(request.method, request.url.path, response.status_code, body)
        if problems:
            raise ContractViolation("; ".join(problems))
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            content=body,
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self.inner.aclose()
