"""Parameter initialization (参数初始化).

Biases start at zero (:func:`zeros`); the weight initializers below return an
array of shape ``(fan_in, fan_out)`` (a dense layer computes ``x @ W + b``) and
share one signature::

    init(fan_in, fan_out, *, rng=None, dtype=np.float64) -> ndarray

(:func:`random_normal` adds ``std=``). Chapter 4 derives the scales.

============================  =========================  ==============================
initializer                   distribution               scale
============================  =========================  ==============================
:func:`random_normal`         normal                     std = 0.01 (small, fixed)
:func:`standard_uniform`      uniform on [-l, l]         l = 1 / sqrt(fan_in)
:func:`xavier_normal`         normal                     std = sqrt(2 / (fan_in+fan_out))
:func:`xavier_uniform`        uniform on [-l, l]         l = sqrt(6 / (fan_in+fan_out))
:func:`he_normal`             normal truncated at 2 std  std = sqrt(2 / fan_in)
:func:`he_uniform`            uniform on [-l, l]         l = sqrt(6 / fan_in)
============================  =========================  ==============================
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ._validation import as_generator, check_positive_int, check_scalar, float_dtype, lookup

__all__ = [
    "TRUNCATED_NORMAL_STD",
    "INITIALIZERS",
    "INITIALIZER_ALIASES",
    "TRUNCATION",
    "get_initializer",
    "he_normal",
    "he_uniform",
    "random_normal",
    "standard_uniform",
    "xavier_normal",
    "xavier_uniform",
    "zeros",
]


def _truncated_normal_std(a: float) -> float:
    r"""Standard deviation of a standard normal truncated to :math:`[-a, a]`.

    With :math:`\varphi` and :math:`\Phi` the standard normal density and distribution:

    .. math::

        \sigma_a = \sqrt{1 - \frac{2 a \varphi(a)}{2\Phi(a) - 1}},
        \qquad 2\Phi(a) - 1 = \operatorname{erf}(a/\sqrt 2).
    """
    pdf = math.exp(-0.5 * a * a) / math.sqrt(2.0 * math.pi)
    mass = math.erf(a / math.sqrt(2.0))
    return math.sqrt(1.0 - 2.0 * a * pdf / mass)


#: Where :func:`he_normal` truncates, in standard deviations of the untruncated normal.
TRUNCATION = 2.0

#: Standard deviation of a standard normal truncated to [-2, 2] (about 0.8796), by which
#: :func:`he_normal` divides to restore the He standard deviation.
TRUNCATED_NORMAL_STD = _truncated_normal_std(TRUNCATION)


def _shape(fan_in, fan_out) -> tuple[int, int]:
    return check_positive_int(fan_in, "fan_in"), check_positive_int(fan_out, "fan_out")


def _uniform(limit: float, shape, rng, dtype) -> np.ndarray:
    """Draw from U(-limit, limit) directly in ``dtype`` (no float64 detour for float32)."""
    w = as_generator(rng).random(shape, dtype=dtype)  # U[0, 1)
    w *= 2.0 * limit
    w -= limit
    return w


def zeros(shape, dtype=np.float64) -> np.ndarray:
    """All-zero array, the initial value of biases.

    .. math::

        b = 0

    Parameters
    ----------
    shape : int, or tuple or list of positive int
    dtype : float32 or float64

    Returns
    -------
    numpy.ndarray, shape ``shape``, dtype ``dtype``

    Examples
    --------
    >>> zeros((1, 2), dtype=np.float32)
    array([[0., 0.]], dtype=float32)
    """
    dt = float_dtype(dtype)
    dims = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
    dims = tuple(check_positive_int(d, "shape") for d in dims)
    return np.zeros(dims, dtype=dt)


def random_normal(fan_in, fan_out, *, std=0.01, rng=None, dtype=np.float64) -> np.ndarray:
    r"""Random initialization (随机初始化): a standard normal scaled to small values.

    .. math::

        W_{ij} = \sigma z_{ij}, \qquad z_{ij} \sim \mathcal N(0, 1)

    Parameters
    ----------
    fan_in, fan_out : int, >= 1
        Number of inputs and outputs of the layer.
    std : float, > 0
        The standard deviation :math:`\sigma`.
    rng : numpy.random.Generator, int or None
    dtype : float32 or float64

    Returns
    -------
    numpy.ndarray, shape ``(fan_in, fan_out)``, dtype ``dtype``

    Raises
    ------
    ValueError
        If ``fan_in`` or ``fan_out`` is not a positive integer, or ``std <= 0``.

    Examples
    --------
    >>> w = random_normal(3, 2, rng=0)
    >>> w.shape, w.dtype, bool(np.abs(w).max() < 0.1)
    ((3, 2), dtype('float64'), True)
    """
    shape = _shape(fan_in, fan_out)
    std = check_scalar(std, "std", low=0.0, low_inclusive=False)
    w = as_generator(rng).standard_normal(shape, dtype=float_dtype(dtype))
    w *= std
    return w


def standard_uniform(fan_in, fan_out, *, rng=None, dtype=np.float64) -> np.ndarray:
    r"""Standard initialization (标准初始化).

    .. math::

        W_{ij} \sim \mathcal U\!\left(-\frac{1}{\sqrt{fan_{in}}},
        \frac{1}{\sqrt{fan_{in}}}\right)

    Parameters, return value and errors as in :func:`random_normal` (no ``std``).

    Examples
    --------
    >>> w = standard_uniform(4, 3, rng=0)
    >>> bool(np.all(np.abs(w) <= 1 / np.sqrt(4)))
    True
    """
    shape = _shape(fan_in, fan_out)
    return _uniform(1.0 / math.sqrt(fan_in), shape, rng, float_dtype(dtype))


def xavier_normal(fan_in, fan_out, *, rng=None, dtype=np.float64) -> np.ndarray:
    r"""Xavier (Glorot) normal initialization (正态化Xavier初始化).

    .. math::

        W_{ij} \sim \mathcal N\!\left(0, \sigma^2\right), \qquad
        \sigma = \sqrt{\frac{2}{fan_{in} + fan_{out}}}

    Parameters, return value and errors as in :func:`random_normal` (no ``std``).

    Examples
    --------
    >>> w = xavier_normal(500, 300, rng=0)
    >>> round(float(w.std()), 2), round(math.sqrt(2 / (500 + 300)), 2)
    (0.05, 0.05)
    """
    shape = _shape(fan_in, fan_out)
    w = as_generator(rng).standard_normal(shape, dtype=float_dtype(dtype))
    w *= math.sqrt(2.0 / (fan_in + fan_out))
    return w


def xavier_uniform(fan_in, fan_out, *, rng=None, dtype=np.float64) -> np.ndarray:
    r"""Xavier (Glorot) uniform initialization (标准化Xavier初始化).

    .. math::

        W_{ij} \sim \mathcal U(-l, l), \qquad l = \sqrt{\frac{6}{fan_{in} + fan_{out}}}

    Parameters, return value and errors as in :func:`random_normal` (no ``std``).

    Examples
    --------
    >>> w = xavier_uniform(2, 4, rng=0, dtype=np.float32)
    >>> w.dtype, bool(np.all(np.abs(w) <= 1.0))
    (dtype('float32'), True)
    """
    shape = _shape(fan_in, fan_out)
    return _uniform(math.sqrt(6.0 / (fan_in + fan_out)), shape, rng, float_dtype(dtype))


def he_normal(fan_in, fan_out, *, rng=None, dtype=np.float64) -> np.ndarray:
    r"""He (Kaiming) normal initialization (正态化He初始化), truncated at two standard deviations.

    Draw :math:`z` from a standard normal truncated to :math:`[-2, 2]` (values
    outside are redrawn), then rescale to the He standard deviation:

    .. math::

        W_{ij} = \frac{\sigma}{\sigma_2}\, z_{ij}, \qquad
        \sigma = \sqrt{\frac{2}{fan_{in}}},

    where :math:`\sigma_2 \approx 0.8796` (:data:`TRUNCATED_NORMAL_STD`) is the
    standard deviation of the truncated standard normal.

    Parameters, return value and errors as in :func:`random_normal` (no ``std``).

    Examples
    --------
    >>> w = he_normal(400, 500, rng=0)
    >>> round(float(w.std()), 3), round(math.sqrt(2 / 400), 3)
    (0.071, 0.071)
    """
    shape = _shape(fan_in, fan_out)
    dt = float_dtype(dtype)
    gen = as_generator(rng)
    z = gen.standard_normal(shape, dtype=dt)
    # Rejection resampling, vectorised: redraw only the entries outside [-2, 2]
    # (about 4.6 % of them, then 4.6 % of those, ...), a handful of rounds in all.
    flat = z.reshape(-1)  # a view: z is freshly allocated, hence contiguous
    bad = np.flatnonzero(np.abs(flat) > TRUNCATION)
    while bad.size:
        flat[bad] = gen.standard_normal(bad.size, dtype=dt)
        bad = bad[np.abs(flat[bad]) > TRUNCATION]
    z *= math.sqrt(2.0 / fan_in) / TRUNCATED_NORMAL_STD
    return z


def he_uniform(fan_in, fan_out, *, rng=None, dtype=np.float64) -> np.ndarray:
    r"""He (Kaiming) uniform initialization (标准化He初始化).

    .. math::

        W_{ij} \sim \mathcal U(-l, l), \qquad l = \sqrt{\frac{6}{fan_{in}}}

    Parameters, return value and errors as in :func:`random_normal` (no ``std``).

    Examples
    --------
    >>> w = he_uniform(6, 2, rng=0)
    >>> bool(np.all(np.abs(w) <= 1.0))
    True
    """
    shape = _shape(fan_in, fan_out)
    return _uniform(math.sqrt(6.0 / fan_in), shape, rng, float_dtype(dtype))


#: Each initializer, by name, in the order of the course notes.
INITIALIZERS: dict[str, Callable[..., np.ndarray]] = {
    "random_normal": random_normal,
    "standard_uniform": standard_uniform,
    "xavier_normal": xavier_normal,
    "xavier_uniform": xavier_uniform,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
}

#: Other accepted spellings, mapped to the name in :data:`INITIALIZERS`.
INITIALIZER_ALIASES: dict[str, str] = {
    "glorot_normal": "xavier_normal",
    "glorot_uniform": "xavier_uniform",
    "kaiming_normal": "he_normal",
    "kaiming_uniform": "he_uniform",
}


def get_initializer(name) -> Callable[..., np.ndarray]:
    r"""The weight initializer called ``name`` (case-insensitive).

    .. math::

        \text{name} \mapsto \big(fan_{in}, fan_{out}, rng, dtype\big) \mapsto W

    Parameters
    ----------
    name : str or callable
        A key of :data:`INITIALIZERS` or :data:`INITIALIZER_ALIASES`; a callable
        is returned unchanged.

    Returns
    -------
    callable
        The registered function (the same object on every call).

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid ones.

    Examples
    --------
    >>> get_initializer("Glorot_Uniform") is xavier_uniform
    True
    """
    return lookup(name, INITIALIZERS, "initializer", INITIALIZER_ALIASES,
                  passthrough=callable, expected="a callable")
