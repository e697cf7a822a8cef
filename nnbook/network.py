r"""Networks as chains of layers (前馈神经网络): :class:`Sequential` and :func:`mlp`.

A feed-forward network computes its output by passing the input through its
layers in order, and its gradients by the chain rule in the reverse order
(反向传播, backpropagation):

.. math::

    h_0 = X, \quad h_l = f_l(h_{l-1}) \ (l = 1, \dots, L), \qquad
    \frac{\partial \mathcal L}{\partial h_{l-1}} =
    \frac{\partial \mathcal L}{\partial h_l}\,\frac{\partial h_l}{\partial h_{l-1}}

What a network does inside (signal sizes, dead units, FLOPs) is measured by
:mod:`nnbook.diagnostics`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator

import numpy as np

from ._validation import as_generator, check_positive_int, check_scalar
from .activations import Sigmoid, get_activation
from .base import Layer
from .conv import Conv2D, Flatten
from .layers import BatchNorm1d, Dense, Dropout, Residual

__all__ = ["Sequential", "mlp"]

# Layers that accept backward(..., need_input_grad=False) and that access their
# parameters only through ``params`` / ``grads`` (so they can be packed, below).
_PACKABLE = (Dense, BatchNorm1d, Conv2D)


def _width_in(layer: Layer) -> int | None:
    """Input features (Dense, BatchNorm1d) or channels (Conv2D); None: any width."""
    if isinstance(layer, Dense):
        return layer.fan_in
    if isinstance(layer, BatchNorm1d):
        return layer.num_features
    if isinstance(layer, Conv2D):
        return layer.in_channels
    return None


def _width_out(layer: Layer) -> int | None:
    """Output features or channels; None for a layer that keeps them (MaxPool2D, ReLU)."""
    if isinstance(layer, Dense):
        return layer.fan_out
    if isinstance(layer, Conv2D):
        return layer.out_channels
    return _width_in(layer)


def _short(layer: Layer) -> str:
    text = repr(layer)
    return text[:-2] if text.endswith("()") else text


class Sequential(Layer):
    r"""A feed-forward network: layers applied one after the other; itself a layer.

    .. math::

        \hat y = f_L(\cdots f_2(f_1(X)))

    Parameters
    ----------
    layers : iterable of :class:`nnbook.base.Layer`
        At least one layer, each instance at most once. Consecutive widths
        must chain: every :class:`~nnbook.layers.Dense` or
        :class:`~nnbook.layers.BatchNorm1d` takes as many features as the
        last such layer before it produces (parameter-free layers keep the
        width), and every :class:`~nnbook.conv.Conv2D` as many channels; a
        :class:`~nnbook.conv.Flatten` must stand between a convolution and a
        dense layer. All parameters share one dtype.

    Raises
    ------
    ValueError
        For an empty list, a non-layer, a layer given twice, widths that do
        not chain, or parameters of different dtypes.

    Notes
    -----
    When every layer with parameters is a ``Dense``, ``BatchNorm1d`` or
    ``Conv2D``, the model moves all parameters into one contiguous vector and all
    gradients into another, once, when it is built (each ``params[name]``
    becomes a view; the arrays held before are made read-only, so an
    optimizer built on them raises). Slices (``model[:2]``) share the layers
    and never pack again. Change a parameter in place
    (``layer.params["W"][...] = w``), never by rebinding it.

    Examples
    --------
    >>> from nnbook.layers import Dense, ReLU
    >>> model = Sequential([Dense(64, 128, rng=0), ReLU(), Dense(128, 10, rng=1)])
    >>> model
    Sequential(
      (0) Dense(64 -> 128)  8,320 params
      (1) ReLU
      (2) Dense(128 -> 10)  1,290 params
    ) total 9,610 parameters
    >>> out = model.forward(np.ones((5, 64)))
    >>> out.shape
    (5, 10)
    >>> model.backward(np.ones((5, 10))).shape  # fills the gradients, returns dL/dX
    (5, 64)
    >>> [name for name, value, grad in model.parameters()]
    ['0.W', '0.b', '2.W', '2.b']

    A model is a layer, so models nest:

    >>> block = Sequential([Dense(4, 4, rng=2), ReLU()])
    >>> Sequential([block, Dense(4, 2, rng=3)]).forward(np.ones((3, 4))).shape
    (3, 2)
    """

    def __init__(self, layers: Iterable[Layer]) -> None:
        layers = tuple(layers)
        if not layers:
            raise ValueError("layers is empty; expected at least one Layer")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise ValueError(
                    f"layers[{i}] is {type(layer).__name__} {layer!r}; expected a "
                    "nnbook.base.Layer instance"
                )
        seen: dict[int, int] = {}
        for i, layer in enumerate(layers):
            if id(layer) in seen:
                raise ValueError(
                    f"layers[{i}] is the same {layer!r} object as layers[{seen[id(layer)]}]; "
                    "each layer can appear once (its cache and gradients are its own)"
                )
            seen[id(layer)] = i
        super().__init__()
        self.layers = layers
        self._check_widths()
        self.dtype = self._common_dtype()
        self.training = all(layer.training for layer in layers)
        trainable = [i for i, layer in enumerate(layers) if layer.num_parameters()]
        self._first = trainable[0] if trainable else len(layers)
        self._flat = self._pack()
        for layer in layers:
            layer._in_model = True  # no later model may pack it again

    def _check_widths(self) -> None:
        width, source = None, None  # the features or channels that layer (source) produces
        for i, layer in enumerate(self.layers):
            if isinstance(layer, Flatten):
                width, source = None, None  # C * H * W features, but H and W are not known
                continue
            expected = _width_in(layer)
            if expected is not None and width is not None:
                before = self.layers[source]
                if isinstance(layer, Conv2D) != isinstance(before, Conv2D):
                    takes, gives = f"images (n, {expected}, H, W)", f"features (n, {width})"
                    if isinstance(before, Conv2D):
                        takes = f"features (n, {expected})"
                        gives = f"images (n, {width}, H, W): put a Flatten between them"
                    raise ValueError(
                        f"layer ({i}) {layer!r} expects {takes}, but layer ({source}) "
                        f"{before!r} before it produces {gives}"
                    )
                if expected != width:
                    unit = "channels" if isinstance(layer, Conv2D) else "features"
                    raise ValueError(
                        f"layer ({i}) {layer!r} expects {expected} input {unit}, but layer "
                        f"({source}) {before!r} before it produces {width}"
                    )
            if _width_out(layer) is not None:
                width, source = _width_out(layer), i

    def _common_dtype(self) -> np.dtype:
        dtypes = {}
        for name, value, _ in self.parameters():
            dtypes.setdefault(value.dtype, name)
        if len(dtypes) > 1:
            found = ", ".join(f"{dt} ({name})" for dt, name in dtypes.items())
            raise ValueError(
                f"layers have parameters of different dtypes: {found}; "
                "expected one dtype for the whole model"
            )
        return next(iter(dtypes), np.dtype(np.float64))

    # ---------------------------------------------------------------- passes

    def forward(self, x) -> np.ndarray:
        """Output of the network for a batch ``x`` (caches what backward needs)."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    __call__ = forward

    def backward(self, grad_output, need_input_grad: bool = True) -> np.ndarray | None:
        r"""Backpropagate :math:`\partial L/\partial \hat y` through the layers, last to first.

        Each layer fills its ``grads`` and hands :math:`\partial L/\partial h_{l-1}`
        to the layer before it; returns :math:`\partial L/\partial X`. With
        ``need_input_grad=False`` it returns None and stops at the first layer
        with parameters, which skips its own :math:`\partial L/\partial X`
        (nobody trains the data; :func:`nnbook.train.fit` does this).
        """
        g = grad_output
        if need_input_grad:
            for layer in reversed(self.layers):
                g = layer.backward(g)
            return g
        first = self._first  # index of the first layer with parameters
        for layer in reversed(self.layers[first + 1 :]):
            g = layer.backward(g)
        if first < len(self.layers):
            if isinstance(self.layers[first], (*_PACKABLE, Sequential, Residual)):
                self.layers[first].backward(g, need_input_grad=False)
            else:  # a layer of another kind computes dL/dx anyway
                self.layers[first].backward(g)
        return None

    def predict(self, x) -> np.ndarray:
        """Raw output (e.g. logits) in evaluation mode, leaving the model untouched.

        Runs each layer in evaluation mode (no dropout, batch norm with its
        running statistics) on a shallow copy, so neither the training mode,
        nor the caches a pending :meth:`backward` needs, nor the running
        statistics change.
        """
        for layer in self.layers:
            x = layer.predict(x)
        return x if x.flags.writeable else x.copy()  # the twins' caches are gone

    def predict_classes(self, x) -> np.ndarray:
        """Predicted class labels, shape ``(n,)``, dtype intp.

        For ``k > 1`` outputs, the index of the largest output (logits or
        probabilities alike). For a single output, 1 where it exceeds 0.5 if
        the last layer is a :class:`~nnbook.activations.Sigmoid` (a
        probability) and where it exceeds 0 otherwise (a logit).
        """
        out = self.predict(x)
        if out.ndim != 2:
            raise ValueError(f"predict_classes needs outputs of shape (n, k), got {out.shape}")
        if out.shape[1] > 1:
            return np.argmax(out, axis=1)
        threshold = 0.5 if isinstance(self.layers[-1], Sigmoid) else 0.0
        return (out[:, 0] > threshold).astype(np.intp)

    # ------------------------------------------------------------ parameters

    def parameters(self) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
        """Yield ``("index.name", value, gradient)``, e.g. ``("0.W", W, dW)``."""
        for i, layer in enumerate(self.layers):
            for name, value, grad in layer.parameters():
                yield f"{i}.{name}", value, grad

    def _pack(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Move every parameter and gradient into two flat vectors, once; see Notes."""
        # Speed: an optimizer then updates all parameters with one NumPy call per
        # operation instead of one per array (W1 of make bench: 18% faster, W2 1%).
        entries = [(layer, key) for layer in self.layers for key in layer.params]
        if any(isinstance(layer, Sequential) for layer in self.layers):
            return None  # a nested model keeps the storage it packed itself
        if not entries or not all(isinstance(layer, _PACKABLE) for layer, _ in entries):
            return None
        if any(
            not isinstance(layer, _PACKABLE) and layer.num_parameters() for layer in self.layers
        ):
            return None  # parameters held elsewhere (a Residual's block): a vector would miss them
        if any(getattr(layer, "_in_model", False) for layer in self.layers):
            return None  # layers of another model: their storage is that model's
        size = sum(layer.params[k].size for layer, k in entries)
        values, grads = np.empty(size, self.dtype), np.empty(size, self.dtype)
        start = 0
        for layer, k in entries:
            shape, stop = layer.params[k].shape, start + layer.params[k].size
            for store, flat in ((layer.params, values), (layer.grads, grads)):
                flat[start:stop] = store[k].reshape(-1)
                store[k].flags.writeable = False  # retired: nobody may update it any more
                store[k] = flat[start:stop].reshape(shape)
            start = stop
        return values, grads

    def flat_parameters(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The contiguous ``(values, gradients)`` vectors behind every parameter, or None.

        None when some layer with parameters is not a ``Dense``,
        ``BatchNorm1d`` or ``Conv2D``, or when the layers belong to another model (a slice,
        or a model built from another one's layers).
        """
        return self._flat

    def __deepcopy__(self, memo) -> Sequential:
        """An independent copy, with parameter vectors of its own."""
        layers = [copy.deepcopy(layer, memo) for layer in self.layers]
        for layer in layers:
            layer._in_model = False
            for store in (layer.params, layer.grads):
                for key, value in store.items():
                    store[key] = np.array(value)  # writable arrays of its own
        return Sequential(layers).train(self.training)

    def num_parameters(self) -> int:
        """Number of trainable scalars."""
        return sum(layer.num_parameters() for layer in self.layers)

    # ------------------------------------------------------------------ modes

    def train(self, mode: bool = True) -> Sequential:
        """Training mode (dropout active, batch norm on batch statistics); returns self."""
        self.training = bool(mode)
        for layer in self.layers:
            layer.train(mode)
        return self

    def eval(self) -> Sequential:
        """Evaluation mode (no dropout, batch norm on running statistics); returns self."""
        return self.train(False)

    # -------------------------------------------------------------- container

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Layer]:
        return iter(self.layers)

    def __getitem__(self, index):
        if isinstance(index, slice):  # shares the layers, so never packs them
            return Sequential(self.layers[index])
        return self.layers[index]

    def _forget(self) -> None:
        for layer in self.layers:
            layer._forget()

    def __repr__(self) -> str:
        rows = []  # (text, parameter count or 0); a nested model shows its own lines
        for i, layer in enumerate(self.layers):
            if isinstance(layer, Sequential):
                first, *rest = repr(layer).splitlines()
                rows += [(f"({i}) {first}", 0)] + [(f"  {line}", 0) for line in rest]
            else:
                rows.append((f"({i}) {_short(layer)}", layer.num_parameters()))
        counted = [(text, count) for text, count in rows if count]
        name_width = max((len(text) for text, _ in counted), default=0)
        count_width = max((len(f"{count:,}") for _, count in counted), default=0)
        lines = ["Sequential("]
        for text, count in rows:
            if count:
                lines.append(f"  {text:<{name_width}}  {count:>{count_width},} params")
            else:
                lines.append(f"  {text}")
        lines.append(f") total {self.num_parameters():,} parameters")
        return "\n".join(lines)


