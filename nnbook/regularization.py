r"""Regularization (正则项): L1 and L2 weight penalties, and dropout.

The penalties are added to the data loss and their gradients to the weight
gradients; each takes one weight array or a list (or tuple) of them, e.g. the
weight matrices of every layer (usually not the biases).

=======================  ==============================================================
:func:`l1_penalty`       :math:`\lambda \sum |w|` (sparse weights, 稀疏)
:func:`l2_penalty`       :math:`\frac{\lambda}{2} \sum w^2` (gradient :math:`\lambda w`)
:func:`dropout`          inverted dropout; :class:`Dropout` is the layer
=======================  ==============================================================
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, as_generator, check_scalar
from .base import Layer, check_backward_input

__all__ = [
    "Dropout",
    "dropout",
    "dropout_backward",
    "l1_penalty",
    "l1_penalty_grad",
    "l2_penalty",
    "l2_penalty_grad",
]


def _weights(w) -> tuple[list[np.ndarray], bool]:
    """Return the weights as a list of float arrays, and whether a sequence was given."""
    if isinstance(w, (list, tuple)):
        return [as_float_array(a, f"w[{i}]") for i, a in enumerate(w)], True
    return [as_float_array(w, "w")], False


def _lam(lam) -> float:
    return check_scalar(lam, "lam", low=0.0)


def _check_p(p) -> float:
    return check_scalar(p, "p", low=0.0, high=1.0, high_inclusive=False)


def _dropout(x: np.ndarray, p: float, rng, training: bool) -> tuple[np.ndarray, np.ndarray]:
    """Kernel of :func:`dropout` and :class:`Dropout` (``rng`` is used only to draw a mask)."""
    if not training or p == 0.0:
        return x, np.broadcast_to(np.ones(1, dtype=x.dtype), x.shape)
    # Build the mask in the buffer of the uniform draws: u >= p is a Bernoulli(1 - p)
    # keep indicator, written as 0.0/1.0 into the same array, then scaled in place.
    mask = as_generator(rng).random(x.shape, dtype=x.dtype)
    np.greater_equal(mask, p, out=mask)
    mask *= 1.0 / (1.0 - p)
    return x * mask, mask


def _dropout_backward(grad_output: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Kernel of :func:`dropout_backward` and :meth:`Dropout.backward`: dL/dx = dL/dy * m."""
    return grad_output * mask


def l1_penalty(w, lam) -> float:
    r"""L1 penalty (L1正则化) of one weight array or of a list of them.

    .. math::

        R(w) = \lambda \sum_{i} |w_i|

    Parameters
    ----------
    w : array_like or list of array_like
        Weights, any shapes; the sum runs over every element of every array.
    lam : float, >= 0
        Strength :math:`\lambda`.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For ``lam < 0`` or non-finite weights.

    Examples
    --------
    >>> round(l1_penalty([np.ones((2, 2)), np.array([-1.0])], 0.5), 6)  # 0.5 * (4 + 1)
    2.5
    """
    lam = _lam(lam)
    arrays, _ = _weights(w)
    return lam * float(sum(np.abs(a).sum() for a in arrays))


def l1_penalty_grad(w, lam):
    r"""Gradient of :func:`l1_penalty`, array by array.

    .. math::

        \frac{\partial R}{\partial w_i} = \lambda \operatorname{sign}(w_i),
        \qquad \operatorname{sign}(0) = 0 \text{ (a subgradient)}

    Parameters and errors as in :func:`l1_penalty`.

    Returns
    -------
    numpy.ndarray or list of numpy.ndarray
        Shaped like ``w`` (dtype kept); a list for a list or tuple.

    Examples
    --------
    >>> l1_penalty_grad(np.array([1.5, 0.0, -2.0]), 0.1)
    array([ 0.1,  0. , -0.1])
    """
    lam = _lam(lam)
    arrays, is_seq = _weights(w)
    grads = [lam * np.sign(a) for a in arrays]
    return grads if is_seq else grads[0]


def l2_penalty(w, lam) -> float:
    r"""L2 penalty (L2正则化) of one weight array or of a list of them.

    .. math::

        R(w) = \frac{\lambda}{2} \sum_{i} w_i^2

    Parameters and errors as in :func:`l1_penalty`.

    Returns
    -------
    float

    Examples
    --------
    >>> round(l2_penalty(np.array([1.0, -2.0, 3.0]), 0.1), 6)  # 0.05 * (1 + 4 + 9)
    0.7
    """
    lam = _lam(lam)
    arrays, _ = _weights(w)
    return 0.5 * lam * float(sum(np.vdot(a, a) for a in arrays))


