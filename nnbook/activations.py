r"""Activation functions (激活函数) and their layers.

A neuron computes :math:`f\left(\sum_i w_i x_i + b\right)`; the activation
function :math:`f` is what makes a stack of layers more than one big linear map.
The course notes compare five of them.

**sigmoid** :math:`\sigma(x) = 1 / (1 + e^{-x})` is smooth and squashes every
input into :math:`(0, 1)`. Its derivative :math:`\sigma(1 - \sigma)` is at most
:math:`1/4` (at 0) and tends to 0 on both sides, so for very large or very small
inputs almost no gradient flows back: the vanishing gradient (梯度消失). Through
five sigmoid layers the factor is at most :math:`4^{-5} \approx 10^{-3}`, which
is why the notes say sigmoid networks show it within about five layers. Its
output is not zero-centered either, so it is seldom used in hidden layers; its
place is the output layer of binary classification (二分类的输出层).

**tanh** :math:`\tanh(x) = (e^x - e^{-x}) / (e^x + e^{-x}) = 2\sigma(2x) - 1`
is zero-centered (以0为中心), which usually makes training converge in fewer
iterations than with sigmoid, but it saturates on both sides too (derivative
:math:`1 - \tanh^2 x \le 1`), so gradients still vanish. Use it in hidden layers.

**ReLU** :math:`\max(0, x)` is the most common choice today. For :math:`x > 0`
its derivative is 1, so gradients do not shrink; it is cheap (no exponential,
no division); and zeroing the negative inputs makes the network sparse (稀疏性),
which eases overfitting. Its weakness: a unit whose inputs stay negative gets
zero gradient and its weights stop updating, the "dying ReLU" (神经元死亡).

**Leaky ReLU** :math:`\max(\alpha x, x)` with a small slope (the notes use
:math:`\alpha = 0.1`) keeps a gradient :math:`\alpha` for negative inputs, so
units cannot die.

**softmax** :math:`e^{z_i} / \sum_j e^{z_j}` generalizes sigmoid to several
classes (多分类): it maps a vector of logits to probabilities in :math:`(0, 1)`
that sum to 1, and the predicted class is the one with the largest
probability. With two classes it is the sigmoid of the difference of the logits.

How to choose (激活函数的选择):

- hidden layers: ReLU first (watch for dying units), Leaky ReLU if it works
  poorly, tanh is worth a try, avoid sigmoid;
- output layer: sigmoid for binary classification, softmax for multi-class
  classification, identity (linear) for regression.

Each activation comes three ways: a function (``sigmoid``), its derivative
(``sigmoid_grad``, or ``softmax_backward`` for softmax, whose Jacobian is not
diagonal), and a layer (``Sigmoid``) whose ``forward`` caches what ``backward``
needs. :func:`get_activation` turns a name into the layer class.

Numerics. Every function is finite and warning-free for all finite inputs:
sigmoid is :math:`1 / (1 + e^{-x})` with :math:`e^{-x}` allowed to overflow to
:math:`+\infty` (which gives the correctly rounded 0), softmax subtracts the
maximum logit first, and the derivatives are written with
:math:`e^{-|x|}`, which cannot overflow. float32 inputs stay float32.

Validation. The functions check their input fully (numeric, finite). The layers
sit on the hot path of training, where scanning every activation for nan and
inf costs about half as much as ReLU itself, so they check only the type and
shape: a nan reaching a layer propagates to its output.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validation import as_float_array, check_axis, check_scalar, lookup
from .base import Layer, check_backward_input

__all__ = [
    "ACTIVATIONS",
    "ACTIVATION_ALIASES",
    "Identity",
    "LeakyReLU",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "get_activation",
    "identity",
    "identity_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "softmax_backward",
    "tanh",
    "tanh_grad",
]


# --------------------------------------------------------------------------
# Computational kernels: no validation, shared by the functions and the layers.
# Each allocates one output array and works in place on it, so that 0-d input
# gives a 0-d array (not a NumPy scalar) and float32 stays float32.
# --------------------------------------------------------------------------


def _sigmoid(x: np.ndarray) -> np.ndarray:
    out = np.negative(x, out=np.empty_like(x))
    # For x below about -709 (float64) or -88 (float32) exp(-x) overflows to
    # inf and 1 / (1 + inf) = 0 is the correctly rounded answer: the overflow
    # is harmless. Unlike 0.5 * (1 + tanh(x / 2)), this form keeps full
    # relative precision in the negative tail (sigmoid(-30) is not rounded to 0).
    with np.errstate(over="ignore"):
        np.exp(out, out=out)
    out += 1
    return np.divide(1, out, out=out)


def _exp_neg_abs(x: np.ndarray) -> np.ndarray:
    """exp(-|x|), in (0, 1]: the building block of overflow-free derivatives."""
    out = np.abs(x, out=np.empty_like(x))
    np.negative(out, out=out)
    return np.exp(out, out=out)


def _logistic_slope(e: np.ndarray) -> np.ndarray:
    """sigma'(x) = s (1 - s) with s = sigma(-|x|) = e / (1 + e), from e = exp(-|x|), in place.

    s lies in (0, 1/2], so 1 - s loses nothing (unlike 1 - sigma(x) for large
    x) and the rounded product can never exceed 1/4.
    """
    buffer = np.add(e, 1, out=np.empty_like(e))
    e /= buffer  # s = e / (1 + e)
    np.subtract(1, e, out=buffer)  # 1 - s
    e *= buffer
    return e


def _relu_mask(y: np.ndarray) -> np.ndarray:
    # 1 where y > 0, else 0, written straight into an array of y's dtype: no
    # boolean temporary, and many times faster than np.where or np.heaviside,
    # whose branches mispredict on random signs.
    return np.greater(y, 0, out=np.empty_like(y))


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    if x.size == 0:
        return np.empty_like(x)
    shift = np.max(x, axis=axis, keepdims=True)
    # Only the layer, which skips the full scan, can get here with nan or inf;
    # one value per slice is cheap to check, and such a slice would be all nan.
    if not np.isfinite(shift).all():
        bad = shift.size - np.count_nonzero(np.isfinite(shift))
        raise ValueError(
            f"x has nan or infinite logits in {bad} slice(s) along axis {axis}: "
            "softmax would be nan there; expected finite values"
        )
    # x - max <= 0, so exp cannot overflow; for logits near the largest float
    # the difference itself may overflow to -inf, whose exp is the correct 0.
    with np.errstate(over="ignore"):
        out = np.subtract(x, shift, out=np.empty_like(x))
    np.exp(out, out=out)
    out /= np.sum(out, axis=axis, keepdims=True)  # the sum is >= 1: exp(0) is in it
    return out


def _softmax_vjp(s: np.ndarray, g: np.ndarray, axis: int) -> np.ndarray:
    out = np.multiply(g, s, out=np.empty_like(s))
    dot = np.sum(out, axis=axis, keepdims=True)
    np.subtract(g, dot, out=out)
    out *= s
    return out


# --------------------------------------------------------------------------
# Argument checks.
# --------------------------------------------------------------------------


def _check_alpha(alpha) -> float:
    return check_scalar(alpha, "alpha", low=0.0, high=1.0, high_inclusive=False)


def _check_axis_type(axis) -> None:
    # check_axis accepts bools (True is an Integral); an axis never is one.
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise ValueError(f"axis must be an integer, got {axis!r}")


def _softmax_axis(axis, ndim: int) -> int:
    _check_axis_type(axis)
    if ndim == 0:
        raise ValueError(
            "softmax needs an array with at least one dimension (the classes), got a 0-d array"
        )
    return check_axis(axis, ndim)


# --------------------------------------------------------------------------
# Functions and their derivatives.
# --------------------------------------------------------------------------


def sigmoid(x) -> np.ndarray:
    r"""Logistic sigmoid, elementwise.

    .. math::

        \sigma(x) = \frac{1}{1 + e^{-x}}

    Parameters
    ----------
    x : array_like, any shape
        Real, finite values. float32 and float64 keep their dtype; integers
        become float64.

    Returns
    -------
    numpy.ndarray, shape ``x.shape``, dtype of ``x``
        Values in :math:`[0, 1]` (exactly 0 or 1 only where the true value
        rounds to it, e.g. at :math:`x = \mp 1000`).

    Raises
    ------
    ValueError
        If ``x`` is not a real numeric array or contains nan or inf.

    Examples
    --------
    >>> import numpy as np
    >>> sigmoid(np.array([-1000.0, 0.0, np.log(3.0), 1000.0]))
    array([0.  , 0.5 , 0.75, 1.  ])
    >>> sigmoid(np.float32(2.0)).dtype
    dtype('float32')
    """
    return _sigmoid(as_float_array(x, "x"))


def sigmoid_grad(x) -> np.ndarray:
    r"""Derivative of the sigmoid, elementwise.

    .. math::

        \sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)
                   = \sigma(-|x|)\,\bigl(1 - \sigma(-|x|)\bigr),
        \qquad \sigma(-|x|) = \frac{e^{-|x|}}{1 + e^{-|x|}}

    The second form is used (the derivative is even): it cannot overflow and
    stays accurate in both tails, where :math:`1 - \sigma(x)` would round to
    0. Its maximum is :math:`1/4`, at :math:`x = 0`, and the computed values
    never exceed it.

    Parameters
    ----------
    x : array_like, any shape
        Real, finite values (float32, float64 or integer).

    Returns
    -------
    numpy.ndarray, shape ``x.shape``, dtype of ``x`` (float64 for integers)
        Values in :math:`[0, 1/4]`.

    Examples
    --------
    >>> import numpy as np
    >>> sigmoid_grad(np.array([0.0, np.log(3.0), -np.log(3.0)]))
    array([0.25  , 0.1875, 0.1875])
    """
    return _logistic_slope(_exp_neg_abs(as_float_array(x, "x")))


def tanh(x) -> np.ndarray:
    r"""Hyperbolic tangent, elementwise.

    .. math::

        \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1

    Parameters
    ----------
    x : array_like, any shape
        Real, finite values (float32, float64 or integer).

    Returns
    -------
    numpy.ndarray, shape ``x.shape``, dtype of ``x`` (float64 for integers)
        Values in :math:`[-1, 1]`.

    Examples
    --------
    >>> import numpy as np
    >>> tanh(np.array([-1000.0, 0.0, 1000.0]))
    array([-1.,  0.,  1.])
    """
    x = as_float_array(x, "x")
    return np.tanh(x, out=np.empty_like(x))


def tanh_grad(x) -> np.ndarray:
    r"""Derivative of tanh, elementwise.

    .. math::

        \tanh'(x) = 1 - \tanh^2(x) = 4\,\sigma'(2x)
                  = \frac{4 e^{-2|x|}}{\left(1 + e^{-2|x|}\right)^2}

    The last forms (computed as in :func:`sigmoid_grad`, with
    :math:`e^{-2|x|} = (e^{-|x|})^2`, which cannot overflow) stay accurate in
    the tails, where :math:`1 - \tanh^2 x` would round to 0. Its maximum is 1,
    at :math:`x = 0`.

    Parameters
    ----------
    x : array_like, any shape
        Real, finite values (float32, float64 or integer).

    Returns
    -------
    numpy.ndarray, shape ``x.shape``, dtype of ``x`` (float64 for integers)
        Values in :math:`[0, 1]`.

    Examples
    --------
    >>> import numpy as np
    >>> tanh_grad(np.array([0.0, np.log(2.0)]))  # tanh(log 2) = 3/5
    array([1.  , 0.64])
    """
    e = _exp_neg_abs(as_float_array(x, "x"))
    e *= e  # exp(-2|x|), underflowing harmlessly to 0
    out = _logistic_slope(e)
    out *= 4  # tanh'(x) = 4 sigma'(2x)
    return out


def relu(x) -> np.ndarray:
    r"""Rectified linear unit, elementwise.

    .. math::

        \operatorname{relu}(x) = \max(0, x)

    Parameters
    ----------
    x : array_like, any shape
        Real, finite values (float32, float64 or integer).

    Returns
    -------
    numpy.ndarray, shape ``x.shape``, dtype of ``x`` (float64 for integers)

    Examples
    --------
    >>> import numpy as np
    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    x = as_float_array(x, "x")
    return np.maximum(x, 0, out=np.empty_like(x))


