"""Bodies of the subscriptions API (Hooks API, reference §7.2)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, field_validator

from shopping.webhooks.events import SHOPPING_EVENTS

Secret = Annotated[str, Field(min_length=8, max_length=255, strict=True)]


class SecretConfig(BaseModel):
    """Dintero's form `{"type": "HMAC-SHA1", "value": "…"}`; a plain string is accepted too."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["HMAC-SHA1"] = Field(
        default="HMAC-SHA1", description="How deliveries are signed: always `HMAC-SHA1`."
    )
    value: Secret = Field(
        description="The shared secret (8 to 255 characters). Write-only: never shown again."
    )


class SubscriptionConfig(BaseModel):
    """Where and how deliveries are sent."""

    model_config = ConfigDict(extra="allow")

    url: Annotated[str, Field(min_length=1, max_length=2048, strict=True)] = Field(
        description="The absolute http(s) URL each delivery is POSTed to. Private, loopback "
        "and other non-public addresses are refused unless the operator allows them "
        "(`SHOPPING_WEBHOOK_ALLOWED_HOSTS`)."
    )
    content_type: Literal["application/json"] = Field(
        default="application/json", description="The body's media type: `application/json`."
    )
    secret: Secret | SecretConfig | None = Field(
        default=None,
        description="Signs each delivery: `event-signature` is the hex HMAC-SHA1 of the raw "
        "body keyed with it (and `webhook-signature` the Standard Webhooks HMAC-SHA256). "
        'Dintero\'s form `{"type": "HMAC-SHA1", "value": '
        '"…"}` or the secret as a plain string; write-only (answers show only its type).',
    )
    insecure_ssl: Literal[0, 1, "0", "1"] | None = Field(
        default=None, description="Dintero's TLS flag, kept as given; certificates are verified."
    )

    def secret_value(self) -> str | None:
        if isinstance(self.secret, SecretConfig):
            return self.secret.value
        return self.secret


class SubscriptionWrite(BaseModel):
    """Create or (PUT) replace a subscription. On PUT an omitted `config.secret` keeps the
    stored one."""

    model_config = ConfigDict(extra="allow")

    config: SubscriptionConfig = Field(
        description="The receiver: its URL, the body's media type and the signing secret."
    )
    events: Annotated[list[StrictStr], Field(min_length=1, max_length=len(SHOPPING_EVENTS))] = (
        Field(
            description="The events to deliver, each once: "
            + ", ".join(f"`{event}`" for event in SHOPPING_EVENTS)
            + "."
        )
    )
    active: StrictBool = Field(
        default=True,
        description="Whether events are delivered. `true` on an update also revives a "
        "subscription the server disabled after lasting failures.",
    )
    fields: StrictStr | None = Field(
        default=None,
        max_length=1000,
        description="Dintero's field mask, e.g. `account(partner_id,account_id,created_at)`; "
        "kept and shown, deliveries carry the whole resource.",
    )
    exclude_fields: list[StrictStr] | None = Field(
        default=None,
        description="Dintero's list of fields to leave out; kept and shown, deliveries carry "
        "the whole resource.",
    )

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
