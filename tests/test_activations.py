"""nnbook.activations: derivatives, closed forms, numerics at the extremes, dtypes, errors.

Every derivative and every layer's backward pass is checked against central
finite differences; every formula against an independent computation (a
closed form, an identity, a hand-worked value, Python's ``math`` module).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnbook.activations import (
    ACTIVATION_ALIASES,
    ACTIVATIONS,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
    get_activation,
    identity,
    identity_grad,
    leaky_relu,
    leaky_relu_grad,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    softmax_backward,
    tanh,
    tanh_grad,
)
from nnbook.base import Layer
from nnbook.gradcheck import gradient_error

GRAD_TOL = 1e-6  # gradient_error's threshold for float64 central differences
EPS64 = np.finfo(np.float64).eps
EPS32 = np.finfo(np.float32).eps


def leaky_relu_03(x):
    return leaky_relu(x, alpha=0.3)


def leaky_relu_grad_03(x):
    return leaky_relu_grad(x, alpha=0.3)


# (function, derivative) pairs of the elementwise activations.
PAIRS = [
    (sigmoid, sigmoid_grad),
    (tanh, tanh_grad),
    (relu, relu_grad),
    (leaky_relu, leaky_relu_grad),
    (leaky_relu_03, leaky_relu_grad_03),
    (identity, identity_grad),
]
PAIR_IDS = ["sigmoid", "tanh", "relu", "leaky_relu", "leaky_relu_0.3", "identity"]
ELEMENTWISE = [sigmoid, sigmoid_grad, tanh, tanh_grad, relu, relu_grad, leaky_relu]
ELEMENTWISE += [leaky_relu_grad, identity, identity_grad]
FUNCTIONS = [*ELEMENTWISE, softmax]

LAYER_FACTORIES = {
    "Sigmoid": Sigmoid,
    "Tanh": Tanh,
    "ReLU": ReLU,
    "LeakyReLU": LeakyReLU,
    "LeakyReLU(0.3)": lambda: LeakyReLU(alpha=0.3),
    "Identity": Identity,
    "Softmax": Softmax,
    "Softmax(axis=0)": lambda: Softmax(axis=0),
}
# The function each layer's forward must reproduce.
LAYER_FUNCTIONS = {
    "Sigmoid": sigmoid,
    "Tanh": tanh,
    "ReLU": relu,
    "LeakyReLU": leaky_relu,
    "LeakyReLU(0.3)": leaky_relu_03,
    "Identity": identity,
    "Softmax": softmax,
    "Softmax(axis=0)": lambda x: softmax(x, axis=0),
}


def away_from_zero(rng, shape, low=0.05, high=4.0):
    """Random values with |x| in [low, high]: finite differences never straddle a kink."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape)


def explicit_softmax_vjp(x, g, axis):
    """J^T g with the Jacobian J = diag(s) - s s^T formed explicitly, slice by slice."""
    s = np.moveaxis(softmax(x, axis=axis), axis, -1)
    gm = np.moveaxis(g, axis, -1)
    eye = np.eye(s.shape[-1])
    jac = s[..., :, None] * eye - s[..., :, None] * s[..., None, :]
    return np.moveaxis(np.einsum("...ji,...j->...i", jac, gm), -1, axis)


# --------------------------------------------------------------------------
# Derivatives against finite differences.
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("fn", "grad"), PAIRS, ids=PAIR_IDS)
def test_derivative_matches_finite_differences(fn, grad):
    x = away_from_zero(np.random.default_rng(0), (3, 5))
    assert gradient_error(lambda v: np.sum(fn(v)), grad(x), x) < GRAD_TOL


@pytest.mark.parametrize("name", list(LAYER_FACTORIES))
def test_layer_backward_matches_finite_differences(name):
    make = LAYER_FACTORIES[name]
    rng = np.random.default_rng(1)
    x = away_from_zero(rng, (4, 5))
    g = rng.standard_normal((4, 5))
    layer = make()
    layer.forward(x)
    analytic = layer.backward(g)
    probe = make()
    assert gradient_error(lambda v: np.sum(g * probe.forward(v)), analytic, x) < GRAD_TOL


@pytest.mark.parametrize(("shape", "axis"), [((6,), -1), ((3, 4), 0), ((3, 4), 1), ((2, 3, 4), 1)])
def test_softmax_backward_matches_finite_differences(shape, axis):
    rng = np.random.default_rng(2)
    x, g = 2 * rng.standard_normal(shape), rng.standard_normal(shape)
    analytic = softmax_backward(x, g, axis=axis)
    assert gradient_error(lambda v: np.sum(g * softmax(v, axis=axis)), analytic, x) < GRAD_TOL


