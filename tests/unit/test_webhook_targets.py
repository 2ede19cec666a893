"""Where webhooks may go: every spelling of a non-public address is refused when saved, a
host name is accepted unresolved, and a delivery connects only to an address it checked."""

from __future__ import annotations

import ipaddress

import httpx
import pytest

from shopping.webhooks.targets import IPAddress, TargetPolicy, TargetRefused

NON_PUBLIC = [
    "http://127.0.0.1/",
    "http://2130706433/",  # integer
    "http://0x7f000001/",  # hex
    "http://0x7f.0.0.1/",  # hex part
    "http://0177.0.0.1/",  # octal
    "http://127.1/",  # short
    "http://10.1/",
    "http://192.168.1.20:8080/hook",
    "http://169.254.169.254/latest/meta-data",
    "http://0.0.0.0/",
    "http://0/",
    "http://[::]/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[::ffff:7f00:1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[::127.0.0.1]/",  # IPv4-compatible IPv6
    "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
    "http://[fc00::1]/",  # unique local
    "http://[fd12:3456::1]/",
    "http://[fe80::1]/",  # link-local
    "http://[ff02::1]/",  # multicast
    "https://localhost/",
    "https://api.localhost/",
]


@pytest.mark.parametrize("url", NON_PUBLIC)
def test_non_public_addresses_are_refused_in_every_spelling(url: str) -> None:
    with pytest.raises(TargetRefused):
        TargetPolicy().check(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.invalid/receive",  # does not resolve: checked at delivery
        "https://hooks.example.com:8443/a?b=1",
        "http://93.184.216.34/hook",
        "http://[2606:4700::1111]/",
        "https://bücher.example/hook",
    ],
)
def test_public_addresses_and_unresolved_names_are_accepted(url: str) -> None:
    TargetPolicy().check(url)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "/relative",
        "http://user:pw@example.com/",
        "http://exa mple.com/",
        "http://example.com:99999/",
        "http://-bad-.example/",
    ],
)
def test_malformed_urls_are_refused(url: str) -> None:
    with pytest.raises(TargetRefused):
        TargetPolicy().check(url)


def test_the_allow_list_admits_named_hosts_and_ranges() -> None:
    policy = TargetPolicy(["127.0.0.0/8", "localhost", "fc00::/7"])
    for url in ("http://2130706433/", "http://127.1/", "http://localhost/", "http://[fd00::5]/"):
        policy.check(url)
    with pytest.raises(TargetRefused):
        policy.check("http://10.0.0.1/")


class Answers:
    """A resolver answering from a script, one answer per lookup, counting lookups."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.lookups = 0

    async def __call__(self, host: str, port: int) -> list[IPAddress]:
        answer = self.answers[min(self.lookups, len(self.answers) - 1)]
        self.lookups += 1
        return [ipaddress.ip_address(a) for a in answer]


async def test_a_rebinding_resolver_never_gets_a_connection_to_loopback() -> None:
    """Public to the first lookup, loopback to any later one: the one lookup is the address
    connected to, so loopback is never reached."""
    resolver = Answers(["93.184.216.34"], ["127.0.0.1"])
    policy = TargetPolicy(resolver=resolver)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    target = await policy.resolve("https://hooks.example.com/receive?x=1")
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        for url, host, extensions in target.requests():
            await http.post(url, headers=host, extensions=extensions)
    assert resolver.lookups == 1
    assert [r.url.host for r in seen] == ["93.184.216.34"]
    assert seen[0].url.path == "/receive"
    assert seen[0].url.query == b"x=1"
    assert seen[0].headers["host"] == "hooks.example.com"
    # TLS is verified against the name, not the address
    assert seen[0].extensions["sni_hostname"] == "hooks.example.com"


async def test_a_name_resolving_to_any_non_public_address_is_refused_at_delivery() -> None:
    for answer in (["127.0.0.1"], ["93.184.216.34", "10.0.0.7"], ["::ffff:127.0.0.1"], []):
        with pytest.raises(TargetRefused):
            await TargetPolicy(resolver=Answers(answer)).resolve("https://hooks.example.com/")


async def test_literal_addresses_are_not_resolved() -> None:
    resolver = Answers(["127.0.0.1"])
    target = await TargetPolicy(resolver=resolver).resolve("http://93.184.216.34:8080/h")
    assert resolver.lookups == 0
    [(url, host, extensions)] = target.requests()
    assert str(url) == "http://93.184.216.34:8080/h"
    assert host == {"Host": "93.184.216.34:8080"}
    assert extensions == {}