def l2_penalty_grad(w, lam):
    r"""Gradient of :func:`l2_penalty`, array by array (weight decay).

    .. math::

        \frac{\partial R}{\partial w_i} = \lambda w_i

    Parameters and errors as in :func:`l1_penalty`.

    Returns
    -------
    numpy.ndarray or list of numpy.ndarray
        Shaped like ``w`` (dtype kept); a list for a list or tuple.

    Examples
    --------
    >>> l2_penalty_grad([np.array([1.0, -2.0]), np.array([[4.0]])], 0.5)
    [array([ 0.5, -1. ]), array([[2.]])]
    """
    lam = _lam(lam)
    arrays, is_seq = _weights(w)
    grads = [lam * a for a in arrays]
    return grads if is_seq else grads[0]


def dropout(x, p=0.5, rng=None, training=True) -> tuple[np.ndarray, np.ndarray]:
    r"""Inverted dropout: drop each unit with probability ``p``, rescale the survivors.

    .. math::

        y = x \odot m, \qquad
        m_i = \frac{b_i}{1 - p}, \qquad b_i \sim \operatorname{Bernoulli}(1 - p)

    With ``training=False`` (or ``p == 0``) it is the identity.

    Parameters
    ----------
    x : array_like, any shape
    p : float in [0, 1)
        Probability of dropping a unit.
    rng : numpy.random.Generator, int or None
    training : bool

    Returns
    -------
    output : numpy.ndarray, shape and dtype of ``x``
        ``x * mask``, or ``x`` itself (not a copy) when nothing is dropped.
    mask : numpy.ndarray, shape and dtype of ``x``
        Entries 0 or :math:`1/(1-p)`; a read-only view of ones when nothing is dropped.

    Raises
    ------
    ValueError
        For ``p`` outside [0, 1) or non-finite ``x``.

    Examples
    --------
    >>> out, mask = dropout(np.ones((2, 4)), p=0.5, rng=0)
    >>> sorted(set(mask.ravel().tolist())) == [0.0, 2.0], bool(np.all(out == mask))
    (True, True)
    """
    x = as_float_array(x, "x")
    return _dropout(x, _check_p(p), rng, training)


def dropout_backward(grad_output, mask) -> np.ndarray:
    r"""Gradient of :func:`dropout` with respect to its input.

    .. math::

        \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y} \odot m

    Parameters
    ----------
    grad_output : array_like, shape of ``mask``
    mask : numpy.ndarray
        The mask returned by :func:`dropout`.

    Returns
    -------
    numpy.ndarray, shape of ``mask``

    Raises
    ------
    ValueError
        If the shapes differ.

    Examples
    --------
    >>> dropout_backward(np.array([1.0, 2.0, 3.0]), np.array([0.0, 2.0, 2.0]))
    array([0., 4., 6.])
    """
    grad_output = as_float_array(grad_output, "grad_output")
    mask = np.asarray(mask)
    if grad_output.shape != mask.shape:
        raise ValueError(
            f"grad_output has shape {grad_output.shape}; expected {mask.shape}, "
            "the shape of the dropout mask"
        )
    return _dropout_backward(grad_output, mask)


class Dropout(Layer):
    r"""Dropout layer: :func:`dropout` in training mode, the identity in evaluation mode.

    .. math::

        y = x \odot m \quad (\text{training}), \qquad y = x \quad (\text{evaluation})

    Parameters
    ----------
    p : float in [0, 1)
        Probability of dropping a unit.
    rng : numpy.random.Generator, int or None
        Drawn from at every training-mode forward pass.

    Attributes
    ----------
    mask : numpy.ndarray or None
        The mask of the last forward pass.

    Notes
    -----
    :meth:`forward` checks only the type of its input, not its values (a nan
    propagates), like the activation layers; :func:`dropout` checks fully.

    Examples
    --------
    >>> layer = Dropout(p=0.5, rng=0)
    >>> y = layer.forward(np.ones((2, 3)))
    >>> bool(np.all(y == layer.mask)), layer.backward(np.ones((2, 3))).shape
    (True, (2, 3))
    >>> layer.eval().forward(np.ones((1, 2)))
    array([[1., 1.]])
    """

    _caches = ("mask",)

    def __init__(self, p=0.5, rng=None) -> None:
        super().__init__()
        self.p = _check_p(p)
        self.rng = as_generator(rng)
        self.mask: np.ndarray | None = None

    def forward(self, x) -> np.ndarray:
        """Apply dropout (training mode) or pass ``x`` through (evaluation mode)."""
        # Type check only, as in the activation layers: scanning every activation
        # for nan and inf would add 15 to 40 % to each training pass of the layer.
        x = as_float_array(x, "x", allow_nonfinite=True)
        out, self.mask = _dropout(x, self.p, self.rng, self.training)
        return out

    def backward(self, grad_output) -> np.ndarray:
        """Gradient with respect to the input of the last forward pass."""
        grad_output = check_backward_input(self, self.mask, grad_output)
        return _dropout_backward(grad_output, self.mask)

    def __repr__(self) -> str:
        return f"Dropout(p={self.p:g})"