@pytest.mark.parametrize(("shape", "axis"), [((5,), 0), ((3, 4), 0), ((3, 4), -1), ((2, 3, 4), 1)])
def test_softmax_backward_matches_explicit_jacobian(shape, axis):
    rng = np.random.default_rng(3)
    x, g = 3 * rng.standard_normal(shape), rng.standard_normal(shape)
    expected = explicit_softmax_vjp(x, g, axis)
    np.testing.assert_allclose(softmax_backward(x, g, axis=axis), expected, rtol=1e-12, atol=1e-15)
    layer = Softmax(axis=axis)
    layer.forward(x)
    np.testing.assert_allclose(layer.backward(g), expected, rtol=1e-12, atol=1e-15)


def test_softmax_jacobian_of_a_hand_worked_example():
    # s = (1/2, 1/2): J = [[1/4, -1/4], [-1/4, 1/4]].
    x = np.zeros(2)
    np.testing.assert_allclose(softmax_backward(x, [1.0, 0.0]), [0.25, -0.25], rtol=1e-15)
    np.testing.assert_allclose(softmax_backward(x, [0.0, 1.0]), [-0.25, 0.25], rtol=1e-15)
    # A gradient that is constant along the axis changes nothing: softmax ignores shifts.
    np.testing.assert_allclose(softmax_backward([1.0, 2.0, 3.0], [7.0, 7.0, 7.0]), 0, atol=1e-15)


# --------------------------------------------------------------------------
# Closed forms, identities and hand-worked values.
# --------------------------------------------------------------------------

GRID = np.linspace(-30.0, 30.0, 6001)  # contains 0 exactly (step 0.01)


def test_sigmoid_hand_worked_values():
    np.testing.assert_allclose(sigmoid([0.0, math.log(3.0), -math.log(3.0)]), [0.5, 0.75, 0.25])
    np.testing.assert_allclose(sigmoid_grad([0.0, math.log(3.0)]), [0.25, 3 / 16], rtol=1e-14)


def test_sigmoid_equals_the_tanh_form():
    expected = 0.5 * (1.0 + np.tanh(GRID / 2))
    np.testing.assert_allclose(sigmoid(GRID), expected, rtol=0, atol=2 * EPS64)


def test_sigmoid_matches_math_with_full_relative_precision_in_the_tails():
    # 1 / (1 + e^-x) in Python floats; where 0.5 (1 + tanh(x/2)) would round to 0.
    points = [-700.0, -300.0, -40.0, -30.0, -5.0, 0.5, 20.0, 36.0]
    expected = [1.0 / (1.0 + math.exp(-v)) for v in points]
    np.testing.assert_allclose(sigmoid(points), expected, rtol=4 * EPS64, atol=0)
    # float32: sigmoid(-20) ~ 2.06e-9 is far below float32's epsilon, and still right.
    s32 = sigmoid(np.array([-80.0, -20.0, -10.0], dtype=np.float32))
    np.testing.assert_allclose(s32, [1 / (1 + math.exp(v)) for v in (80, 20, 10)], rtol=4 * EPS32)


def test_sigmoid_symmetry():
    np.testing.assert_allclose(sigmoid(-GRID), 1.0 - sigmoid(GRID), rtol=0, atol=EPS64)
    np.testing.assert_array_equal(sigmoid_grad(-GRID), sigmoid_grad(GRID))


def test_sigmoid_grad_is_s_times_one_minus_s():
    s = sigmoid(GRID)
    np.testing.assert_allclose(sigmoid_grad(GRID), s * (1 - s), rtol=0, atol=1e-15)


def test_sigmoid_grad_tails_match_the_exponential_form():
    # sigma'(x) = e^-|x| / (1 + e^-|x|)^2 in Python floats, independent of the cosh
    # form used; full relative precision in both tails, where s (1 - s) is 0 for x > 37.
    points = [-700.0, -600.0, -40.0, -3.0, 0.0, 2.5, 40.0, 600.0, 700.0]
    expected = [math.exp(-abs(v)) / (1.0 + math.exp(-abs(v))) ** 2 for v in points]
    np.testing.assert_allclose(sigmoid_grad(points), expected, rtol=1e-13, atol=0)


def test_sigmoid_grad_peaks_at_a_quarter_at_zero():
    d = sigmoid_grad(GRID)
    assert d.max() == 0.25
    assert GRID[np.argmax(d)] == 0.0
    assert np.all(d <= 0.25)
    # The notes' vanishing gradient: through five sigmoid layers at most 0.25**5 ~ 1e-3.
    assert sigmoid_grad(0.0) ** 5 == pytest.approx(1 / 1024)


