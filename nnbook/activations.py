r"""Activation functions (激活函数), their derivatives and their layers.

A neuron computes :math:`f\left(\sum_i w_i x_i + b\right)`; the activation
:math:`f` makes a stack of layers more than one linear map. Chapter 3 compares
the course notes' choices:

============ ====================================== ==============================
sigmoid      :math:`\sigma(x) = 1 / (1 + e^{-x})`   output layer, two classes
tanh         :math:`\tanh(x) = 2\sigma(2x) - 1`     hidden layers, zero-centered
relu         :math:`\max(0, x)`                     hidden layers, the default
leaky_relu   :math:`\max(\alpha x, x)`              hidden layers, no dead units
identity     :math:`x`                              output layer, regression
softmax      :math:`e^{z_i} / \sum_j e^{z_j}`       output layer, several classes
============ ====================================== ==============================

Each comes three ways: a function (``sigmoid``), its derivative
(``sigmoid_grad``; for softmax, whose Jacobian is not diagonal, the product
``softmax_backward``) and a layer (``Sigmoid``). The derivative and the
layer's ``backward`` run the same kernel, so they agree to the last bit.

The functions take real, finite array_like input of any shape and return an
array of that shape (float32 stays float32, integers become float64); other
input raises ``ValueError``; a 0-d input gives a NumPy scalar, as NumPy's ufuncs
do (and as :mod:`nnbook.surfaces` does). The layers check only type and shape (a scan for
nan and inf would cost half a ReLU), so a nan reaching a layer propagates.

Numerics: finite and warning-free for every finite input. sigmoid lets
:math:`e^{-x}` overflow to :math:`+\infty`, which gives the correctly rounded
0; softmax subtracts the largest logit first. The derivatives of sigmoid and
tanh are computed from :math:`x`, as :math:`1 / (4\cosh^2(x/2))` and
:math:`1 / \cosh^2 x`: even and accurate in both tails. From the output
:math:`y` they would not be (:math:`1 - y` rounds to 0 for :math:`x > 37`, and
the derivative with it), so ``Sigmoid`` and ``Tanh`` cache their input.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validation import as_float_array, check_axis, check_scalar, lookup, scalar_if_0d
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
# Kernels: no validation; each derivative has exactly one, which both the
# function and the layer's backward call. Each allocates its output and works
# in place on it, so float32 stays float32.
# --------------------------------------------------------------------------


def _sigmoid(x: np.ndarray) -> np.ndarray:
    out = np.negative(x, out=np.empty_like(x))
    # exp(-x) overflows to inf for x below about -709 (float64) or -88 (float32),
    # and 1 / (1 + inf) = 0 is the correctly rounded answer. Unlike the tanh form
    # 0.5 (1 + tanh(x/2)), this keeps full precision in the negative tail.
    with np.errstate(over="ignore"):
        np.exp(out, out=out)
    out += 1
    return np.divide(1, out, out=out)


def _tanh(x: np.ndarray) -> np.ndarray:
    return np.tanh(x, out=np.empty_like(x))


def _sigmoid_slope(x: np.ndarray) -> np.ndarray:
    """sigma'(x) = 1 / (4 cosh^2(x/2)): even, at most 1/4, accurate in both tails."""
    out = np.abs(x, out=np.empty_like(x))  # from |x|: even to the last bit
    out *= 0.5
    with np.errstate(over="ignore"):  # cosh^2 reaches inf for |x| > 711: 1/4 / inf = 0
        np.cosh(out, out=out)
        out *= out
    return np.divide(0.25, out, out=out)


def _tanh_slope(x: np.ndarray) -> np.ndarray:
    """tanh'(x) = 1 / cosh^2(x): even, at most 1, accurate in both tails."""
    out = np.abs(x, out=np.empty_like(x))
    with np.errstate(over="ignore"):  # cosh^2 reaches inf for |x| > 355: 1 / inf = 0
        np.cosh(out, out=out)
        out *= out
    return np.divide(1, out, out=out)


def _relu_slope(v: np.ndarray) -> np.ndarray:
    """[v > 0] in v's dtype; v is x or y = relu(x) (or leaky_relu(x)): y > 0 exactly where x > 0."""
    # Written straight into a float array: no boolean temporary, and many times
    # faster than np.where or np.heaviside, whose branches mispredict.
    return np.greater(v, 0, out=np.empty_like(v))


