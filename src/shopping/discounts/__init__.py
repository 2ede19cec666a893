"""Discounts: stored rules (the Discounts API), the pure engine, and its use on drafts."""