def test_tanh_hand_worked_values():
    # tanh(log 2) = (2 - 1/2) / (2 + 1/2) = 3/5.
    np.testing.assert_allclose(tanh([0.0, math.log(2.0)]), [0.0, 0.6], rtol=1e-15, atol=0)
    np.testing.assert_allclose(tanh_grad([0.0, math.log(2.0)]), [1.0, 0.64], rtol=1e-14)


def test_tanh_identities():
    t = tanh(GRID)
    np.testing.assert_allclose(t, 2 * sigmoid(2 * GRID) - 1, rtol=0, atol=4 * EPS64)
    np.testing.assert_allclose(tanh_grad(GRID), 1 - t**2, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(tanh(-GRID), -t)
    assert tanh_grad(GRID).max() == 1.0 and GRID[np.argmax(tanh_grad(GRID))] == 0.0


def test_tanh_grad_tails_match_the_exponential_form():
    # tanh'(x) = 4 e^-2|x| / (1 + e^-2|x|)^2 in Python floats; 1 - tanh^2 is 0 for |x| > 19.
    points = [-350.0, -300.0, -20.0, -1.0, 0.0, 0.3, 20.0, 300.0, 350.0]
    expected = [4 * math.exp(-2 * abs(v)) / (1.0 + math.exp(-2 * abs(v))) ** 2 for v in points]
    np.testing.assert_allclose(tanh_grad(points), expected, rtol=1e-13, atol=0)


def test_relu_and_its_derivative():
    x = np.array([-3.0, -1e-300, 0.0, 1e-300, 2.5])
    np.testing.assert_array_equal(relu(x), [0.0, 0.0, 0.0, 1e-300, 2.5])
    np.testing.assert_array_equal(relu_grad(x), [0.0, 0.0, 0.0, 1.0, 1.0])


def test_relu_grad_at_zero_is_zero():
    assert relu_grad(0.0) == 0.0
    assert relu_grad(np.float32(0.0)) == 0.0
    layer = ReLU()
    layer.forward(np.zeros(3))
    np.testing.assert_array_equal(layer.backward(np.ones(3)), 0.0)


def test_leaky_relu_is_the_notes_formula():
    # The notes: f(x) = max(0.1 x, x).
    x = np.linspace(-5, 5, 101)
    np.testing.assert_array_equal(leaky_relu(x), np.where(x > 0, x, 0.1 * x))
    np.testing.assert_allclose(leaky_relu(x), np.maximum(0.1 * x, x), rtol=0, atol=0)
    np.testing.assert_array_equal(leaky_relu_grad(x), np.where(x > 0, 1.0, 0.1))
    np.testing.assert_array_equal(leaky_relu([-2.0, 3.0], alpha=0.25), [-0.5, 3.0])


def test_leaky_relu_with_alpha_zero_is_relu():
    x = np.linspace(-5, 5, 101)
    np.testing.assert_array_equal(leaky_relu(x, alpha=0.0), relu(x))
    np.testing.assert_array_equal(leaky_relu_grad(x, alpha=0.0), relu_grad(x))


def test_leaky_relu_grad_at_zero_is_alpha():
    assert leaky_relu_grad(0.0) == 0.1
    assert leaky_relu_grad(0.0, alpha=0.3) == 0.3
    layer = LeakyReLU(alpha=0.3)
    layer.forward(np.zeros(2))
    np.testing.assert_allclose(layer.backward(np.ones(2)), 0.3, rtol=0)


def test_identity_and_its_derivative():
    x = np.array([[-2.0, 0.0], [3.5, 1e300]])
    np.testing.assert_array_equal(identity(x), x)
    np.testing.assert_array_equal(identity_grad(x), np.ones_like(x))


def test_softmax_hand_worked_value():
    # exp(0), exp(log 2), exp(log 3) = 1, 2, 3.
    np.testing.assert_allclose(softmax([0.0, math.log(2), math.log(3)]), [1 / 6, 2 / 6, 3 / 6])
    np.testing.assert_allclose(softmax(np.full((2, 4), 7.0)), 0.25, rtol=1e-15)


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_softmax_sums_to_one_and_is_shift_invariant(axis):
    rng = np.random.default_rng(4)
    x = 5 * rng.standard_normal((3, 4, 5))
    p = softmax(x, axis=axis)
    assert np.all((p > 0) & (p < 1))
    np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=0, atol=4 * EPS64)
    shift = rng.uniform(-100, 100, size=np.sum(p, axis=axis, keepdims=True).shape)
    np.testing.assert_allclose(softmax(x + shift, axis=axis), p, rtol=1e-12, atol=1e-15)