def relu_grad(x) -> np.ndarray:
    r"""Derivative of ReLU, elementwise: the step function.

    .. math::

        \operatorname{relu}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}

    ReLU has no derivative at 0; the value 0 used there (a valid subgradient)
    is the usual convention.

    Parameters
    ----------
    x : array_like, any shape
        Real, finite values (float32, float64 or integer).

    Returns
    -------
    numpy.ndarray, shape ``x.shape``, dtype of ``x`` (float64 for integers)
        Zeros and ones.

    Examples
    --------
    >>> import numpy as np
    >>> relu_grad(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 1.])
    """
    return _relu_mask(as_float_array(x, "x"))


def leaky_relu(x, alpha: float = 0.1) -> np.ndarray:
    r"""Leaky ReLU, elementwise.

    .. math::

        \operatorname{leaky\_relu}(x) = \max(\alpha x, x)
        = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases},
        \qquad 0 \le \alpha < 1

    Parameters
    ----------
    x : array_like, any shape
        Real, finite values (float32, float64 or integer).
    alpha : float in [0, 1), default 0.1
        Slope for negative inputs (0.1 in the course notes; 0 gives ReLU).

    Returns
    -------
    numpy.ndarray, shape ``x.shape``, dtype of ``x`` (float64 for integers)

    Raises
    ------
    ValueError
        If ``alpha`` is outside :math:`[0, 1)`, or ``x`` is not a real finite array.

    Examples
    --------
    >>> import numpy as np
    >>> leaky_relu(np.array([-2.0, 0.0, 3.0]))
    array([-0.2,  0. ,  3. ])
    >>> leaky_relu(np.array([-2.0, 3.0]), alpha=0.5)
    array([-1.,  3.])
    """
    alpha = _check_alpha(alpha)
    x = as_float_array(x, "x")
    out = np.multiply(x, alpha, out=np.empty_like(x))
    return np.maximum(out, x, out=out)  # max(alpha x, x) is the right branch as alpha < 1


