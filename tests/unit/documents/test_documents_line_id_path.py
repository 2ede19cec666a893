"""`LineIdPath`: a line id as written in a URL path is digits, nothing `int()` also reads."""

import pytest
from pydantic import TypeAdapter, ValidationError

from shopping.documents.types import MAX_LINE_ID, LineIdPath

LINE_ID = TypeAdapter(LineIdPath)


@pytest.mark.parametrize(
    ("text", "line_id"), [("0", 0), ("1", 1), ("01", 1), ("2147483647", MAX_LINE_ID)]
)
def test_digits_are_a_line_id(text: str, line_id: int) -> None:
    assert LINE_ID.validate_python(text) == line_id


@pytest.mark.parametrize(
    "text", ["1.0", "+1", "-1", "1_0", " 1", "1 ", "1e0", "", "١", "2147483648"]
)
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        LINE_ID.validate_python(text)
