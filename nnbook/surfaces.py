r"""Test functions for optimization (优化算法): small landscapes to watch gradient descent on.

A :class:`Surface` is :math:`f(x_1, x_2)` with its gradient and Hessian, in grid
form for figures (``surface(X1, X2)``, ``surface.grad(X1, X2)``, broadcast over
``np.meshgrid`` grids) and in point form for optimizers (``surface.value(x)``,
``surface.gradient(x)``, ``surface.hessian(x)`` on points of shape ``(..., 2)``).

======================  ======================================================  ==================
:func:`bowl`            :math:`\tfrac{L}{2}(x_1^2 + x_2^2)`                     isotropic
:func:`valley`          :math:`\tfrac{L}{2}(u^2/\kappa + v^2)`                  ill-conditioned
:func:`quadratic`       :math:`\tfrac12 (x-c)^\top A (x-c)`                     any 2x2 quadratic
:func:`saddle`          :math:`x_1^2 - x_2^2`                                   saddle point at 0
:func:`rosenbrock`      :math:`(a - x_1)^2 + b(x_2 - x_1^2)^2`                  curved valley
:func:`plateau`         :math:`h\,(1 - e^{-\lVert x\rVert^2 / 2w^2})`            flat far away
:func:`parabola`        :math:`\tfrac{L}{2}(x - c)^2`                           one variable
======================  ======================================================  ==================

:func:`gradient_descent` runs an optimizer of :mod:`nnbook.optim` on such a
function and returns its trajectory; :func:`steps_to_reach` counts the steps
it needs to get, or to stay, within a tolerance of a target. Chapter 7 uses them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validation import (
    as_float_array,
    check_positive_int,
    check_scalar,
    describe,
    scalar_if_0d,
)
from .base import DivergenceError
from .optim import get_optimizer

__all__ = [
    "Curve",
    "Surface",
    "bowl",
    "gradient_descent",
    "parabola",
    "plateau",
    "quadratic",
    "rosenbrock",
    "saddle",
    "steps_to_reach",
    "valley",
]


def _coordinates(x1, x2) -> tuple[np.ndarray, np.ndarray]:
    """Validate grid-form coordinates and broadcast them to one shape."""
    x1 = as_float_array(x1, "x1")
    x2 = as_float_array(x2, "x2")
    try:
        return tuple(np.broadcast_arrays(x1, x2))
    except ValueError:
        raise ValueError(
            f"x1 and x2 must broadcast to one shape, got shapes {x1.shape} and {x2.shape}"
        ) from None


def _points(x) -> np.ndarray:
    """Validate point-form input: an array of shape (..., 2)."""
    x = as_float_array(x, "x")
    if x.ndim == 0 or x.shape[-1] != 2:
        raise ValueError(
            f"x must hold points of two coordinates, shape (..., 2), got {describe(x)}"
        )
    return x


class Surface:
    r"""A function of two variables with its gradient and Hessian.

    .. math::

        f(x_1, x_2), \qquad
        \nabla f = \begin{pmatrix} \partial_1 f \\ \partial_2 f \end{pmatrix}, \qquad
        \nabla^2 f = \begin{pmatrix} \partial_{11} f & \partial_{12} f \\
                                     \partial_{21} f & \partial_{22} f \end{pmatrix}

    Built by :func:`bowl`, :func:`valley`, :func:`quadratic`, :func:`saddle`,
    :func:`rosenbrock` and :func:`plateau`; the constructor is for new surfaces.

    Parameters
    ----------
    name : str
    formula : str
        LaTeX without dollars, e.g. for a title ``f"${surface.formula}$"``.
    f : callable
        ``f(x1, x2) -> values``, on validated arrays of one shape.
    grad : callable
        ``grad(x1, x2) -> (d1, d2)``.
    hessian : callable
        ``hessian(x1, x2) -> (h11, h12, h22)``.
    minimum : array_like of shape (2,) or None
        The global minimiser, if there is one.
    min_value : float or None
        :math:`f` at ``minimum``.

    Raises
    ------
    ValueError
        For a function that is not callable, or a ``minimum`` that is not a
        finite pair (or a ``min_value`` without one).

    Examples
    --------
    >>> s = rosenbrock()
    >>> float(s(1.0, 1.0)), s.gradient([1.0, 1.0])  # the minimum (1, 1)
    (0.0, array([0., 0.]))
    >>> X1, X2 = np.meshgrid(np.linspace(-2, 2, 5), np.linspace(-1, 3, 4))
    >>> s(X1, X2).shape, s.grad(X1, X2).shape  # grid form, for contour plots
    ((4, 5), (2, 4, 5))
    """

    def __init__(
        self,
        name: str,
        formula: str,
        f: Callable,
        grad: Callable,
        hessian: Callable,
        minimum=None,
        min_value=None,
    ) -> None:
        for label, fn in (("f", f), ("grad", grad), ("hessian", hessian)):
            if not callable(fn):
                raise ValueError(f"{label} must be callable, got {describe(fn)}")
        self.name, self.formula = str(name), str(formula)
        self._f, self._grad, self._hessian = f, grad, hessian
        if minimum is not None:
            minimum = as_float_array(minimum, "minimum").astype(np.float64)
            if minimum.shape != (2,):
                raise ValueError(f"minimum must have shape (2,), got {describe(minimum)}")
            min_value = check_scalar(min_value, "min_value")
        elif min_value is not None:
            raise ValueError("min_value needs a minimum; got a min_value with minimum=None")
        self.minimum, self.min_value = minimum, min_value

    # -- grid form -----------------------------------------------------------

    def __call__(self, x1, x2):
        """:math:`f(x_1, x_2)`, broadcast over ``x1`` and ``x2`` (any shapes that broadcast)."""
        x1, x2 = _coordinates(x1, x2)
        return scalar_if_0d(np.asarray(self._f(x1, x2)))

    def grad(self, x1, x2) -> np.ndarray:
        r"""The gradient on a grid, shape ``(2, *shape)``: :math:`\partial f/\partial x_1`, then
        :math:`\partial f/\partial x_2`, as :func:`nnbook.plotting.plot_gradient_field` wants."""
        x1, x2 = _coordinates(x1, x2)
        return np.stack(np.broadcast_arrays(*self._grad(x1, x2)))

    # -- point form ----------------------------------------------------------

    def value(self, x):
        """:math:`f(x)` for points ``x`` of shape ``(..., 2)``; returns shape ``(...)``."""
        x = _points(x)
        return self(x[..., 0], x[..., 1])

    def gradient(self, x) -> np.ndarray:
        r""":math:`\nabla f(x)` for points ``x`` of shape ``(..., 2)``; returns ``(..., 2)``."""
        x = _points(x)
        d1, d2 = np.broadcast_arrays(*self._grad(x[..., 0], x[..., 1]))
        return np.stack((d1, d2), axis=-1)

    def hessian(self, x) -> np.ndarray:
        r""":math:`\nabla^2 f(x)` for points of shape ``(..., 2)``; returns ``(..., 2, 2)``."""
        x = _points(x)
        h11, h12, h22 = np.broadcast_arrays(*self._hessian(x[..., 0], x[..., 1]), x[..., 0])[:3]
        return np.stack((np.stack((h11, h12), axis=-1), np.stack((h12, h22), axis=-1)), axis=-2)

    def directional_derivative(self, x, directions, eps: float = 1e-6) -> np.ndarray:
        r"""Slopes of :math:`f` at the point ``x`` along unit vectors, by central differences.

        .. math::

            D_u f(x) \approx \frac{f(x + \varepsilon u) - f(x - \varepsilon u)}{2\varepsilon}
            \approx \nabla f(x)^\top u

        from values of :math:`f` only, an independent check of the gradient.

        Parameters
        ----------
        x : array_like of shape (2,)
        directions : array_like of shape (k, 2)
            Unit vectors :math:`u` (norm 1 within 1e-6).
        eps : float, > 0

        Returns
        -------
        numpy.ndarray of shape (k,)

        Raises
        ------
        ValueError
            For other shapes, vectors that are not unit vectors, or ``eps <= 0``.

        Examples
        --------
        >>> u = np.array([[1.0, 0.0], [0.0, 1.0], [-0.6, 0.8]])
        >>> np.round(bowl().directional_derivative([3.0, 4.0], u), 6)  # grad = (3, 4)
        array([3. , 4. , 1.4])
        """
        point = _points(x)
        if point.shape != (2,):
            raise ValueError(f"x must be one point of shape (2,), got {describe(point)}")
        u = _points(directions)
        if u.ndim != 2:
            raise ValueError(f"directions must have shape (k, 2), got {describe(u)}")
        norms = np.hypot(u[:, 0], u[:, 1])
        if not np.allclose(norms, 1.0, rtol=0.0, atol=1e-6):
            raise ValueError(
                "directions must be unit vectors; got norms between "
                f"{norms.min():g} and {norms.max():g}"
            )
        eps = check_scalar(eps, "eps", low=0.0, low_inclusive=False)
        return (self.value(point + eps * u) - self.value(point - eps * u)) / (2.0 * eps)

    def __repr__(self) -> str:
        return f"Surface({self.name}: f = {self.formula})"


# ---------------------------------------------------------------------------
# Quadratics
# ---------------------------------------------------------------------------


def _format(v: float) -> str:
    return f"{v:.4g}"


def _term(coefficient: float, factor: str) -> str:
    """``coefficient * factor`` in LaTeX, without a coefficient of 1 (empty for 0)."""
    if coefficient == 0:
        return ""
    if abs(coefficient) == 1:
        return ("-" if coefficient < 0 else "") + factor
    return f"{_format(coefficient)} {factor}"


def _shifted(variable: str, center: float) -> str:
    """``variable - center`` in LaTeX, parenthesized when the center is not 0."""
    if center == 0:
        return variable
    sign = "-" if center > 0 else "+"
    return f"({variable} {sign} {_format(abs(center))})"


def quadratic(A, center=(0.0, 0.0), name: str = "quadratic") -> Surface:
    r"""The quadratic form with (constant) Hessian :math:`A`, centered at :math:`c`.

    .. math::

        f(x) = \tfrac12 (x - c)^\top A\, (x - c), \qquad
        \nabla f(x) = A (x - c), \qquad \nabla^2 f = A

    Parameters
    ----------
    A : array_like of shape (2, 2)
        Symmetric and finite.
    center : array_like of shape (2,)
        The stationary point :math:`c`.
    name : str

    Returns
    -------
    Surface
        With ``minimum = c`` and ``min_value = 0`` when :math:`A` is positive
        definite, None otherwise.

    Raises
    ------
    ValueError
        For an :math:`A` that is not a finite symmetric 2x2 matrix, or a
        ``center`` that is not a finite pair.

    Examples
    --------
    >>> s = quadratic([[2.0, 0.0], [0.0, 8.0]], center=[1.0, 0.0])
    >>> s.gradient([2.0, 1.0]), s.minimum  # A (x - c) = (2 * 1, 8 * 1)
    (array([2., 8.]), array([1., 0.]))
    """
    A = as_float_array(A, "A").astype(np.float64)
    if A.shape != (2, 2):
        raise ValueError(f"A must have shape (2, 2), got {describe(A)}")
    if A[0, 1] != A[1, 0]:
        raise ValueError(f"A must be symmetric, got A[0, 1] = {A[0, 1]!r} != A[1, 0] = "
                         f"{A[1, 0]!r}")
    c = as_float_array(center, "center").astype(np.float64)
    if c.shape != (2,):
        raise ValueError(f"center must have shape (2,), got {describe(c)}")
    a, b, d = float(A[0, 0]), float(A[0, 1]), float(A[1, 1])
    c1, c2 = float(c[0]), float(c[1])

    def f(x1, x2):
        u, v = x1 - c1, x2 - c2
        return 0.5 * (a * u * u + 2 * b * u * v + d * v * v)

    def grad(x1, x2):
        u, v = x1 - c1, x2 - c2
        return a * u + b * v, b * u + d * v

    def hessian(x1, x2):
        ones = np.ones_like(x1)
        return a * ones, b * ones, d * ones

    positive_definite = bool(np.linalg.eigvalsh(A)[0] > 0)
    u1, u2 = _shifted("x_1", c1), _shifted("x_2", c2)
    terms = [_term(a / 2, f"{u1}^2"), _term(b, f"{u1}{u2}"), _term(d / 2, f"{u2}^2")]
    formula = " + ".join(t for t in terms if t).replace("+ -", "- ") or "0"
    return Surface(name, formula, f, grad, hessian,
                   minimum=c if positive_definite else None,
                   min_value=0.0 if positive_definite else None)


def bowl(curvature=1.0) -> Surface:
    r"""An isotropic quadratic bowl: the same curvature :math:`L` in every direction.

    .. math::

        f(x) = \frac{L}{2}\,(x_1^2 + x_2^2), \qquad \nabla f(x) = L\,x,
        \qquad \nabla^2 f = L I

    Parameters
    ----------
    curvature : float, > 0
        :math:`L`.

    Returns
    -------
    Surface

    Raises
    ------
    ValueError
        For a curvature that is not > 0.

    Examples
    --------
    >>> s = bowl(2.0)
    >>> float(s.value([1.0, 2.0])), s.gradient([1.0, 2.0])
    (5.0, array([2., 4.]))
    """
    L = check_scalar(curvature, "curvature", low=0.0, low_inclusive=False)
    return quadratic([[L, 0.0], [0.0, L]], name="bowl")


def valley(condition_number=10.0, curvature=1.0, angle=0.0) -> Surface:
    r"""An ill-conditioned quadratic valley: curvature :math:`L` across, :math:`L/\kappa` along.

    .. math::

        f(x) = \frac{L}{2}\Big(\frac{u^2}{\kappa} + v^2\Big), \qquad
        u = x_1\cos\alpha + x_2\sin\alpha, \quad v = -x_1\sin\alpha + x_2\cos\alpha

    Parameters
    ----------
    condition_number : float, >= 1
        :math:`\kappa`; 1 gives :func:`bowl`.
    curvature : float, > 0
        :math:`L`, the largest curvature.
    angle : float
        :math:`\alpha`, the direction of the floor in radians (0: along :math:`x_1`).

    Returns
    -------
    Surface

    Raises
    ------
    ValueError
        For a condition number below 1, a curvature that is not > 0, or a
        non-finite angle.

    Examples
    --------
    >>> s = valley(condition_number=10.0, curvature=2.0)
    >>> s.formula
    '0.1 x_1^2 + x_2^2'
    >>> np.linalg.eigvalsh(s.hessian([0.0, 0.0]))  # L / kappa and L
    array([0.2, 2. ])
    """
    kappa = check_scalar(condition_number, "condition_number", low=1.0)
    L = check_scalar(curvature, "curvature", low=0.0, low_inclusive=False)
    alpha = check_scalar(angle, "angle")
    cos, sin = np.cos(alpha), np.sin(alpha)
    R = np.array([[cos, -sin], [sin, cos]])
    A = R @ np.diag([L / kappa, L]) @ R.T
    A = 0.5 * (A + A.T)  # exactly symmetric despite rounding
    A[np.abs(A) < 1e-15 * L] = 0.0  # angle = pi/2 and friends: no 1e-17 cross terms
    return quadratic(A, name="valley")


def saddle() -> Surface:
    r"""The saddle (鞍点) :math:`f = x_1^2 - x_2^2`: a stationary point that is not a minimum.

    .. math::

        f(x) = x_1^2 - x_2^2, \qquad \nabla f(x) = (2x_1,\, -2x_2), \qquad
        \nabla^2 f = \operatorname{diag}(2, -2)

    Returns
    -------
    Surface
        With ``minimum`` None: :math:`f` has none.

    Examples
    --------
    >>> s = saddle()
    >>> s.gradient([1.0, 0.5]), np.linalg.eigvalsh(s.hessian([0.0, 0.0]))
    (array([ 2., -1.]), array([-2.,  2.]))
    """
    return quadratic([[2.0, 0.0], [0.0, -2.0]], name="saddle")


# ---------------------------------------------------------------------------
# Non-quadratic surfaces
# ---------------------------------------------------------------------------


def rosenbrock(a=1.0, b=100.0) -> Surface:
    r"""Rosenbrock's function: a long, curved, narrow valley ("banana").

    .. math::

        f(x) = (a - x_1)^2 + b\,(x_2 - x_1^2)^2, \qquad
        \nabla f(x) = \begin{pmatrix} -2(a - x_1) - 4b\,x_1 (x_2 - x_1^2) \\
                                      2b\,(x_2 - x_1^2) \end{pmatrix}

    .. math::

        \nabla^2 f(x) = \begin{pmatrix} 2 - 4b\,x_2 + 12b\,x_1^2 & -4b\,x_1 \\
                                        -4b\,x_1 & 2b \end{pmatrix}

    with its minimum :math:`f = 0` at :math:`(a, a^2)`.

    Parameters
    ----------
    a : float
    b : float, > 0

    Returns
    -------
    Surface

    Raises
    ------
    ValueError
        For a non-finite ``a`` or a ``b`` that is not > 0.

    References
    ----------
    H. H. Rosenbrock, "An automatic method for finding the greatest or least
    value of a function", The Computer Journal 3(3), 175-184 (1960).

    Examples
    --------
    >>> s = rosenbrock()
    >>> s.minimum, float(s(0.0, 0.0)), s.gradient([0.0, 0.0])
    (array([1., 1.]), 1.0, array([-2.,  0.]))
    """
    a = check_scalar(a, "a")
    b = check_scalar(b, "b", low=0.0, low_inclusive=False)

    def f(x1, x2):
        return (a - x1) ** 2 + b * (x2 - x1 * x1) ** 2

    def grad(x1, x2):
        r = x2 - x1 * x1
        return 2 * (x1 - a) - 4 * b * x1 * r, 2 * b * r

    def hessian(x1, x2):
        return 2 - 4 * b * x2 + 12 * b * x1 * x1, -4 * b * x1, 2 * b * np.ones_like(x1)

    formula = f"{_shifted('x_1', a)}^2 + {_term(b, '(x_2 - x_1^2)^2')}"
    return Surface("rosenbrock", formula, f, grad, hessian, minimum=[a, a * a], min_value=0.0)


def plateau(width=1.0, height=1.0) -> Surface:
    r"""A well in a plateau: a minimum surrounded by a nearly flat region.

    .. math::

        f(x) = h\,\big(1 - e^{-r^2 / 2w^2}\big), \quad r^2 = x_1^2 + x_2^2, \qquad
        \nabla f(x) = \frac{h}{w^2}\, e^{-r^2/2w^2}\, x

    .. math::

        \nabla^2 f(x) = \frac{h}{w^2}\, e^{-r^2/2w^2} \Big(I - \frac{x x^\top}{w^2}\Big)

    Parameters
    ----------
    width : float, > 0
        :math:`w`, the radius of the well.
    height : float, > 0
        :math:`h`, the height of the plateau.

    Returns
    -------
    Surface

    Raises
    ------
    ValueError
        For a width or height that is not > 0.

    Examples
    --------
    >>> s = plateau()
    >>> round(float(s.value([3.0, 0.0])), 4), np.round(s.gradient([3.0, 0.0]), 4)
    (0.9889, array([0.0333, 0.    ]))
    """
    w = check_scalar(width, "width", low=0.0, low_inclusive=False)
    h = check_scalar(height, "height", low=0.0, low_inclusive=False)
    scale = h / (w * w)

    def bump(x1, x2):
        return np.exp(-(x1 * x1 + x2 * x2) / (2 * w * w))

    def f(x1, x2):
        return h * -np.expm1(-(x1 * x1 + x2 * x2) / (2 * w * w))

    def grad(x1, x2):
        e = scale * bump(x1, x2)
        return e * x1, e * x2

    def hessian(x1, x2):
        e = scale * bump(x1, x2)
        return (e * (1 - x1 * x1 / (w * w)), -e * x1 * x2 / (w * w),
                e * (1 - x2 * x2 / (w * w)))

    formula = _term(h, f"(1 - \\exp(-(x_1^2 + x_2^2) / {_format(2 * w * w)}))")
    return Surface("plateau", formula, f, grad, hessian, minimum=[0.0, 0.0], min_value=0.0)


# ---------------------------------------------------------------------------
# One variable
# ---------------------------------------------------------------------------


class Curve:
    r"""A function of one variable with its first and second derivatives, elementwise.

    .. math::

        f(x), \qquad f'(x), \qquad f''(x)

    ``curve.derivative`` is a ``grad_fn`` for :func:`gradient_descent` started
    from ``[x0]``. Built by :func:`parabola`; the constructor is for new curves.

    Parameters
    ----------
    name, formula : str
        The name, and the formula in LaTeX without dollars.
    f, derivative, second : callable
        Elementwise :math:`f`, :math:`f'` and :math:`f''` of a float array.
    minimum, min_value : float
        The minimiser and :math:`f` there.

    Raises
    ------
    ValueError
        For a function that is not callable or a non-finite ``minimum`` or ``min_value``.

    Examples
    --------
    >>> c = parabola(2.0)
    >>> float(c(3.0)), float(c.derivative(3.0)), float(c.second_derivative(3.0))
    (9.0, 6.0, 2.0)
    """

    def __init__(self, name, formula, f, derivative, second, minimum, min_value) -> None:
        for label, fn in (("f", f), ("derivative", derivative), ("second", second)):
            if not callable(fn):
                raise ValueError(f"{label} must be callable, got {describe(fn)}")
        self.name, self.formula = str(name), str(formula)
        self._f, self._d, self._d2 = f, derivative, second
        self.minimum = check_scalar(minimum, "minimum")
        self.min_value = check_scalar(min_value, "min_value")

    def __call__(self, x):
        """:math:`f(x)`, elementwise."""
        return scalar_if_0d(np.asarray(self._f(as_float_array(x, "x"))))

    def derivative(self, x):
        """:math:`f'(x)`, elementwise."""
        return scalar_if_0d(np.asarray(self._d(as_float_array(x, "x"))))

    def second_derivative(self, x):
        """:math:`f''(x)`, elementwise."""
        return scalar_if_0d(np.asarray(self._d2(as_float_array(x, "x"))))

    def __repr__(self) -> str:
        return f"Curve({self.name}: f = {self.formula})"


def parabola(curvature=1.0, center=0.0) -> Curve:
    r"""The parabola with curvature :math:`L` and minimum at :math:`c`.

    .. math::

        f(x) = \frac{L}{2}(x - c)^2, \qquad f'(x) = L\,(x - c), \qquad f''(x) = L

    Parameters
    ----------
    curvature : float, > 0
        :math:`L`.
    center : float
        :math:`c`.

    Returns
    -------
    Curve

    Raises
    ------
    ValueError
        For a curvature that is not > 0 or a non-finite center.

    Examples
    --------
    >>> c = parabola(curvature=4.0, center=1.0)
    >>> float(c(2.0)), float(c.derivative(2.0)), c.minimum
    (2.0, 4.0, 1.0)
    """
    L = check_scalar(curvature, "curvature", low=0.0, low_inclusive=False)
    c = check_scalar(center, "center")
    return Curve(
        "parabola",
        _term(L / 2, f"{_shifted('x', c)}^2"),
        lambda x: 0.5 * L * (x - c) ** 2,
        lambda x: L * (x - c),
        lambda x: L * np.ones_like(x),
        minimum=c,
        min_value=0.0,
    )


# ---------------------------------------------------------------------------
# Gradient descent on a surface
# ---------------------------------------------------------------------------


def gradient_descent(
    grad_fn: Callable, x0, lr, steps, optimizer="sgd", schedule=None, **kwargs
) -> np.ndarray:
    r"""Minimize a function of a small vector with an optimizer; return the trajectory.

    .. math::

        x_{k+1} = x_k - \eta_k \nabla f(x_k), \qquad k = 0, \dots, \text{steps} - 1

    for ``"sgd"`` (another optimizer of :mod:`nnbook.optim` applies its own
    rule). Each step is one epoch of full-batch descent: :math:`\eta_k` is
    ``schedule(k)``, counted in steps as :func:`nnbook.train.fit` counts epochs.
    ``x0`` may pack many independent runs, which ``grad_fn`` (possibly
    stochastic) reshapes.

    Parameters
    ----------
    grad_fn : callable
        ``grad_fn(x) -> g`` of shape ``(dim,)``, e.g. ``surface.gradient``; it
        receives a copy of the current point.
    x0 : array_like, shape (dim,)
    lr : float, > 0
    steps : int, >= 1
    optimizer : str or Optimizer subclass
        See :func:`nnbook.optim.get_optimizer`.
    schedule : callable or None
        ``schedule(k) -> lr``, set before step :math:`k = 0, 1, \dots`; for
        epochs of ``n`` steps pass ``lambda k: schedule(k // n)``.
    **kwargs
        Settings of the optimizer (``momentum``, ``rho``, ``beta1``, ``eps``, ...).

    Returns
    -------
    numpy.ndarray, shape (steps + 1, dim), float64
        :math:`x_0, x_1, \dots, x_{\text{steps}}`.

    Raises
    ------
    ValueError
        For bad settings, a ``schedule`` that is not callable or gives a rate
        that is not > 0, or a gradient of the wrong size.
    DivergenceError
        When the iterates leave the floating-point range; ``err.epoch`` is the step.

    Examples
    --------
    >>> gradient_descent(lambda x: 2 * x, [1.0, -2.0], lr=0.25, steps=2)  # x <- x / 2
    array([[ 1.  , -2.  ],
           [ 0.5 , -1.  ],
           [ 0.25, -0.5 ]])
    """
    x = as_float_array(x0, "x0").astype(np.float64).reshape(-1)
    steps = check_positive_int(steps, "steps")
    if schedule is not None and not callable(schedule):
        raise ValueError(f"schedule must be a callable step -> lr or None, got {schedule!r}")
    grad = np.zeros_like(x)
    opt = get_optimizer(optimizer)([("x", x, grad)], lr=lr, **kwargs)
    path = np.empty((steps + 1, x.size))
    path[0] = x
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
        for k in range(1, steps + 1):
            if schedule is not None:
                opt.lr = schedule(k - 1)
            g = np.asarray(grad_fn(x.copy()), dtype=np.float64)
            if g.shape != x.shape and g.size == x.size:
                g = g.reshape(x.shape)
            if g.shape != x.shape:
                raise ValueError(f"grad_fn returned shape {g.shape}; expected {x.shape}, like x0")
            grad[...] = g
            opt.step()
            if not np.isfinite(x).all():
                raise DivergenceError(
                    f"gradient descent diverged at step {k} of {steps} with lr={opt.lr:g}: the "
                    f"point left the floating-point range; try a smaller learning rate",
                    epoch=k,
                )
            path[k] = x
    return path


def steps_to_reach(path, target, tol=1e-3, stay=False):
    r"""The first step at which a trajectory is (or stays) within ``tol`` of ``target``.

    .. math::

        k_{\text{first}} = \min\,\{k : d_k \le \text{tol}\}, \qquad
        k_{\text{stay}} = \min\,\{k : d_j \le \text{tol} \text{ for all } j \ge k\},
        \qquad d_k = \lVert x_k - x^\ast \rVert

    They differ when the path enters the ball and leaves it again (momentum
    overshooting); :math:`k_{\text{stay}}` speaks only for the steps recorded.

    Parameters
    ----------
    path : array_like, shape (K + 1, dim)
        :math:`x_0, \dots, x_K`, as :func:`gradient_descent` returns.
    target : array_like, shape (dim,)
        :math:`x^\ast`, e.g. ``surface.minimum``.
    tol : float, > 0
    stay : bool
        False: :math:`k_{\text{first}}`; True: :math:`k_{\text{stay}}`.

    Returns
    -------
    int or None
        None if the path is never within ``tol`` (``stay=False``) or its last
        point is not (``stay=True``).

    Raises
    ------
    ValueError
        For shapes that do not fit, non-finite points, ``tol <= 0`` or a
        ``stay`` that is not a bool.

    Examples
    --------
    >>> path = [[2.0], [0.1], [-0.5], [0.05], [-0.01]]  # overshoots the target 0, returns
    >>> steps_to_reach(path, [0.0], tol=0.2), steps_to_reach(path, [0.0], tol=0.2, stay=True)
    (1, 3)
    """
    path = as_float_array(path, "path")
    if path.ndim != 2 or path.shape[0] == 0:
        raise ValueError(f"path must have shape (K + 1, dim), got shape {path.shape}")
    target = as_float_array(target, "target")
    if target.shape != (path.shape[1],):
        raise ValueError(
            f"target must have shape ({path.shape[1]},) like the points of path, "
            f"got shape {target.shape}"
        )
    tol = check_scalar(tol, "tol", low=0.0, low_inclusive=False)
    if not isinstance(stay, (bool, np.bool_)):
        raise ValueError(f"stay must be True or False, got {stay!r}")
    within = np.linalg.norm(path - target, axis=1) <= tol
    if not stay:
        hits = np.flatnonzero(within)
        return int(hits[0]) if hits.size else None
    if not within[-1]:
        return None
    outside = np.flatnonzero(~within)
    return int(outside[-1]) + 1 if outside.size else 0