def _leaky_relu_slope(v: np.ndarray, alpha: float) -> np.ndarray:
    """1 where v > 0, else alpha; v is x or y = leaky_relu(x), as in :func:`_relu_slope`."""
    out = _relu_slope(v)
    return np.maximum(out, alpha, out=out)  # 0 -> alpha, 1 stays 1


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
    """s * (g - sum_j g_j s_j) along axis, from the softmax output s."""
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
# Functions and their derivatives. Each takes real, finite array_like input of
# any shape, returns that shape in x's float dtype (integers: float64) and
# raises ValueError for non-numeric or non-finite input.
# --------------------------------------------------------------------------


def sigmoid(x) -> np.ndarray:
    r"""Logistic sigmoid, elementwise, values in :math:`[0, 1]`.

    .. math:: \sigma(x) = \frac{1}{1 + e^{-x}}

    Shape and dtype of ``x``. Raises ``ValueError`` for non-numeric or non-finite ``x``.

    >>> sigmoid(np.array([-1000.0, 0.0, np.log(3.0), 1000.0]))
    array([0.  , 0.5 , 0.75, 1.  ])
    """
    return scalar_if_0d(_sigmoid(as_float_array(x, "x")))


def sigmoid_grad(x) -> np.ndarray:
    r"""Derivative of the sigmoid, elementwise, values in :math:`[0, 1/4]`.

    .. math:: \sigma'(x) = \sigma(x)\bigl(1 - \sigma(x)\bigr) = \frac{1}{4\cosh^2(x/2)}

    The second form, computed here, is accurate in both tails (where
    :math:`1 - \sigma(x)` rounds to 0). Shape and dtype of ``x``. Raises
    ``ValueError`` for non-numeric or non-finite ``x``.

    >>> sigmoid_grad(np.array([0.0, np.log(3.0), -np.log(3.0)]))
    array([0.25  , 0.1875, 0.1875])
    """
    return scalar_if_0d(_sigmoid_slope(as_float_array(x, "x")))


def tanh(x) -> np.ndarray:
    r"""Hyperbolic tangent, elementwise, values in :math:`[-1, 1]`.

    .. math:: \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1

    Shape and dtype of ``x``. Raises ``ValueError`` for non-numeric or non-finite ``x``.

    >>> tanh(np.array([-1000.0, 0.0, np.log(2.0)]))  # tanh(log 2) = 3/5
    array([-1. ,  0. ,  0.6])
    """
    return scalar_if_0d(_tanh(as_float_array(x, "x")))


def tanh_grad(x) -> np.ndarray:
    r"""Derivative of tanh, elementwise, values in :math:`[0, 1]`.

    .. math:: \tanh'(x) = 1 - \tanh^2(x) = \frac{1}{\cosh^2 x}

    The second form, computed here, is accurate in both tails (where
    :math:`1 - \tanh^2 x` rounds to 0). Shape and dtype of ``x``. Raises
    ``ValueError`` for non-numeric or non-finite ``x``.

    >>> tanh_grad(np.array([0.0, np.log(2.0)]))
    array([1.  , 0.64])
    """
    return scalar_if_0d(_tanh_slope(as_float_array(x, "x")))


