"""Diagnostics: what happens inside a network, measured layer by layer.

===============================  =====================================================
:func:`signal_statistics`        sizes of signals and gradients per dense layer
                                 (vanishing and exploding gradients, 梯度消失 / 梯度爆炸)
:func:`activation_statistics`    dead units (死亡神经元) and sparsity per hidden
                                 activation layer
:func:`forward_flops`            floating-point operations of one forward pass
===============================  =====================================================
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, as_generator
from .activations import Identity, LeakyReLU, ReLU, Sigmoid, Tanh
from .conv import Conv2D
from .layers import Dense, Residual
from .network import _PACKABLE, Sequential, mlp  # noqa: F401 (mlp: for the examples)

__all__ = [
    "ActivationStatistics",
    "SignalStatistics",
    "activation_statistics",
    "forward_flops",
    "signal_statistics",
]


class _Fields:
    """Per-layer arrays that can be handed out as a dictionary."""

    def as_dict(self) -> dict[str, np.ndarray]:
        """The fields as a dictionary of arrays (the arrays themselves, not copies)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class SignalStatistics(_Fields):
    r"""What :func:`signal_statistics` measures: one entry per dense layer :math:`l`, input first.

    .. math::

        z_l = h_{l-1} W_l + b_l, \qquad h_l = \text{block}_l(z_l)

    Attributes
    ----------
    layer : numpy.ndarray of int
        Index of each dense layer in the model.
    preactivation_std : numpy.ndarray
        :math:`\operatorname{std}(z_l)`.
    activation_std : numpy.ndarray
        :math:`\operatorname{std}(h_l)`, after the activation, batch norm and
        dropout that follow (:math:`z_l` when another dense layer follows directly).
    activation_unit_std : numpy.ndarray
        :math:`\frac{1}{m}\sum_j \operatorname{std}_i(h_{l,ij})`: each unit's spread
        across the samples, averaged over the layer's :math:`m` units. Near 0 when
        the units' outputs no longer depend on the input, however large
        ``activation_std`` is.
    activation_grad_std : numpy.ndarray
        :math:`\operatorname{std}(\partial L / \partial h_l)`.
    weight_grad_norm : numpy.ndarray
        :math:`\lVert \partial L / \partial W_l \rVert_F`.
    weight_grad_std : numpy.ndarray
        :math:`\operatorname{std}(\partial L / \partial W_l)`, over its entries.

    Examples
    --------
    >>> stats = signal_statistics(mlp([4, 8, 2], rng=0), np.ones((5, 4)), rng=0)
    >>> stats.layer, sorted(stats.as_dict())[:2]
    (array([0, 2]), ['activation_grad_std', 'activation_std'])
    """

    layer: np.ndarray
    preactivation_std: np.ndarray
    activation_std: np.ndarray
    activation_unit_std: np.ndarray
    activation_grad_std: np.ndarray
    weight_grad_norm: np.ndarray
    weight_grad_std: np.ndarray