def test_two_class_softmax_is_sigmoid_of_the_logit_difference():
    rng = np.random.default_rng(5)
    z = 10 * rng.standard_normal((50, 2))
    p = softmax(z)
    np.testing.assert_allclose(p[:, 0], sigmoid(z[:, 0] - z[:, 1]), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(p[:, 1], sigmoid(z[:, 1] - z[:, 0]), rtol=1e-12, atol=1e-300)


def test_softmax_backward_sums_to_zero_along_the_axis():
    rng = np.random.default_rng(6)
    x, g = rng.standard_normal((4, 6)), rng.standard_normal((4, 6))
    np.testing.assert_allclose(softmax_backward(x, g).sum(axis=-1), 0.0, atol=1e-15)


def test_non_contiguous_inputs():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((6, 8))
    for fn in ELEMENTWISE:
        np.testing.assert_array_equal(fn(x.T), fn(x).T)
        np.testing.assert_array_equal(fn(x[:, ::3]), fn(x)[:, ::3])
    np.testing.assert_allclose(softmax(x.T, axis=0), softmax(x, axis=1).T, rtol=1e-15)
    np.testing.assert_allclose(softmax(np.asfortranarray(x)), softmax(x), rtol=1e-15)


# --------------------------------------------------------------------------
# Extremes: finite, correct and warning-free (warnings and FP errors raise).
# --------------------------------------------------------------------------


@pytest.fixture
def strict_numerics():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            yield


@pytest.mark.usefixtures("strict_numerics")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_elementwise_extremes(dtype):
    big, tiny = np.finfo(dtype).max, np.finfo(dtype).tiny  # tiny: ignore subnormal digits
    x = np.array([-big, -1000.0, -50.0, 0.0, 50.0, 1000.0, big], dtype=dtype)
    e50 = math.exp(-50.0)
    close = {"rtol": 4 * np.finfo(dtype).eps, "atol": tiny}
    np.testing.assert_allclose(sigmoid(x), [0, 0, e50, 0.5, 1, 1, 1], **close)
    np.testing.assert_allclose(tanh(x), [-1, -1, -1, 0, 1, 1, 1], **close)
    close["rtol"] = 1e-13 if dtype == np.float64 else 1e-5  # cosh: a few ulps on every path
    np.testing.assert_allclose(sigmoid_grad(x), [0, 0, e50, 0.25, e50, 0, 0], **close)
    np.testing.assert_allclose(tanh_grad(x), [0, 0, 4 * e50**2, 1, 4 * e50**2, 0, 0], **close)
    for fn in ELEMENTWISE:
        out = fn(x)
        assert out.dtype == dtype and np.all(np.isfinite(out)), fn.__name__
    for layer in (Sigmoid(), Tanh(), ReLU(), LeakyReLU(), Identity()):
        out = layer.forward(x)
        back = layer.backward(np.ones_like(x))
        assert np.all(np.isfinite(out)) and np.all(np.isfinite(back)), repr(layer)
    np.testing.assert_array_equal(Sigmoid().forward(x), sigmoid(x))


@pytest.mark.usefixtures("strict_numerics")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_extremes(dtype):
    big = np.finfo(dtype).max
    logits = np.array(
        [[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0], [100.0, 0.0, -100.0], [big, 0, -big]],
        dtype=dtype,
    )
    e100 = math.exp(-100.0)
    expected = [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3], [1, e100, e100**2], [1, 0, 0]]
    close = {"rtol": 4 * np.finfo(dtype).eps, "atol": np.finfo(dtype).tiny}
    np.testing.assert_allclose(softmax(logits), expected, **close)
    layer = Softmax()
    np.testing.assert_array_equal(layer.forward(logits), softmax(logits))
    g = np.ones_like(logits)
    for grad in (softmax_backward(logits, g), layer.backward(g)):
        assert grad.dtype == dtype and np.all(np.isfinite(grad))


# --------------------------------------------------------------------------
# Shapes and dtypes.
# --------------------------------------------------------------------------

SHAPES = [(), (0,), (3, 0), (1,), (2, 3, 4)]


# Every function with every shape it accepts (softmax needs an axis: not 0-d).
FUNCTION_SHAPES = [(fn, shape) for fn in FUNCTIONS for shape in SHAPES]
FUNCTION_SHAPES = [(fn, shape) for fn, shape in FUNCTION_SHAPES if (fn, shape) != (softmax, ())]


