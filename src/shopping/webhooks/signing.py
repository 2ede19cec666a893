"""Signatures a receiver can verify.

* Dintero's: header `event-signature` = hex HMAC-SHA1 of the raw body, keyed with the secret.
* Standard Webhooks (standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
  `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`. The key is the
  secret's UTF-8 bytes, so a receiver verifies with the secret `whsec_` + base64(secret).
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def dintero_signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


def standard_signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_headers(
    secret: str | None, message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    headers = {"webhook-id": message_id, "webhook-timestamp": str(timestamp)}
    if secret:
        headers["event-signature"] = dintero_signature(secret, body)
        headers["webhook-signature"] = standard_signature(secret, message_id, timestamp, body)
    return headers
