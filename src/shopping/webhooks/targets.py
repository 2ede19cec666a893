"""Which URLs webhooks may be sent to, and the checked address a delivery connects to.

Private, loopback, link-local, unspecified and other non-public addresses are refused (a
subscription must not become a way to reach the server's own network), unless the operator
allows them with `SHOPPING_WEBHOOK_ALLOWED_HOSTS` (host names or CIDR ranges).

* When a subscription is saved, the URL must be a well-formed http(s) URL. A host written as
  an address — in any spelling a resolver accepts: dotted, integer (`2130706433`), hex
  (`0x7f000001`), octal (`0177.0.0.1`), short (`127.1`), IPv4-mapped IPv6 — is checked then;
  a host name is not resolved (its receiver may not exist yet) and is checked at delivery.
* At delivery the name is resolved once, every address it resolves to is checked, and the
  connection goes to a checked address (the name is never resolved a second time, so a
  resolver cannot answer a public address to the check and a private one to the connection).
  TLS is still verified against the host name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from shopping.config import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: host name, port → the addresses it resolves to
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]

_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
#: IPv6 ranges that carry an IPv4 address in their last 32 bits
_EMBEDDING_IPV4 = (
    ipaddress.IPv6Network("::/96"),  # IPv4-compatible (deprecated)
    ipaddress.IPv6Network("64:ff9b::/96"),  # NAT64
)


class TargetRefused(ValueError):
    """The URL is not a public http(s) address and no allow-list entry permits it."""


@dataclass(frozen=True, slots=True)
class Target:
    """A delivery's destination: the URL as subscribed, and the checked addresses of its host."""

    url: httpx.URL
    addresses: tuple[IPAddress, ...]

    def requests(self) -> list[tuple[httpx.URL, dict[str, str], dict[str, str]]]:
        """Per address: the URL naming the address, the Host header, the request extensions
        (TLS server name = the host name, so the certificate is checked against it)."""
        host_header = self.url.netloc.decode("ascii")
        extensions = {"sni_hostname": self.url.host} if self.url.scheme == "https" else {}
        return [
            (self.url.copy_with(host=str(address)), {"Host": host_header}, extensions)
            for address in self.addresses
        ]


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise TargetRefused(f"{host} does not resolve") from exc
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class TargetPolicy:
    def __init__(self, allowed: Iterable[str] = (), resolver: Resolver = system_resolver) -> None:
        self.resolver = resolver
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

    def check(self, url: str) -> None:
        """Refuses a URL that is malformed or names a non-public address (not resolved)."""
        host = self.check_syntax(url)
        if host in self.allowed_hosts:
            return
        address = literal_address(host)
        if address is not None:
            if not self._permitted(address):
                raise TargetRefused(f"{host} is a non-public address ({address})")
        elif host == "localhost" or host.endswith(".localhost"):
            raise TargetRefused(f"{host} is a loopback name")

    def check_syntax(self, url: str) -> str:
        """The URL's host, if the URL is an absolute http(s) URL; raises otherwise."""
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises on a malformed port
        except ValueError as exc:
            raise TargetRefused("the URL is malformed") from exc
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TargetRefused("the URL must be an absolute http:// or https:// URL")
        if parts.username or parts.password:
            raise TargetRefused("the URL must not carry credentials")
        host = parts.hostname.lower()
        if literal_address(host) is None and not _is_host_name(host):
            raise TargetRefused(f"{host!r} is not a host name")
        return host

    async def resolve(self, url: str) -> Target:
        """The URL's host resolved once, every address checked (raises if any is refused)."""
        self.check(url)
        parsed = httpx.URL(url)
        host = self.check_syntax(url)
        address = literal_address(host)
        if address is not None:
            addresses = [address]
        else:
            addresses = await self.resolver(host, parsed.port or _default_port(parsed.scheme))
        if not addresses:
            raise TargetRefused(f"{host} does not resolve")
        if host not in self.allowed_hosts:
            for resolved in addresses:
                if not self._permitted(resolved):
                    raise TargetRefused(f"{host} resolves to a non-public address ({resolved})")
        return Target(parsed, tuple(addresses))

    def _permitted(self, address: IPAddress) -> bool:
        if any(address in network for network in self.allowed_networks):
            return True
        embedded = _embedded_ipv4(address)
        if embedded is not None and not self._permitted(embedded):
            return False
        return address.is_global and not address.is_multicast


def literal_address(host: str) -> IPAddress | None:
    """The address a host written as one stands for, in any spelling a resolver accepts
    (`inet_aton` reads integer, hex, octal and short IPv4 forms); None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if ":" in host:
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    for network in _EMBEDDING_IPV4:
        if address in network:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _is_host_name(host: str) -> bool:
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.removesuffix(".").split(".")
    return len(ascii_host) <= 253 and all(_LABEL.match(label) for label in labels)


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80