def leaky_relu_grad(x, alpha: float = 0.1) -> np.ndarray:
    r"""Derivative of Leaky ReLU, elementwise.

    .. math::

        \operatorname{leaky\_relu}'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}

    At :math:`x = 0` the value :math:`\alpha` is used, consistently with
    :func:`relu_grad` (the case :math:`\alpha = 0`).

    Parameters
    ----------
    x : array_like, any shape
        Real, finite values (float32, float64 or integer).
    alpha : float in [0, 1), default 0.1
        Slope for negative inputs.

    Returns
    -------
    numpy.ndarray, shape ``x.shape``, dtype of ``x`` (float64 for integers)
        Values :math:`\alpha` and 1.

    Examples
    --------
    >>> import numpy as np
    >>> leaky_relu_grad(np.array([-2.0, 0.0, 3.0]))
    array([0.1, 0.1, 1. ])
    """
    alpha = _check_alpha(alpha)
    out = _relu_mask(as_float_array(x, "x"))
    return np.maximum(out, alpha, out=out)  # 0 -> alpha, 1 stays 1


def identity(x) -> np.ndarray:
    r"""Identity (linear) activation, for regression outputs.

    .. math::

        f(x) = x

    Parameters
    ----------
    x : array_like, any shape
        Real, finite values (float32, float64 or integer).

    Returns
    -------
    numpy.ndarray, shape ``x.shape``, dtype of ``x`` (float64 for integers)
        A copy of ``x`` (the :class:`Identity` layer, on the hot path, returns
        its input itself).

    Examples
    --------
    >>> import numpy as np
    >>> identity(np.array([-2.0, 0.0, 3.0]))
    array([-2.,  0.,  3.])
    """
    return np.array(as_float_array(x, "x"), copy=True)


