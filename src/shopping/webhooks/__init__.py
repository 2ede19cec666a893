"""Webhooks: a transactional outbox of `shopping_*` events, subscriptions, and their delivery."""