@pytest.mark.parametrize(
    ("fn", "shape"), FUNCTION_SHAPES, ids=[f"{f.__name__}-{s}" for f, s in FUNCTION_SHAPES]
)
@pytest.mark.parametrize(
    ("dtype", "expected"),
    [(np.float32, np.float32), (np.float64, np.float64)]
    + [(np.int64, np.float64), (bool, np.float64)],
    ids=["float32", "float64", "int64", "bool"],
)
def test_output_shape_and_dtype(fn, shape, dtype, expected):
    x = np.ones(shape, dtype=dtype)
    out = fn(x)
    assert isinstance(out, np.ndarray if shape else np.floating)  # 0-d: a NumPy scalar
    assert out.shape == shape and out.dtype == expected


def test_python_scalars_and_lists_become_float64():
    assert sigmoid(0).dtype == np.float64 and sigmoid(0).shape == ()
    assert relu([1, -2]).dtype == np.float64
    assert softmax([1, 2]).dtype == np.float64


@pytest.mark.parametrize("name", list(LAYER_FACTORIES))
@pytest.mark.parametrize("shape", [(0, 4), (5, 4), (2, 3, 4)], ids=str)
def test_layer_keeps_float32_and_does_not_modify_its_inputs(name, shape):
    rng = np.random.default_rng(8)
    x = rng.standard_normal(shape).astype(np.float32)
    g = rng.standard_normal(shape)  # float64 upstream gradient: the result stays float32
    x_before, g_before = x.copy(), g.copy()
    layer = LAYER_FACTORIES[name]()
    out = layer.forward(x)
    back = layer.backward(g)
    assert out.dtype == np.float32 and out.shape == shape
    assert back.dtype == np.float32 and back.shape == shape
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(g, g_before)


@pytest.mark.parametrize("name", list(LAYER_FACTORIES))
def test_layer_forward_equals_the_function(name):
    x = np.random.default_rng(9).standard_normal((4, 6))
    np.testing.assert_array_equal(LAYER_FACTORIES[name]().forward(x), LAYER_FUNCTIONS[name](x))
    np.testing.assert_array_equal(LAYER_FACTORIES[name]()(x), LAYER_FUNCTIONS[name](x))


