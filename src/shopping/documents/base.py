"""The base class of every order-document model.

Orders are stored as the JSON document the client sent (see the architecture guide), so the
models have two jobs: reject known fields with a wrong type, format or range, and keep
everything else verbatim. Dintero adds fields over time; a mirror that dropped them would
silently lose client data, so unknown fields are allowed and echoed back.
"""

from collections.abc import Set
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError


class DocumentModel(BaseModel):
    """A JSON object of an order document: known fields typed, unknown fields kept.

    Every field is optional (default `None`) unless the spec says it is required. Defaults are
    never written back: `to_document()` dumps only what the client sent.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True, serialize_by_alias=True)

    def to_document(self) -> dict[str, Any]:
        """The JSON-ready form that is stored and echoed: aliases, no injected defaults."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


def without_keys(data: Any, names: Set[str]) -> Any:
    """Return `data` minus `names` when it is a JSON object; anything else passes untouched.

    Used by `mode="before"` validators to ignore read-only fields that clients echo back, so
    they are neither validated nor stored as extras.
    """
    if not isinstance(data, dict):
        return data
    return {key: value for key, value in data.items() if key not in names}


def field_error(
    model: type[BaseModel],
    loc: tuple[str | int, ...],
    error_type: str,
    message: str,
    value: Any,
) -> ValidationError:
    """A validation error pinned to one field, for checks that span several fields.

    Raising it from a model validator reports `options.replace` rather than just `options`,
    which is the path the API's error envelope shows the client.
    """
    detail = InitErrorDetails(type=PydanticCustomError(error_type, message), loc=loc, input=value)
    return ValidationError.from_exception_data(model.__name__, [detail])
