"""Bodies of the subscriptions API (Hooks API, reference §7.2)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, field_validator

from shopping.webhooks.events import SHOPPING_EVENTS

Secret = Annotated[str, Field(min_length=8, max_length=255, strict=True)]


class SecretConfig(BaseModel):
    """Dintero's form `{"type": "HMAC-SHA1", "value": "…"}`; a plain string is accepted too."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["HMAC-SHA1"] = "HMAC-SHA1"
    value: Secret


class SubscriptionConfig(BaseModel):
    model_config = ConfigDict(extra="allow")

    url: Annotated[str, Field(min_length=1, max_length=2048, strict=True)]
    content_type: Literal["application/json"] = "application/json"
    secret: Secret | SecretConfig | None = None
    insecure_ssl: Literal[0, 1, "0", "1"] | None = None

    def secret_value(self) -> str | None:
        if isinstance(self.secret, SecretConfig):
            return self.secret.value
        return self.secret


class SubscriptionWrite(BaseModel):
    """Create or (PUT) replace a subscription. On PUT an omitted `config.secret` keeps the
    stored one."""

    model_config = ConfigDict(extra="allow")

    config: SubscriptionConfig
    events: Annotated[list[StrictStr], Field(min_length=1, max_length=len(SHOPPING_EVENTS))]
    active: StrictBool = True
    fields: StrictStr | None = Field(default=None, max_length=1000)
    exclude_fields: list[StrictStr] | None = None

    @field_validator("events")
    @classmethod
    def _known_events(cls, events: list[str]) -> list[str]:
        unknown = sorted(set(events) - set(SHOPPING_EVENTS))
        if unknown:
            raise ValueError(
                f"unknown event(s) {', '.join(unknown)}; one of: {', '.join(SHOPPING_EVENTS)}"
            )
        return list(dict.fromkeys(events))

    def document(self) -> dict[str, Any]:
        """What is stored and shown: everything but the secret's value."""
        data = self.model_dump(mode="json", exclude_unset=False, exclude_none=True)
        config = data["config"]
        if "secret" in config:
            config["secret"] = {"type": "HMAC-SHA1"}
        return data


class DeliveryPage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: StrictInt = 25
