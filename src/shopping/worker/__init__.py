"""Background work: TTL expiry, idempotency-key purging (and, later, webhook delivery).

Imports no FastAPI: it runs as `shopping-api worker`, or inside `serve` for the embedded
default, where there is no separate worker process.
"""