def relu(x) -> np.ndarray:
    r"""Rectified linear unit, elementwise.

    .. math:: \operatorname{relu}(x) = \max(0, x)

    Shape and dtype of ``x``. Raises ``ValueError`` for non-numeric or non-finite ``x``.

    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    x = as_float_array(x, "x")
    return scalar_if_0d(np.maximum(x, 0, out=np.empty_like(x)))


def relu_grad(x) -> np.ndarray:
    r"""Derivative of ReLU, elementwise: the step function, 0 at 0 (a subgradient).

    .. math:: \operatorname{relu}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}

    Shape and dtype of ``x``. Raises ``ValueError`` for non-numeric or non-finite ``x``.

    >>> relu_grad(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 1.])
    """
    return scalar_if_0d(_relu_slope(as_float_array(x, "x")))


def leaky_relu(x, alpha: float = 0.1) -> np.ndarray:
    r"""Leaky ReLU, elementwise, with slope ``alpha`` in :math:`[0, 1)` below 0 (0.1 in the notes).

    .. math:: \operatorname{leaky\_relu}(x) = \max(\alpha x, x)

    Shape and dtype of ``x``. Raises ``ValueError`` for ``alpha`` outside
    :math:`[0, 1)` or non-numeric or non-finite ``x``.

    >>> leaky_relu(np.array([-2.0, 0.0, 3.0]))
    array([-0.2,  0. ,  3. ])
    """
    alpha = _check_alpha(alpha)
    x = as_float_array(x, "x")
    out = np.multiply(x, alpha, out=np.empty_like(x))
    out = np.maximum(out, x, out=out)  # max(alpha x, x) is the right branch as alpha < 1
    return scalar_if_0d(out)


def leaky_relu_grad(x, alpha: float = 0.1) -> np.ndarray:
    r"""Derivative of Leaky ReLU, elementwise: ``alpha`` at 0, as :func:`relu_grad` (alpha 0).

    .. math:: \operatorname{leaky\_relu}'(x)
              = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}

    Shape and dtype of ``x``. Raises ``ValueError`` for ``alpha`` outside
    :math:`[0, 1)` or non-numeric or non-finite ``x``.

    >>> leaky_relu_grad(np.array([-2.0, 0.0, 3.0]))
    array([0.1, 0.1, 1. ])
    """
    alpha = _check_alpha(alpha)
    return scalar_if_0d(_leaky_relu_slope(as_float_array(x, "x"), alpha))


def identity(x) -> np.ndarray:
    r"""Identity (linear) activation, for regression outputs: a copy of ``x``.

    .. math:: f(x) = x

    Shape and dtype of ``x``. Raises ``ValueError`` for non-numeric or non-finite ``x``.

    >>> identity(np.array([-2.0, 0.0, 3.0]))
    array([-2.,  0.,  3.])
    """
    return scalar_if_0d(np.array(as_float_array(x, "x"), copy=True))


def identity_grad(x) -> np.ndarray:
    r"""Derivative of the identity, elementwise: all ones.

    .. math:: f'(x) = 1

    Shape and dtype of ``x``. Raises ``ValueError`` for non-numeric or non-finite ``x``.

    >>> identity_grad(np.array([-2.0, 0.0, 3.0]))
    array([1., 1., 1.])
    """
    return scalar_if_0d(np.ones_like(as_float_array(x, "x")))


def softmax(x, axis: int = -1) -> np.ndarray:
    r"""Softmax along ``axis`` (the classes): logits to probabilities that sum to 1.

    .. math:: \operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}
              = \frac{e^{z_i - m}}{\sum_j e^{z_j - m}}, \qquad m = \max_j z_j

    The second form, computed here, cannot overflow. ``x`` at least 1-d, e.g.
    ``(n_samples, num_classes)``; shape and dtype of ``x``. Raises ``ValueError``
    for a 0-d, non-numeric or non-finite ``x`` or an ``axis`` out of range.

    >>> softmax(np.array([[1000.0, 0.0, -1000.0], [0.0, np.log(2.0), np.log(5.0)]]))
    array([[1.   , 0.   , 0.   ],
           [0.125, 0.25 , 0.625]])
    """
    x = as_float_array(x, "x")
    return _softmax(x, _softmax_axis(axis, x.ndim))


def softmax_backward(x, grad_output, axis: int = -1) -> np.ndarray:
    r"""Gradient through softmax: the vector-Jacobian product, without forming the Jacobian.

    With :math:`q = S(z)` the softmax of the logits :math:`z` (``x``) and the
    symmetric Jacobian :math:`\operatorname{diag}(q) - q^{\top} q` of a row
    :math:`q`, along ``axis``:

    .. math:: \frac{\partial L}{\partial z} = q \odot \Bigl(\frac{\partial L}{\partial q}
              - \sum_j \frac{\partial L}{\partial q_j}\, q_j\Bigr)

    ``x`` and ``grad_output`` (:math:`\partial L/\partial q`) have one shape, at least
    1-d; the result has it too and sums to 0 along ``axis``. Raises ``ValueError``
    if the shapes differ, ``axis`` is out of range or an input is not real and finite.

    >>> softmax_backward(np.array([0.0, 0.0]), np.array([1.0, 0.0]))  # q = (1/2, 1/2)
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
# Layers. forward caches what backward needs and returns its output read-only,
# so that no caller can edit what a later backward reads; backward multiplies
# the upstream gradient by the derivative's kernel.
# --------------------------------------------------------------------------


