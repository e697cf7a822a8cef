r"""Layers with parameters (带参数的层): the dense layer and batch normalization.

A network is a chain of layers. Each layer turns a batch ``x`` of shape
``(n, fan_in)`` into a batch of shape ``(n, fan_out)`` in ``forward`` and, in
``backward``, turns :math:`\partial L / \partial y` (the gradient of the loss
with respect to its output) into :math:`\partial L / \partial x`, storing the
gradients of its own parameters in ``grads`` on the way. This module holds the
two layers that have parameters, :class:`Dense` (全连接层) and
:class:`BatchNorm1d` (批归一化); the parameter-free layers live with their
maths (:mod:`nnbook.activations`, :class:`nnbook.regularization.Dropout`) and
are re-exported here, so that ``from nnbook.layers import Dense, ReLU`` works.

Parameter gradients are written *in place* into arrays allocated once when
the layer is built, so an optimizer can hold references to them; ``backward``
overwrites them (it does not accumulate).
"""

from __future__ import annotations

import numpy as np

from ._validation import check_positive_int, check_scalar, float_dtype
from .activations import Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from .base import Layer
from .init import get_initializer
from .regularization import Dropout

__all__ = [
    "BatchNorm1d",
    "Dense",
    "Dropout",
    "Identity",
    "Layer",
    "LeakyReLU",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Tanh",
]


def _check_input(layer: Layer, x, width: int) -> np.ndarray:
    """``x`` as an array of shape (n, width) in the layer's dtype, or a ValueError."""
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[1] != width or x.shape[0] == 0:
        raise ValueError(
            f"{layer!r} expects input of shape (n, {width}) with n >= 1, "
            f"got an array of shape {x.shape}"
        )
    if x.dtype != layer.dtype:
        if x.dtype.kind not in "biuf":
            raise ValueError(f"{layer!r} expects a real numeric input, got dtype {x.dtype}")
        x = x.astype(layer.dtype)
    return x


def _check_grad(layer: Layer, grad_output, shape: tuple | None) -> np.ndarray:
    if shape is None:
        raise RuntimeError(f"{type(layer).__name__}.backward called before forward")
    grad_output = np.asarray(grad_output)
    if grad_output.shape != shape:
        raise ValueError(
            f"grad_output has shape {grad_output.shape}; expected {shape}, "
            f"the shape of {layer!r}'s last output"
        )
    return grad_output


