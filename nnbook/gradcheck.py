r"""Gradient checking by central finite differences.

Every analytic gradient in nnbook is checked against

.. math::

    \frac{\partial f}{\partial x_i} \approx
    \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon},

whose error is :math:`O(\varepsilon^2)`, by the package's tests and by the
chapters. :func:`as_function_of` turns a model's loss, which reads its
parameters from arrays the model owns, into a function of one of those arrays
that :func:`numerical_gradient` can differentiate.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validation import FLOAT_DTYPES, as_float_array, check_scalar, describe


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


def as_function_of(
    compute: Callable[[], float], param: np.ndarray
) -> Callable[[np.ndarray], float]:
    r"""A scalar computation as a function of the values of one array it reads.

    Returns the function

    .. math::

        f(v) = \text{compute}()\,\big|_{\,\text{param} \,\leftarrow\, v},

    that is, ``f(v)`` writes ``v`` into ``param`` in place, evaluates
    ``compute()``, restores the values ``param`` had before the call (also when
    ``compute`` raises) and returns the result as a float. A model computes its
    loss from arrays it owns (``layer.params["W"]``, or the flat vector of
    ``Sequential.flat_parameters()``), not from an argument; wrapped this way,
    the loss becomes a function of one parameter array, which is what
    :func:`numerical_gradient` and :func:`gradient_error` differentiate.

    Parameters
    ----------
    compute : callable
        Takes no argument and returns a scalar, e.g.
        ``lambda: loss.value(model.forward(X), y)``.
    param : numpy.ndarray, float32 or float64, any shape, writable
        The array ``compute`` reads; changed only during a call of ``f``.

    Returns
    -------
    callable
        ``f(v) -> float`` for finite ``v`` of shape ``param.shape``; any other
        shape, or a nan or inf, raises ``ValueError``.

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([1.0, 2.0])
    >>> f = as_function_of(lambda: float(np.sum(w ** 2)), w)
    >>> f(np.array([3.0, 4.0]))
    25.0
    >>> w  # restored after the call
    array([1., 2.])
    >>> np.round(numerical_gradient(f, w), 6)  # the gradient of sum(w^2) is 2w
    array([2., 4.])
    """
    if not callable(compute):
        raise ValueError(f"compute must be a callable taking no argument, got {describe(compute)}")
    if not isinstance(param, np.ndarray) or param.dtype.type not in FLOAT_DTYPES:
        raise ValueError(
            "param must be a float32 or float64 numpy.ndarray (the array compute reads, "
            f"changed in place), got {describe(param)}"
        )
    if not param.flags.writeable:
        raise ValueError(f"param must be writable, got a read-only array of shape {param.shape}")

    def f(values) -> float:
        values = as_float_array(values, "values")
        if values.shape != param.shape:
            raise ValueError(
                f"values must have the shape of param, {param.shape}, got shape {values.shape}"
            )
        saved = param.copy()
        param[...] = values
        try:
            return float(compute())
        finally:
            param[...] = saved

    return f
