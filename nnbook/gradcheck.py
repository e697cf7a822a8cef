r"""Gradient checking by central finite differences.

Every analytic gradient in nnbook is checked against

.. math::

    \frac{\partial f}{\partial x_i} \approx
    \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon},

whose error is :math:`O(\varepsilon^2)`, by the package's tests and by the
chapters.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validation import as_float_array, check_scalar


def numerical_gradient(f: Callable[[np.ndarray], float], x, eps: float = 1e-6) -> np.ndarray:
    r"""Central-difference gradient of a scalar function.

    .. math::

        g_i = \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon}

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``x`` and returns a scalar.
    x : array_like, any shape
        The point. It is copied to float64; ``f`` sees a perturbed copy, so
        ``x`` itself is never modified.
    eps : float, > 0
        The step :math:`\varepsilon`.

    Returns
    -------
    numpy.ndarray, float64, shape ``x.shape``

    Examples
    --------
    >>> import numpy as np
    >>> g = numerical_gradient(lambda v: np.sum(v ** 2), np.array([1.0, -2.0]))
    >>> np.round(g, 6)
    array([ 2., -4.])
    """
    eps = check_scalar(eps, "eps", low=0.0, low_inclusive=False)
    point = as_float_array(x, "x").astype(np.float64, copy=True)
    grad = np.empty_like(point)
    flat, gflat = point.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):  # one coordinate at a time: this is the definition
        original = flat[i]
        flat[i] = original + eps
        f_plus = float(f(point))
        flat[i] = original - eps
        f_minus = float(f(point))
        flat[i] = original
        gflat[i] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def relative_error(a, b, floor: float = 1e-8) -> float:
    r"""Maximum elementwise relative error :math:`\max_i |a_i-b_i| / \max(|a_i|+|b_i|, floor)`.

    Examples
    --------
    >>> relative_error([1.0, 2.0], [1.0, 2.0])
    0.0
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} and {b.shape}; expected equal shapes")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)))


def gradient_error(f: Callable[[np.ndarray], float], grad, x, eps: float = 1e-6) -> float:
    r"""Maximum relative error between an analytic gradient and the numerical one.

    Parameters
    ----------
    f : callable
        Scalar function of an array shaped like ``x``.
    grad : array_like or callable
        The analytic gradient at ``x``, or a function returning it.
    x : array_like
        The point.

    Returns
    -------
    float
        :math:`\max_i |g_i - \hat g_i| / \max(|g_i| + |\hat g_i|, 10^{-8})`;
        below about 1e-6 in float64 means the analytic gradient is right.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([0.5, -1.5, 2.0])
    >>> gradient_error(lambda v: np.sum(np.sin(v)), np.cos(x), x) < 1e-8
    True
    """
    analytic = grad(x) if callable(grad) else grad
    return relative_error(analytic, numerical_gradient(f, x, eps=eps))
