"""Tests of nnbook.surfaces: gradients and Hessians against finite differences, known minima."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook.gradcheck import gradient_error, numerical_gradient
from nnbook.optim import gradient_descent
from nnbook.surfaces import (
    Curve,
    Surface,
    bowl,
    parabola,
    plateau,
    quadratic,
    rosenbrock,
    saddle,
    valley,
)

SURFACES = {
    "bowl": bowl(2.5),
    "valley": valley(condition_number=20.0, curvature=3.0),
    "rotated valley": valley(condition_number=50.0, curvature=1.0, angle=0.7),
    "quadratic": quadratic([[1.0, -0.4], [-0.4, 2.0]], center=[0.5, -1.5]),
    "saddle": saddle(),
    "rosenbrock": rosenbrock(),
    "shifted rosenbrock": rosenbrock(a=-0.5, b=10.0),
    "plateau": plateau(),
    "wide plateau": plateau(width=2.0, height=3.0),
}
IDS = list(SURFACES)


def random_points(k=5, seed=0, scale=2.0):
    return np.random.default_rng(seed).uniform(-scale, scale, size=(k, 2))


# ----------------------------------------------------- gradients and Hessians


@pytest.mark.parametrize("surface", SURFACES.values(), ids=IDS)
def test_gradient_matches_finite_differences(surface):
    for x in random_points():
        assert gradient_error(surface.value, surface.gradient, x) < 1e-6


@pytest.mark.parametrize("surface", SURFACES.values(), ids=IDS)
def test_hessian_matches_finite_differences_of_the_gradient(surface):
    for x in random_points(seed=1):
        numerical = np.stack([numerical_gradient(lambda v, i=i: surface.gradient(v)[i], x)
                              for i in range(2)])
        analytic = surface.hessian(x)
        np.testing.assert_allclose(analytic, numerical, rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(analytic, analytic.T)


@settings(max_examples=40, deadline=None)
@given(st.floats(-3, 3), st.floats(-3, 3))
def test_rosenbrock_gradient_at_any_point(x1, x2):
    surface = SURFACES["rosenbrock"]
    x = np.array([x1, x2])
    g = surface.gradient(x)
    np.testing.assert_allclose(g, numerical_gradient(surface.value, x), rtol=1e-5, atol=1e-4)


def test_rosenbrock_by_hand():
    s = rosenbrock()
    # f(0, 1) = 1 + 100 = 101; grad = (-2 - 0, 200)
    assert s.value([0.0, 1.0]) == 101.0
    np.testing.assert_array_equal(s.gradient([0.0, 1.0]), [-2.0, 200.0])
    # Hessian at the minimum (1, 1): [[802, -400], [-400, 200]], condition number about 2500
    H = s.hessian([1.0, 1.0])
    np.testing.assert_array_equal(H, [[802.0, -400.0], [-400.0, 200.0]])
    eig = np.linalg.eigvalsh(H)
    assert 2400 < eig[1] / eig[0] < 2600


def test_plateau_by_hand():
    s = plateau(width=1.0, height=1.0)
    r = 3.0
    assert s.value([r, 0.0]) == pytest.approx(1 - np.exp(-r**2 / 2))
    assert np.linalg.norm(s.gradient([0.0, r])) == pytest.approx(r * np.exp(-r**2 / 2))
    # far out, the plateau: f -> h and the gradient underflows to (almost) nothing
    assert s.value([30.0, 0.0]) == 1.0
    assert np.linalg.norm(s.gradient([30.0, 0.0])) < 1e-150


# ----------------------------------------------------- minima and curvature


@pytest.mark.parametrize("surface", [s for s in SURFACES.values() if s.minimum is not None],
                         ids=[k for k, s in SURFACES.items() if s.minimum is not None])
def test_known_minimum(surface):
    x_star = surface.minimum
    assert surface.value(x_star) == pytest.approx(surface.min_value, abs=1e-12)
    np.testing.assert_allclose(surface.gradient(x_star), 0.0, atol=1e-12)
    assert np.all(np.linalg.eigvalsh(surface.hessian(x_star)) > 0)
    # no random point is lower
    points = x_star + random_points(k=200, seed=2)
    assert np.all(surface.value(points) >= surface.min_value)


def test_valley_curvatures_and_direction():
    kappa, L, angle = 25.0, 4.0, 0.3
    s = valley(condition_number=kappa, curvature=L, angle=angle)
    eig, vectors = np.linalg.eigh(s.hessian([0.3, -0.2]))
    np.testing.assert_allclose(eig, [L / kappa, L])
    floor = np.array([np.cos(angle), np.sin(angle)])
    assert abs(abs(vectors[:, 0] @ floor) - 1) < 1e-12  # the flat direction is the floor
    assert s.value(5 * floor) == pytest.approx(0.5 * L / kappa * 25)
    assert valley(1.0, 2.0).formula == bowl(2.0).formula


def test_saddle_is_a_stationary_point_but_no_minimum():
    s = saddle()
    assert s.minimum is None and s.min_value is None
    np.testing.assert_array_equal(s.gradient([0.0, 0.0]), 0.0)
    np.testing.assert_array_equal(np.linalg.eigvalsh(s.hessian([0.0, 0.0])), [-2.0, 2.0])
    assert s.value([0.0, 1.0]) < s.value([0.0, 0.0]) < s.value([1.0, 0.0])


def test_quadratic_formula_and_minimum():
    s = quadratic([[2.0, 1.0], [1.0, 4.0]], center=[1.0, -2.0])
    assert s.formula == "(x_1 - 1)^2 + (x_1 - 1)(x_2 + 2) + 2 (x_2 + 2)^2"
    x = np.array([3.0, 0.0])  # x - c = (2, 2)
    assert s.value(x) == 0.5 * (2 * 4 + 2 * 1 * 4 + 4 * 4)
    np.testing.assert_array_equal(s.gradient(x), [6.0, 10.0])
    np.testing.assert_array_equal(s.minimum, [1.0, -2.0])
    assert quadratic([[1.0, 0.0], [0.0, 0.0]]).minimum is None  # semidefinite: no unique minimum


# ----------------------------------------------------- the two forms agree


@pytest.mark.parametrize("surface", SURFACES.values(), ids=IDS)
def test_grid_form_matches_point_form(surface):
    X1, X2 = np.meshgrid(np.linspace(-2, 2, 7), np.linspace(-1, 3, 5))
    points = np.stack([X1, X2], axis=-1)
    np.testing.assert_array_equal(surface(X1, X2), surface.value(points))
    G = surface.grad(X1, X2)
    assert G.shape == (2, 5, 7)
    np.testing.assert_array_equal(np.moveaxis(G, 0, -1), surface.gradient(points))
    assert surface.hessian(points).shape == (5, 7, 2, 2)


def test_broadcasting_and_scalars():
    s = rosenbrock()
    assert s(np.linspace(0, 1, 3)[:, None], np.linspace(0, 1, 4)).shape == (3, 4)
    assert np.ndim(s(0.5, 0.5)) == 0 and np.ndim(s.value([0.5, 0.5])) == 0
    assert saddle().grad(np.zeros(3), 1.0).shape == (2, 3)  # constant partials broadcast


def test_float32_stays_float32():
    x = np.array([0.5, -0.25], dtype=np.float32)
    for surface in SURFACES.values():
        assert surface.value(x).dtype == np.float32
        assert surface.gradient(x).dtype == np.float32
        assert surface.hessian(x).dtype == np.float32


def test_directional_derivative_is_the_projection_of_the_gradient():
    s = SURFACES["rotated valley"]
    x = np.array([1.5, -0.5])
    angles = np.linspace(0, 2 * np.pi, 360, endpoint=False)
    u = np.column_stack([np.cos(angles), np.sin(angles)])
    slopes = s.directional_derivative(x, u)
    g = s.gradient(x)
    np.testing.assert_allclose(slopes, u @ g, atol=1e-7)
    best = u[np.argmax(slopes)]  # steepest ascent: along the gradient, within 1 degree
    assert best @ g / np.linalg.norm(g) > np.cos(np.radians(1))
    assert slopes.max() == pytest.approx(np.linalg.norm(g), rel=1e-4)


# ----------------------------------------------------- with the optimizers


def test_gradient_descent_on_a_surface():
    s = bowl(2.0)
    path = gradient_descent(s.gradient, [1.0, -2.0], lr=0.25, steps=3)  # x <- x / 2
    np.testing.assert_allclose(path[-1], [0.125, -0.25])
    path = gradient_descent(s.gradient, [1.0, -2.0], lr=0.5, steps=1)  # lr = 1 / L: one step
    np.testing.assert_allclose(path[-1], s.minimum)


def test_stability_limit_of_the_valley():
    s = valley(condition_number=10.0, curvature=2.0)  # stable iff lr < 2 / L = 1
    x0 = [1.0, 1.0]
    assert np.linalg.norm(gradient_descent(s.gradient, x0, lr=0.95, steps=200)[-1]) < 1e-3
    assert np.linalg.norm(gradient_descent(s.gradient, x0, lr=1.05, steps=200)[-1]) > 1e3


def test_parabola():
    c = parabola(curvature=4.0, center=1.0)
    x = np.linspace(-2, 3, 6)
    np.testing.assert_allclose(c(x), 2.0 * (x - 1) ** 2)
    np.testing.assert_allclose(c.derivative(x), numerical_gradient(lambda v: np.sum(c(v)), x))
    np.testing.assert_array_equal(c.second_derivative(x), 4.0)
    assert (c.minimum, c.min_value, c(c.minimum)) == (1.0, 0.0, 0.0)
    lr, k, x0 = 0.4, 5, 3.0  # x_k - c = (1 - lr L)^k (x_0 - c)
    path = gradient_descent(c.derivative, [x0], lr=lr, steps=k)
    assert path[-1, 0] - 1.0 == pytest.approx((1 - lr * 4.0) ** k * (x0 - 1.0))
    assert c.derivative(np.float32(2.0)).dtype == np.float32


def test_reprs():
    assert repr(saddle()) == "Surface(saddle: f = x_1^2 - x_2^2)"
    assert repr(parabola(2.0)) == "Curve(parabola: f = x^2)"
    assert "rosenbrock" in repr(rosenbrock())


# ----------------------------------------------------- validation


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: bowl(0.0), "curvature"),
        (lambda: bowl(-1.0), "curvature"),
        (lambda: valley(condition_number=0.5), "condition_number"),
        (lambda: valley(curvature=0.0), "curvature"),
        (lambda: valley(angle=np.inf), "angle"),
        (lambda: rosenbrock(b=0.0), "b"),
        (lambda: rosenbrock(a="1"), "a"),
        (lambda: plateau(width=0.0), "width"),
        (lambda: plateau(height=-1.0), "height"),
        (lambda: parabola(curvature=0.0), "curvature"),
        (lambda: parabola(center=np.nan), "center"),
        (lambda: quadratic([[1.0, 0.0, 0.0]]), "shape"),
        (lambda: quadratic([[1.0, 2.0], [0.0, 1.0]]), "symmetric"),
        (lambda: quadratic(np.eye(2), center=[0.0]), "center"),
        (lambda: quadratic([[np.nan, 0.0], [0.0, 1.0]]), "non-finite"),
        (lambda: Surface("s", "f", None, abs, abs), "f must be callable"),
        (lambda: Surface("s", "f", abs, abs, abs, minimum=[0.0]), "minimum"),
        (lambda: Surface("s", "f", abs, abs, abs, min_value=0.0), "min_value"),
        (lambda: Curve("c", "f", abs, 1.0, abs, 0.0, 0.0), "derivative"),
    ],
)
def test_bad_parameters(build, message):
    with pytest.raises(ValueError, match=message):
        build()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.value([1.0, 2.0, 3.0]), r"shape \(\.\.\., 2\)"),
        (lambda s: s.gradient(1.0), r"shape \(\.\.\., 2\)"),
        (lambda s: s.hessian(np.zeros((3, 1))), r"shape \(\.\.\., 2\)"),
        (lambda s: s.gradient([np.nan, 0.0]), "non-finite"),
        (lambda s: s(np.zeros(3), np.zeros(4)), "broadcast"),
        (lambda s: s.grad("a", 1.0), "x1"),
        (lambda s: s(1.0, np.inf), "x2"),
        (lambda s: s.directional_derivative(np.zeros((2, 2)), [[1.0, 0.0]]), "one point"),
        (lambda s: s.directional_derivative([0.0, 0.0], [1.0, 0.0]), r"\(k, 2\)"),
        (lambda s: s.directional_derivative([0.0, 0.0], [[1.0, 1.0]]), "unit vectors"),
        (lambda s: s.directional_derivative([0.0, 0.0], [[1.0, 0.0]], eps=0.0), "eps"),
    ],
)
def test_bad_inputs(call, message):
    with pytest.raises(ValueError, match=message):
        call(rosenbrock())


def test_curve_rejects_bad_input():
    with pytest.raises(ValueError, match="x"):
        parabola().derivative([np.inf])