def identity_grad(x) -> np.ndarray:
    r"""Derivative of the identity, elementwise: all ones.

    .. math::

        f'(x) = 1

    Parameters
    ----------
    x : array_like, any shape
        Real, finite values (float32, float64 or integer).

    Returns
    -------
    numpy.ndarray, shape ``x.shape``, dtype of ``x`` (float64 for integers)

    Examples
    --------
    >>> import numpy as np
    >>> identity_grad(np.array([-2.0, 0.0, 3.0]))
    array([1., 1., 1.])
    """
    return np.ones_like(as_float_array(x, "x"))


def softmax(x, axis: int = -1) -> np.ndarray:
    r"""Softmax along one axis: logits to probabilities.

    .. math::

        \operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}
        = \frac{e^{z_i - m}}{\sum_j e^{z_j - m}}, \qquad m = \max_j z_j

    The second form is computed: every exponent is :math:`\le 0`, so nothing
    overflows, and the result is unchanged because softmax is invariant to
    adding a constant to all logits.

    Parameters
    ----------
    x : array_like, at least 1-d, e.g. ``(n_samples, num_classes)``
        Real, finite logits (float32, float64 or integer).
    axis : int, default -1
        The axis of the classes.

    Returns
    -------
    numpy.ndarray, shape ``x.shape``, dtype of ``x`` (float64 for integers)
        Values in :math:`[0, 1]` that sum to 1 along ``axis``.

    Raises
    ------
    ValueError
        If ``x`` is 0-d, not a real finite array, or ``axis`` is out of range.

    Examples
    --------
    >>> import numpy as np
    >>> softmax(np.array([1000.0, 0.0, -1000.0]))
    array([1., 0., 0.])
    >>> p = softmax(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]))
    >>> np.round(p, 4)
    array([[0.09  , 0.2447, 0.6652],
           [0.3333, 0.3333, 0.3333]])
    >>> p.sum(axis=1)
    array([1., 1.])
    """
    x = as_float_array(x, "x")
    return _softmax(x, _softmax_axis(axis, x.ndim))


