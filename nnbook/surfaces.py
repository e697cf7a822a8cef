r"""Test functions for optimization (优化算法): small landscapes to watch gradient descent on.

A :class:`Surface` is a function :math:`f(x_1, x_2)` of two variables together
with its gradient :math:`\nabla f` and Hessian :math:`\nabla^2 f`, usable in
two forms:

* **grid form**, for figures: ``surface(X1, X2)`` and ``surface.grad(X1, X2)``
  broadcast over arrays of coordinates (e.g. the grids of ``np.meshgrid``),
  which is how :func:`nnbook.plotting.plot_contour` and
  :func:`nnbook.plotting.plot_gradient_field` call them;
* **point form**, for optimizers: ``surface.value(x)``,
  ``surface.gradient(x)`` and ``surface.hessian(x)`` take points ``x`` of
  shape ``(..., 2)``, so ``surface.gradient`` is a ``grad_fn`` for
  :func:`nnbook.optim.gradient_descent` and ``surface.value`` a function for
  :func:`nnbook.gradcheck.numerical_gradient`.

======================  ======================================================  ==================
:func:`bowl`            :math:`\tfrac{L}{2}(x_1^2 + x_2^2)`                     isotropic
:func:`valley`          :math:`\tfrac{L}{2}(u^2/\kappa + v^2)`                  ill-conditioned
:func:`quadratic`       :math:`\tfrac12 (x-c)^\top A (x-c)`                     any 2x2 quadratic
:func:`saddle`          :math:`x_1^2 - x_2^2`                                   saddle point at 0
:func:`rosenbrock`      :math:`(a - x_1)^2 + b(x_2 - x_1^2)^2`                  curved valley
:func:`plateau`         :math:`h\,(1 - e^{-\lVert x\rVert^2 / 2w^2})`            flat far away
:func:`parabola`        :math:`\tfrac{L}{2}(x - c)^2`                           one variable
======================  ======================================================  ==================

For a quadratic, the Hessian is constant and its largest eigenvalue
:math:`L` (the largest curvature) sets the stability limit of gradient
descent, :math:`\eta < 2 / L`; the ratio :math:`\kappa = L / m` of the
largest to the smallest eigenvalue is the condition number.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validation import as_float_array, check_scalar, describe

__all__ = [
    "Curve",
    "Surface",
    "bowl",
    "parabola",
    "plateau",
    "quadratic",
    "rosenbrock",
    "saddle",
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


def _scalar(a: np.ndarray):
    """A 0-d result as a NumPy scalar (as ufuncs return), others unchanged."""
    return a[()] if a.ndim == 0 else a


class Surface:
    r"""A function of two variables with its gradient and Hessian.

    .. math::

        f(x_1, x_2), \qquad
        \nabla f = \begin{pmatrix} \partial f / \partial x_1 \\
                                   \partial f / \partial x_2 \end{pmatrix}, \qquad
        \nabla^2 f = \begin{pmatrix} \partial^2 f / \partial x_1^2 &
                                     \partial^2 f / \partial x_1 \partial x_2 \\
                                     \partial^2 f / \partial x_2 \partial x_1 &
                                     \partial^2 f / \partial x_2^2 \end{pmatrix}

    Built by the functions of this module (:func:`bowl`, :func:`valley`,
    :func:`quadratic`, :func:`saddle`, :func:`rosenbrock`, :func:`plateau`);
    the constructor is for new surfaces.

    Parameters
    ----------
    name : str
    formula : str
        The formula in LaTeX (without dollars), readable as plain text too,
        e.g. for a figure title ``f"${surface.formula}$"``.
    f : callable
        ``f(x1, x2) -> values``, on validated arrays of one shape.
    grad : callable
        ``grad(x1, x2) -> (d1, d2)``, the partial derivatives.
    hessian : callable
        ``hessian(x1, x2) -> (h11, h12, h22)``, the second derivatives.
    minimum : array_like of shape (2,) or None
        The global minimiser, if there is one.
    min_value : float or None
        :math:`f` at ``minimum``.

    Attributes
    ----------
    name, formula : str
    minimum : numpy.ndarray of shape (2,) or None
    min_value : float or None

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
        return _scalar(np.asarray(self._f(x1, x2)))

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
        r""":math:`\nabla f(x)` for points ``x`` of shape ``(..., 2)``; returns shape ``(..., 2)``.

        Pass it as ``grad_fn`` to :func:`nnbook.optim.gradient_descent`.
        """
        x = _points(x)
        d1, d2 = np.broadcast_arrays(*self._grad(x[..., 0], x[..., 1]))
        return np.stack((d1, d2), axis=-1)

    def hessian(self, x) -> np.ndarray:
        r""":math:`\nabla^2 f(x)` for points of shape ``(..., 2)``; returns ``(..., 2, 2)``.

        Its eigenvalues are the curvatures of :math:`f` along its principal
        directions: all positive at a minimum, of both signs at a saddle point.
        """
        x = _points(x)
        h11, h12, h22 = np.broadcast_arrays(*self._hessian(x[..., 0], x[..., 1]), x[..., 0])[:3]
        return np.stack((np.stack((h11, h12), axis=-1), np.stack((h12, h22), axis=-1)), axis=-2)

    def directional_derivative(self, x, directions, eps: float = 1e-6) -> np.ndarray:
        r"""Slopes of :math:`f` at the point ``x`` along unit vectors, by central differences.

        .. math::

            D_u f(x) \approx \frac{f(x + \varepsilon u) - f(x - \varepsilon u)}{2\varepsilon}
            \;\xrightarrow[\varepsilon \to 0]{}\; \nabla f(x)^\top u
            = \lVert \nabla f(x) \rVert \cos\angle(u, \nabla f(x))

        computed from values of :math:`f` only (no gradient), so it is an
        independent check that :math:`-\nabla f` is the direction of steepest
        descent.

        Parameters
        ----------
        x : array_like of shape (2,)
            The point.
        directions : array_like of shape (k, 2)
            Unit vectors :math:`u` (norm 1 within 1e-6).
        eps : float, > 0

        Returns
        -------
        numpy.ndarray of shape (k,)

        Examples
        --------
        >>> s = bowl()
        >>> u = np.array([[1.0, 0.0], [0.0, 1.0], [-0.6, 0.8]])
        >>> np.round(s.directional_derivative([3.0, 4.0], u), 6)  # grad = (3, 4)
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

    With eigenvalues :math:`m \le L` of :math:`A`, :math:`c` is the minimum
    when :math:`m > 0`, a saddle point when :math:`m < 0 < L`. Gradient
    descent with rate :math:`\eta` multiplies the error along each
    eigenvector by :math:`1 - \eta\lambda`, so it converges iff
    :math:`0 < \eta < 2/L` (for :math:`m > 0`).

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
        definite, ``None`` otherwise.

    Examples
    --------
    >>> s = quadratic([[2.0, 0.0], [0.0, 8.0]], center=[1.0, 0.0])
    >>> s.gradient([2.0, 1.0])  # A (x - c) = (2 * 1, 8 * 1)
    array([2., 8.])
    >>> s.minimum, s.min_value
    (array([1., 0.]), 0.0)
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

    The gradient points straight away from the minimum at the origin, and
    gradient descent with :math:`\eta = 1/L` reaches it in one step.

    Parameters
    ----------
    curvature : float, > 0
        :math:`L`.

    Returns
    -------
    Surface

    Examples
    --------
    >>> s = bowl(2.0)
    >>> float(s.value([1.0, 2.0])), s.gradient([1.0, 2.0])
    (5.0, array([2., 4.]))
    """
    L = check_scalar(curvature, "curvature", low=0.0, low_inclusive=False)
    return quadratic([[L, 0.0], [0.0, L]], name="bowl")


