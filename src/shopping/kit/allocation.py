"""Splitting an integer amount over weighted parts so the parts always sum to the whole."""

from __future__ import annotations

from collections.abc import Sequence


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """`total` split in proportion to non-negative `weights` by largest remainder.

    Each part gets the floor of its exact share; the units left over go to the parts with the
    largest remainders, ties to the earlier part. The parts sum to `total` exactly, and with
    `0 <= total <= sum(weights)` no part exceeds its weight. All-zero weights split evenly.
    """
    if not weights:
        if total:
            raise ValueError("cannot allocate a non-zero amount over no parts")
        return []
    if any(weight < 0 for weight in weights):
        raise ValueError("weights must not be negative")
    basis = list(weights) if any(weights) else [1] * len(weights)
    whole = sum(basis)
    sign, magnitude = (-1, -total) if total < 0 else (1, total)
    parts = [magnitude * weight // whole for weight in basis]
    remainders = [magnitude * weight % whole for weight in basis]
    left = magnitude - sum(parts)
    for index in sorted(range(len(basis)), key=lambda i: (-remainders[i], i))[:left]:
        parts[index] += 1
    return [sign * part for part in parts]
