"""nnbook.losses: formulas against independent computations, gradients against
finite differences, the registry, the extremes and the input checks."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from nnbook.gradcheck import gradient_error
from nnbook.losses import (
    CLIP_EPS,
    Loss,
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
    get_loss,
    mae,
    mae_grad,
    mse,
    mse_grad,
    smooth_l1,
    smooth_l1_grad,
)

DTYPES = [np.float64, np.float32]
GRAD_TOL = 1e-6  # gradient_error in float64 below this means the gradient is right
def no_fp_errors():
    """Overflow, division by zero and invalid operations raise instead of warning."""
    return np.errstate(over="raise", divide="raise", invalid="raise")


# Independent references, written differently from the module (naive formulas on
# moderate inputs, numpy's logaddexp on large ones).
def naive_softmax(z):
    e = np.exp(np.asarray(z, dtype=np.float64))
    return e / e.sum(axis=1, keepdims=True)


def reference_cross_entropy(z, labels):
    z = np.asarray(z, dtype=np.float64)
    lse = np.logaddexp.reduce(z, axis=1)
    return float(np.mean(lse - z[np.arange(len(z)), labels]))


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


def one_hot(labels, k):
    return np.eye(k)[labels]


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# ======================================================================== cross entropy


def test_cross_entropy_hand_worked_examples():
    # Equal logits over k classes: -log(1/k).
    assert cross_entropy(np.zeros((3, 4)), [0, 1, 3]) == pytest.approx(math.log(4))
    # One sample, logits (1, 2, 3), true class 2: log(e + e^2 + e^3) - 3.
    expected = math.log(math.e + math.e**2 + math.e**3) - 3
    assert cross_entropy([[1.0, 2.0, 3.0]], [2]) == pytest.approx(expected, rel=1e-14)
    # Mean, not sum, over samples.
    two = cross_entropy([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]], [2, 0])
    assert two == pytest.approx((expected + expected + 2) / 2, rel=1e-14)
    # Gradient of the first example: (softmax - one_hot) / n.
    s = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()
    np.testing.assert_allclose(cross_entropy_grad([[1.0, 2.0, 3.0]], [2]),
                               [s - [0, 0, 1]], rtol=1e-14)


def test_cross_entropy_is_minus_log_softmax_of_the_true_class(rng):
    z = rng.normal(size=(7, 5)) * 3
    labels = rng.integers(0, 5, size=7)
    p = naive_softmax(z)
    expected = -np.mean(np.log(p[np.arange(7), labels]))
    assert cross_entropy(z, labels) == pytest.approx(expected, rel=1e-12)
    assert cross_entropy(z, one_hot(labels, 5)) == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_with_soft_targets(rng):
    z = rng.normal(size=(6, 4))
    y = naive_softmax(rng.normal(size=(6, 4)))  # rows are distributions
    expected = -np.mean(np.sum(y * np.log(naive_softmax(z)), axis=1))
    assert cross_entropy(z, y) == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(cross_entropy_grad(z, y), (naive_softmax(z) - y) / 6,
                               rtol=1e-12, atol=1e-15)


def test_cross_entropy_labels_and_one_hot_agree(rng):
    z = rng.normal(size=(8, 3))
    labels = rng.integers(0, 3, size=8)
    y = one_hot(labels, 3)
    assert cross_entropy(z, labels) == pytest.approx(cross_entropy(z, y), rel=1e-14)
    np.testing.assert_allclose(cross_entropy_grad(z, labels), cross_entropy_grad(z, y),
                               rtol=1e-14, atol=1e-16)


def test_cross_entropy_is_minimal_at_the_target_distribution(rng):
    # With Y = softmax(z), the loss is the entropy of Y and the gradient vanishes.
    z = rng.normal(size=(4, 5))
    y = naive_softmax(z)
    entropy = -np.mean(np.sum(y * np.log(y), axis=1))
    assert cross_entropy(z, y) == pytest.approx(entropy, rel=1e-12)
    np.testing.assert_allclose(cross_entropy_grad(z, y), 0, atol=1e-15)


def test_cross_entropy_single_class_is_zero():
    assert cross_entropy([[3.0], [-2.0]], [0, 0]) == 0.0
    np.testing.assert_array_equal(cross_entropy_grad([[3.0], [-2.0]], [0, 0]), 0)


@pytest.mark.parametrize("soft", [False, True])
def test_cross_entropy_gradient_matches_finite_differences(rng, soft):
    z = rng.normal(size=(5, 4)) * 2
    target = naive_softmax(rng.normal(size=(5, 4))) if soft else rng.integers(0, 4, size=5)
    err = gradient_error(lambda v: cross_entropy(v, target), cross_entropy_grad(z, target), z)
    assert err < GRAD_TOL


def test_cross_entropy_extreme_logits_are_finite():
    z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]])
    for dtype in DTYPES:
        with no_fp_errors():
            loss = cross_entropy(z.astype(dtype), [0, 0])
            grad = cross_entropy_grad(z.astype(dtype), [0, 0])
            soft = cross_entropy(z.astype(dtype), [[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
        assert loss == pytest.approx((0 + 2e4) / 2)  # -log softmax: 0, then 1e4 - (-1e4)
        assert soft == pytest.approx((0.5 * 2e4 + 1e4) / 2)
        assert grad.dtype == dtype and np.isfinite(grad).all()
        np.testing.assert_allclose(grad, [[0, 0, 0], [-0.5, 0.5, 0]], atol=1e-7)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_cross_entropy_properties(data):
    dtype = data.draw(st.sampled_from(DTYPES))
    n, k = data.draw(st.integers(1, 6)), data.draw(st.integers(1, 6))
    mag = data.draw(st.sampled_from([1.0, 50.0, 1e4]))
    width = 32 if dtype == np.float32 else 64
    z = data.draw(arrays(dtype, (n, k), elements=st.floats(-mag, mag, width=width)))
    labels = data.draw(arrays(np.int64, (n,), elements=st.integers(0, k - 1)))
    with no_fp_errors():
        loss = cross_entropy(z, labels)
        grad = cross_entropy_grad(z, labels)
        loss_oh = cross_entropy(z, one_hot(labels, k))
    assert type(loss) is float and math.isfinite(loss) and loss >= 0
    assert grad.shape == z.shape and grad.dtype == dtype and np.isfinite(grad).all()
    eps = np.finfo(dtype).eps
    tol = 1e-9 if dtype == np.float64 else 1e-4
    ref = reference_cross_entropy(z, labels)
    assert loss == pytest.approx(ref, rel=tol, abs=tol)
    assert loss_oh == pytest.approx(ref, rel=tol, abs=tol)
    # Softmax rows sum to 1 and one-hot rows sum to 1: gradient rows sum to 0.
    np.testing.assert_allclose(grad.astype(np.float64).sum(axis=1), 0, atol=10 * k * eps / n)
    # Shift invariance: adding a constant to a row does not change the loss.
    assert cross_entropy(z.astype(np.float64) + 7.0, labels) == pytest.approx(
        reference_cross_entropy(z, labels), rel=1e-9, abs=1e-9 * mag)


def _fancy_index_cross_entropy(logits, labels):
    """The kernel's operations with plain row-and-column indexing, for a bitwise comparison."""
    n = logits.shape[0]
    rows = np.arange(n)
    p = logits - logits.max(axis=1, keepdims=True)
    picked = p[rows, labels].sum()
    np.exp(p, out=p)
    s = p.sum(axis=1, keepdims=True)
    loss = (float(np.log(s).sum()) - float(picked)) / n
    p /= s
    p[rows, labels] -= 1
    p *= 1.0 / n
    return loss, p


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("label_dtype", [np.int8, np.uint8, np.int32, np.int64, np.uint64])
@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_cross_entropy_with_labels_is_bitwise_the_fancy_indexed_computation(
    rng, dtype, label_dtype, layout
):
    # The labels are gathered by flat index from C-ordered logits (cached row
    # offsets), by rows and columns otherwise: same numbers, to the last bit.
    loss = get_loss("cross_entropy")
    for n, k in [(64, 10), (1, 1), (7, 3), (64, 10), (33, 100)]:  # (64, 10) twice: cached
        z = (rng.standard_normal((n, 2 * k)) * 10).astype(dtype)
        z = {"C": np.ascontiguousarray(z[:, :k]), "F": np.asfortranarray(z[:, :k]),
             "strided": z[:, ::2]}[layout]
        y = rng.integers(0, k, n).astype(label_dtype)
        expected_value, expected_grad = _fancy_index_cross_entropy(z, y)
        value, grad = loss.value_and_grad(z, y, check=False)
        assert value == expected_value
        assert grad.dtype == dtype and grad.tobytes() == expected_grad.tobytes()
        assert cross_entropy(z, y) == expected_value
        assert cross_entropy_grad(z, y).tobytes() == expected_grad.tobytes()
        assert value == pytest.approx(reference_cross_entropy(z, y),
                                      rel=1e-12 if dtype == np.float64 else 1e-5)


