"""Shared pytest configuration.

matplotlib draws off-screen (Agg) in the tests: no display is needed and no
window opens.
"""

import matplotlib

matplotlib.use("Agg")