def softmax_backward(x, grad_output, axis: int = -1) -> np.ndarray:
    r"""Gradient through softmax: the vector-Jacobian product.

    With :math:`s = \operatorname{softmax}(x)` and the upstream gradient
    :math:`g = \partial L / \partial s`, the Jacobian
    :math:`J = \operatorname{diag}(s) - s s^{\top}` (symmetric) gives, along ``axis``,

    .. math::

        \frac{\partial L}{\partial x} = J g = s \odot \Bigl(g - \sum_j g_j s_j\Bigr)

    without ever forming :math:`J`.

    Parameters
    ----------
    x : array_like, at least 1-d
        The logits given to :func:`softmax` (real, finite).
    grad_output : array_like, shape ``x.shape``
        The gradient of the loss with respect to ``softmax(x, axis)`` (finite).
    axis : int, default -1
        The axis of the classes.

    Returns
    -------
    numpy.ndarray, shape ``x.shape``, dtype of ``x`` (float64 for integers)
        The gradient with respect to ``x``; it sums to 0 along ``axis``.

    Raises
    ------
    ValueError
        If the shapes differ, ``axis`` is out of range or an input is not a
        real finite array.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([0.0, 0.0])
    >>> softmax_backward(x, np.array([1.0, 0.0]))  # s = (1/2, 1/2)
    array([ 0.25, -0.25])
    """
    x = as_float_array(x, "x")
    axis = _softmax_axis(axis, x.ndim)
    grad_output = as_float_array(grad_output, "grad_output", dtype=x.dtype)
    if grad_output.shape != x.shape:
        raise ValueError(
            f"grad_output has shape {grad_output.shape}; expected {x.shape}, the shape of x"
        )
    return _softmax_vjp(_softmax(x, axis), grad_output, axis)


# --------------------------------------------------------------------------
# Layers.
# --------------------------------------------------------------------------


def _layer_input(x) -> np.ndarray:
    # Type check only: the finiteness scan would cost about half a ReLU.
    return as_float_array(x, "x", allow_nonfinite=True)


def _layer_grad(layer: Layer, cached, grad_output) -> np.ndarray:
    grad_output = check_backward_input(layer, cached, grad_output)
    # The gradient takes the dtype of the layer's output: float32 stays float32.
    return as_float_array(grad_output, "grad_output", allow_nonfinite=True, dtype=cached.dtype)


class _Activation(Layer):
    """Base of the activation layers: ``forward`` caches its output, all ``backward`` needs."""

    _caches = ("_output",)

    def __init__(self) -> None:
        super().__init__()
        self._output: np.ndarray | None = None  # None until the first forward pass

    def _keep(self, y: np.ndarray) -> np.ndarray:
        """Cache ``y`` for backward and return it read-only: no caller can edit the cache."""
        self._output = y
        view = y.view()
        view.flags.writeable = False
        return view


class Sigmoid(_Activation):
    r"""Sigmoid layer: :math:`y = \sigma(x)`, elementwise.

    .. math::

        y = \frac{1}{1 + e^{-x}}, \qquad
        \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}\, y\,(1 - y)

    ``forward`` caches its output :math:`y`, all that ``backward`` needs, and
    returns it read-only. Input and output have the same shape, any shape.

    Examples
    --------
    >>> import numpy as np
    >>> layer = Sigmoid()
    >>> layer.forward(np.array([0.0, np.log(3.0)]))
    array([0.5 , 0.75])
    >>> layer.backward(np.array([1.0, 1.0]))
    array([0.25  , 0.1875])
    """

    def forward(self, x) -> np.ndarray:
        """Return :math:`\\sigma(x)`, shape ``x.shape``, caching it."""
        return self._keep(_sigmoid(_layer_input(x)))

    def backward(self, grad_output) -> np.ndarray:
        """Return the gradient with respect to the input, shape of the input."""
        y = self._output
        grad = _layer_grad(self, y, grad_output)
        out = np.subtract(1, y, out=np.empty_like(y))
        out *= y
        out *= grad
        return out