def signal_statistics(model: Sequential, X, grad_output=None, rng=None) -> SignalStatistics:
    r"""How large signals and gradients are at each dense layer, after one forward/backward.

    .. math::

        \operatorname{std}(z_l), \quad \operatorname{std}(h_l), \quad
        \tfrac{1}{m}\textstyle\sum_j \operatorname{std}_i(h_{l,ij}), \quad
        \operatorname{std}\Big(\frac{\partial L}{\partial h_l}\Big), \quad
        \Big\|\frac{\partial L}{\partial W_l}\Big\|_F, \quad
        \operatorname{std}\Big(\frac{\partial L}{\partial W_l}\Big)

    with :math:`z_l` the output of dense layer :math:`l` and :math:`h_l` what the
    next dense layer receives. The backward pass starts from ``grad_output``
    :math:`G = \partial L / \partial \hat y`; by default :math:`G` is standard
    normal, the gradient of the random linear loss :math:`L = \sum_{ij} G_{ij}\hat y_{ij}`.
    The passes run on a deep copy of ``model`` in its current mode (call
    ``model.eval()`` first to switch dropout off); ``model`` is left untouched.

    Parameters
    ----------
    model : Sequential
        With at least one :class:`~nnbook.layers.Dense` layer.
    X : array_like, shape (n, fan_in)
    grad_output : array_like or None, shape of the model's output
    rng : numpy.random.Generator, int or None
        Draws ``grad_output`` when it is None.

    Returns
    -------
    SignalStatistics

    Raises
    ------
    ValueError
        For a model that is not a flat Sequential (a nested model or a
        Residual inside it) or has no Dense layer, or inputs of the wrong
        shape or with non-finite values.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> deep = mlp([100] * 11, activation="sigmoid", init="xavier_normal", rng=rng)
    >>> stats = signal_statistics(deep, rng.standard_normal((200, 100)), rng=rng)
    >>> bool(stats.weight_grad_norm[0] < stats.weight_grad_norm[-1] / 100)  # vanishing gradient
    True
    """
    if not isinstance(model, Sequential):
        raise ValueError(f"model must be a Sequential, got {type(model).__name__}")
    nested = [
        i for i, layer in enumerate(model.layers) if isinstance(layer, (Sequential, Residual))
    ]
    if nested:
        raise ValueError(
            f"layer ({nested[0]}) {model.layers[nested[0]]!r} holds layers of its own; "
            "signal_statistics measures the dense layers of a flat Sequential (read a "
            "nested model's gradients from model.parameters() instead)"
        )
    dense = [i for i, layer in enumerate(model.layers) if isinstance(layer, Dense)]
    if not dense:
        raise ValueError(f"model has no Dense layer to measure; got\n{model!r}")
    X = as_float_array(X, "X", dtype=model.dtype)
    twin = copy.deepcopy(model)
    layers = twin.layers
    outputs = []
    h = X
    for layer in layers:
        h = layer.forward(h)
        outputs.append(h)
    if grad_output is None:
        grad_output = as_generator(rng).standard_normal(h.shape).astype(model.dtype)
    else:
        grad_output = as_float_array(grad_output, "grad_output", dtype=model.dtype)
        if grad_output.shape != h.shape:
            raise ValueError(
                f"grad_output has shape {grad_output.shape}; expected {h.shape}, "
                "the shape of the model's output"
            )
    upstream = [None] * len(layers)  # upstream[i]: dL / d(output of layer i)
    g = grad_output
    for i in range(len(layers) - 1, -1, -1):
        upstream[i] = g
        if i > 0:
            g = layers[i].backward(g)
        elif isinstance(layers[0], _PACKABLE):
            layers[0].backward(g, need_input_grad=False)
        else:
            layers[0].backward(g)
    block_end = [i - 1 for i in dense[1:]] + [len(layers) - 1]

    def std(arrays):
        return np.array([float(np.std(a, dtype=np.float64)) for a in arrays])

    def unit_std(arrays):  # each column's std across the rows, averaged over the columns
        return np.array([float(np.std(a, axis=0, dtype=np.float64).mean()) for a in arrays])

    weight_grads = [layers[i].grads["W"] for i in dense]
    return SignalStatistics(
        layer=np.array(dense),
        preactivation_std=std(outputs[i] for i in dense),
        activation_std=std(outputs[i] for i in block_end),
        activation_unit_std=unit_std(outputs[i] for i in block_end),
        activation_grad_std=std(upstream[i] for i in block_end),
        weight_grad_norm=np.array(
            [float(np.linalg.norm(w.astype(np.float64, copy=False))) for w in weight_grads]
        ),
        weight_grad_std=std(weight_grads),
    )


# ------------------------------------------------------------ activations

#: Element-wise activation layers: each output depends on its own input only, so
#: the derivative is a diagonal Jacobian, read off as ``backward(ones)``. (Softmax
#: couples the units of a row and is left out.)
_ELEMENTWISE = (Sigmoid, Tanh, ReLU, LeakyReLU, Identity)