# ================================================================= binary cross entropy


def test_binary_cross_entropy_hand_worked_examples():
    assert binary_cross_entropy([0.5], [1]) == pytest.approx(math.log(2))
    expected = -(math.log(0.9) + math.log(1 - 0.2) + 0.3 * math.log(0.6) + 0.7 * math.log(0.4)) / 3
    assert binary_cross_entropy([0.9, 0.2, 0.6], [1.0, 0.0, 0.3]) == pytest.approx(expected)
    # d/dp of -(y log p + (1-y) log(1-p)) = (p - y) / (p (1 - p)), divided by N = 2.
    np.testing.assert_allclose(binary_cross_entropy_grad([0.9, 0.2], [1.0, 0.0]),
                               [(0.9 - 1) / (0.9 * 0.1) / 2, 0.2 / (0.2 * 0.8) / 2])


def test_binary_cross_entropy_equals_two_class_cross_entropy(rng):
    # sigmoid(z) = softmax([0, z])[1], so BCE(sigmoid(z), y) = CE([0, z], y).
    z = rng.normal(size=9) * 3
    y = rng.integers(0, 2, size=9)
    logits2 = np.column_stack([np.zeros(9), z])
    ce = cross_entropy(logits2, y)
    assert binary_cross_entropy(sigmoid(z), y) == pytest.approx(ce, rel=1e-12)
    assert binary_cross_entropy_with_logits(z, y) == pytest.approx(ce, rel=1e-12)
    # ... and the logit gradients agree: d/dz = (sigmoid(z) - y) / n in both.
    np.testing.assert_allclose(binary_cross_entropy_with_logits_grad(z, y),
                               cross_entropy_grad(logits2, y)[:, 1], rtol=1e-12, atol=1e-16)