# Each layer and the function whose kernel its backward runs: g * f'(x), exactly.
LAYER_DERIVATIVES = {
    "Sigmoid": sigmoid_grad,
    "Tanh": tanh_grad,
    "ReLU": relu_grad,
    "LeakyReLU": leaky_relu_grad,
    "LeakyReLU(0.3)": leaky_relu_grad_03,
    "Identity": identity_grad,
}
# Saturated tails (+-40: 1 - sigmoid(40) rounds to 0; +-700: close to exp's limit),
# zero, kinks' neighbors and random values.
SLOPE_POINTS = [-700.0, -40.0, -20.0, -1e-300, 0.0, 1e-300, 1.0, 20.0, 40.0, 700.0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", [*LAYER_DERIVATIVES, "Softmax", "Softmax(axis=0)"])
def test_layer_backward_runs_the_functions_kernel(name, dtype):
    # One implementation per derivative: the layer and the function give the same bits
    # (same code on the same machine), so a dead-unit count cannot depend on which runs.
    rng = np.random.default_rng(10)
    x = np.concatenate([SLOPE_POINTS, 30 * rng.standard_normal(30)]).reshape(8, 5)
    x, g = x.astype(dtype), rng.standard_normal(x.shape).astype(dtype)
    layer = LAYER_FACTORIES[name]()
    layer.forward(x)
    if name.startswith("Softmax"):
        expected = softmax_backward(x, g, axis=layer.axis)
    else:
        expected = g * LAYER_DERIVATIVES[name](x)
    np.testing.assert_array_equal(layer.backward(g), expected)


@pytest.mark.parametrize(("layer", "grad"), [(Sigmoid, sigmoid_grad), (Tanh, tanh_grad)])
def test_saturated_sigmoid_and_tanh_keep_their_slope_on_both_sides(layer, grad):
    # Once, the layers computed y (1 - y) and 1 - y^2 from their output: 0 at x = 40,
    # where sigmoid'(40) = 4.2e-18 (and 4.2e-18 at x = -40).
    x = np.array([-40.0, 40.0])
    probe = layer()
    probe.forward(x)
    back = probe.backward(np.ones(2))
    assert back[0] == back[1] > 0
    expected = 1 / (4 * math.cosh(20.0) ** 2) if layer is Sigmoid else 1 / math.cosh(40.0) ** 2
    np.testing.assert_allclose(back, expected, rtol=1e-13)
    np.testing.assert_array_equal(back, grad(x))


def test_a_saturated_sigmoid_unit_is_not_dead_on_either_side():
    # Pre-activations +-40: tiny slopes, but a gradient passes; a unit at -800 is dead.
    from nnbook.diagnostics import activation_statistics
    from nnbook.layers import Dense
    from nnbook.network import Sequential

    for activation in (Sigmoid(), Tanh()):
        model = Sequential([Dense(3, 3, rng=0), activation, Dense(3, 1, rng=0)])
        model[0].params["W"][...] = np.eye(3)
        X = np.array([[40.0, -40.0, -800.0], [45.0, -45.0, 800.0]])
        np.testing.assert_array_equal(activation_statistics(model, X).dead_units, [1])


@pytest.mark.parametrize("name", list(LAYER_FACTORIES))
def test_a_layer_forgets_its_cache(name):
    # fit drops every layer's cache (Layer._forget), so no batch outlives it.
    layer = LAYER_FACTORIES[name]()
    layer.forward(np.ones((2, 3)))
    layer._forget()
    assert all(getattr(layer, cache) is None for cache in layer._caches)
    with pytest.raises(RuntimeError, match="backward called before forward"):
        layer.backward(np.ones((2, 3)))


def test_layers_are_parameter_free_layers():
    for name, make in LAYER_FACTORIES.items():
        layer = make()
        assert isinstance(layer, Layer), name
        assert layer.params == {} and layer.grads == {} and layer.num_parameters() == 0


def test_identity_layer_makes_no_copies_but_the_function_does():
    x, g = np.arange(3.0), np.ones(3)
    layer = Identity()
    assert layer.forward(x) is x
    assert layer.backward(g) is g
    assert identity(x) is not x


def test_layer_reprs():
    assert repr(Sigmoid()) == "Sigmoid()"
    assert repr(Tanh()) == "Tanh()"
    assert repr(ReLU()) == "ReLU()"
    assert repr(Identity()) == "Identity()"
    assert repr(LeakyReLU()) == "LeakyReLU(alpha=0.1)"
    assert repr(LeakyReLU(alpha=0.25)) == "LeakyReLU(alpha=0.25)"
    assert repr(Softmax()) == "Softmax(axis=-1)"
    assert repr(Softmax(axis=0)) == "Softmax(axis=0)"
    namespace = {"LeakyReLU": LeakyReLU, "Softmax": Softmax}
    for layer in (LeakyReLU(alpha=0.3), Softmax(axis=1)):
        assert repr(eval(repr(layer), namespace)) == repr(layer)


# --------------------------------------------------------------------------
# Properties over random shapes, dtypes and the whole finite range.
# --------------------------------------------------------------------------


@st.composite
def float_arrays(draw, min_dims=0, max_value=None):
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=0, max_side=5))
    if max_value is None:
        elements = hnp.from_dtype(np.dtype(dtype), allow_nan=False, allow_infinity=False)
    else:
        width = 32 if dtype is np.float32 else 64
        elements = st.floats(-max_value, max_value, width=width)
    return draw(hnp.arrays(dtype, shape, elements=elements))


@settings(max_examples=80, deadline=None)
@given(x=float_arrays())
def test_property_elementwise_finite_bounded_and_dtype_preserving(x):
    for fn in ELEMENTWISE:
        out = fn(x)
        assert out.shape == x.shape and out.dtype == x.dtype, fn.__name__
        assert np.all(np.isfinite(out)), fn.__name__
    s = sigmoid(x)
    assert np.all((s >= 0) & (s <= 1))
    assert np.all((sigmoid_grad(x) >= 0) & (sigmoid_grad(x) <= 0.25))
    assert np.all(np.abs(tanh(x)) <= 1)
    assert np.all((tanh_grad(x) >= 0) & (tanh_grad(x) <= 1))
    eps = np.finfo(x.dtype).eps
    np.testing.assert_allclose(s + sigmoid(-x), 1.0, rtol=0, atol=2 * eps)
    np.testing.assert_array_equal(sigmoid_grad(-x), sigmoid_grad(x))
    np.testing.assert_array_equal(tanh(-x), -tanh(x))
    np.testing.assert_array_equal(relu(x) - relu(-x), x)
    np.testing.assert_array_equal(relu_grad(x), (x > 0).astype(x.dtype))
    np.testing.assert_array_equal(leaky_relu(x), np.where(x > 0, x, x * 0.1))
    np.testing.assert_array_equal(identity(x), x)


@settings(max_examples=60, deadline=None)
@given(x=float_arrays())
def test_property_sigmoid_and_tanh_are_monotone(x):
    order = np.sort(x.ravel())
    assert np.all(np.diff(sigmoid(order)) >= 0)
    assert np.all(np.diff(tanh(order)) >= 0)


