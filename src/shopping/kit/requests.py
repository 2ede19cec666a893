"""What the service layer needs to know about the HTTP call that triggered a change."""

from __future__ import annotations

from dataclasses import dataclass

from shopping.auth.principal import Principal


@dataclass(frozen=True, slots=True)
class ApiCall:
    """The caller and the request, for audit events (`api-event`) and `_links`."""

    principal: Principal
    method: str
    path: str
    body: str | None
    base_url: str

    @property
    def account_id(self) -> str:
        return self.principal.account_id
