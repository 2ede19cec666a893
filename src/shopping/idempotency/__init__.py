"""Exactly-once writes: `Idempotency-Key` claims, stored outcomes and replays."""
