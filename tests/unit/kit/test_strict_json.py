"""The strict request-JSON check: what it refuses, where it says the problem is, what it lets by."""

from __future__ import annotations

import pytest

from shopping.kit.strict_json import BodyNotStrictJson, check_strict_json

REFUSED = [
    (b'{"metadata": {"n": 18446744073709551616}}', "metadata.n", "64-bit"),
    (b'{"a": [1, {"b": 1000000000000000000000000000000}]}', "a[1].b", "64-bit"),
    (b'{"a": -9223372036854775809}', "a", "64-bit"),
    (b'{"a": 9223372036854775808}', "a", "64-bit"),
    (b'{"a": 1' + b"0" * 5000 + b"}", "a", "64-bit"),  # beyond Python's own digit limit
    (b'{"a": NaN}', "a", "NaN"),
    (b'{"a": [Infinity]}', "a[0]", "Infinity"),
    (b'{"a": {"b": -Infinity}}', "a.b", "-Infinity"),
    (b'{"a": 1e400}', "a", "too large"),
    (b'{"a": -1e400}', "a", "too large"),
    (b'{"description": "\\ud800"}', "description", "UTF-8"),
    (b'{"description": "x\\udc00y"}', "description", "UTF-8"),
    (b'{"description": "\xed\xa0\x80"}', "description", "UTF-8"),
    (b'{"description": "\xff"}', "description", "UTF-8"),
    (b'{"\xed\xa0\x80": 1}', "\\udced\\udca0\\udc80", "UTF-8"),
    (b'{"gross_amount": "abc", "gross_amount": 100}', "gross_amount", "duplicate"),
    (b'{"order": {"items": [{"id": 1, "x": 2, "id": 3}]}}', "order.items[0].id", "duplicate"),
    (b"NaN", "body", "NaN"),
]


@pytest.mark.parametrize(("raw", "path", "problem"), REFUSED)
def test_refused_with_the_path_of_the_problem(raw: bytes, path: str, problem: str) -> None:
    with pytest.raises(BodyNotStrictJson) as caught:
        check_strict_json(raw)
    assert caught.value.status_code == 400
    [detail] = caught.value.errors
    assert detail["path"] == path
    assert problem in detail["message"]
    caught.value.body()["error"]["message"].encode("utf-8")  # renderable as it is


def test_the_first_problem_in_document_order_is_named() -> None:
    with pytest.raises(BodyNotStrictJson) as caught:
        check_strict_json(b'{"a": {"b": [1, NaN]}, "c": 1e400, "d": 18446744073709551616}')
    assert caught.value.errors[0]["path"] == "a.b[1]"


ACCEPTED = [
    b"",
    b'{"a": 9223372036854775807, "b": -9223372036854775808}',
    b'{"a": 1e308, "b": 5e-324, "c": -0.0, "d": 1.5}',
    b'{"emoji": "\\ud83d\\ude00", "text": "\xc3\xa6\xc3\xb8\xc3\xa5"}',
    b'{"escaped backslash": "\\\\ud800"}',
    b'{"a": {"id": 1}, "b": {"id": 1}}',  # the same key in different objects
    b"[]",
    # not JSON at all: left to the route, which reports syntax errors itself
    b"not json",
    b'{"a": 1,}',
    b"[\xff]",
]


@pytest.mark.parametrize("raw", ACCEPTED)
def test_strict_json_and_non_json_pass(raw: bytes) -> None:
    check_strict_json(raw)
