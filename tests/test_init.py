"""nnbook.init: the moments and bounds of every initializer, seeds, dtypes and errors.

Moment tolerances come from the sampling distribution, never from hand tuning:
with n draws of standard deviation sigma and kurtosis kappa, the sample mean has
standard error sigma / sqrt(n) and the sample variance has standard error
sigma^2 * sqrt(kappa / n - (n - 3) / (n (n - 1))) (which is sqrt(2 / (n - 1)) sigma^2
for a normal, kappa = 3). Every check allows Z = 5 standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook import init
from nnbook.init import (
    TRUNCATED_NORMAL_STD,
    get_initializer,
    he_normal,
    he_uniform,
    random_normal,
    standard_uniform,
    xavier_normal,
    xavier_uniform,
    zeros,
)

Z = 5.0
FAN_IN, FAN_OUT = 400, 500  # 200 000 draws: standard errors of about 0.2 % of sigma
N = FAN_IN * FAN_OUT
DTYPES = [np.float64, np.float32]


def _truncated_normal_moments(a: float = 2.0) -> tuple[float, float]:
    """Std and kurtosis of N(0, 1) truncated to [-a, a], by numerical integration."""
    x = np.linspace(-a, a, 400_001)
    density = np.exp(-0.5 * x**2)
    mass = np.trapezoid(density, x)
    m2 = np.trapezoid(x**2 * density, x) / mass
    m4 = np.trapezoid(x**4 * density, x) / mass
    return math.sqrt(m2), m4 / m2**2


TRUNC_STD, TRUNC_KURTOSIS = _truncated_normal_moments()
NORMAL_KURTOSIS = 3.0
UNIFORM_KURTOSIS = 9.0 / 5.0


def _uniform_case(limit):
    return {"std": limit / math.sqrt(3.0), "kurtosis": UNIFORM_KURTOSIS, "bound": limit}


# name -> (function, expected std / kurtosis / bound for (FAN_IN, FAN_OUT)), from the notes.
CASES = {
    "random_normal": (random_normal, {"std": 0.01, "kurtosis": NORMAL_KURTOSIS, "bound": None}),
    "standard_uniform": (standard_uniform, _uniform_case(1 / math.sqrt(FAN_IN))),
    "xavier_normal": (
        xavier_normal,
        {"std": math.sqrt(2 / (FAN_IN + FAN_OUT)), "kurtosis": NORMAL_KURTOSIS, "bound": None},
    ),
    "xavier_uniform": (xavier_uniform, _uniform_case(math.sqrt(6 / (FAN_IN + FAN_OUT)))),
    "he_normal": (
        he_normal,
        {
            "std": math.sqrt(2 / FAN_IN),
            "kurtosis": TRUNC_KURTOSIS,
            "bound": 2 * math.sqrt(2 / FAN_IN) / TRUNC_STD,
        },
    ),
    "he_uniform": (he_uniform, _uniform_case(math.sqrt(6 / FAN_IN))),
}


def assert_moments(w, std, kurtosis, mean=0.0):
    x = np.asarray(w, dtype=np.float64).ravel()
    n = x.size
    se_mean = std / math.sqrt(n)
    se_var = std**2 * math.sqrt(kurtosis / n - (n - 3) / (n * (n - 1)))
    assert abs(x.mean() - mean) < Z * se_mean, (x.mean(), mean, se_mean)
    assert abs(x.var(ddof=1) - std**2) < Z * se_var, (x.var(ddof=1), std**2, se_var)


# ---------------------------------------------------------------- distributions


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", list(CASES))
def test_moments_shape_and_dtype(name, dtype):
    fn, expected = CASES[name]
    w = fn(FAN_IN, FAN_OUT, rng=0, dtype=dtype)
    assert w.shape == (FAN_IN, FAN_OUT)
    assert w.dtype == dtype
    assert np.isfinite(w).all()
    assert_moments(w, expected["std"], expected["kurtosis"])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", [n for n, (_, e) in CASES.items() if e["bound"] is not None])
def test_bounded_initializers_respect_and_reach_their_bounds(name, dtype):
    fn, expected = CASES[name]
    bound = expected["bound"]
    w = fn(FAN_IN, FAN_OUT, rng=1, dtype=dtype).astype(np.float64)
    assert np.abs(w).max() <= bound * (1 + 1e-6)  # 1e-6: float32 rounding of the scale
    # Each end is approached. Uniform: a draw lands within 40/n of the limit (in units
    # of the limit) at the top end with probability 20/n, so none of the n does with
    # probability (1 - 20/n)^n ~ e^-20. he_normal: a draw lands in the top 1 % of the
    # range, z in [1.98, 2], with probability ~ 0.02 phi(2) / 0.954 ~ 1.1e-3, so none of
    # the n = 200 000 does with probability ~ e^-226.
    margin = bound * (40 / N if "uniform" in name else 0.01)
    assert w.max() >= bound - margin
    assert w.min() <= -bound + margin


def test_truncated_normal_std_matches_numerical_integration():
    assert TRUNCATED_NORMAL_STD == pytest.approx(TRUNC_STD, rel=1e-9)
    assert TRUNCATED_NORMAL_STD == pytest.approx(0.87962566103423978, rel=1e-12)
    assert init.TRUNCATION == 2.0


def test_he_normal_follows_the_truncated_normal_shape():
    # Fraction of the truncated standard normal within one (untruncated) std:
    # P(|z| < 1) / P(|z| < 2) = erf(1/sqrt 2) / erf(sqrt 2) ~ 0.7152.
    w = he_normal(FAN_IN, FAN_OUT, rng=2)
    scale = math.sqrt(2 / FAN_IN) / TRUNC_STD  # std of the normal before truncation
    q = math.erf(1 / math.sqrt(2)) / math.erf(math.sqrt(2))
    frac = np.mean(np.abs(w) < scale)
    assert abs(frac - q) < Z * math.sqrt(q * (1 - q) / N)
    # Without the 1/0.8796 correction the std would be 12 % too small: the moments
    # test above would fail by about 60 standard errors.
    assert abs(w.std() - math.sqrt(2 / FAN_IN)) < 0.01 * math.sqrt(2 / FAN_IN)


def test_random_normal_std_parameter():
    w = random_normal(FAN_IN, FAN_OUT, std=0.5, rng=3)
    assert_moments(w, 0.5, NORMAL_KURTOSIS)


def test_xavier_normal_and_uniform_have_the_same_variance():
    # The notes: Gaussian or uniform do not matter, as long as the variances agree.
    fi, fo = 300, 200
    a = xavier_normal(fi, fo, rng=4)
    b = xavier_uniform(fi, fo, rng=5)
    sigma = math.sqrt(2 / (fi + fo))
    assert_moments(a, sigma, NORMAL_KURTOSIS)
    assert_moments(b, sigma, UNIFORM_KURTOSIS)
    c = he_normal(fi, fo, rng=6)
    d = he_uniform(fi, fo, rng=7)
    assert_moments(c, math.sqrt(2 / fi), TRUNC_KURTOSIS)
    assert_moments(d, math.sqrt(2 / fi), UNIFORM_KURTOSIS)


def test_zeros_for_biases():
    b = zeros(4)
    assert b.shape == (4,) and b.dtype == np.float64 and not b.any()
    assert zeros((2, 3), dtype=np.float32).dtype == np.float32
    assert zeros([2, 3]).shape == (2, 3)


# ---------------------------------------------------------------- randomness


@pytest.mark.parametrize("name", list(CASES))
def test_same_seed_same_weights_different_seeds_differ(name):
    fn = CASES[name][0]
    np.testing.assert_array_equal(fn(5, 7, rng=42), fn(5, 7, rng=42))
    assert not np.array_equal(fn(5, 7, rng=42), fn(5, 7, rng=43))
    gen = np.random.default_rng(0)
    assert not np.array_equal(fn(5, 7, rng=gen), fn(5, 7, rng=gen))  # the generator advances
    np.testing.assert_array_equal(
        fn(5, 7, rng=np.random.default_rng(9)), fn(5, 7, rng=9)
    )


@pytest.mark.parametrize("name", list(CASES))
def test_global_random_state_is_untouched(name):
    before = np.random.get_state()  # noqa: NPY002 - checking the legacy global state
    CASES[name][0](10, 10, rng=None)
    after = np.random.get_state()  # noqa: NPY002
    assert before[0] == after[0]
    np.testing.assert_array_equal(before[1], after[1])
    assert before[2:] == after[2:]


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(list(CASES)),
    fan_in=st.integers(1, 30),
    fan_out=st.integers(1, 30),
    dtype=st.sampled_from(DTYPES),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_shape_dtype_and_seed(name, fan_in, fan_out, dtype, seed):
    fn = CASES[name][0]
    w = fn(fan_in, fan_out, rng=seed, dtype=dtype)
    assert w.shape == (fan_in, fan_out) and w.dtype == dtype
    assert np.isfinite(w).all()
    bounds = {
        "standard_uniform": 1 / math.sqrt(fan_in),
        "xavier_uniform": math.sqrt(6 / (fan_in + fan_out)),
        "he_uniform": math.sqrt(6 / fan_in),
        "he_normal": 2 * math.sqrt(2 / fan_in) / TRUNC_STD,
    }
    if name in bounds:
        assert np.abs(w.astype(np.float64)).max() <= bounds[name] * (1 + 1e-6)


# ---------------------------------------------------------------- registry


@pytest.mark.parametrize(
    ("name", "fn"),
    [
        ("random_normal", random_normal),
        ("standard_uniform", standard_uniform),
        ("xavier_normal", xavier_normal),
        ("xavier_uniform", xavier_uniform),
        ("he_normal", he_normal),
        ("he_uniform", he_uniform),
        ("glorot_normal", xavier_normal),
        ("glorot_uniform", xavier_uniform),
        ("kaiming_normal", he_normal),
        ("kaiming_uniform", he_uniform),
        ("He_Normal", he_normal),
        ("XAVIER_UNIFORM", xavier_uniform),
    ],
)
def test_get_initializer(name, fn):
    assert get_initializer(name) is fn


def test_get_initializer_passes_callables_through():
    assert get_initializer(he_uniform) is he_uniform


@pytest.mark.parametrize("bad", ["xavier", "", "zeros", 3, None])
def test_get_initializer_rejects_unknown_names_and_lists_the_valid_ones(bad):
    with pytest.raises(ValueError, match="unknown initializer") as info:
        get_initializer(bad)
    for valid in ("he_normal", "xavier_uniform", "glorot_normal", "random_normal"):
        assert valid in str(info.value)


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "3", None])
def test_fans_must_be_positive_integers(name, bad):
    fn = CASES[name][0]
    with pytest.raises(ValueError, match="fan_in must be a positive integer"):
        fn(bad, 3)
    with pytest.raises(ValueError, match="fan_out must be a positive integer"):
        fn(3, bad)


@pytest.mark.parametrize("bad", [0.0, -0.1, float("nan"), float("inf"), "0.1"])
def test_random_normal_std_must_be_positive(bad):
    with pytest.raises(ValueError, match="std"):
        random_normal(3, 3, std=bad)


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("bad", [np.int64, np.float16, "complex128", "nonsense"])
def test_dtype_must_be_float32_or_float64(name, bad):
    with pytest.raises(ValueError, match="dtype must be float32 or float64"):
        CASES[name][0](3, 3, dtype=bad)


@pytest.mark.parametrize("bad", [-1, 1.5, "seed", np.random.RandomState])
def test_rng_must_be_a_generator_seed_or_none(bad):
    with pytest.raises(ValueError, match="rng"):
        he_normal(3, 3, rng=bad)


@pytest.mark.parametrize("bad", [0, (2, 0), (2, -1), 1.5, (2, 2.0)])
def test_zeros_shape_must_be_positive_integers(bad):
    with pytest.raises(ValueError, match="shape must be a positive integer"):
        zeros(bad)


def test_zeros_dtype():
    with pytest.raises(ValueError, match="dtype must be float32 or float64"):
        zeros(3, dtype=int)
