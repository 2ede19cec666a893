"""Order comments: add and soft-delete (reference §3.14, §10.15)."""
