"""Tests of nnbook.surfaces: gradients and Hessians against finite differences, known minima."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook.base import DivergenceError
from nnbook.gradcheck import gradient_error, numerical_gradient
from nnbook.optim import Adam, Momentum, step_decay
from nnbook.surfaces import (
    Curve,
    Surface,
    bowl,
    gradient_descent,
    parabola,
    plateau,
    quadratic,
    rosenbrock,
    saddle,
    steps_to_reach,
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


# ---------------------------------------------------------- gradient_descent


def test_gradient_descent_on_a_quadratic_has_the_closed_form_path():
    # f(x) = x1^2 + 10 x2^2: x_k = ((1 - 2 lr)^k x1, (1 - 20 lr)^k x2)
    path = gradient_descent(lambda x: np.array([2 * x[0], 20 * x[1]]), [1.0, 1.0], lr=0.04, steps=5)
    k = np.arange(6)
    np.testing.assert_allclose(path, np.stack([0.92**k, 0.2**k], axis=1), rtol=1e-12)


def test_gradient_descent_uses_the_optimizer_classes():
    def grad(x):
        return np.array([2 * x[0] - x[1], 4 * x[1] ** 3])

    path = gradient_descent(
        grad, np.array([1.0, -1.0]), lr=0.1, steps=4, optimizer="adam", beta1=0.5
    )
    w, g = np.array([1.0, -1.0]), np.zeros(2)
    opt = Adam([("x", w, g)], lr=0.1, beta1=0.5)
    for k in range(4):
        g[...] = grad(w)
        opt.step()
        np.testing.assert_array_equal(path[k + 1], w)
    assert path.shape == (5, 2)
    # Momentum goes further than SGD in the same number of steps on a long valley.
    sgd = gradient_descent(lambda x: 0.2 * x, [1.0], lr=0.1, steps=20)
    mom = gradient_descent(lambda x: 0.2 * x, [1.0], lr=0.1, steps=20, optimizer="momentum")
    assert abs(mom[-1, 0]) < abs(sgd[-1, 0])


def test_gradient_descent_checks():
    with pytest.raises(ValueError, match="grad_fn returned shape"):
        gradient_descent(lambda x: np.zeros(3), [1.0, 2.0], lr=0.1, steps=1)
    with pytest.raises(ValueError, match="steps"):
        gradient_descent(lambda x: x, [1.0], lr=0.1, steps=0)
    with pytest.raises(ValueError, match="lr"):
        gradient_descent(lambda x: x, [1.0], lr=-0.1, steps=1)
    with pytest.raises(ValueError, match="unknown optimizer"):
        gradient_descent(lambda x: x, [1.0], lr=0.1, steps=1, optimizer="newton")


def test_gradient_descent_reports_divergence_without_warnings():
    # |1 - lr * 2| = 2 per step: the iterate doubles until it overflows (bug: inf/nan
    # trajectories and RuntimeWarnings instead of a clear error).
    with pytest.raises(DivergenceError, match="diverged at step 1024 of 2000 with lr=1.5"):
        gradient_descent(lambda x: 2 * x, [1.0], lr=1.5, steps=2000)
    # A large but finite excursion is a legitimate trajectory.
    path = gradient_descent(lambda x: 2 * x, [1.0], lr=1.5, steps=10)
    np.testing.assert_array_equal(path[:, 0], (-2.0) ** np.arange(11))


def test_gradient_descent_schedule_sets_the_rate_before_each_step():
    # f = x^2: x_{k+1} = (1 - 2 lr_k) x_k with lr_k = schedule(k), k from 0
    rates = [0.1, 0.2, 0.05, 0.3]
    path = gradient_descent(lambda x: 2 * x, [1.0], lr=9.0, steps=4, schedule=rates.__getitem__)
    expected = np.cumprod([1.0] + [1 - 2 * r for r in rates])
    np.testing.assert_allclose(path[:, 0], expected, rtol=1e-14)
    # A per-epoch Schedule over epochs of 3 steps equals setting the rate by hand each epoch.
    schedule = step_decay(0.3, step_size=1, gamma=0.5)

    def grad(x):
        return np.array([2 * x[0], 0.2 * x[1]])

    path = gradient_descent(grad, [1.0, 1.0], lr=0.3, steps=9, optimizer="momentum",
                            schedule=lambda k: schedule(k // 3))
    w, g = np.array([1.0, 1.0]), np.zeros(2)
    opt = Momentum([("x", w, g)], lr=0.3)
    for epoch in range(3):
        opt.lr = schedule(epoch)
        for k in range(3):
            g[...] = grad(w)
            opt.step()
            np.testing.assert_array_equal(path[3 * epoch + k + 1], w)
    # schedule=None and a constant schedule give the same path, bit for bit.
    a = gradient_descent(grad, [1.0, -1.0], lr=0.4, steps=20, optimizer="adam")
    b = gradient_descent(grad, [1.0, -1.0], lr=0.4, steps=20, optimizer="adam",
                         schedule=lambda k: 0.4)
    np.testing.assert_array_equal(a, b)


def test_gradient_descent_with_a_stochastic_gradient_and_packed_runs():
    """Noise drawn inside grad_fn from a seeded generator: reproducible, one run per row."""

    def noisy(seed):
        noise = np.random.default_rng(seed)
        return lambda x: 2 * x.reshape(5, 2) + noise.standard_normal((5, 2))

    a = gradient_descent(noisy(0), np.ones(10), lr=0.1, steps=30)
    b = gradient_descent(noisy(0), np.ones(10), lr=0.1, steps=30)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (31, 10) and not np.array_equal(a[-1, :2], a[-1, 2:4])


def test_gradient_descent_schedule_checks():
    with pytest.raises(ValueError, match="schedule must be a callable step -> lr or None"):
        gradient_descent(lambda x: x, [1.0], lr=0.1, steps=1, schedule=0.1)
    with pytest.raises(ValueError, match=r"lr must lie in \(0, inf\], got 0.0"):
        gradient_descent(lambda x: x, [1.0], lr=0.1, steps=3, schedule=lambda k: 0.1 * (1 - k))
    with pytest.raises(DivergenceError, match="diverged at step 1024 of 2000 with lr=1.5"):
        gradient_descent(lambda x: 2 * x, [1.0], lr=0.1, steps=2000, schedule=lambda k: 1.5)


# ------------------------------------------------------------- steps_to_reach


def test_steps_to_reach_first_and_stay():
    # distances 2, 0.1, 0.5, 0.05, 0.01 to the target (3, 0)
    path = np.array([[5.0, 0.0], [3.0, 0.1], [2.5, 0.0], [3.0, -0.05], [3.01, 0.0]])
    target = [3.0, 0.0]
    assert steps_to_reach(path, target, tol=0.2) == 1
    assert steps_to_reach(path, target, tol=0.2, stay=True) == 3
    assert steps_to_reach(path, target, tol=1.0, stay=True) == 1
    assert steps_to_reach(path, target, tol=3.0) == steps_to_reach(path, target, 3.0, True) == 0
    assert steps_to_reach(path, target, tol=0.01) == 4  # the distance equals tol: within
    assert steps_to_reach(path, target, tol=0.001) is None
    assert steps_to_reach(path[:3], target, tol=0.2, stay=True) is None  # last point outside
    assert steps_to_reach(path[:1], target, tol=3.0, stay=True) == 0
    assert isinstance(steps_to_reach(path, target, tol=0.2), int)


def test_steps_to_reach_on_momentum_which_overshoots():
    # The heavy ball on f = x^2 / 2 swings through the minimum: it is near 0 early,
    # leaves again, and stays only later; plain descent never overshoots here.
    mom = gradient_descent(lambda x: x, [1.0], lr=0.5, steps=200, optimizer="momentum",
                           momentum=0.9)
    first, stay = steps_to_reach(mom, [0.0], 0.05), steps_to_reach(mom, [0.0], 0.05, stay=True)
    assert first < stay
    distance = np.abs(mom[:, 0])
    assert distance[first] <= 0.05 < distance[first - 1]
    assert np.all(distance[stay:] <= 0.05) and distance[stay - 1] > 0.05
    assert np.any(distance[first:stay] > 0.05)
    gd = gradient_descent(lambda x: x, [1.0], lr=0.5, steps=200)
    assert steps_to_reach(gd, [0.0], 0.05) == steps_to_reach(gd, [0.0], 0.05, stay=True) == 5


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (([1.0, 2.0], [0.0]), r"path must have shape \(K \+ 1, dim\)"),
        ((np.zeros((0, 2)), [0.0, 0.0]), "path must have shape"),
        ((np.zeros((3, 2)), [0.0]), r"target must have shape \(2,\)"),
        ((np.zeros((3, 2)), [0.0, 0.0], 0.0), "tol"),
        ((np.zeros((3, 2)), [0.0, 0.0], 1e-3, "yes"), "stay must be True or False"),
        (([[np.nan, 0.0]], [0.0, 0.0]), "path contains 1 non-finite"),
    ],
)
def test_steps_to_reach_checks(args, match):
    with pytest.raises(ValueError, match=match):
        steps_to_reach(*args)
