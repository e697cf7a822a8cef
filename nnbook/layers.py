r"""Layers with parameters (带参数的层): :class:`Dense`, :class:`BatchNorm1d`, :class:`Residual`.

Each layer maps a batch of shape ``(n, fan_in)`` to ``(n, fan_out)`` in
``forward``; ``backward`` takes :math:`G = \partial L / \partial Z` (the
gradient at its output), writes the gradients of its parameters into
``grads`` and returns :math:`\partial L / \partial X`. The gradients are
written *in place* into arrays made once (an optimizer holds them) and are
overwritten by the next ``backward``. The parameter-free layers and the
convolutional layers of :mod:`nnbook.conv` are re-exported here, so
``from nnbook.layers import Conv2D, Dense, ReLU`` works.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import numpy as np

from ._validation import check_positive_int, check_scalar, float_dtype
from .activations import Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from .base import Layer, check_grad_shape
from .conv import Conv2D, Flatten, MaxPool2D
from .init import get_initializer
from .regularization import Dropout

__all__ = [
    "BatchNorm1d",
    "Conv2D",
    "Dense",
    "Dropout",
    "Flatten",
    "Identity",
    "Layer",
    "LeakyReLU",
    "MaxPool2D",
    "ReLU",
    "Residual",
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


class Dense(Layer):
    r"""Fully connected layer (全连接层): every input feature drives every output.

    .. math::

        Z = X W + b, \qquad
        \frac{\partial L}{\partial W} = X^\top G, \qquad
        \frac{\partial L}{\partial b} = \sum_{i=1}^{n} G_{i:}, \qquad
        \frac{\partial L}{\partial X} = G W^\top

    with :math:`G = \partial L / \partial Z`. Shapes: ``X`` (n, fan_in),
    ``W`` (fan_in, fan_out), ``b`` (fan_out,), ``Z`` and ``G`` (n, fan_out).

    Parameters
    ----------
    fan_in, fan_out : int, >= 1
    init : str or callable
        Weight initializer (see :func:`nnbook.init.get_initializer`); ``b`` starts at 0.
    rng : numpy.random.Generator, int or None
    dtype : float32 or float64
        Of parameters, gradients and outputs; inputs are cast to it.

    Raises
    ------
    ValueError
        For an input that is not (n, fan_in), or a ``G`` that is not (n, fan_out).

    Examples
    --------
    >>> layer = Dense(3, 2, rng=0)
    >>> Z = layer.forward(np.ones((4, 3)))
    >>> dX = layer.backward(np.ones((4, 2)))
    >>> layer, Z.shape, dX.shape, layer.grads["W"].shape, layer.grads["b"]
    (Dense(3 -> 2), (4, 2), (4, 3), (3, 2), array([4., 4.]))
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
        self.params = {
            "W": np.array(weights, dtype=self.dtype, order="C"),  # a copy of its own
            "b": np.zeros(self.fan_out, dtype=self.dtype),
        }
        self.grads = {name: np.zeros_like(value) for name, value in self.params.items()}
        self._x: np.ndarray | None = None

    def forward(self, X) -> np.ndarray:
        """``Z = X W + b``, shape (n, fan_out); caches ``X`` for backward."""
        X = _check_input(self, X, self.fan_in)
        self._x = X
        Z = X @ self.params["W"]
        Z += self.params["b"]
        return Z

    def backward(self, G, need_input_grad: bool = True) -> np.ndarray | None:
        """Write ``dW = X^T G`` and ``db = sum G`` into ``grads``; return ``dX = G W^T``.

        ``need_input_grad=False`` returns None and skips ``G W^T`` (a third of
        the layer's arithmetic), which nobody needs below a network's first layer.
        """
        X = self._x
        G = check_grad_shape(self, G, None if X is None else (X.shape[0], self.fan_out))
        np.matmul(X.T, G, out=self.grads["W"])  # dW = X^T G (in place: see the module doc)
        G.sum(axis=0, out=self.grads["b"])  # db = sum of G over the samples
        if not need_input_grad:
            return None
        return G @ self.params["W"].T  # dX = G W^T

    def __repr__(self) -> str:
        return f"Dense({self.fan_in} -> {self.fan_out})"