class Dense(Layer):
    r"""Fully connected (dense) layer: an affine map of every input to every output.

    .. math::

        Y = X W + b, \qquad
        \frac{\partial L}{\partial W} = X^\top \frac{\partial L}{\partial Y}, \qquad
        \frac{\partial L}{\partial b} = \sum_{i=1}^{n} \frac{\partial L}{\partial Y_{i:}},
        \qquad
        \frac{\partial L}{\partial X} = \frac{\partial L}{\partial Y} W^\top

    Parameters
    ----------
    fan_in, fan_out : int, >= 1
        Number of input and output features.
    init : str or callable
        Weight initializer, by name or as a function (see
        :func:`nnbook.init.get_initializer`). The bias starts at zero.
    rng : numpy.random.Generator, int or None
        Random numbers for the initializer.
    dtype : float32 or float64
        Dtype of the parameters, gradients and outputs; inputs of another
        dtype are cast to it.

    Attributes
    ----------
    params : dict
        ``"W"`` of shape ``(fan_in, fan_out)`` and ``"b"`` of shape ``(fan_out,)``.
    grads : dict
        Same keys and shapes, overwritten in place by :meth:`backward`.

    Examples
    --------
    >>> layer = Dense(3, 2, rng=0)
    >>> layer
    Dense(3 -> 2)
    >>> y = layer.forward(np.ones((4, 3)))
    >>> y.shape
    (4, 2)
    >>> dx = layer.backward(np.ones((4, 2)))
    >>> dx.shape, layer.grads["W"].shape, layer.grads["b"]
    ((4, 3), (3, 2), array([4., 4.]))
    """

    _caches = ("_x",)

    def __init__(self, fan_in, fan_out, init="he_normal", rng=None, dtype=np.float64) -> None:
        super().__init__()
        self.fan_in = check_positive_int(fan_in, "fan_in")
        self.fan_out = check_positive_int(fan_out, "fan_out")
        self.dtype = float_dtype(dtype)
        weights = get_initializer(init)(self.fan_in, self.fan_out, rng=rng, dtype=self.dtype)
        if np.shape(weights) != (self.fan_in, self.fan_out):
            raise ValueError(
                f"init returned an array of shape {np.shape(weights)}; "
                f"expected ({self.fan_in}, {self.fan_out})"
            )
        # np.array copies: the layer owns contiguous parameter arrays.
        self.params = {
            "W": np.array(weights, dtype=self.dtype, order="C"),
            "b": np.zeros(self.fan_out, dtype=self.dtype),
        }
        self.grads = {name: np.zeros_like(value) for name, value in self.params.items()}
        self._x: np.ndarray | None = None

    def forward(self, x) -> np.ndarray:
        """``x @ W + b`` for ``x`` of shape ``(n, fan_in)``; returns shape ``(n, fan_out)``."""
        x = _check_input(self, x, self.fan_in)
        self._x = x
        y = x @ self.params["W"]
        y += self.params["b"]
        return y

    def backward(self, grad_output, need_input_grad: bool = True) -> np.ndarray | None:
        """Fill ``grads["W"]``, ``grads["b"]``; return dL/dx (None if not ``need_input_grad``).

        ``need_input_grad=False`` skips the product ``grad_output @ W.T``, which
        nobody needs for the first layer of a network (the data is not trained).
        """
        x = self._x
        grad_output = _check_grad(
            self, grad_output, None if x is None else (x.shape[0], self.fan_out)
        )
        np.matmul(x.T, grad_output, out=self.grads["W"])
        np.add.reduce(grad_output, axis=0, out=self.grads["b"])
        if not need_input_grad:
            return None
        return grad_output @ self.params["W"].T

    def __repr__(self) -> str:
        return f"Dense({self.fan_in} -> {self.fan_out})"