class Tanh(_Activation):
    r"""Tanh layer: :math:`y = \tanh(x)`, elementwise.

    .. math::

        y = \tanh(x), \qquad
        \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}\,(1 - y^2)

    ``forward`` caches its output :math:`y`; any shape.

    Examples
    --------
    >>> import numpy as np
    >>> layer = Tanh()
    >>> layer.forward(np.array([0.0, np.log(2.0)]))
    array([0. , 0.6])
    >>> layer.backward(np.array([1.0, 1.0]))
    array([1.  , 0.64])
    """

    def forward(self, x) -> np.ndarray:
        """Return :math:`\\tanh(x)`, shape ``x.shape``, caching it."""
        x = _layer_input(x)
        return self._keep(np.tanh(x, out=np.empty_like(x)))

    def backward(self, grad_output) -> np.ndarray:
        """Return the gradient with respect to the input, shape of the input."""
        y = self._output
        grad = _layer_grad(self, y, grad_output)
        out = np.multiply(y, y, out=np.empty_like(y))
        np.subtract(1, out, out=out)
        out *= grad
        return out


class ReLU(_Activation):
    r"""ReLU layer: :math:`y = \max(0, x)`, elementwise.

    .. math::

        y = \max(0, x), \qquad
        \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}\,[x > 0]

    ``forward`` caches its output :math:`y` (:math:`y > 0` exactly where
    :math:`x > 0`, so it doubles as the mask); the gradient at 0 is 0, as in
    :func:`relu_grad`. Any shape.

    Examples
    --------
    >>> import numpy as np
    >>> layer = ReLU()
    >>> layer.forward(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    >>> layer.backward(np.array([5.0, 5.0, 5.0]))
    array([0., 0., 5.])
    """

    def forward(self, x) -> np.ndarray:
        """Return :math:`\\max(0, x)`, shape ``x.shape``, caching it."""
        x = _layer_input(x)
        return self._keep(np.maximum(x, 0, out=np.empty_like(x)))

    def backward(self, grad_output) -> np.ndarray:
        """Return the gradient with respect to the input, shape of the input."""
        grad = _layer_grad(self, self._output, grad_output)
        out = _relu_mask(self._output)
        out *= grad
        return out


class LeakyReLU(_Activation):
    r"""Leaky ReLU layer: :math:`y = \max(\alpha x, x)`, elementwise.

    .. math::

        y = \max(\alpha x, x), \qquad
        \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}
        \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}

    Parameters
    ----------
    alpha : float in [0, 1), default 0.1
        Slope for negative inputs (0.1 in the course notes).

    Notes
    -----
    ``forward`` caches its output (:math:`y > 0` exactly where :math:`x > 0`).
    Any shape.

    Examples
    --------
    >>> import numpy as np
    >>> layer = LeakyReLU(alpha=0.1)
    >>> layer
    LeakyReLU(alpha=0.1)
    >>> layer.forward(np.array([-2.0, 0.0, 3.0]))
    array([-0.2,  0. ,  3. ])
    >>> layer.backward(np.array([5.0, 5.0, 5.0]))
    array([0.5, 0.5, 5. ])
    """

    def __init__(self, alpha: float = 0.1) -> None:
        super().__init__()
        self.alpha = _check_alpha(alpha)

    def forward(self, x) -> np.ndarray:
        """Return :math:`\\max(\\alpha x, x)`, shape ``x.shape``, caching it."""
        x = _layer_input(x)
        out = np.multiply(x, self.alpha, out=np.empty_like(x))
        return self._keep(np.maximum(out, x, out=out))

    def backward(self, grad_output) -> np.ndarray:
        """Return the gradient with respect to the input, shape of the input."""
        grad = _layer_grad(self, self._output, grad_output)
        out = _relu_mask(self._output)
        np.maximum(out, self.alpha, out=out)
        out *= grad
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}(alpha={self.alpha!r})"