def test_bce_with_logits_equals_bce_of_sigmoid_and_the_chain_rule_holds(rng):
    z = rng.normal(size=(4, 3)) * 4
    y = rng.uniform(size=(4, 3))  # soft targets
    p = sigmoid(z)
    assert binary_cross_entropy_with_logits(z, y) == pytest.approx(
        binary_cross_entropy(p, y), rel=1e-12)
    # dL/dz = dL/dp * sigmoid'(z), sigmoid' = p (1 - p).
    np.testing.assert_allclose(binary_cross_entropy_with_logits_grad(z, y),
                               binary_cross_entropy_grad(p, y) * p * (1 - p), rtol=1e-10)


def test_bce_gradients_match_finite_differences(rng):
    p = rng.uniform(0.05, 0.95, size=(6, 2))
    z = rng.normal(size=(6, 2)) * 3
    y = rng.uniform(size=(6, 2))
    assert gradient_error(lambda v: binary_cross_entropy(v, y),
                          binary_cross_entropy_grad(p, y), p) < GRAD_TOL
    assert gradient_error(lambda v: binary_cross_entropy_with_logits(v, y),
                          binary_cross_entropy_with_logits_grad(z, y), z) < GRAD_TOL


@pytest.mark.parametrize("dtype", DTYPES)
def test_bce_at_probabilities_exactly_zero_and_one(dtype):
    eps = CLIP_EPS[np.dtype(dtype)]
    assert eps == (1e-12 if dtype == np.float64 else 1e-7)
    p = np.array([0.0, 1.0, 0.0, 1.0], dtype=dtype)
    y = np.array([1.0, 0.0, 0.0, 1.0], dtype=dtype)
    with no_fp_errors():
        loss = binary_cross_entropy(p, y)
        grad = binary_cross_entropy_grad(p, y)
    # p is clipped to [lo, hi] = [eps, 1 - eps] as represented in the dtype (in float32,
    # 1 - 1e-7 rounds to 1 - 2**-23). Two confidently wrong predictions (-log lo and
    # -log(1 - hi)) and two confidently right ones (-log(1 - lo) and -log hi, about 0).
    lo, hi = float(dtype(eps)), float(dtype(1) - dtype(eps))
    expected = -(math.log(lo) + math.log1p(-hi) + math.log1p(-lo) + math.log(hi)) / 4
    assert loss == pytest.approx(expected, rel=1e-5)
    assert loss > 15 / 4
    assert grad.dtype == dtype and np.isfinite(grad).all()
    assert grad[0] < 0 < grad[1]  # pushes p up where y = 1 and down where y = 0