class BatchNorm1d(Layer):
    r"""Batch normalization (批量归一化): standardize each feature over the batch, scale, shift.

    In training mode, with the batch mean :math:`\mu_j` and (biased) variance
    :math:`s_j^2` of feature :math:`j` (:math:`\sigma` is the sigmoid's):

    .. math::

        \hat x_{ij} = \frac{x_{ij} - \mu_j}{\sqrt{s_j^2 + \varepsilon}}, \qquad
        y_{ij} = \gamma_j \hat x_{ij} + \beta_j, \qquad
        \bar\mu_j \leftarrow m\,\bar\mu_j + (1 - m)\,\mu_j, \qquad
        \bar s_j^2 \leftarrow m\,\bar s_j^2 + (1 - m)\,\tfrac{n}{n-1}s_j^2

    (running estimates with the unbiased variance, as in PyTorch); in
    evaluation mode :math:`\bar\mu, \bar s^2` replace :math:`\mu, s^2`.
    Backward, with :math:`g = \partial L / \partial y`:

    .. math::

        \frac{\partial L}{\partial \beta_j} = \sum_i g_{ij}, \quad
        \frac{\partial L}{\partial \gamma_j} = \sum_i g_{ij} \hat x_{ij}, \quad
        \frac{\partial L}{\partial x_{ij}} = \frac{\gamma_j}{n\sqrt{s_j^2+\varepsilon}}
        \Big(n g_{ij} - \frac{\partial L}{\partial \beta_j}
             - \hat x_{ij} \frac{\partial L}{\partial \gamma_j}\Big)

    (in evaluation mode the statistics are constants: :math:`\gamma_j g_{ij} /
    \sqrt{\bar s_j^2 + \varepsilon}`). Shapes: ``x`` and ``y`` (n, num_features).

    Parameters
    ----------
    num_features : int, >= 1
    momentum : float in [0, 1]
        Weight :math:`m` of the past, as in :class:`~nnbook.optim.Momentum`
        (PyTorch's ``momentum`` is :math:`1 - m`).
    eps : float, > 0
    dtype : float32 or float64

    Attributes
    ----------
    params : dict
        ``"gamma"`` (ones) and ``"beta"`` (zeros), shape ``(num_features,)``.
    running_mean, running_var : numpy.ndarray
        Start at zeros and ones.

    Raises
    ------
    ValueError
        For a wrongly shaped input, or a batch of one sample in training mode.

    Examples
    --------
    >>> bn = BatchNorm1d(2)
    >>> np.round(bn.forward(np.array([[1.0, 10.0], [3.0, 30.0]])), 3)
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
        g = check_grad_shape(self, grad_output, None if cache is None else cache[0].shape)
        x_hat, inv_std, batch_stats = cache
        dbeta, dgamma = self.grads["beta"], self.grads["gamma"]
        g.sum(axis=0, out=dbeta)
        (g * x_hat).sum(axis=0, out=dgamma)
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


class Residual(Layer):
    r"""Residual connection (残差连接): a block's output added to its input.

    .. math::

        y = x + F(x), \qquad
        \frac{\partial L}{\partial x} = G + \frac{\partial L}{\partial x}\Big|_F

    with :math:`G = \partial L / \partial y` and :math:`\partial L / \partial x|_F`
    what ``block.backward(G)`` returns: the gradient reaches :math:`x` through
    the identity whatever the block does to it. Shapes: ``x``, ``F(x)``, ``y``
    and ``G`` alike, e.g. (n, features).

    Parameters
    ----------
    block : Layer
        :math:`F`, typically a :class:`~nnbook.network.Sequential` whose output
        has the shape of its input. Its parameters are the Residual's, named
        ``"block." + name`` (``"block.0.W"``); :meth:`train` and :meth:`eval`
        reach it.

    Raises
    ------
    ValueError
        For a ``block`` that is not a Layer, or (in ``forward``) an output
        whose shape is not the input's.

    Notes
    -----
    Its parameters live in the block (``params`` is empty), so a
    ``Sequential`` around it does not pack the model's parameters into one
    vector; an optimizer updates them array by array.

    Examples
    --------
    >>> from nnbook.network import Sequential
    >>> block = Sequential([Dense(3, 3, rng=0), ReLU()])
    >>> layer = Residual(block)
    >>> x = np.ones((4, 3))
    >>> bool(np.allclose(layer.forward(x), x + block.forward(x)))
    True
    >>> layer.backward(np.ones((4, 3))).shape  # G + block.backward(G)
    (4, 3)
    >>> layer, [name for name, value, grad in layer.parameters()]
    (Residual(Dense(3 -> 3), ReLU), ['block.0.W', 'block.0.b'])
    """

    _caches = ("_shape",)

    def __init__(self, block: Layer) -> None:
        if not isinstance(block, Layer):
            raise ValueError(
                f"block is {type(block).__name__} {block!r}"[:120]
                + "; expected a nnbook.base.Layer such as a Sequential"
            )
        super().__init__()
        self.block = block
        self.training = block.training
        # Whether block.backward can skip its own dL/dx (Dense, BatchNorm1d, Sequential).
        self._block_skips = "need_input_grad" in inspect.signature(block.backward).parameters
        self._shape: tuple | None = None

    def forward(self, x) -> np.ndarray:
        """``x + block(x)``, the shape of ``x``; the block caches what backward needs."""
        x = np.asarray(x)
        return x + self._block_output(self.block.forward(x), x)

    def predict(self, x) -> np.ndarray:
        """``x + block(x)`` in evaluation mode, the block untouched (as Sequential.predict)."""
        x = np.asarray(x)
        return x + self._block_output(self.block.predict(x), x, cache=False)

    def _block_output(self, out: np.ndarray, x: np.ndarray, cache: bool = True) -> np.ndarray:
        if out.shape != x.shape:
            raise ValueError(
                f"{self!r}: the block maps an input of shape {x.shape} to an output of shape "
                f"{out.shape}; expected the same shape, so that x + block(x) is defined"
            )
        if cache:
            self._shape = out.shape
        return out

    def backward(self, grad_output, need_input_grad: bool = True) -> np.ndarray | None:
        """Fill the block's gradients; return ``G + block.backward(G)`` (or None)."""
        G = check_grad_shape(self, grad_output, self._shape)
        if need_input_grad:
            return G + self.block.backward(G)  # through the skip and through the block
        if self._block_skips:
            self.block.backward(G, need_input_grad=False)
        else:
            self.block.backward(G)
        return None

    def parameters(self) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
        """Yield the block's ``(name, value, gradient)`` as ``("block." + name, ...)``."""
        for name, value, grad in self.block.parameters():
            yield f"block.{name}", value, grad

    def num_parameters(self) -> int:
        """Number of trainable scalars (the block's)."""
        return self.block.num_parameters()

    def train(self, mode: bool = True) -> Residual:
        """Training mode (or evaluation with ``mode=False``) for the block too; returns self."""
        self.training = bool(mode)
        self.block.train(mode)
        return self

    def _forget(self) -> None:
        self._shape = None
        self.block._forget()

    def __repr__(self) -> str:
        inner = [repr(layer) for layer in getattr(self.block, "layers", [self.block])]
        return "Residual(" + ", ".join(t[:-2] if t.endswith("()") else t for t in inner) + ")"
