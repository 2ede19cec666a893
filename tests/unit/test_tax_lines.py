"""Tax lines recomputed from their rate: bounded rates only, exact arithmetic within them."""

import pytest

from shopping.orders.amounts import recompute_tax_line
from shopping.orders.errors import TaxRateOutOfRange


@pytest.mark.parametrize(
    ("percentage", "included", "amount"),
    [(25, True, 2000), (25, False, 2500), (0, False, 0), (100, True, 5000), (100, False, 10000)],
)
def test_rates_from_0_to_100(percentage: float, included: bool, amount: int) -> None:
    line = recompute_tax_line({"percentage": percentage, "included_in_price": included}, 10000)
    assert line["amount"] == amount
    assert line["tax_basis"] == 10000


@pytest.mark.parametrize("percentage", [1e308, 1e20, 100.5, -1])
def test_a_rate_outside_0_to_100_is_refused_not_overflowed(percentage: float) -> None:
    """A line stored before rates were bounded must not reach the decimal arithmetic."""
    with pytest.raises(TaxRateOutOfRange) as caught:
        recompute_tax_line({"percentage": percentage, "included_in_price": False}, 10**12)
    assert caught.value.status_code == 400