@settings(max_examples=80, deadline=None)
@given(x=float_arrays(min_dims=1), data=st.data())
def test_property_softmax_is_a_distribution(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1), label="axis")
    p = softmax(x, axis=axis)
    assert p.shape == x.shape and p.dtype == x.dtype
    assert np.all(np.isfinite(p)) and np.all((p >= 0) & (p <= 1))
    if x.shape[axis] > 0:
        n = x.shape[axis]
        atol = 4 * n * np.finfo(x.dtype).eps
        np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=0, atol=atol)
        # The largest logit gets the largest probability.
        top = np.take_along_axis(p, np.expand_dims(np.argmax(x, axis=axis), axis), axis)
        np.testing.assert_array_equal(top, np.max(p, axis=axis, keepdims=True))
    layer = Softmax(axis=axis)
    np.testing.assert_array_equal(layer.forward(x), p)
    g = np.ones_like(x)
    np.testing.assert_allclose(layer.backward(g), 0.0, atol=atol if x.shape[axis] else 0)


@settings(max_examples=60, deadline=None)
@given(x=float_arrays(min_dims=1, max_value=50.0), data=st.data())
def test_property_softmax_shift_invariance_and_backward(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1), label="axis")
    c = data.draw(st.floats(-50, 50, width=32), label="shift")
    p = softmax(x, axis=axis)
    tol = 1e-4 if x.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(softmax(x + c, axis=axis), p, rtol=tol, atol=tol)
    g = np.random.default_rng(0).standard_normal(x.shape).astype(x.dtype)
    vjp = softmax_backward(x, g, axis=axis)
    assert vjp.dtype == x.dtype
    np.testing.assert_allclose(vjp, explicit_softmax_vjp(x, g, axis), rtol=tol, atol=tol)


@settings(max_examples=60, deadline=None)
@given(x=float_arrays(max_value=1e6), alpha=st.floats(0.0, 1.0, exclude_max=True))
def test_property_leaky_relu_any_alpha(x, alpha):
    out = leaky_relu(x, alpha=alpha)
    assert out.dtype == x.dtype
    np.testing.assert_array_equal(out, np.where(x > 0, x, x * alpha))
    np.testing.assert_array_equal(
        leaky_relu_grad(x, alpha=alpha), np.where(x > 0, 1, np.array(alpha, dtype=x.dtype))
    )
    layer = LeakyReLU(alpha=alpha)
    np.testing.assert_array_equal(layer.forward(x), out)
    g = np.ones_like(x)
    np.testing.assert_array_equal(layer.backward(g), leaky_relu_grad(x, alpha=alpha))


# --------------------------------------------------------------------------
# Errors.
# --------------------------------------------------------------------------

NON_NUMERIC = [["a", "b"], np.array([1 + 2j]), np.array([object()], dtype=object), None]
NON_FINITE = [[0.0, np.nan], [np.inf, 1.0], np.array([-np.inf], dtype=np.float32)]


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", NON_NUMERIC, ids=["str", "complex", "object", "None"])
def test_non_numeric_input_raises(fn, x):
    with pytest.raises(ValueError, match="x must be a real numeric array"):
        fn(x)


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("x", NON_FINITE, ids=["nan", "inf", "-inf"])
def test_non_finite_input_raises(fn, x):
    with pytest.raises(ValueError, match="x contains 1 non-finite value"):
        fn(x)


def test_softmax_backward_validates_both_arrays():
    x = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"x contains 1 non-finite"):
        softmax_backward([[np.nan, 0, 0], [0, 0, 0]], np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"grad_output contains 1 non-finite"):
        softmax_backward(x, [[np.inf, 0, 0], [0, 0, 0]])
    with pytest.raises(ValueError, match="grad_output must be a real numeric array"):
        softmax_backward(x, np.full((2, 3), "a"))
    with pytest.raises(ValueError, match=r"grad_output has shape \(3, 2\); expected \(2, 3\)"):
        softmax_backward(x, np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"grad_output has shape \(2, 3, 1\)"):
        softmax_backward(x, np.ones((2, 3, 1)))  # broadcastable is not enough
    with pytest.raises(ValueError, match="x must be a real numeric array"):
        softmax_backward("x", np.ones(1))


BAD_ALPHAS = [-0.1, 1.0, 1.5, np.nan, np.inf, "0.1", None, True]


@pytest.mark.parametrize("alpha", BAD_ALPHAS, ids=repr)
@pytest.mark.parametrize(
    "call",
    [
        lambda a: leaky_relu([1.0], alpha=a),
        lambda a: leaky_relu_grad([1.0], alpha=a),
        lambda a: LeakyReLU(alpha=a),
    ],
    ids=["leaky_relu", "leaky_relu_grad", "LeakyReLU"],
)
def test_alpha_outside_zero_one_raises(call, alpha):
    with pytest.raises(ValueError, match="alpha must"):
        call(alpha)