@dataclass(frozen=True)
class ActivationStatistics(_Fields):
    r"""What :func:`activation_statistics` measures, per hidden activation layer, input first.

    Attributes
    ----------
    layer : numpy.ndarray of int
        Index of each hidden activation layer in the model.
    units : numpy.ndarray of int
        Its width.
    dead_units : numpy.ndarray of int
        Units whose derivative :math:`\varphi'(z_{ij})` is 0 on every sample :math:`i`.
    dead_fraction : numpy.ndarray of float
        ``dead_units / units``.
    zero_fraction : numpy.ndarray of float
        Fraction of exact zeros among the outputs :math:`h_{ij}` (the sparsity, 稀疏性).

    Examples
    --------
    >>> stats = activation_statistics(mlp([4, 8, 8, 2], rng=0), np.ones((5, 4)))
    >>> stats.layer, stats.units
    (array([1, 3]), array([8, 8]))
    """

    layer: np.ndarray
    units: np.ndarray
    dead_units: np.ndarray
    dead_fraction: np.ndarray
    zero_fraction: np.ndarray


def activation_statistics(model: Sequential, X) -> ActivationStatistics:
    r"""Dead units (死亡神经元) and sparsity of each hidden activation layer on a data set.

    .. math::

        \text{dead}_j = \big[\varphi'(z_{ij}) = 0 \ \text{for } i = 1, \dots, n\big],
        \qquad
        \text{zero fraction} = \frac{\#\{(i, j) : \varphi(z_{ij}) = 0\}}{n \cdot \text{units}}

    with :math:`z_{ij}` the layer's input and :math:`\varphi'` the derivative its
    ``backward`` computes. A sigmoid or tanh unit is therefore dead only where
    :math:`\varphi'` underflows to exactly 0 on every sample (:math:`|z| > 711`
    and :math:`|z| > 355` in float64); less saturated units still pass a tiny
    gradient (:math:`\tanh'(20) \approx 1.7 \times 10^{-17}`). *Hidden* layers
    are the element-wise activations (ReLU, LeakyReLU, Sigmoid, Tanh, Identity)
    with a Dense layer after them. The pass runs in evaluation mode on shallow
    copies of the layers, as :meth:`Sequential.predict` does; ``model`` is left
    untouched.

    Parameters
    ----------
    model : Sequential
        With at least one hidden activation layer.
    X : array_like, shape (n, fan_in), n >= 1

    Returns
    -------
    ActivationStatistics

    Raises
    ------
    ValueError
        For a model that is not a Sequential or has no hidden activation layer,
        or an ``X`` of another shape or with non-finite values.

    Examples
    --------
    >>> from nnbook.layers import Dense, ReLU
    >>> model = Sequential([Dense(2, 3), ReLU(), Dense(3, 1)])
    >>> model[0].params["W"][...] = [[1.0, -1.0, 0.0], [0.0, -1.0, 1.0]]
    >>> model[0].params["b"][...] = [0.0, -1.0, 0.0]
    >>> X = np.array([[1.0, 2.0], [3.0, 0.0]])
    >>> X @ model[0].params["W"] + model[0].params["b"]  # unit 1 is negative on both samples
    array([[ 1., -4.,  2.],
           [ 3., -4.,  0.]])
    >>> stats = activation_statistics(model, X)
    >>> stats.dead_units, stats.dead_fraction.round(4), stats.zero_fraction
    (array([1]), array([0.3333]), array([0.5]))
    """
    if not isinstance(model, Sequential):
        raise ValueError(f"model must be a Sequential, got {type(model).__name__}")
    last_dense = max(
        (i for i, layer in enumerate(model.layers) if isinstance(layer, Dense)), default=-1
    )
    hidden = [
        i for i, layer in enumerate(model.layers[:last_dense]) if isinstance(layer, _ELEMENTWISE)
    ]
    if not hidden:
        raise ValueError(
            "model has no hidden activation layer (an element-wise activation followed by a "
            f"Dense layer) to measure; got\n{model!r}"
        )
    X = as_float_array(X, "X", dtype=model.dtype)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (n, features) with n >= 1, got {X.shape}")
    units, dead, zeros = [], [], []
    h = X
    for i, layer in enumerate(model.layers[: hidden[-1] + 1]):
        twin = copy.copy(layer)  # as in predict: the model's own layer is not touched
        twin.training = False
        h = twin.forward(h)
        if i in hidden:
            slope = twin.backward(np.ones_like(h))  # phi'(z), element by element
            units.append(h.shape[1])
            dead.append(int(np.count_nonzero(~slope.any(axis=0))))
            zeros.append(np.count_nonzero(h == 0) / h.size)
    units, dead = np.array(units), np.array(dead)
    return ActivationStatistics(
        layer=np.array(hidden),
        units=units,
        dead_units=dead,
        dead_fraction=dead / units,
        zero_fraction=np.array(zeros, dtype=np.float64),
    )


