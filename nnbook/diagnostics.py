r"""Diagnostics: what happens inside a network, measured layer by layer.

:func:`signal_statistics` measures how large the signals and the gradients
are from layer to layer, the quantities behind vanishing and exploding
gradients (梯度消失 / 梯度爆炸) and behind the choice of initialization;
:func:`activation_statistics` counts the dead units (死亡神经元) and the
sparsity of each hidden activation layer on a data set; :func:`forward_flops`
counts the floating-point operations of a forward pass.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, as_generator
from .activations import Identity, LeakyReLU, ReLU, Sigmoid, Tanh
from .layers import Dense
from .network import _PACKABLE, Sequential, mlp  # noqa: F401 (mlp: for the examples)

__all__ = [
    "ActivationStatistics",
    "SignalStatistics",
    "activation_statistics",
    "forward_flops",
    "signal_statistics",
]


class _Fields:
    """A dataclass of per-layer arrays that can hand them out as a dictionary."""

    def as_dict(self) -> dict[str, np.ndarray]:
        """The fields as a dictionary of arrays (the arrays themselves, not copies)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class SignalStatistics(_Fields):
    r"""Per-dense-layer sizes of signals and gradients (see :func:`signal_statistics`).

    .. math::

        z_l = h_{l-1} W_l + b_l, \qquad h_l = \text{block}_l(z_l)

    Every field is an array with one entry per :class:`~nnbook.layers.Dense`
    layer :math:`l`, from input to output.

    Attributes
    ----------
    layer : numpy.ndarray of int
        Index of each dense layer in the model.
    preactivation_std : numpy.ndarray
        Standard deviation of the dense layer's output :math:`z_l = h_{l-1}W_l + b_l`.
    activation_std : numpy.ndarray
        Standard deviation of the block's output :math:`h_l` (after the
        activation, batch norm and dropout that follow; equal to the
        pre-activation for a dense layer followed directly by another).
    activation_grad_std : numpy.ndarray
        Standard deviation of :math:`\partial L / \partial h_l`.
    weight_grad_norm : numpy.ndarray
        Frobenius norm of :math:`\partial L / \partial W_l`.
    weight_grad_std : numpy.ndarray
        Standard deviation of the entries of :math:`\partial L / \partial W_l`.

    Examples
    --------
    >>> stats = signal_statistics(mlp([4, 8, 2], rng=0), np.ones((5, 4)), rng=0)
    >>> stats.layer, stats.weight_grad_norm.shape
    (array([0, 2]), (2,))
    >>> sorted(stats.as_dict())[:2]
    ['activation_grad_std', 'activation_std']
    """

    layer: np.ndarray
    preactivation_std: np.ndarray
    activation_std: np.ndarray
    activation_grad_std: np.ndarray
    weight_grad_norm: np.ndarray
    weight_grad_std: np.ndarray


