from hypothesis import given
from hypothesis import strategies as st

from shopping.kit.allocation import allocate


def test_splits_by_largest_remainder_ties_to_the_earlier_part() -> None:
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(10, [3, 3, 4]) == [3, 3, 4]
    assert allocate(-100, [1, 1, 1]) == [-34, -33, -33]
    assert allocate(5, [0, 0]) == [3, 2]


@given(st.lists(st.integers(0, 10**9), min_size=1, max_size=20), st.data())
def test_parts_sum_to_the_total_and_stay_within_their_weights(
    weights: list[int], data: st.DataObject
) -> None:
    total = data.draw(st.integers(0, sum(weights)))
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert all(0 <= part <= weight for part, weight in zip(parts, weights, strict=True))
