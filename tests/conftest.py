"""Shared pytest configuration.

matplotlib draws off-screen (Agg) in the tests: no display is needed and no
window opens; every test starts from the same rcParams and leaves no figure open.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _clean_matplotlib():
    """Restore the rcParams and close every figure after each test."""
    with matplotlib.rc_context():
        yield
    plt.close("all")