def _layer_input(x) -> np.ndarray:
    # Type check only: the finiteness scan would cost about half a ReLU.
    return as_float_array(x, "x", allow_nonfinite=True)


def _layer_grad(layer: Layer, cached, grad_output) -> np.ndarray:
    grad_output = check_backward_input(layer, cached, grad_output)
    # The gradient takes the dtype of the layer's output: float32 stays float32.
    return as_float_array(grad_output, "grad_output", allow_nonfinite=True, dtype=cached.dtype)


def _read_only(y: np.ndarray) -> np.ndarray:
    view = y.view()
    view.flags.writeable = False
    return view


class _SmoothActivation(Layer):
    """Base of Sigmoid and Tanh: ``forward`` caches its input, ``backward`` runs f'(x)."""

    _caches = ("_x",)
    _function = staticmethod(_sigmoid)  # f, set by each subclass
    _slope = staticmethod(_sigmoid_slope)  # f', the kernel of the *_grad function

    def __init__(self) -> None:
        super().__init__()
        self._x: np.ndarray | None = None  # None until the first forward pass

    def forward(self, x) -> np.ndarray:
        """Return :math:`f(x)`, shape ``x.shape``, read-only; cache ``x``."""
        self._x = _layer_input(x)
        return _read_only(self._function(self._x))

    def backward(self, grad_output) -> np.ndarray:
        """Return :math:`\\partial L/\\partial x = \\partial L/\\partial y \\cdot f'(x)`."""
        grad = _layer_grad(self, self._x, grad_output)
        out = self._slope(self._x)
        out *= grad
        return out


class Sigmoid(_SmoothActivation):
    r"""Sigmoid layer, elementwise, any shape.

    .. math:: y = \sigma(x), \qquad
              \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}\,\sigma'(x)

    ``forward`` caches its input :math:`x`, from which :math:`\sigma'` is
    accurate in both tails (:func:`sigmoid_grad`'s kernel).

    >>> layer = Sigmoid()
    >>> layer.forward(np.array([0.0, np.log(3.0)]))
    array([0.5 , 0.75])
    >>> layer.backward(np.array([1.0, 1.0]))
    array([0.25  , 0.1875])
    """

    _function = staticmethod(_sigmoid)
    _slope = staticmethod(_sigmoid_slope)


class Tanh(_SmoothActivation):
    r"""Tanh layer, elementwise, any shape.

    .. math:: y = \tanh(x), \qquad
              \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}\,\tanh'(x)

    ``forward`` caches its input :math:`x`, from which :math:`\tanh'` is
    accurate in both tails (:func:`tanh_grad`'s kernel).

    >>> layer = Tanh()
    >>> layer.forward(np.array([0.0, np.log(2.0)]))
    array([0. , 0.6])
    >>> layer.backward(np.array([1.0, 1.0]))
    array([1.  , 0.64])
    """

    _function = staticmethod(_tanh)
    _slope = staticmethod(_tanh_slope)


class ReLU(Layer):
    r"""ReLU layer, elementwise, any shape; the gradient at 0 is 0, as in :func:`relu_grad`.

    .. math:: y = \max(0, x), \qquad
              \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}\,[y > 0]

    ``forward`` caches its output :math:`y`: :math:`y > 0` exactly where :math:`x > 0`.

    >>> layer = ReLU()
    >>> layer.forward(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    >>> layer.backward(np.array([5.0, 5.0, 5.0]))
    array([0., 0., 5.])
    """

    _caches = ("_y",)

    def __init__(self) -> None:
        super().__init__()
        self._y: np.ndarray | None = None

    def forward(self, x) -> np.ndarray:
        """Return :math:`\\max(0, x)`, shape ``x.shape``, read-only; cache it."""
        x = _layer_input(x)
        self._y = np.maximum(x, 0, out=np.empty_like(x))
        return _read_only(self._y)

    def backward(self, grad_output) -> np.ndarray:
        """Return :math:`\\partial L/\\partial x`, shape of the input."""
        grad = _layer_grad(self, self._y, grad_output)
        out = _relu_slope(self._y)
        out *= grad
        return out


