"""Client secrets are stored as salted scrypt hashes, never in the clear."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import cache

_N, _R, _P = 2**14, 8, 1


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=_N, r=_R, p=_P)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_secret(secret: str, stored: str) -> bool:
    """False for a wrong secret and for a stored hash that cannot be read (never raises)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt" or (int(n), int(r), int(p)) != (_N, _R, _P):
            return False  # only our own parameters: a tampered row must not cost unbounded memory
        candidate = hashlib.scrypt(secret.encode(), salt=bytes.fromhex(salt), n=_N, r=_R, p=_P)
    except ValueError:
        return False
    return hmac.compare_digest(candidate.hex(), digest)


@cache
def dummy_hash() -> str:
    """Verified against when the client is unknown, so response time reveals no client ids."""
    return hash_secret(new_secret())
