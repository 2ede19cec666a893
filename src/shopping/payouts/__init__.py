"""Payout splits: a pure evaluator of destination trees, rule choice, and stored rules."""
