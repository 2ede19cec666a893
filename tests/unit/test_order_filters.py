"""The order lists' filters (`orders/filters.py`): a query that names no filter is not read,
and every filter the lists document is read when it is named."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from starlette.requests import Request

from shopping.kit.query import Param
from shopping.orders.filters import (
    ACCOUNT_PARAMS,
    NO_FILTERS,
    SCOPED_PARAMS,
    account_filters,
    scoped_filters,
)

SAMPLES = {"currency": "NOK", "card_number": "1234"}
BY_KIND = {"list": "x", "text": "abc", "integer": "5", "date": "2026-01-01"}


def _request(query: str) -> Request:
    return Request({"type": "http", "query_string": query.encode(), "headers": []})


def _sample(param: Param) -> str:
    return param.enum[0] if param.enum else SAMPLES.get(param.name, BY_KIND[param.kind])


@pytest.mark.parametrize("param", ACCOUNT_PARAMS, ids=lambda p: p.name)
async def test_every_filter_of_the_account_list_is_read(param: Param) -> None:
    query = urlencode({"limit": 10, param.name: _sample(param)})
    assert await account_filters(_request(query)) != NO_FILTERS


@pytest.mark.parametrize("param", SCOPED_PARAMS, ids=lambda p: p.name)
async def test_every_filter_of_the_scoped_lists_is_read(param: Param) -> None:
    query = urlencode({"limit": 10, param.name: _sample(param)})
    assert await scoped_filters(_request(query)) != NO_FILTERS


@pytest.mark.parametrize(
    "query", ["", "limit=10", "starting_after=x&include_events=true", "unknown=1&limit="]
)
async def test_a_query_naming_no_filter_filters_nothing(query: str) -> None:
    assert await account_filters(_request(query)) == NO_FILTERS
    assert await scoped_filters(_request(query)) == NO_FILTERS


async def test_a_scoped_list_does_not_read_the_account_lists_filters() -> None:
    assert await scoped_filters(_request("currency=NOK&search=abc")) == NO_FILTERS