def valley(condition_number=10.0, curvature=1.0, angle=0.0) -> Surface:
    r"""An ill-conditioned quadratic valley: steep across, flat along its floor.

    With :math:`u = x_1\cos\alpha + x_2\sin\alpha` the coordinate along the
    floor of the valley and :math:`v = -x_1\sin\alpha + x_2\cos\alpha` the one
    across it,

    .. math::

        f(x) = \frac{L}{2}\Big(\frac{u^2}{\kappa} + v^2\Big), \qquad
        \nabla^2 f = R_\alpha \begin{pmatrix} L/\kappa & 0 \\ 0 & L \end{pmatrix}
        R_\alpha^\top

    so the curvatures are :math:`L` (across) and :math:`m = L/\kappa` (along)
    and the condition number is :math:`\kappa = L/m`. Gradient descent must
    keep :math:`\eta < 2/L` to be stable across the valley, and then moves
    along it by a factor :math:`1 - \eta L/\kappa` per step: the larger
    :math:`\kappa`, the slower (and the more it zig-zags).

    Parameters
    ----------
    condition_number : float, >= 1
        :math:`\kappa`; 1 gives :func:`bowl`.
    curvature : float, > 0
        :math:`L`, the largest curvature.
    angle : float
        :math:`\alpha`, the direction of the floor in radians (0: along
        :math:`x_1`).

    Returns
    -------
    Surface

    Examples
    --------
    >>> s = valley(condition_number=10.0, curvature=2.0)
    >>> s.formula
    '0.1 x_1^2 + x_2^2'
    >>> np.linalg.eigvalsh(s.hessian([0.0, 0.0]))  # m = L / kappa and L
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
    r"""The saddle :math:`f = x_1^2 - x_2^2`: a stationary point that is not a minimum.

    .. math::

        f(x) = x_1^2 - x_2^2, \qquad \nabla f(x) = (2x_1,\, -2x_2), \qquad
        \nabla^2 f = \begin{pmatrix} 2 & 0 \\ 0 & -2 \end{pmatrix}

    The gradient vanishes at the origin, a minimum along :math:`x_1` and a
    maximum along :math:`x_2`. Gradient descent started near the
    :math:`x_1`-axis runs towards the origin, slows down there (the
    gradient is small) and leaves along :math:`x_2` only as fast as the
    small initial :math:`x_2` grows, by a factor :math:`1 + 2\eta` per step.
    :math:`f` has no minimum (``minimum`` is None).

    Returns
    -------
    Surface

    Examples
    --------
    >>> s = saddle()
    >>> s.gradient([1.0, 0.5]), s.minimum is None
    (array([ 2., -1.]), True)
    >>> np.linalg.eigvalsh(s.hessian([0.0, 0.0]))
    array([-2.,  2.])
    """
    return quadratic([[2.0, 0.0], [0.0, -2.0]], name="saddle")


# ---------------------------------------------------------------------------
# Non-quadratic surfaces
# ---------------------------------------------------------------------------


def rosenbrock(a=1.0, b=100.0) -> Surface:
    r"""Rosenbrock's function: a long, curved, narrow valley ("banana").

    .. math::

        f(x) = (a - x_1)^2 + b\,(x_2 - x_1^2)^2

    .. math::

        \nabla f(x) = \begin{pmatrix} -2(a - x_1) - 4b\,x_1 (x_2 - x_1^2) \\
                                      2b\,(x_2 - x_1^2) \end{pmatrix}, \qquad
        \nabla^2 f(x) = \begin{pmatrix} 2 - 4b\,x_2 + 12b\,x_1^2 & -4b\,x_1 \\
                                        -4b\,x_1 & 2b \end{pmatrix}

    The minimum is :math:`(a, a^2)` with :math:`f = 0`, at the bottom of the
    parabolic valley :math:`x_2 = x_1^2`; with :math:`b = 100` the Hessian
    there has condition number about 2500.

    Parameters
    ----------
    a : float
    b : float, > 0

    Returns
    -------
    Surface

    References
    ----------
    H. H. Rosenbrock, "An automatic method for finding the greatest or least
    value of a function", The Computer Journal 3(3), 175-184 (1960).

    Examples
    --------
    >>> s = rosenbrock()
    >>> s.minimum, s.min_value
    (array([1., 1.]), 0.0)
    >>> float(s(0.0, 0.0)), s.gradient([0.0, 0.0])
    (1.0, array([-2.,  0.]))
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

        \nabla^2 f(x) = \frac{h}{w^2}\, e^{-r^2/2w^2}
                        \Big(I - \frac{x x^\top}{w^2}\Big)

    The minimum is the origin (:math:`f = 0`, curvature :math:`h/w^2`). Far
    from it :math:`f \approx h` and the gradient, of norm
    :math:`(h r / w^2) e^{-r^2/2w^2}`, is almost zero: a plateau, on which
    gradient descent creeps. (Beyond :math:`r = w` the surface is concave
    along :math:`x`, so it is no quadratic bowl.)

    Parameters
    ----------
    width : float, > 0
        :math:`w`, the radius of the well.
    height : float, > 0
        :math:`h`, the height of the plateau.

    Returns
    -------
    Surface

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
    r"""A function of one variable with its first and second derivatives.

    .. math::

        f(x), \qquad f'(x), \qquad f''(x)

    All three act elementwise on arrays of any shape, so ``curve.derivative``
    is a ``grad_fn`` for :func:`nnbook.optim.gradient_descent` started from
    ``[x0]``. Built by :func:`parabola`; the constructor is for new curves.

    Parameters
    ----------
    name, formula : str
        The name, and the formula in LaTeX without dollars.
    f, derivative, second : callable
        Elementwise :math:`f`, :math:`f'` and :math:`f''` of a float array.
    minimum : float
        The minimiser.
    min_value : float
        :math:`f` at ``minimum``.

    Attributes
    ----------
    name, formula : str
    minimum, min_value : float

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
        return _scalar(np.asarray(self._f(as_float_array(x, "x"))))

    def derivative(self, x):
        """:math:`f'(x)`, elementwise."""
        return _scalar(np.asarray(self._d(as_float_array(x, "x"))))

    def second_derivative(self, x):
        """:math:`f''(x)`, elementwise."""
        return _scalar(np.asarray(self._d2(as_float_array(x, "x"))))

    def __repr__(self) -> str:
        return f"Curve({self.name}: f = {self.formula})"


def parabola(curvature=1.0, center=0.0) -> Curve:
    r"""The parabola with curvature :math:`L` and minimum at :math:`c`.

    .. math::

        f(x) = \frac{L}{2}(x - c)^2, \qquad f'(x) = L\,(x - c), \qquad f''(x) = L

    One gradient-descent step maps :math:`x - c` to
    :math:`(1 - \eta L)(x - c)`, so after :math:`k` steps
    :math:`x_k - c = (1 - \eta L)^k (x_0 - c)`: monotone convergence for
    :math:`\eta < 1/L`, one step for :math:`\eta = 1/L`, oscillating
    convergence for :math:`1/L < \eta < 2/L`, divergence for
    :math:`\eta > 2/L`.

    Parameters
    ----------
    curvature : float, > 0
        :math:`L`.
    center : float
        :math:`c`.

    Returns
    -------
    Curve

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