class LeakyReLU(Layer):
    r"""Leaky ReLU layer, elementwise, any shape, with slope ``alpha`` in :math:`[0, 1)` below 0.

    .. math:: y = \max(\alpha x, x), \qquad
              \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}
              \begin{cases} 1 & y > 0 \\ \alpha & y \le 0 \end{cases}

    ``forward`` caches its output :math:`y`: :math:`y > 0` exactly where :math:`x > 0`.
    Raises ``ValueError`` for ``alpha`` outside :math:`[0, 1)`.

    >>> layer = LeakyReLU(alpha=0.1)
    >>> layer.forward(np.array([-2.0, 0.0, 3.0]))
    array([-0.2,  0. ,  3. ])
    >>> layer.backward(np.array([5.0, 5.0, 5.0]))
    array([0.5, 0.5, 5. ])
    """

    _caches = ("_y",)

    def __init__(self, alpha: float = 0.1) -> None:
        super().__init__()
        self.alpha = _check_alpha(alpha)
        self._y: np.ndarray | None = None

    def forward(self, x) -> np.ndarray:
        """Return :math:`\\max(\\alpha x, x)`, shape ``x.shape``, read-only; cache it."""
        x = _layer_input(x)
        y = np.multiply(x, self.alpha, out=np.empty_like(x))
        self._y = np.maximum(y, x, out=y)
        return _read_only(self._y)

    def backward(self, grad_output) -> np.ndarray:
        """Return :math:`\\partial L/\\partial x`, shape of the input."""
        grad = _layer_grad(self, self._y, grad_output)
        out = _leaky_relu_slope(self._y, self.alpha)
        out *= grad
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}(alpha={self.alpha!r})"


class Identity(Layer):
    r"""Identity (linear) layer, the output layer for regression; any shape, no copies.

    .. math:: y = x, \qquad \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}

    ``forward`` returns its input itself (as a float array) and ``backward``
    returns ``grad_output`` itself (in the input's dtype).

    >>> layer, x = Identity(), np.array([-2.0, 3.0])
    >>> layer.forward(x) is x, layer.backward(np.array([1.0, 2.0]))
    (True, array([1., 2.]))
    """

    _caches = ("_x",)

    def __init__(self) -> None:
        super().__init__()
        self._x: np.ndarray | None = None

    def forward(self, x) -> np.ndarray:
        """Return ``x`` (as a float array)."""
        self._x = _layer_input(x)
        return self._x

    def backward(self, grad_output) -> np.ndarray:
        """Return ``grad_output`` (as a float array of the input's dtype)."""
        return _layer_grad(self, self._x, grad_output)


class Softmax(Layer):
    r"""Softmax layer along ``axis`` (default -1: input ``(n_samples, num_classes)``).

    .. math:: q = S(z), \qquad
              \frac{\partial L}{\partial z} = q \odot \Bigl(\frac{\partial L}{\partial q}
              - \sum_j \frac{\partial L}{\partial q_j}\, q_j\Bigr)

    ``forward`` caches its output :math:`q` and raises ``ValueError`` when a
    slice's largest logit is nan or inf (the slice would be all nan). Before a
    cross-entropy loss, the loss's combined gradient :math:`q - y` is cheaper
    and more accurate than :meth:`backward`.

    >>> layer = Softmax()
    >>> layer.forward(np.array([[0.0, 0.0], [1000.0, -1000.0]]))
    array([[0.5, 0.5],
           [1. , 0. ]])
    >>> layer.backward(np.array([[1.0, 0.0], [0.0, 1.0]]))  # saturated row: no gradient
    array([[ 0.25, -0.25],
           [ 0.  ,  0.  ]])
    """

    _caches = ("_y",)

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        _check_axis_type(axis)
        self.axis = int(axis)
        self._axis = self.axis
        self._y: np.ndarray | None = None

    def forward(self, x) -> np.ndarray:
        """Return ``softmax(x, axis)``, shape ``x.shape``, read-only; cache it."""
        x = _layer_input(x)
        self._axis = _softmax_axis(self.axis, x.ndim)
        self._y = _softmax(x, self._axis)
        return _read_only(self._y)

    def backward(self, grad_output) -> np.ndarray:
        """Return :math:`\\partial L/\\partial x`, shape of the input."""
        grad = _layer_grad(self, self._y, grad_output)
        return _softmax_vjp(self._y, grad, self._axis)

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
