"""Which URLs webhooks may be sent to.

Private, loopback, link-local and other non-public addresses are refused (a subscription must
not become a way to reach the server's own network), unless the operator allows them with
`SHOPPING_WEBHOOK_ALLOWED_HOSTS` (host names or CIDR ranges). Checked when a subscription is
saved and again before every delivery, against what the name resolves to then.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from shopping.config import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(ValueError):
    """The URL is not a public http(s) address and no allow-list entry permits it."""


class TargetPolicy:
    def __init__(self, allowed: Iterable[str] = ()) -> None:
        self.allowed_hosts: set[str] = set()
        self.allowed_networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in allowed:
            entry = entry.strip().lower()
            if not entry:
                continue
            try:
                self.allowed_networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.allowed_hosts.add(entry)

    @classmethod
    def from_settings(cls, settings: Settings) -> TargetPolicy:
        """`SHOPPING_WEBHOOK_ALLOWED_HOSTS`, comma-separated."""
        return cls(settings.webhook_allowed_hosts.split(","))

    def check_syntax(self, url: str) -> str:
        """The URL's host, if the URL is an absolute http(s) URL; raises otherwise."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TargetRefused("the URL must be an absolute http:// or https:// URL")
        if parts.username or parts.password:
            raise TargetRefused("the URL must not carry credentials")
        return parts.hostname.lower()

    async def check(self, url: str) -> None:
        host = self.check_syntax(url)
        if host in self.allowed_hosts:
            return
        for address in await _addresses(host, urlsplit(url).port):
            if not self._permitted(address):
                raise TargetRefused(f"{host} resolves to a non-public address ({address})")

    def _permitted(self, address: IPAddress) -> bool:
        if any(address in network for network in self.allowed_networks):
            return True
        return address.is_global and not address.is_multicast


async def _addresses(host: str, port: int | None) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, port or 443, type=socket.SOCK_STREAM
        )
    except OSError as exc:
        raise TargetRefused(f"{host} does not resolve") from exc
    return [ipaddress.ip_address(info[4][0]) for info in infos]
