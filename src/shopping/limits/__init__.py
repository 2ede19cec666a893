"""Request limits: body size (413) and per-client rate limiting (429)."""