def test_alpha_message_states_the_interval():
    with pytest.raises(ValueError, match=r"alpha must lie in \[0, 1\), got 1\.0"):
        leaky_relu([1.0], alpha=1)


@pytest.mark.parametrize("axis", [2, -3, 10])
def test_axis_out_of_range_raises(axis):
    x = np.zeros((2, 3))
    with pytest.raises(ValueError, match=rf"axis={axis} is out of range.*\[-2, 1\]"):
        softmax(x, axis=axis)
    with pytest.raises(ValueError, match=rf"axis={axis} is out of range"):
        softmax_backward(x, x, axis=axis)
    with pytest.raises(ValueError, match=rf"axis={axis} is out of range"):
        Softmax(axis=axis).forward(x)


@pytest.mark.parametrize("axis", [1.0, "0", None, True])
def test_axis_must_be_an_integer(axis):
    x = np.zeros((2, 3))
    with pytest.raises(ValueError, match="axis must be an integer"):
        softmax(x, axis=axis)
    with pytest.raises(ValueError, match="axis must be an integer"):
        softmax_backward(x, x, axis=axis)
    with pytest.raises(ValueError, match="axis must be an integer"):
        Softmax(axis=axis)


def test_softmax_of_a_0d_array_raises():
    for call in (lambda: softmax(1.0), lambda: softmax_backward(1.0, 1.0)):
        with pytest.raises(ValueError, match="at least one dimension"):
            call()
    with pytest.raises(ValueError, match="at least one dimension"):
        Softmax().forward(np.float64(1.0))


@pytest.mark.parametrize("name", list(LAYER_FACTORIES))
def test_layer_backward_errors(name):
    layer = LAYER_FACTORIES[name]()
    with pytest.raises(RuntimeError, match="backward called before forward"):
        layer.backward(np.ones((2, 3)))
    layer.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"grad_output has shape \(3, 2\); expected \(2, 3\)"):
        layer.backward(np.ones((3, 2)))
    with pytest.raises(ValueError, match="grad_output must be a real numeric array"):
        layer.backward(np.full((2, 3), "a"))
    with pytest.raises(ValueError, match="x must be a real numeric array"):
        layer.forward(np.full((2, 3), "a"))


def test_softmax_layer_rejects_non_finite_slices():
    # The layers skip the full finiteness scan, but a nan or +inf logit (or an
    # all -inf slice) would turn a whole softmax slice into nan: that is caught.
    layer = Softmax()
    for bad in ([[0.0, np.nan], [0.0, 0.0]], [[np.inf, 0.0]], [[-np.inf, -np.inf]]):
        with pytest.raises(ValueError, match="nan or infinite logits in 1 slice"):
            layer.forward(np.array(bad))
    # A -inf logit next to finite ones is a probability of exactly 0.
    np.testing.assert_array_equal(layer.forward(np.array([[-np.inf, 0.0]])), [[0.0, 1.0]])


def test_elementwise_layers_propagate_nan_without_scanning():
    x = np.array([np.nan, 1.0])
    for layer in (Sigmoid(), Tanh(), ReLU(), LeakyReLU(), Identity()):
        out = layer.forward(x)
        assert np.isnan(out[0]) and np.isfinite(out[1]), repr(layer)


# --------------------------------------------------------------------------
# Names.
# --------------------------------------------------------------------------


def test_activation_names():
    assert tuple(ACTIVATIONS) == ("sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax")
    assert ACTIVATION_ALIASES == {"linear": "identity"}


@pytest.mark.parametrize("name", [*ACTIVATIONS, *ACTIVATION_ALIASES])
def test_get_activation_by_name_is_case_insensitive_and_the_registered_class(name):
    cls = ACTIVATIONS[ACTIVATION_ALIASES.get(name, name)]
    for spelling in (name, name.upper(), name.title()):
        assert get_activation(spelling) is cls


def test_get_activation_defaults_and_passthrough():
    assert get_activation("leaky_relu")().alpha == 0.1
    assert get_activation("softmax")().axis == -1
    assert get_activation("Linear") is Identity
    assert get_activation(LeakyReLU) is LeakyReLU


@pytest.mark.parametrize(
    "name", ["swish", "", "relu6", "leaky relu", 3, None, relu, ReLU(), LeakyReLU(alpha=0.2)]
)
def test_get_activation_unknown_raises_listing_the_names(name):
    with pytest.raises(ValueError, match="unknown activation") as info:
        get_activation(name)
    for valid in (*ACTIVATIONS, *ACTIVATION_ALIASES):
        assert repr(valid) in str(info.value)