def signal_statistics(model: Sequential, X, grad_output=None, rng=None) -> SignalStatistics:
    r"""How large signals and gradients are at each dense layer, after one forward/backward.

    For each dense layer :math:`l` with output :math:`z_l` (pre-activation)
    and block output :math:`h_l` (what the next dense layer receives):

    .. math::

        \operatorname{std}(z_l), \quad \operatorname{std}(h_l), \quad
        \operatorname{std}\Big(\frac{\partial L}{\partial h_l}\Big), \quad
        \Big\|\frac{\partial L}{\partial W_l}\Big\|_F, \quad
        \operatorname{std}\Big(\frac{\partial L}{\partial W_l}\Big)

    The backward pass starts from ``grad_output`` :math:`G`, the gradient of
    the loss with respect to the network's output; with ``grad_output=None``
    it is drawn from a standard normal with ``rng``. That is the gradient of
    the random linear probe :math:`L = \sum_{ij} G_{ij}\hat y_{ij}`, which
    measures how gradients shrink or grow through depth without mixing in the
    shape of a particular loss.

    The passes run on a deep copy of ``model`` in its current mode (call
    ``model.eval()`` first to switch dropout off): the model's parameters,
    gradients, caches and running statistics are left untouched.

    Parameters
    ----------
    model : Sequential
        With at least one :class:`~nnbook.layers.Dense` layer.
    X : array_like, shape (n, fan_in)
        Input batch.
    grad_output : array_like or None, shape of the model's output
    rng : numpy.random.Generator, int or None
        Draws ``grad_output`` when it is None.

    Returns
    -------
    SignalStatistics

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> deep = mlp([100] * 11, activation="sigmoid", init="xavier_normal", rng=rng)
    >>> stats = signal_statistics(deep, rng.standard_normal((200, 100)), rng=rng)
    >>> stats.layer
    array([ 0,  2,  4,  6,  8, 10, 12, 14, 16, 18])
    >>> bool(stats.weight_grad_norm[0] < stats.weight_grad_norm[-1] / 100)  # vanishing gradient
    True
    """
    if not isinstance(model, Sequential):
        raise ValueError(f"model must be a Sequential, got {type(model).__name__}")
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

    weight_grads = [layers[i].grads["W"] for i in dense]
    return SignalStatistics(
        layer=np.array(dense),
        preactivation_std=std(outputs[i] for i in dense),
        activation_std=std(outputs[i] for i in block_end),
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
    r"""Dead units and sparsity of each hidden activation layer (see :func:`activation_statistics`).

    For a hidden activation layer with pre-activations :math:`z_{ij}` (sample
    :math:`i`, unit :math:`j`), outputs :math:`h_{ij} = \varphi(z_{ij})` and
    :math:`n` samples:

    .. math::

        \text{dead}_j = \big[\varphi'(z_{ij}) = 0 \ \text{for every } i\big], \qquad
        \text{zero fraction} = \frac{\#\{(i, j) : h_{ij} = 0\}}{n \cdot \text{units}}

    Every field is an array with one entry per hidden activation layer, from
    input to output.

    Attributes
    ----------
    layer : numpy.ndarray of int
        Index of each hidden activation layer in the model.
    units : numpy.ndarray of int
        Its width (number of units).
    dead_units : numpy.ndarray of int
        Number of units whose derivative is 0 on every sample (for ReLU:
        pre-activation :math:`\le 0` on every sample). No gradient reaches
        the weights into a dead unit, so it stays dead.
    dead_fraction : numpy.ndarray of float
        ``dead_units / units``.
    zero_fraction : numpy.ndarray of float
        Fraction of exact zeros among the layer's outputs (its sparsity, 稀疏性).

    Examples
    --------
    >>> stats = activation_statistics(mlp([4, 8, 8, 2], rng=0), np.ones((5, 4)))
    >>> stats.layer, stats.units
    (array([1, 3]), array([8, 8]))
    >>> sorted(stats.as_dict())
    ['dead_fraction', 'dead_units', 'layer', 'units', 'zero_fraction']
    """

    layer: np.ndarray
    units: np.ndarray
    dead_units: np.ndarray
    dead_fraction: np.ndarray
    zero_fraction: np.ndarray


def activation_statistics(model: Sequential, X) -> ActivationStatistics:
    r"""Dead units (死亡神经元) and sparsity of each hidden activation layer on a data set.

    A unit :math:`j` of an activation layer is *dead* on ``X`` when its
    derivative is zero for every sample:

    .. math::

        \varphi'(z_{ij}) = 0 \quad \text{for } i = 1, \dots, n,

    where :math:`z_{ij}` is the layer's input (the pre-activation). For ReLU
    (derivative :math:`[z > 0]`, 0 at 0) that means :math:`z_{ij} \le 0` on
    every sample: the unit outputs 0 whatever the input, and since no
    gradient flows through it, its incoming weights never change again (the
    "dying ReLU" problem). A LeakyReLU has derivative :math:`\alpha > 0` for
    :math:`z \le 0`, so none of its units is ever dead (unless ``alpha=0``,
    which is ReLU). The derivative is the one the layer's ``backward``
    computes (:func:`~nnbook.activations.sigmoid_grad`'s and
    :func:`~nnbook.activations.tanh_grad`'s, from :math:`z`), so a sigmoid or
    tanh unit counts as dead only where it underflows to exactly 0 on every
    sample, :math:`|z| > 711` (sigmoid) or :math:`|z| > 355` (tanh) in float64.
    Less saturated units still pass a tiny gradient (:math:`\tanh'(20) \approx
    1.7 \times 10^{-17}`): count those with a threshold on the derivative.

    The sparsity is the fraction of exact zeros among the layer's outputs
    :math:`h_{ij} = \varphi(z_{ij})`, over all samples and units.

    *Hidden* activation layers are the element-wise ones
    (:class:`~nnbook.activations.ReLU`, :class:`~nnbook.activations.LeakyReLU`,
    :class:`~nnbook.activations.Sigmoid`, :class:`~nnbook.activations.Tanh`,
    :class:`~nnbook.activations.Identity`) with a
    :class:`~nnbook.layers.Dense` layer somewhere after them; an output
    activation (e.g. a final Sigmoid) and Softmax layers are not measured.

    The pass runs in evaluation mode (no dropout; batch normalization with
    its running statistics) on shallow copies of the layers, as
    :meth:`Sequential.predict` does: the model's mode, parameters, gradients,
    caches and running statistics are left untouched.

    Parameters
    ----------
    model : Sequential
        With at least one hidden activation layer.
    X : array_like, shape (n, fan_in)
        The samples to measure on, n >= 1 (e.g. the training set).

    Returns
    -------
    ActivationStatistics
        One entry per hidden activation layer: ``layer``, ``units``,
        ``dead_units``, ``dead_fraction``, ``zero_fraction``.

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


def forward_flops(model: Sequential) -> int:
    r"""Floating-point operations of one forward pass, per sample, counting dense layers only.

    Each :class:`~nnbook.layers.Dense` layer computing :math:`x W + b` for one
    sample :math:`x` of width :math:`\text{fan\_in}` costs
    :math:`\text{fan\_in} \cdot \text{fan\_out}` multiply-adds, counted as 2
    operations each, plus :math:`\text{fan\_out}` additions for the bias:

    .. math::

        \text{FLOPs} = \sum_{l \,\in\, \text{Dense}}
        \big(2\, \text{fan\_in}_l\, \text{fan\_out}_l + \text{fan\_out}_l\big)

    This is the usual convention (a multiply-add is 2 FLOPs); it overcounts
    by :math:`\text{fan\_out}` the strict count, as :math:`\text{fan\_in}`
    products need only :math:`\text{fan\_in} - 1` additions. Activations,
    batch normalization, dropout and the loss are not counted: they cost
    :math:`O(\text{width})` per layer against :math:`O(\text{fan\_in} \cdot
    \text{fan\_out})` for a dense layer. A batch of :math:`n` samples costs
    :math:`n` times as much; a training step about 3 times as much again
    (the backward pass of a dense layer does two products of the same size,
    for :math:`\partial L/\partial W` and :math:`\partial L/\partial x`).

    Parameters
    ----------
    model : Sequential

    Returns
    -------
    int
        0 for a model without dense layers.

    Examples
    --------
    >>> forward_flops(mlp([64, 128, 10], rng=0))  # (2*64*128 + 128) + (2*128*10 + 10)
    19082
    """
    if not isinstance(model, Sequential):
        raise ValueError(f"model must be a Sequential, got {type(model).__name__}")
    return sum(
        2 * layer.fan_in * layer.fan_out + layer.fan_out
        for layer in model.layers
        if isinstance(layer, Dense)
    )