@pytest.mark.parametrize("dtype", DTYPES)
def test_bce_with_logits_at_extreme_logits(dtype):
    z = np.array([1e4, -1e4, 1e4, -1e4], dtype=dtype)
    y = np.array([0.0, 1.0, 1.0, 0.0], dtype=dtype)
    with no_fp_errors():
        loss = binary_cross_entropy_with_logits(z, y)
        grad = binary_cross_entropy_with_logits_grad(z, y)
    assert loss == pytest.approx((1e4 + 1e4 + 0 + 0) / 4)
    assert grad.dtype == dtype
    np.testing.assert_array_equal(grad, np.array([1, -1, 0, 0], dtype=dtype) / 4)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_binary_cross_entropy_properties(data):
    dtype = data.draw(st.sampled_from(DTYPES))
    width = 32 if dtype == np.float32 else 64
    shape = data.draw(array_shapes(min_dims=1, max_dims=3, max_side=5))
    p = data.draw(arrays(dtype, shape, elements=st.floats(0, 1, width=width)))
    y = data.draw(arrays(dtype, shape, elements=st.sampled_from([0.0, 1.0])
                         | st.floats(0, 1, width=width)))
    mag = data.draw(st.sampled_from([1.0, 30.0, 1e4]))
    z = data.draw(arrays(dtype, shape, elements=st.floats(-mag, mag, width=width)))
    with no_fp_errors():
        values = [binary_cross_entropy(p, y), binary_cross_entropy_with_logits(z, y)]
        grads = [binary_cross_entropy_grad(p, y), binary_cross_entropy_with_logits_grad(z, y)]
    for value in values:
        assert type(value) is float and math.isfinite(value) and value >= -1e-6
    for g in grads:
        assert g.shape == shape and g.dtype == dtype and np.isfinite(g).all()
    # Independent forms: log(1 + e^z) - z y, and sigmoid(z) = exp(-log(1 + e^-z)).
    z64, y64 = z.astype(np.float64), y.astype(np.float64)
    tol = 1e-9 if dtype == np.float64 else 1e-4
    assert values[1] == pytest.approx(np.mean(np.logaddexp(0, z64) - z64 * y64),
                                      rel=tol, abs=tol)
    np.testing.assert_allclose(grads[1], (np.exp(-np.logaddexp(0, -z64)) - y64) / z.size,
                               rtol=tol, atol=tol / z.size)


# ====================================================================== regression