class Identity(_Activation):
    r"""Identity (linear) layer, the output layer for regression.

    .. math::

        y = x, \qquad \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}

    No copies are made: ``forward`` returns its input array itself (converted
    to float if needed) and ``backward`` returns ``grad_output`` itself. Any shape.

    Examples
    --------
    >>> import numpy as np
    >>> layer = Identity()
    >>> x = np.array([-2.0, 3.0])
    >>> layer.forward(x) is x
    True
    >>> layer.backward(np.array([1.0, 2.0]))
    array([1., 2.])
    """

    def forward(self, x) -> np.ndarray:
        """Return ``x`` (as a float array)."""
        self._output = _layer_input(x)
        return self._output

    def backward(self, grad_output) -> np.ndarray:
        """Return ``grad_output`` (as a float array of the input's dtype)."""
        return _layer_grad(self, self._output, grad_output)


class Softmax(_Activation):
    r"""Softmax layer along ``axis``.

    .. math::

        s = \operatorname{softmax}(x), \qquad
        \frac{\partial L}{\partial x} = s \odot \Bigl(g - \sum_j g_j s_j\Bigr),
        \quad g = \frac{\partial L}{\partial s}

    Parameters
    ----------
    axis : int, default -1
        The axis of the classes; input ``(n_samples, num_classes)`` with the default.

    Notes
    -----
    ``forward`` caches its output :math:`s`. It raises ``ValueError`` when the
    largest logit of a slice is nan or inf (cheap to check: one value per
    sample), since the whole slice would then be nan. When the layer feeds a
    cross-entropy loss, the loss's combined gradient :math:`s - y` is cheaper
    and more accurate than going through :meth:`backward`.

    Examples
    --------
    >>> import numpy as np
    >>> layer = Softmax()
    >>> layer
    Softmax(axis=-1)
    >>> layer.forward(np.array([[0.0, 0.0], [1000.0, -1000.0]]))
    array([[0.5, 0.5],
           [1. , 0. ]])
    >>> layer.backward(np.array([[1.0, 0.0], [0.0, 1.0]]))  # saturated row: no gradient
    array([[ 0.25, -0.25],
           [ 0.  ,  0.  ]])
    """

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        _check_axis_type(axis)
        self.axis = int(axis)
        self._axis = self.axis

    def forward(self, x) -> np.ndarray:
        """Return ``softmax(x, axis)``, shape ``x.shape``, caching it."""
        x = _layer_input(x)
        axis = _softmax_axis(self.axis, x.ndim)
        self._axis = axis
        return self._keep(_softmax(x, axis))

    def backward(self, grad_output) -> np.ndarray:
        """Return the gradient with respect to the input, shape of the input."""
        grad = _layer_grad(self, self._output, grad_output)
        return _softmax_vjp(self._output, grad, self._axis)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(axis={self.axis})"


# --------------------------------------------------------------------------
# Names.
# --------------------------------------------------------------------------

#: Layer class of each activation, by name, in the order of the course notes.
ACTIVATIONS: dict[str, type[Layer]] = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "identity": Identity,
    "softmax": Softmax,
}

#: Other accepted spellings, mapped to the name in :data:`ACTIVATIONS`.
ACTIVATION_ALIASES: dict[str, str] = {"linear": "identity"}


def get_activation(name) -> type[Layer]:
    r"""The activation layer class called ``name`` (case-insensitive).

    .. math::

        \text{"relu"} \mapsto \operatorname{ReLU}, \quad
        \text{"leaky_relu"} \mapsto \operatorname{LeakyReLU}, \ \dots

    Parameters
    ----------
    name : str or Layer subclass
        A key of :data:`ACTIVATIONS` ("sigmoid", "tanh", "relu", "leaky_relu",
        "identity", "softmax") or of :data:`ACTIVATION_ALIASES` ("linear"). A
        subclass of :class:`~nnbook.base.Layer` is returned unchanged.

    Returns
    -------
    type
        The registered class, the same object on every call; call it for a layer.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid ones.

    Examples
    --------
    >>> get_activation("ReLU")()
    ReLU()
    >>> get_activation("linear") is Identity
    True
    """
    return lookup(name, ACTIVATIONS, "activation", ACTIVATION_ALIASES,
                  passthrough=_is_layer_class, expected="a Layer subclass")


def _is_layer_class(obj) -> bool:
    return isinstance(obj, type) and issubclass(obj, Layer)