# ------------------------------------------------------------------ cost


def forward_flops(model: Sequential, input_shape=None) -> int:
    r"""Floating-point operations of one forward pass, per sample, in dense and conv layers.

    .. math::

        \text{FLOPs} = \sum_{l \,\in\, \text{Dense}}
        \big(2\, \text{fan\_in}_l\, \text{fan\_out}_l + \text{fan\_out}_l\big)
        + \sum_{l \,\in\, \text{Conv2D}}
        C_{\text{out}} H_{\text{out}} W_{\text{out}}\, \big(2\, C_{\text{in}} k_h k_w + 1\big)

    (a multiply-add counts 2, the bias 1; activations, pooling, normalization,
    dropout and the loss are not counted).

    Parameters
    ----------
    model : Sequential
    input_shape : tuple of int, optional
        The shape of one sample, e.g. ``(1, 8, 8)`` for one-channel 8x8 images.
        Required when the model has a :class:`~nnbook.conv.Conv2D` layer, whose
        cost depends on the size of its input.

    Returns
    -------
    int
        0 for a model without dense or conv layers.

    Raises
    ------
    ValueError
        For a model that is not a Sequential, or a model with a Conv2D layer
        and no ``input_shape`` (or one that does not fit the model).

    Examples
    --------
    >>> forward_flops(mlp([64, 128, 10], rng=0))  # (2*64*128 + 128) + (2*128*10 + 10)
    19082
    >>> from nnbook.conv import Conv2D, Flatten
    >>> cnn = Sequential([Conv2D(1, 4, 3, padding=1, rng=0), Flatten(), Dense(256, 10, rng=0)])
    >>> forward_flops(cnn, input_shape=(1, 8, 8))  # 4*8*8*(2*9 + 1) + (2*256*10 + 10)
    9994
    """
    if not isinstance(model, Sequential):
        raise ValueError(f"model must be a Sequential, got {type(model).__name__}")
    has_conv = any(isinstance(layer, Conv2D) for layer in model.layers)
    if input_shape is None:
        if has_conv:
            raise ValueError(
                "a convolution's cost depends on the size of its input: pass "
                "input_shape, the shape of one sample, e.g. (1, 8, 8)"
            )
        return sum(
            2 * layer.fan_in * layer.fan_out + layer.fan_out
            for layer in model.layers
            if isinstance(layer, Dense)
        )
    x = np.zeros((1, *input_shape), dtype=model.dtype)  # one sample, to follow the shapes
    flops = 0
    for layer in model.layers:
        out = layer.predict(x)
        if isinstance(layer, Dense):
            flops += 2 * layer.fan_in * layer.fan_out + layer.fan_out
        elif isinstance(layer, Conv2D):
            kh, kw = layer.kernel_size
            flops += out[0].size * (2 * layer.in_channels * kh * kw + 1)
        x = out
    return int(flops)