def test_regression_hand_worked_examples():
    y_pred, y = [1.0, 2.0, 3.0], [1.0, 1.0, 1.0]  # errors 0, 1, 2
    assert mae(y_pred, y) == 1.0
    assert mse(y_pred, y) == pytest.approx(5 / 3)
    assert smooth_l1(y_pred, y) == pytest.approx((0 + 0.5 + 1.5) / 3)
    np.testing.assert_allclose(mae_grad(y_pred, y), [0, 1 / 3, 1 / 3])  # sign(0) = 0
    np.testing.assert_allclose(mse_grad(y_pred, y), [0, 2 / 3, 4 / 3])
    np.testing.assert_allclose(smooth_l1_grad(y_pred, y), [0, 1 / 3, 1 / 3])
    # N counts all elements, not rows.
    assert mse(np.ones((2, 3)), np.zeros((2, 3))) == 1.0


def test_smooth_l1_is_half_mse_inside_and_mae_minus_half_outside(rng):
    inside = rng.uniform(-0.99, 0.99, size=50)
    outside = rng.choice([-1, 1], size=50) * rng.uniform(1.0, 5.0, size=50)
    zero = np.zeros(50)
    assert smooth_l1(inside, zero) == pytest.approx(mse(inside, zero) / 2, rel=1e-14)
    assert smooth_l1(outside, zero) == pytest.approx(mae(outside, zero) - 0.5, rel=1e-14)
    np.testing.assert_allclose(smooth_l1_grad(inside, zero), mse_grad(inside, zero) / 2)
    np.testing.assert_allclose(smooth_l1_grad(outside, zero), mae_grad(outside, zero))


def test_smooth_l1_beta_is_a_rescaling(rng):
    # l_beta(x) = beta * l_1(x / beta).
    x = rng.normal(size=40) * 3
    zero = np.zeros(40)
    for beta in (0.1, 0.5, 2.0):
        assert smooth_l1(x, zero, beta=beta) == pytest.approx(
            beta * smooth_l1(x / beta, zero), rel=1e-13)
        np.testing.assert_allclose(smooth_l1_grad(x, zero, beta=beta),
                                   smooth_l1_grad(x / beta, zero), rtol=1e-13)


def test_smooth_l1_is_continuous_at_beta():
    beta = 0.7
    for x in (beta, -beta):
        below, above = x * (1 - 1e-9), x * (1 + 1e-9)
        assert smooth_l1([below], [0.0], beta) == pytest.approx(smooth_l1([above], [0.0], beta))
        assert smooth_l1_grad([below], [0.0], beta)[0] == pytest.approx(
            smooth_l1_grad([above], [0.0], beta)[0])


def test_regression_gradients_match_finite_differences(rng):
    y = rng.normal(size=(4, 3))
    # Keep errors away from the kinks: |e| >= 0.1 for MAE, |e| not near beta for smooth L1.
    e = rng.choice([-1, 1], size=(4, 3)) * np.where(rng.uniform(size=(4, 3)) < 0.5,
                                                   rng.uniform(0.1, 0.8, size=(4, 3)),
                                                   rng.uniform(1.2, 3.0, size=(4, 3)))
    y_pred = y + e
    for value, grad in [(mae, mae_grad), (mse, mse_grad), (smooth_l1, smooth_l1_grad)]:
        err = gradient_error(lambda v, f=value: f(v, y), grad(y_pred, y), y_pred)
        assert err < GRAD_TOL, value.__name__
    # beta = 2 with errors 2e: |2e| in [0.2, 1.6] or [2.4, 6], away from the kink at 2.
    y_pred = y + 2 * e
    err = gradient_error(lambda v: smooth_l1(v, y, beta=2.0), smooth_l1_grad(y_pred, y, 2.0),
                         y_pred)
    assert err < GRAD_TOL


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_regression_properties(data):
    dtype = data.draw(st.sampled_from(DTYPES))
    width = 32 if dtype == np.float32 else 64
    shape = data.draw(array_shapes(min_dims=1, max_dims=3, max_side=5))
    mag = data.draw(st.sampled_from([1.0, 100.0, 1e4]))
    elements = st.floats(-mag, mag, width=width)
    y_pred = data.draw(arrays(dtype, shape, elements=elements))
    y = data.draw(arrays(dtype, shape, elements=elements))
    d = y_pred.astype(np.float64) - y.astype(np.float64)
    a = np.abs(d)
    references = {
        mae: (a.mean(), np.sign(d) / d.size),
        mse: ((d**2).mean(), 2 * d / d.size),
        smooth_l1: (np.where(a < 1, 0.5 * d**2, a - 0.5).mean(),
                    np.where(a < 1, d, np.sign(d)) / d.size),
    }
    grads = {mae: mae_grad, mse: mse_grad, smooth_l1: smooth_l1_grad}
    tol = 1e-12 if dtype == np.float64 else 1e-5
    for value, (ref_value, ref_grad) in references.items():
        with no_fp_errors():
            v, g = value(y_pred, y), grads[value](y_pred, y)
        assert type(v) is float and math.isfinite(v) and v >= 0
        assert g.shape == shape and g.dtype == dtype and np.isfinite(g).all()
        assert v == pytest.approx(ref_value, rel=tol, abs=tol)
        if dtype == np.float64:  # float32 differences round, which moves sign() at 0
            np.testing.assert_allclose(g, ref_grad, rtol=tol, atol=tol / d.size)