def mlp(
    sizes,
    activation="relu",
    output_activation=None,
    init="he_normal",
    dropout=0.0,
    batch_norm=False,
    rng=None,
    dtype=np.float64,
) -> Sequential:
    r"""A multilayer perceptron (多层感知机): dense layers with activations between them.

    .. math::

        h_l = f(h_{l-1} W_l + b_l) \ (l < D), \qquad
        \hat y = f_\text{out}(h_{D-1} W_D + b_D), \qquad h_0 = x

    Each hidden block is ``Dense``, then ``BatchNorm1d`` if ``batch_norm``,
    then the activation :math:`f`, then ``Dropout`` if ``dropout > 0``.
    The output block is a ``Dense`` followed by :math:`f_\text{out}` =
    ``output_activation`` if one is given; by default the network outputs
    logits, as :func:`nnbook.losses.cross_entropy` expects.

    Parameters
    ----------
    sizes : sequence of int, length >= 2
        Widths from input to output, e.g. ``[64, 128, 10]``.
    activation : str, Layer subclass or Layer
        Hidden activation, by name (see :func:`nnbook.activations.get_activation`),
        as a class, or as a layer such as ``LeakyReLU(alpha=0.2)``, copied for
        each hidden layer.
    output_activation : str, Layer subclass, Layer or None
    init : str or callable
        Weight initializer of every dense layer.
    dropout : float in [0, 1)
        Dropout probability after each hidden activation (0: no dropout layers).
    batch_norm : bool
        Insert batch normalization before each hidden activation.
    rng : numpy.random.Generator, int or None
        One generator draws every layer's weights (and the dropout masks),
        so that layers of the same shape still get different weights.
    dtype : float32 or float64

    Returns
    -------
    Sequential

    Examples
    --------
    >>> mlp([64, 128, 10], rng=0)
    Sequential(
      (0) Dense(64 -> 128)  8,320 params
      (1) ReLU
      (2) Dense(128 -> 10)  1,290 params
    ) total 9,610 parameters
    >>> len(mlp([4, 8, 8, 1], activation="tanh", batch_norm=True, dropout=0.5, rng=0))
    9
    """
    sizes = list(sizes) if isinstance(sizes, (list, tuple)) else sizes
    if not isinstance(sizes, list) or len(sizes) < 2:
        raise ValueError(f"sizes must be a list of at least two layer widths, got {sizes!r}")
    sizes = [check_positive_int(s, "sizes[i]") for s in sizes]
    dropout = check_scalar(dropout, "dropout", low=0.0, high=1.0, high_inclusive=False)
    hidden_activation = _activation_layer(activation)  # checked even with no hidden layer
    rng = as_generator(rng)
    layers: list[Layer] = []
    for fan_in, fan_out in zip(sizes[:-2], sizes[1:-1], strict=True):
        layers.append(Dense(fan_in, fan_out, init=init, rng=rng, dtype=dtype))
        if batch_norm:
            layers.append(BatchNorm1d(fan_out, dtype=dtype))
        layers.append(copy.deepcopy(hidden_activation))
        if dropout > 0:
            layers.append(Dropout(dropout, rng=rng))
    layers.append(Dense(sizes[-2], sizes[-1], init=init, rng=rng, dtype=dtype))
    if output_activation is not None:
        layers.append(_activation_layer(output_activation))
    return Sequential(layers)


def _activation_layer(activation) -> Layer:
    """A new layer from a name or a Layer subclass; a copy of a Layer instance."""
    if isinstance(activation, Layer):
        return copy.deepcopy(activation)
    return get_activation(activation)()
