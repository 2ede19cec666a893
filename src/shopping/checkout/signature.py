"""`Dintero-Signature` on callbacks: `t=<unix time>,v0-hmac-sha256=<hex>`, the HMAC-SHA256 of
`"{t}\n{account_id}\n{METHOD}\n{hostname}\n{pathname}\n{query}"` keyed with the account's
secret, where `query` is the callback's query string sorted by key with spaces as `+`.
The body is not signed."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl, urlencode, urlsplit

SCHEME = "v0-hmac-sha256"


def signed_text(timestamp: int, account_id: str, method: str, url: str) -> str:
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode(sorted(pairs, key=lambda pair: pair[0]))
    return "\n".join(
        (str(timestamp), account_id, method.upper(), parts.hostname or "", parts.path, query)
    )


def dintero_signature(secret: str, timestamp: int, account_id: str, method: str, url: str) -> str:
    text = signed_text(timestamp, account_id, method, url)
    digest = hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},{SCHEME}={digest}"
