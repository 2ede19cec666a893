"""Request bodies must be JSON that every later stage reads the same way.

Python's parser (which validates the body), orjson (which stores and renders it) and Postgres
`jsonb` disagree at the edges of JSON: `NaN` and `Infinity` are not JSON but Python reads them
and orjson writes them as `null`; `1e400` becomes infinity; integers beyond 64 bits are exact in
Python, refused by orjson and `bigint`; lone surrogates (`"\\ud800"`) are read into strings that
cannot be encoded again; and of duplicate keys each reader keeps the last while the audit event
keeps both. Such a body is refused up front, for every write alike, naming where the problem is.

One pass with the standard parser's hooks does the work on the hot path; only a refused body is
parsed a second time, to find the path of the problem.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from shopping.errors import ValidationFailed

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
"""What Postgres `bigint`/`jsonb` consumers and orjson all hold exactly."""

#: A `\uD800`–`\uDFFF` escape. Most are halves of a valid pair (clients that escape all
#: non-ASCII send emoji that way), so a match only asks orjson, which refuses lone halves.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class BodyNotStrictJson(ValidationFailed):
    def __init__(self, path: str, problem: str) -> None:
        super().__init__(
            f"The request body is not strict JSON: {path} {problem}",
            errors=[{"path": path, "message": problem}],
        )


def check_strict_json(raw: bytes) -> None:
    """Refuse a body that is JSON only to a lenient reader (see the module docstring).

    A body that is not JSON at all is left to the route, which reports it as it always has.
    """
    if not raw:
        return
    try:
        _FAST.decode(raw.decode("utf-8"))
        if _SURROGATE_ESCAPE.search(raw):
            orjson.loads(raw)
        return
    except (_Refused, ValueError, RecursionError):  # JSON and Unicode errors are ValueErrors
        pass
    problem = first_problem(raw)
    if problem is not None:
        raise BodyNotStrictJson(*problem)


def first_problem(raw: bytes) -> tuple[str, str] | None:
    """(path, what is wrong) of the first problem found, or None if there is none or the body
    is not JSON at all."""
    # invalid UTF-8 becomes lone surrogates here, found and placed like escaped ones
    text = raw.decode("utf-8", "surrogateescape")
    try:
        tree = _DIAGNOSTIC.decode(text)
    except (ValueError, RecursionError):
        return None
    for path, problem in _problems(tree):
        return _printable(path) or "body", problem
    return None


# ---- the hot path: abort at the first problem -----------------------------------------------
class _Refused(Exception):
    pass


def _object_or_refuse(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _Refused
    return obj


def _int_or_refuse(text: str) -> int:
    value = int(text)  # beyond Python's digit limit: a ValueError, refused as well
    if not INT64_MIN <= value <= INT64_MAX:
        raise _Refused
    return value


def _float_or_refuse(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _Refused
    return value


def _refuse(name: str) -> Any:
    raise _Refused


_FAST = json.JSONDecoder(
    object_pairs_hook=_object_or_refuse,
    parse_int=_int_or_refuse,
    parse_float=_float_or_refuse,
    parse_constant=_refuse,
)


# ---- diagnosis: keep every problem in place, then walk to the first ---------------------------
@dataclass(frozen=True, slots=True)
class _Problem:
    message: str


class _Object(dict[str, Any]):
    duplicate: str | None = None


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                obj.duplicate = key
                break
            seen.add(key)
    return obj


def _int(text: str) -> int | _Problem:
    try:
        value = int(text)
    except ValueError:
        value = INT64_MAX + 1
    if INT64_MIN <= value <= INT64_MAX:
        return value
    return _Problem(f"is an integer outside the signed 64-bit range ({INT64_MIN}..{INT64_MAX})")


def _float(text: str) -> float | _Problem:
    value = float(text)
    return _Problem("is a number too large to represent") if math.isinf(value) else value


def _constant(name: str) -> _Problem:
    return _Problem(f"is {name}, which JSON does not allow")


_DIAGNOSTIC = json.JSONDecoder(
    object_pairs_hook=_object, parse_int=_int, parse_float=_float, parse_constant=_constant
)
_NOT_UTF8 = "is not valid UTF-8 (a lone surrogate or invalid bytes)"


def _problems(tree: Any) -> Iterator[tuple[str, str]]:
    """Problems in document order, depth first, with their paths (`order.items[0].id`)."""
    stack: list[tuple[str, Any]] = [("", tree)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, _Problem):
            yield path, node.message
        elif isinstance(node, str):
            if _SURROGATE.search(node):
                yield path, _NOT_UTF8
        elif isinstance(node, dict):
            if isinstance(node, _Object) and node.duplicate is not None:
                yield _child(path, node.duplicate), "is a duplicate key"
            children = [
                (_child(path, key), _Problem(_NOT_UTF8) if _SURROGATE.search(key) else value)
                for key, value in node.items()
            ]
            stack.extend(reversed(children))
        elif isinstance(node, list):
            stack.extend(reversed([(f"{path}[{i}]", value) for i, value in enumerate(node)]))


def _child(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _printable(path: str) -> str:
    """The path as text the error response can carry (surrogates shown as escapes)."""
    return path.encode("utf-8", "backslashreplace").decode("utf-8")