class BatchNorm1d(Layer):
    r"""Batch normalization (批归一化) over the samples of a batch, feature by feature.

    In training mode each feature :math:`j` is standardized with the mean and
    the (biased) variance of the current batch, then scaled and shifted:

    .. math::

        \mu_j = \frac1n \sum_i x_{ij}, \qquad
        \sigma_j^2 = \frac1n \sum_i (x_{ij} - \mu_j)^2, \qquad
        \hat x_{ij} = \frac{x_{ij} - \mu_j}{\sqrt{\sigma_j^2 + \varepsilon}}, \qquad
        y_{ij} = \gamma_j \hat x_{ij} + \beta_j

    and running estimates are updated as exponential moving averages, with
    the *unbiased* variance :math:`s_j^2 = \frac{n}{n-1}\sigma_j^2` as in PyTorch:

    .. math::

        \bar\mu_j \leftarrow m\,\bar\mu_j + (1 - m)\,\mu_j, \qquad
        \bar\sigma_j^2 \leftarrow m\,\bar\sigma_j^2 + (1 - m)\, s_j^2

    In evaluation mode the running estimates replace the batch statistics. The
    backward pass in training mode accounts for the batch statistics depending
    on every sample:

    .. math::

        \frac{\partial L}{\partial \beta_j} = \sum_i g_{ij}, \quad
        \frac{\partial L}{\partial \gamma_j} = \sum_i g_{ij} \hat x_{ij}, \quad
        \frac{\partial L}{\partial x_{ij}} = \frac{\gamma_j}{n\sqrt{\sigma_j^2+\varepsilon}}
        \Big(n g_{ij} - \frac{\partial L}{\partial \beta_j}
             - \hat x_{ij} \frac{\partial L}{\partial \gamma_j}\Big)

    with :math:`g = \partial L / \partial y`.

    Parameters
    ----------
    num_features : int, >= 1
        Width of the input (and output).
    momentum : float in [0, 1]
        Weight :math:`m` of the past in the running estimates, as in
        :class:`~nnbook.optim.Momentum` (and Keras); PyTorch's ``momentum`` is
        :math:`1 - m`, the weight of the current batch.
    eps : float, > 0
        :math:`\varepsilon`, added to the variance.
    dtype : float32 or float64

    Attributes
    ----------
    params : dict
        ``"gamma"`` (ones) and ``"beta"`` (zeros), shape ``(num_features,)``.
    running_mean, running_var : numpy.ndarray, shape ``(num_features,)``
        Start at zeros and ones.

    Examples
    --------
    >>> bn = BatchNorm1d(2)
    >>> y = bn.forward(np.array([[1.0, 10.0], [3.0, 30.0]]))
    >>> np.round(y, 3)
    array([[-1., -1.],
           [ 1.,  1.]])
    >>> bn.running_mean, bn.running_var  # 0.9 * 0 + 0.1 * mean, 0.9 * 1 + 0.1 * s^2
    (array([0.2, 2. ]), array([ 1.1, 20.9]))
    """

    _caches = ("_cache",)

    def __init__(self, num_features, momentum=0.9, eps=1e-5, dtype=np.float64) -> None:
        super().__init__()
        self.num_features = check_positive_int(num_features, "num_features")
        self.momentum = check_scalar(momentum, "momentum", low=0.0, high=1.0)
        self.eps = check_scalar(eps, "eps", low=0.0, low_inclusive=False)
        self.dtype = float_dtype(dtype)
        self.params = {
            "gamma": np.ones(self.num_features, dtype=self.dtype),
            "beta": np.zeros(self.num_features, dtype=self.dtype),
        }
        self.grads = {name: np.zeros_like(value) for name, value in self.params.items()}
        self.running_mean = np.zeros(self.num_features, dtype=self.dtype)
        self.running_var = np.ones(self.num_features, dtype=self.dtype)
        self._cache = None

    def forward(self, x) -> np.ndarray:
        """Normalize ``x`` of shape ``(n, num_features)``; returns the same shape."""
        x = _check_input(self, x, self.num_features)
        n = x.shape[0]
        if self.training:
            if n < 2:
                raise ValueError(
                    f"{self!r} in training mode needs a batch of n >= 2 samples to "
                    f"estimate a variance, got an array of shape {x.shape}"
                )
            mean = x.mean(axis=0)
            x_hat = x - mean
            var = np.mean(np.square(x_hat), axis=0)
            inv_std = 1.0 / np.sqrt(var + self.eps)
            m = self.momentum
            self.running_mean *= m
            self.running_mean += (1.0 - m) * mean
            self.running_var *= m
            self.running_var += ((1.0 - m) * n / (n - 1)) * var
        else:
            x_hat = x - self.running_mean
            inv_std = 1.0 / np.sqrt(self.running_var + self.eps)
        x_hat *= inv_std
        self._cache = (x_hat, inv_std, self.training)
        return x_hat * self.params["gamma"] + self.params["beta"]

    def backward(self, grad_output, need_input_grad: bool = True) -> np.ndarray | None:
        """Fill ``grads["gamma"]``, ``grads["beta"]``; return dL/dx (or None)."""
        cache = self._cache
        g = _check_grad(self, grad_output, None if cache is None else cache[0].shape)
        x_hat, inv_std, batch_stats = cache
        dbeta, dgamma = self.grads["beta"], self.grads["gamma"]
        np.add.reduce(g, axis=0, out=dbeta)
        np.add.reduce(g * x_hat, axis=0, out=dgamma)
        if not need_input_grad:
            return None
        scale = self.params["gamma"] * inv_std
        if not batch_stats:  # running statistics are constants
            return g * scale
        n = g.shape[0]
        dx = g * n
        dx -= dbeta
        dx -= x_hat * dgamma
        dx *= scale / n
        return dx

    def __repr__(self) -> str:
        return f"BatchNorm1d({self.num_features})"
