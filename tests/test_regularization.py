"""nnbook.regularization: L1/L2 penalties and dropout against closed forms,
finite differences and sampling statistics (tolerances of Z = 5 standard errors)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from nnbook.base import Layer
from nnbook.gradcheck import gradient_error
from nnbook.regularization import (
    Dropout,
    dropout,
    dropout_backward,
    l1_penalty,
    l1_penalty_grad,
    l2_penalty,
    l2_penalty_grad,
)

Z = 5.0
DTYPES = [np.float64, np.float32]
GRAD_TOL = 1e-6


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# ====================================================================== penalties


def test_penalties_hand_worked_examples():
    w = np.array([[1.0, -2.0], [0.0, 3.0]])
    assert l1_penalty(w, 0.1) == pytest.approx(0.1 * (1 + 2 + 0 + 3))
    assert l2_penalty(w, 0.1) == pytest.approx(0.1 / 2 * (1 + 4 + 0 + 9))
    np.testing.assert_array_equal(l1_penalty_grad(w, 0.5), [[0.5, -0.5], [0.0, 0.5]])
    np.testing.assert_array_equal(l2_penalty_grad(w, 0.5), [[0.5, -1.0], [0.0, 1.5]])


def test_penalties_of_a_list_are_sums_and_gradients_are_lists(rng):
    ws = [rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(2, 2))]
    for penalty, grad in [(l1_penalty, l1_penalty_grad), (l2_penalty, l2_penalty_grad)]:
        assert penalty(ws, 0.3) == pytest.approx(sum(penalty(w, 0.3) for w in ws), rel=1e-14)
        assert penalty(tuple(ws), 0.3) == penalty(ws, 0.3)
        grads = grad(ws, 0.3)
        assert isinstance(grads, list) and len(grads) == 3
        for g, w in zip(grads, ws, strict=True):
            np.testing.assert_array_equal(g, grad(w, 0.3))
    assert l1_penalty([], 1.0) == 0.0 and l2_penalty_grad([], 1.0) == []


def test_l2_penalty_is_half_the_squared_frobenius_norm(rng):
    w = rng.normal(size=(5, 6))
    assert l2_penalty(w, 2.0) == pytest.approx(np.linalg.norm(w) ** 2, rel=1e-13)
    assert l1_penalty(w, 1.0) == pytest.approx(np.linalg.norm(w.ravel(), 1), rel=1e-13)


def test_penalty_gradients_match_finite_differences(rng):
    w = rng.normal(size=(4, 3))
    w[np.abs(w) < 0.05] = 0.5  # |w|: not differentiable at 0
    for penalty, grad in [(l1_penalty, l1_penalty_grad), (l2_penalty, l2_penalty_grad)]:
        err = gradient_error(lambda v, f=penalty: f(v, 0.7), grad(w, 0.7), w)
        assert err < GRAD_TOL


def test_l1_subgradient_is_zero_at_zero():
    np.testing.assert_array_equal(l1_penalty_grad(np.zeros(3), 1.0), 0.0)


@pytest.mark.parametrize("dtype", DTYPES)
def test_penalty_gradients_keep_the_dtype(dtype):
    w = np.array([1.0, -2.0], dtype=dtype)
    assert l1_penalty_grad(w, 0.1).dtype == dtype
    assert l2_penalty_grad(w, 0.1).dtype == dtype
    assert type(l1_penalty(w, 0.1)) is float and type(l2_penalty(w, 0.1)) is float


def test_zero_strength_means_no_penalty(rng):
    w = rng.normal(size=5)
    assert l1_penalty(w, 0) == 0.0 and l2_penalty(w, 0.0) == 0.0
    np.testing.assert_array_equal(l2_penalty_grad(w, 0), 0.0)


@pytest.mark.parametrize("fn", [l1_penalty, l1_penalty_grad, l2_penalty, l2_penalty_grad])
def test_penalties_reject_bad_input(fn):
    with pytest.raises(ValueError, match=r"lam must lie in \[0, inf\]"):
        fn(np.ones(2), -0.1)
    with pytest.raises(ValueError, match="lam"):
        fn(np.ones(2), float("nan"))
    with pytest.raises(ValueError, match="lam must be a real number"):
        fn(np.ones(2), "0.1")
    with pytest.raises(ValueError, match="w contains 1 non-finite"):
        fn(np.array([1.0, np.inf]), 0.1)
    with pytest.raises(ValueError, match=r"w\[1\] contains 1 non-finite"):
        fn([np.ones(2), np.array([np.nan])], 0.1)
    with pytest.raises(ValueError, match="w must be a real numeric array"):
        fn(np.array(["a"]), 0.1)


# ====================================================================== dropout


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_keeps_a_fraction_one_minus_p(dtype, p):
    n = 200_000
    x = np.ones(n, dtype=dtype)
    out, mask = dropout(x, p=p, rng=1)
    kept = np.count_nonzero(mask) / n
    assert abs(kept - (1 - p)) < Z * math.sqrt(p * (1 - p) / n)
    assert mask.dtype == dtype and out.dtype == dtype
    # Kept units are scaled by 1 / (1 - p), dropped ones are exactly 0.
    np.testing.assert_array_equal(np.unique(mask), np.array([0, 1 / (1 - p)], dtype=dtype))
    np.testing.assert_array_equal(out, x * mask)


@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_inverted_dropout_preserves_the_expectation(rng, p):
    # E[x m] = x: with m = b / (1 - p), b ~ Bernoulli(1 - p), Var(x m) = x^2 p / (1 - p).
    n = 200_000
    x = rng.normal(size=5)
    out, _ = dropout(np.tile(x, (n, 1)), p=p, rng=2)
    se = np.abs(x) * math.sqrt(p / (1 - p) / n)
    assert np.all(np.abs(out.mean(axis=0) - x) < Z * se)


def test_dropout_is_the_identity_in_eval_mode_and_for_p_zero(rng):
    x = rng.normal(size=(3, 4))
    for kwargs in ({"training": False}, {"p": 0.0}, {"p": 0.0, "training": False}):
        out, mask = dropout(x, **kwargs)
        np.testing.assert_array_equal(out, x)
        assert mask.shape == x.shape and mask.dtype == x.dtype and np.all(mask == 1)
        np.testing.assert_array_equal(dropout_backward(np.ones_like(x), mask), 1.0)
    x32 = x.astype(np.float32)
    assert dropout(x32, training=False)[1].dtype == np.float32


def test_dropout_seeds(rng):
    x = rng.normal(size=(20, 30))
    np.testing.assert_array_equal(dropout(x, 0.5, rng=7)[1], dropout(x, 0.5, rng=7)[1])
    assert not np.array_equal(dropout(x, 0.5, rng=7)[1], dropout(x, 0.5, rng=8)[1])
    gen = np.random.default_rng(3)
    assert not np.array_equal(dropout(x, 0.5, rng=gen)[1], dropout(x, 0.5, rng=gen)[1])
    before = np.random.get_state()  # noqa: NPY002 - checking the legacy global state
    dropout(x, 0.5)
    after = np.random.get_state()  # noqa: NPY002
    np.testing.assert_array_equal(before[1], after[1])


def test_dropout_backward_matches_finite_differences(rng):
    # With a fixed seed the mask is fixed, so x -> sum(dropout(x) * g) is a smooth
    # (linear) function whose gradient is g * mask.
    x = rng.normal(size=(4, 5))
    g = rng.normal(size=(4, 5))
    _, mask = dropout(x, p=0.3, rng=11)
    analytic = dropout_backward(g, mask)
    err = gradient_error(lambda v: np.sum(dropout(v, p=0.3, rng=11)[0] * g), analytic, x)
    assert err < GRAD_TOL


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5, float("nan"), "0.5", None])
def test_dropout_p_must_lie_in_0_1(p):
    with pytest.raises(ValueError, match="p"):
        dropout(np.ones(3), p=p)
    with pytest.raises(ValueError, match="p"):
        Dropout(p=p)


def test_dropout_rejects_bad_input():
    with pytest.raises(ValueError, match="x contains 1 non-finite"):
        dropout(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="rng"):
        dropout(np.ones(3), rng="seed")
    with pytest.raises(ValueError, match=r"grad_output has shape \(3,\); expected \(2,\)"):
        dropout_backward(np.ones(3), np.ones(2))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_dropout_properties(data):
    dtype = data.draw(st.sampled_from(DTYPES))
    shape = data.draw(array_shapes(min_dims=1, max_dims=4, max_side=6))
    width = 32 if dtype == np.float32 else 64
    x = data.draw(arrays(dtype, shape, elements=st.floats(-1e4, 1e4, width=width)))
    p = data.draw(st.floats(0, 0.99))
    seed = data.draw(st.integers(0, 2**32 - 1))
    out, mask = dropout(x, p=p, rng=seed)
    assert out.shape == mask.shape == shape
    assert out.dtype == mask.dtype == dtype
    scale = dtype(1) / (dtype(1) - dtype(p)) if p else dtype(1)
    assert np.all((mask == 0) | np.isclose(mask, scale, rtol=1e-6))
    np.testing.assert_array_equal(out, x * mask)
    grad = dropout_backward(np.ones_like(x), mask)
    np.testing.assert_array_equal(grad, mask)


# ====================================================================== the layer


def test_dropout_layer_forward_backward_and_mask():
    layer = Dropout(p=0.5, rng=0)
    assert isinstance(layer, Layer)
    assert layer.params == {} and layer.grads == {} and layer.num_parameters() == 0
    x = np.arange(1.0, 13.0).reshape(3, 4)
    y = layer.forward(x)
    np.testing.assert_array_equal(y, x * layer.mask)
    assert set(np.unique(layer.mask)) <= {0.0, 2.0}
    g = np.full((3, 4), 3.0)
    np.testing.assert_array_equal(layer.backward(g), g * layer.mask)
    # The same seed gives the same sequence of masks as the function.
    gen = np.random.default_rng(0)
    np.testing.assert_array_equal(layer.mask, dropout(x, 0.5, rng=gen)[1])
    assert repr(layer) == "Dropout(p=0.5)"


def test_dropout_layer_gradient_matches_finite_differences(rng):
    x = rng.normal(size=(3, 5))
    g = rng.normal(size=(3, 5))

    def f(v):  # a fresh layer with the same seed: the same mask every call
        return np.sum(Dropout(p=0.4, rng=5).forward(v) * g)

    layer = Dropout(p=0.4, rng=5)
    layer.forward(x)
    assert gradient_error(f, layer.backward(g), x) < GRAD_TOL


def test_dropout_layer_eval_mode_is_the_identity(rng):
    layer = Dropout(p=0.9, rng=0).eval()
    x = rng.normal(size=(2, 3)).astype(np.float32)
    y = layer(x)
    np.testing.assert_array_equal(y, x)
    assert y.dtype == np.float32
    np.testing.assert_array_equal(layer.backward(np.ones((2, 3))), 1.0)
    layer.train()
    assert np.count_nonzero(layer(np.ones((100, 100)))) < 10_000


def test_dropout_layer_backward_checks():
    layer = Dropout(rng=0)
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.ones(3))
    layer.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"grad_output has shape \(3, 2\); expected \(2, 3\)"):
        layer.backward(np.ones((3, 2)))


@pytest.mark.parametrize("dtype", DTYPES)
def test_dropout_layer_draws_the_masks_of_the_function(rng, dtype):
    # Layer and function share one kernel: bitwise the same outputs and masks
    # from the same stream of random numbers.
    x = rng.normal(size=(6, 7)).astype(dtype)
    layer, gen = Dropout(p=0.3, rng=42), np.random.default_rng(42)
    for _ in range(3):
        out, mask = dropout(x, p=0.3, rng=gen)
        assert layer.forward(x).tobytes() == out.tobytes() and layer.mask.dtype == dtype
        assert layer.mask.tobytes() == mask.tobytes()


def test_dropout_layer_checks_the_type_of_its_input_not_its_values():
    # As the activation layers: no nan/inf scan on the hot path, a nan propagates.
    layer = Dropout(p=0.5, rng=0)
    x = np.array([[np.nan, 1.0, 2.0]] * 50)
    y = layer.forward(x)
    np.testing.assert_array_equal(np.isnan(y), np.isnan(x))  # nan * 0 and nan * 2 are nan
    np.testing.assert_array_equal(y[:, 1:], x[:, 1:] * layer.mask[:, 1:])
    assert np.array_equal(layer.eval().forward(x), x, equal_nan=True)
    assert layer.train().forward([[1, 2]]).dtype == np.float64  # integers become float64
    with pytest.raises(ValueError, match="x must be a real numeric array"):
        layer.forward(np.array(["a", "b"]))
    with pytest.raises(ValueError, match="x contains 50 non-finite"):  # the function checks
        dropout(x, p=0.5, rng=0)


def test_dropout_needs_no_rng_when_nothing_is_dropped():
    x = np.ones(3)
    assert dropout(x, p=0.5, rng="not a seed", training=False)[0] is x
    assert dropout(x, p=0.0, rng="not a seed")[0] is x