# ====================================================================== registry

VALID_INPUTS = {
    "cross_entropy": (np.array([[0.2, -1.0, 3.0], [1.0, 1.0, 0.0]]), np.array([2, 0])),
    "binary_cross_entropy": (np.array([0.1, 0.7, 1.0]), np.array([0.0, 1.0, 1.0])),
    "binary_cross_entropy_with_logits": (np.array([[-2.0], [0.5]]), np.array([[0.0], [1.0]])),
    "mae": (np.array([1.0, -2.0, 3.5]), np.array([0.0, -2.0, 1.0])),
    "mse": (np.array([1.0, -2.0, 3.5]), np.array([0.0, -2.0, 1.0])),
    "smooth_l1": (np.array([1.0, -2.0, 0.5]), np.array([0.0, -2.0, 1.0])),
}


@pytest.mark.parametrize("name", list(VALID_INPUTS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_value_and_grad_matches_value_and_grad_functions(name, dtype):
    loss = get_loss(name)
    assert isinstance(loss, Loss) and loss.name == name
    pred, target = VALID_INPUTS[name]
    pred = pred.astype(dtype)
    if target.dtype.kind == "f":
        target = target.astype(dtype)
    pred_copy, target_copy = pred.copy(), target.copy()
    for check in (True, False):
        value, grad = loss.value_and_grad(pred, target, check=check)
        assert type(value) is float
        assert value == pytest.approx(loss.value(pred, target), rel=1e-6)
        np.testing.assert_allclose(grad, loss.grad(pred, target), rtol=1e-6)
        assert grad.dtype == dtype and grad.shape == pred.shape
    # Inputs are never modified (the in-place work happens in fresh buffers).
    np.testing.assert_array_equal(pred, pred_copy)
    np.testing.assert_array_equal(target, target_copy)


def test_value_and_grad_soft_targets_and_validation():
    z = np.array([[0.0, 1.0], [2.0, -1.0]])
    y = np.array([[0.3, 0.7], [1.0, 0.0]])
    value, grad = get_loss("cross_entropy").value_and_grad(z, y, check=False)
    assert value == pytest.approx(cross_entropy(z, y))
    np.testing.assert_allclose(grad, cross_entropy_grad(z, y))
    with pytest.raises(ValueError, match="target"):
        get_loss("cross_entropy").value_and_grad(z, np.array([0, 2]))


@pytest.mark.parametrize(
    ("name", "fn"),
    [("cross_entropy", cross_entropy), ("binary_cross_entropy", binary_cross_entropy),
     ("binary_cross_entropy_with_logits", binary_cross_entropy_with_logits),
     ("mae", mae), ("l1", mae), ("mse", mse), ("L2", mse), ("smooth_l1", smooth_l1),
     ("Cross_Entropy", cross_entropy)],
)
def test_get_loss_names_and_aliases(name, fn):
    assert get_loss(name).value is fn


def test_get_loss_passes_a_loss_through_and_losses_are_frozen():
    loss = get_loss("mse")
    assert get_loss(loss) is loss
    with pytest.raises(dataclasses.FrozenInstanceError):
        loss.name = "other"
    custom = Loss("half_mse", lambda p, t: mse(p, t) / 2, lambda p, t: mse_grad(p, t) / 2)
    assert get_loss(custom) is custom
    value, grad = custom.value_and_grad(np.array([2.0]), np.array([0.0]))
    assert value == 2.0 and grad.tolist() == [2.0]


@pytest.mark.parametrize("bad", ["hinge", "", None, 3])
def test_get_loss_rejects_unknown_names(bad):
    with pytest.raises(ValueError, match="unknown loss") as info:
        get_loss(bad)
    for valid in ("cross_entropy", "binary_cross_entropy_with_logits", "l1", "smooth_l1"):
        assert valid in str(info.value)


# ====================================================================== dtypes


@pytest.mark.parametrize("name", list(VALID_INPUTS))
def test_float32_in_float32_gradient_out_even_with_float64_targets(name):
    pred, target = VALID_INPUTS[name]
    loss = get_loss(name)
    grad = loss.grad(pred.astype(np.float32), target)
    assert grad.dtype == np.float32
    assert type(loss.value(pred.astype(np.float32), target)) is float
    np.testing.assert_allclose(grad, loss.grad(pred, target), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", list(VALID_INPUTS))
def test_integer_and_list_inputs_become_float64(name):
    pred, target = VALID_INPUTS[name]
    grad = get_loss(name).grad(pred.tolist(), target.tolist())
    assert grad.dtype == np.float64


# ====================================================================== bad input

Z2 = np.zeros((2, 3))


@pytest.mark.parametrize(
    ("logits", "target", "match"),
    [
        (np.zeros(3), [0], r"logits must have shape \(n, K\).*got an array of shape \(3,\)"),
        (np.zeros((0, 3)), np.zeros(0, dtype=int), r"logits must have shape \(n, K\)"),
        (np.zeros((2, 0)), [0, 0], r"logits must have shape \(n, K\)"),
        (np.zeros((1, 2, 3)), [0], r"logits must have shape \(n, K\)"),
        (Z2, [0, 3], r"target holds class labels in \[0, 3\]; expected labels in \[0, 3\)"),
        (Z2, [-1, 0], r"target holds class labels in \[-1, 0\]; expected labels in \[0, 3\)"),
        (Z2, [0.0, 1.0], r"target of shape \(n,\) must hold integer class labels"),
        (Z2, [0.5, 1.0], r"integer class labels.*float64"),
        (Z2, ["a", "b"], r"integer class labels"),
        (Z2, [0, 1, 2], r"target has shape \(3,\); expected \(2,\)"),
        (Z2, np.full((2, 4), 0.25), r"target has shape \(2, 4\).*\(2,\).*\(2, 3\)"),
        (Z2, np.full((3, 3), 1 / 3), r"target has shape \(3, 3\)"),
        (Z2, [[1.5, -0.5, 0.0], [1.0, 0.0, 0.0]], r"target must hold probabilities in \[0, 1\]"),
        (Z2, [[0.5, 0.4, 0.0], [1.0, 0.0, 0.0]], r"row 0 sums to 0.9"),
        (Z2, [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]], r"row 1 sums to 2"),
        ([[np.nan, 0, 0], [0, 0, 0]], [0, 0], r"logits contains 1 non-finite"),
        ([[np.inf, 0, 0], [0, 0, 0]], [0, 0], r"logits contains 1 non-finite"),
        (Z2, [[np.nan, 0, 0], [1, 0, 0]], r"target contains 1 non-finite"),
        ([["a", "b", "c"]], [0], r"logits must be a real numeric array"),
    ],
)
def test_cross_entropy_rejects_bad_input(logits, target, match):
    for fn in (cross_entropy, cross_entropy_grad,
               lambda z, t: get_loss("cross_entropy").value_and_grad(z, t)):
        with pytest.raises(ValueError, match=match):
            fn(logits, target)


@pytest.mark.parametrize(
    ("p", "y", "match"),
    [
        ([0.5, 1.2], [0, 1], r"p must hold probabilities in \[0, 1\], got values in \[0.5, 1.2\]"),
        ([-0.1, 0.5], [0, 1], r"p must hold probabilities in \[0, 1\]"),
        ([0.5, 0.5], [0, 2], r"y must hold probabilities in \[0, 1\]"),
        ([0.5, 0.5], [[0], [1]], r"y has shape \(2, 1\); expected \(2,\), the shape of p"),
        ([[0.5], [0.5]], [0, 1], r"y has shape \(2,\); expected \(2, 1\)"),
        ([], [], r"p must be a non-empty array"),
        (np.zeros((3, 0)), np.zeros((3, 0)), r"p must be a non-empty array"),
        (0.5, 1.0, r"p must be a non-empty array with at least one dimension"),
        ([np.nan, 0.5], [0, 1], r"p contains 1 non-finite"),
        ([0.5, 0.5], [np.nan, 1], r"y contains 1 non-finite"),
    ],
)
def test_binary_cross_entropy_rejects_bad_input(p, y, match):
    for fn in (binary_cross_entropy, binary_cross_entropy_grad):
        with pytest.raises(ValueError, match=match):
            fn(p, y)


@pytest.mark.parametrize(
    ("z", "y", "match"),
    [
        ([0.0, 1.0], [0, 1.5], r"y must hold probabilities in \[0, 1\]"),
        ([0.0, 1.0], [0, 1, 1], r"y has shape \(3,\); expected \(2,\), the shape of z"),
        ([0.0, np.inf], [0, 1], r"z contains 1 non-finite"),
        ([], [], r"z must be a non-empty array"),
    ],
)
def test_bce_with_logits_rejects_bad_input(z, y, match):
    for fn in (binary_cross_entropy_with_logits, binary_cross_entropy_with_logits_grad):
        with pytest.raises(ValueError, match=match):
            fn(z, y)


@pytest.mark.parametrize("fn", [mae, mae_grad, mse, mse_grad, smooth_l1, smooth_l1_grad])
@pytest.mark.parametrize(
    ("y_pred", "y", "match"),
    [
        ([1.0, 2.0], [1.0, 2.0, 3.0], r"y has shape \(3,\); expected \(2,\), the shape of y_pred"),
        (np.zeros((4, 1)), np.zeros(4), r"y has shape \(4,\); expected \(4, 1\)"),
        ([], [], r"y_pred must be a non-empty array"),
        ([1.0, np.nan], [1.0, 2.0], r"y_pred contains 1 non-finite"),
        ([1.0, 2.0], [np.inf, -np.inf], r"y contains 2 non-finite"),
        (["a"], [1.0], r"y_pred must be a real numeric array"),
        ([1.0], [1 + 2j], r"y must be a real numeric array"),
    ],
)
def test_regression_losses_reject_bad_input(fn, y_pred, y, match):
    with pytest.raises(ValueError, match=match):
        fn(y_pred, y)


@pytest.mark.parametrize("beta", [0, -1.0, float("nan"), "1"])
def test_smooth_l1_beta_must_be_positive(beta):
    for fn in (smooth_l1, smooth_l1_grad):
        with pytest.raises(ValueError, match="beta"):
            fn([1.0], [0.0], beta)


def test_loss_check_validates_without_computing():
    from nnbook.losses import LOSSES, Loss

    ce = LOSSES["cross_entropy"]
    prediction, target = ce.check([[0.0, 1.0], [2.0, 0.5]], [1, 0])
    assert prediction.dtype == np.float64 and target.dtype.kind == "i"
    with pytest.raises(ValueError, match="expected labels in"):
        ce.check([[0.0, 1.0]], [2])
    with pytest.raises(ValueError):
        LOSSES["mse"].check([[1.0, 2.0]], [[1.0]])
    calls = []
    custom = Loss("mine", lambda p, t: calls.append(1) or 0.0, lambda p, t: p)
    custom.check(np.zeros(2), np.zeros(2))  # a custom loss checks through its value
    assert calls == [1]
