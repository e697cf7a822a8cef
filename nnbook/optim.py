r"""Optimization algorithms (优化算法) and learning-rate schedules (学习率调度).

An optimizer updates parameters :math:`\theta` from their gradients
:math:`g = \nabla_\theta L`, with the update rules of ``torch.optim`` at the
same settings:

==================  ==========================================================
:class:`SGD`        :math:`\theta \leftarrow \theta - \eta g`
:class:`Momentum`   :math:`v \leftarrow \beta v + g,\ \theta \leftarrow \theta - \eta v`
:class:`AdaGrad`    :math:`s \leftarrow s + g^2,\
                    \theta \leftarrow \theta - \eta\, g / (\sqrt{s} + \varepsilon)`
:class:`RMSProp`    :math:`v \leftarrow \rho v + (1-\rho) g^2,\
                    \theta \leftarrow \theta - \eta\, g / (\sqrt{v} + \varepsilon)`
:class:`Adam`       :math:`m \leftarrow \beta_1 m + (1-\beta_1) g,\
                    v \leftarrow \beta_2 v + (1-\beta_2) g^2,\
                    \theta \leftarrow \theta - \eta\, \hat m / (\sqrt{\hat v} + \varepsilon)`
==================  ==========================================================

Weight decay :math:`\lambda` (``weight_decay``) is L2 regularization of the
weight matrices: every rule uses :math:`g + \lambda W` in place of :math:`g`
for the parameters named ``W`` and leaves the biases and batch norm's
``gamma`` and ``beta`` alone, like ``fit(..., penalty=("l2", lam))``.

An optimizer takes a model (anything with ``parameters()``, such as
:class:`nnbook.network.Sequential`) or an iterable of ``(name, value, grad)``
triples, and updates the parameter arrays in place with NumPy's ``out=``
arguments and buffers made once: a step allocates no array. A model whose
parameters live in one contiguous vector (``model.flat_parameters()``) is
updated with one call per operation.

A schedule is a callable ``schedule(epoch) -> lr`` (epochs counted from 0);
:func:`nnbook.train.fit` sets ``optimizer.lr = schedule(epoch)`` before each
epoch. :func:`clip_grad_norm` rescales the gradients before a step.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

import numpy as np

from ._validation import FLOAT_DTYPES, check_positive_int, check_scalar, lookup
from .base import is_weight_matrix

__all__ = [
    "OPTIMIZERS",
    "OPTIMIZER_ALIASES",
    "SGD",
    "AdaGrad",
    "Adam",
    "Momentum",
    "Optimizer",
    "RMSProp",
    "clip_grad_norm",
    "cosine",
    "exponential_decay",
    "get_optimizer",
    "step_decay",
    "warmup",
]


def _collect(params) -> list[tuple[str, np.ndarray, np.ndarray]]:
    triples = list(params.parameters() if hasattr(params, "parameters") else params)
    if not triples:
        raise ValueError("params holds no parameters; expected a model or (name, value, grad)")
    for item in triples:
        if not (isinstance(item, tuple) and len(item) == 3):
            raise ValueError(f"params must yield (name, value, grad) triples, got {item!r}"[:200])
        name, value, grad = item
        if not isinstance(value, np.ndarray) or value.dtype.type not in FLOAT_DTYPES:
            raise ValueError(
                f"parameter {name!r} must be a float32 or float64 ndarray (updated in place), "
                f"got {type(value).__name__}"
            )
        if not isinstance(grad, np.ndarray) or grad.shape != value.shape:
            raise ValueError(
                f"gradient of {name!r} must be an ndarray of shape {value.shape}, "
                f"got {getattr(grad, 'shape', type(grad).__name__)}"
            )
    return triples


def _address(a: np.ndarray) -> int:
    return a.__array_interface__["data"][0]


def _packed(params, triples) -> tuple[np.ndarray, np.ndarray] | None:
    """``params.flat_parameters()`` if it is the concatenation of the triples' arrays, else None.

    Checked element offset by element offset: each value (and gradient) must
    be the C-contiguous block of the flat vector that starts where the
    previous one ends, so updating the vector updates exactly the parameters.
    """
    flat = params.flat_parameters() if hasattr(params, "flat_parameters") else None
    if flat is None:
        return None
    values, grads = flat
    start = 0
    for _, value, grad in triples:
        stop = start + value.size
        for part, whole in ((value, values), (grad, grads)):
            block = whole[start:stop]
            if not (part.dtype == whole.dtype and part.flags.c_contiguous
                    and part.size == block.size and _address(part) == _address(block)):
                return None
        start = stop
    return (values, grads) if start == values.size == grads.size else None


def _scaled_step(value, numerator, mean_square, eps, step_size, tmp) -> None:
    r"""The step of AdaGrad, RMSProp and Adam, in place through the buffer ``tmp``.

    .. math::

        \theta \leftarrow \theta - \alpha\, \frac{u}{\sqrt{s} + \varepsilon}

    with ``value`` :math:`\theta`, ``numerator`` :math:`u`, ``mean_square``
    :math:`s` (may be ``tmp`` itself) and ``step_size`` :math:`\alpha`.
    """
    np.sqrt(mean_square, out=tmp)
    tmp += eps
    np.divide(numerator, tmp, out=tmp)
    tmp *= step_size
    value -= tmp


class Optimizer:
    r"""Base class: the parameters, their gradients, the learning rate :math:`\eta`.

    .. math::

        \theta \leftarrow \theta - \eta\, u(g), \qquad
        g = \nabla_\theta L + \lambda\, [\theta \text{ is a weight matrix}]\, \theta

    where each subclass defines the update direction :math:`u` and
    :math:`\lambda` is ``weight_decay``.

    Parameters
    ----------
    params : model or iterable of (name, value, grad)
        A model with ``parameters()`` (e.g. :class:`~nnbook.network.Sequential`)
        or the triples themselves. ``value`` is updated in place; ``grad``
        is read (never written) at each :meth:`step`.
    lr : float, > 0
        Learning rate :math:`\eta`; settable (``opt.lr = 0.01``), e.g. by a schedule.
    weight_decay : float, >= 0
        L2 coefficient :math:`\lambda` of the weight matrices: the parameters
        named ``W`` (``"0.W"`` in a Sequential, ``"W"`` for a triple). Biases
        and batch norm's ``gamma`` and ``beta`` are not decayed.

    Attributes
    ----------
    names : list of str
        Parameter names, in order.
    iterations : int
        Number of steps taken.

    Raises
    ------
    ValueError
        For bad settings or parameters, for ``weight_decay > 0`` without a
        parameter named ``W``, and at :meth:`step` for a parameter that is no
        longer the model's.

    Examples
    --------
    >>> from nnbook.network import mlp
    >>> model = mlp([3, 4, 2], rng=0)
    >>> opt = SGD(model, lr=0.1, weight_decay=1e-4)
    >>> opt, opt.names
    (SGD(lr=0.1, weight_decay=0.0001), ['0.W', '0.b', '2.W', '2.b'])
    >>> opt.lr = 0.05  # what a schedule does between epochs
    """

    def __init__(self, params, lr, weight_decay=0.0) -> None:
        triples = _collect(params)
        self.names = [name for name, _, _ in triples]
        self.lr = lr
        self.iterations = 0
        flat = _packed(params, triples)
        # The "slots" the update runs over: one contiguous pair, or one pair per array;
        # _weight_mask marks, element by element, the weights among them.
        if flat is not None:
            self._slots, self._slot_names = [flat], ["(all, packed)"]
            self._weight_mask = [np.concatenate(
                [np.full(value.size, is_weight_matrix(name)) for name, value, _ in triples])]
        else:
            self._slots = [(value, grad) for _, value, grad in triples]
            self._slot_names = list(self.names)
            self._weight_mask = [is_weight_matrix(name) for name in self.names]
        self._scratch = [np.empty_like(value) for value, _ in self._slots]
        self.weight_decay = weight_decay

    @property
    def lr(self) -> float:
        """The learning rate :math:`\\eta` (> 0)."""
        return self._lr

    @lr.setter
    def lr(self, value) -> None:
        self._lr = check_scalar(value, "lr", low=0.0, low_inclusive=False)

    @property
    def weight_decay(self) -> float:
        """The weight decay :math:`\\lambda` (>= 0) of the weight matrices."""
        return self._weight_decay

    @weight_decay.setter
    def weight_decay(self, value) -> None:
        lam = check_scalar(value, "weight_decay", low=0.0)
        if lam and not any(np.any(mask) for mask in self._weight_mask):
            raise ValueError(
                f"weight_decay={lam:g} decays the weight matrices, the parameters named 'W' "
                f"(e.g. '0.W' in a Sequential), but the parameters are {self.names}; "
                "expected a model with Dense layers, a triple named 'W', or weight_decay=0"
            )
        self._weight_decay = lam
        # Per slot: the decay of each element (lambda on weights, 0 elsewhere) and a
        # buffer for g + decay * theta; None where nothing is decayed.
        self._decay, self._decayed = [], []
        for (value, _), mask in zip(self._slots, self._weight_mask, strict=True):
            if lam == 0.0 or not np.any(mask):
                decay = None
            elif np.ndim(mask):  # the packed vector: lambda on the weights' elements, 0 elsewhere
                decay = np.where(mask, lam, 0.0).astype(value.dtype)
            else:  # one array, a weight matrix
                decay = lam
            self._decay.append(decay)
            self._decayed.append(None if decay is None else np.empty_like(value))

    def _state(self) -> list[np.ndarray]:
        """One zero buffer per slot (for velocities, accumulators, moments)."""
        return [np.zeros_like(value) for value, _ in self._slots]

    def step(self) -> None:
        """Update every parameter in place from its current gradient."""
        for name, (value, _) in zip(self._slot_names, self._slots, strict=True):
            if not value.flags.writeable:
                raise ValueError(
                    f"parameter {name!r} is no longer the model's: a Sequential moved the "
                    "parameters into its own storage after this optimizer was built on "
                    "them; build the optimizer on the finished model, e.g. SGD(model, lr=0.1)"
                )
        self.iterations += 1
        for i, (value, grad) in enumerate(self._slots):
            decay, decayed = self._decay[i], self._decayed[i]
            if decay is not None:  # g + lambda * W, with a decay of 0 off the weights
                np.multiply(value, decay, out=decayed)
                decayed += grad
                grad = decayed
            self._update(i, value, grad, self._scratch[i])

    def _update(self, i, value, grad, tmp) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def _settings(self) -> str:
        return f"lr={self.lr:g}"

    def __repr__(self) -> str:
        wd = f", weight_decay={self.weight_decay:g}" if self.weight_decay else ""
        return f"{type(self).__name__}({self._settings()}{wd})"


class SGD(Optimizer):
    r"""Plain (stochastic) gradient descent (梯度下降).

    .. math::

        \theta \leftarrow \theta - \eta g

    Parameters
    ----------
    params, lr, weight_decay
        As for :class:`Optimizer`.

    Examples
    --------
    >>> w, g = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    >>> opt = SGD([("w", w, g)], lr=0.1)
    >>> opt.step()
    >>> w  # 1 - 0.1 * 0.5, -2 - 0.1 * 0.5
    array([ 0.95, -2.05])
    """

    def _update(self, i, value, grad, tmp) -> None:
        np.multiply(grad, self._lr, out=tmp)
        value -= tmp


class Momentum(Optimizer):
    r"""Gradient descent with momentum (动量法), as ``torch.optim.SGD(momentum=beta)``.

    .. math::

        v \leftarrow \beta v + g, \qquad \theta \leftarrow \theta - \eta v,
        \qquad v_0 = 0

    Parameters
    ----------
    params, lr, weight_decay
        As for :class:`Optimizer`.
    momentum : float in [0, 1)
        :math:`\beta`, the weight of the past velocity; 0 gives plain SGD.

    Examples
    --------
    >>> w, g = np.array([1.0]), np.array([1.0])
    >>> opt = Momentum([("w", w, g)], lr=0.1, momentum=0.9)
    >>> opt.step(); opt.step()  # v = 1, then v = 0.9 * 1 + 1 = 1.9
    >>> w  # 1 - 0.1 * 1 - 0.1 * 1.9
    array([0.71])
    """

    def __init__(self, params, lr, momentum=0.9, weight_decay=0.0) -> None:
        super().__init__(params, lr, weight_decay)
        self.momentum = check_scalar(momentum, "momentum", low=0.0, high=1.0, high_inclusive=False)
        self.velocity = self._state()

    def _update(self, i, value, grad, tmp) -> None:
        v = self.velocity[i]
        v *= self.momentum  # v <- beta v + g
        v += grad
        np.multiply(v, self._lr, out=tmp)  # theta <- theta - lr v
        value -= tmp

    def _settings(self) -> str:
        return f"lr={self.lr:g}, momentum={self.momentum:g}"


class AdaGrad(Optimizer):
    r"""AdaGrad: per-coordinate steps shrinking with the accumulated squared gradient.

    .. math::

        s \leftarrow s + g^2, \qquad
        \theta \leftarrow \theta - \eta\, \frac{g}{\sqrt{s} + \varepsilon},
        \qquad s_0 = 0

    Parameters
    ----------
    params, lr, weight_decay
        As for :class:`Optimizer`.
    eps : float, > 0
        :math:`\varepsilon`, keeps the division finite.

    Examples
    --------
    >>> w, g = np.array([1.0]), np.array([2.0])
    >>> opt = AdaGrad([("w", w, g)], lr=0.1)
    >>> opt.step()  # s = 4: w = 1 - 0.1 * 2 / 2
    >>> np.round(w, 6)
    array([0.9])
    """

    def __init__(self, params, lr, eps=1e-10, weight_decay=0.0) -> None:
        super().__init__(params, lr, weight_decay)
        self.eps = check_scalar(eps, "eps", low=0.0, low_inclusive=False)
        self.sum_squares = self._state()

    def _update(self, i, value, grad, tmp) -> None:
        s = self.sum_squares[i]
        np.square(grad, out=tmp)  # s <- s + g^2
        s += tmp
        _scaled_step(value, grad, s, self.eps, self._lr, tmp)  # theta -= lr g / (sqrt(s) + eps)

    def _settings(self) -> str:
        return f"lr={self.lr:g}, eps={self.eps:g}"


class RMSProp(Optimizer):
    r"""RMSProp: AdaGrad with an exponential moving average of squared gradients.

    As ``torch.optim.RMSprop(alpha=rho)`` (not centered, no momentum):

    .. math::

        v \leftarrow \rho v + (1 - \rho) g^2, \qquad
        \theta \leftarrow \theta - \eta\, \frac{g}{\sqrt{v} + \varepsilon},
        \qquad v_0 = 0

    Parameters
    ----------
    params, lr, weight_decay
        As for :class:`Optimizer`.
    rho : float in [0, 1)
        Decay rate :math:`\rho` of the average.
    eps : float, > 0

    Examples
    --------
    >>> w, g = np.array([1.0]), np.array([2.0])
    >>> opt = RMSProp([("w", w, g)], lr=0.01, rho=0.99)
    >>> opt.step()  # v = 0.01 * 4 = 0.04: w = 1 - 0.01 * 2 / 0.2
    >>> np.round(w, 6)
    array([0.9])
    """

    def __init__(self, params, lr, rho=0.99, eps=1e-8, weight_decay=0.0) -> None:
        super().__init__(params, lr, weight_decay)
        self.rho = check_scalar(rho, "rho", low=0.0, high=1.0, high_inclusive=False)
        self.eps = check_scalar(eps, "eps", low=0.0, low_inclusive=False)
        self.square_avg = self._state()

    def _update(self, i, value, grad, tmp) -> None:
        v = self.square_avg[i]
        v *= self.rho  # v <- rho v + (1 - rho) g^2
        np.square(grad, out=tmp)
        tmp *= 1.0 - self.rho
        v += tmp
        _scaled_step(value, grad, v, self.eps, self._lr, tmp)  # theta -= lr g / (sqrt(v) + eps)

    def _settings(self) -> str:
        return f"lr={self.lr:g}, rho={self.rho:g}, eps={self.eps:g}"


class Adam(Optimizer):
    r"""Adam: momentum on the gradient and RMSProp scaling, both bias-corrected.

    At step :math:`t = 1, 2, \dots`, as ``torch.optim.Adam``:

    .. math::

        m &\leftarrow \beta_1 m + (1 - \beta_1) g, \qquad
        v \leftarrow \beta_2 v + (1 - \beta_2) g^2, \\
        \hat m &= \frac{m}{1 - \beta_1^t}, \qquad
        \hat v = \frac{v}{1 - \beta_2^t}, \qquad
        \theta \leftarrow \theta - \eta\, \frac{\hat m}{\sqrt{\hat v} + \varepsilon}

    with :math:`\varepsilon` outside the square root and :math:`m_0 = v_0 = 0`. The
    step is taken as :math:`\theta \leftarrow \theta - \alpha_t\, m / (\sqrt v +
    \hat\varepsilon)` with :math:`\alpha_t = \eta \sqrt{1 - \beta_2^t} / (1 - \beta_1^t)`
    and :math:`\hat\varepsilon = \varepsilon \sqrt{1 - \beta_2^t}`, the same
    number (Kingma and Ba, section 2), one pass over the parameters fewer.

    Parameters
    ----------
    params, lr, weight_decay
        As for :class:`Optimizer`.
    beta1, beta2 : float in [0, 1)
        Decay rates of the moments :math:`m` and :math:`v`.
    eps : float, > 0

    Attributes
    ----------
    m, v : list of numpy.ndarray
        The moments, one array per slot (one for a packed model, else one
        per parameter), shaped like the parameters.

    Examples
    --------
    >>> w, g = np.array([1.0]), np.array([2.0])
    >>> opt = Adam([("w", w, g)], lr=0.1)
    >>> opt.step()  # m_hat = g, v_hat = g^2: the first step is lr * sign(g)
    >>> np.round(w, 6), opt.m[0], opt.v[0]  # m = 0.1 * 2, v = 0.001 * 4
    (array([0.9]), array([0.2]), array([0.004]))
    """

    def __init__(self, params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0) -> None:
        super().__init__(params, lr, weight_decay)
        self.beta1 = check_scalar(beta1, "beta1", low=0.0, high=1.0, high_inclusive=False)
        self.beta2 = check_scalar(beta2, "beta2", low=0.0, high=1.0, high_inclusive=False)
        self.eps = check_scalar(eps, "eps", low=0.0, low_inclusive=False)
        self.m = self._state()
        self.v = self._state()

    def _update(self, i, value, grad, tmp) -> None:
        m, v, t = self.m[i], self.v[i], self.iterations
        b1, b2 = self.beta1, self.beta2
        m *= b1  # m <- beta1 m + (1 - beta1) g
        np.multiply(grad, 1.0 - b1, out=tmp)
        m += tmp
        v *= b2  # v <- beta2 v + (1 - beta2) g^2
        np.square(grad, out=tmp)
        tmp *= 1.0 - b2
        v += tmp
        # theta <- theta - lr m_hat / (sqrt(v_hat) + eps), with the bias corrections
        # folded into two numbers, as Kingma and Ba write it (section 2):
        # lr m_hat / (sqrt(v_hat) + eps) = step m / (sqrt(v) + eps_hat).
        c2 = math.sqrt(1.0 - b2**t)
        step, eps_hat = self._lr * c2 / (1.0 - b1**t), self.eps * c2
        _scaled_step(value, m, v, eps_hat, step, tmp)

    def _settings(self) -> str:
        return f"lr={self.lr:g}, beta1={self.beta1:g}, beta2={self.beta2:g}, eps={self.eps:g}"


#: Each optimizer class, by name, in the order of the course.
OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "adagrad": AdaGrad,
    "rmsprop": RMSProp,
    "adam": Adam,
}

#: Other accepted spellings, mapped to the name in :data:`OPTIMIZERS` (none yet).
OPTIMIZER_ALIASES: dict[str, str] = {}


def get_optimizer(name) -> type[Optimizer]:
    r"""The optimizer class called ``name`` (case-insensitive).

    .. math::

        \text{name} \mapsto \text{class}

    Parameters
    ----------
    name : str or Optimizer subclass
        A key of :data:`OPTIMIZERS` (``"sgd"``, ``"momentum"``, ``"adagrad"``,
        ``"rmsprop"``, ``"adam"``). A subclass of :class:`Optimizer` is
        returned unchanged.

    Returns
    -------
    type
        The registered class, the same object on every call; call it with
        the model's parameters for an optimizer.

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid ones.

    Examples
    --------
    >>> get_optimizer("Adam") is Adam
    True
    """
    return lookup(name, OPTIMIZERS, "optimizer", OPTIMIZER_ALIASES,
                  passthrough=lambda obj: isinstance(obj, type) and issubclass(obj, Optimizer),
                  expected="an Optimizer subclass")


# --------------------------------------------------------------------------
# Gradient clipping
# --------------------------------------------------------------------------


def _gradients(params) -> list[np.ndarray]:
    """The gradient arrays of ``params``: the model's flat vector if it has one, else each."""
    triples = _collect(params)
    flat = _packed(params, triples)
    return [flat[1]] if flat is not None else [grad for _, _, grad in triples]


def _global_norm(grads: list[np.ndarray]) -> float:
    r""":math:`\|g\| = \sqrt{\sum_i g_i^2}` over every array; nan or inf if a gradient is."""
    norm = math.sqrt(sum(float(np.dot(g.ravel(), g.ravel())) for g in grads))
    if not math.isfinite(norm) and all(np.isfinite(g).all() for g in grads):
        # The squares overflowed: ||g|| = top * ||g / top|| with top = max |g_i|.
        top = max(float(np.abs(g).max()) for g in grads)
        norm = top * math.sqrt(sum(float(np.sum(np.square(g / top))) for g in grads))
    return norm


def _shrink(grads: list[np.ndarray], norm: float, max_norm: float) -> None:
    """Scale ``grads`` (of global norm ``norm``) in place by ``min(1, max_norm/(norm + 1e-6))``."""
    scale = max_norm / (norm + 1e-6)
    if scale < 1.0:  # else untouched, to the last bit
        for g in grads:
            g *= scale


def clip_grad_norm(params, max_norm) -> float:
    r"""Gradient clipping by global norm (梯度裁剪): shrink all gradients together, in place.

    .. math::

        \|g\| = \sqrt{\textstyle\sum_{\theta} \sum_i g_{\theta,i}^2}, \qquad
        g \leftarrow g \cdot \min\Big(1, \frac{c}{\|g\| + 10^{-6}}\Big)

    over every parameter :math:`\theta` at once, with :math:`c` = ``max_norm``,
    as ``torch.nn.utils.clip_grad_norm_``: the direction of the step is kept,
    its length bounded. Gradients whose norm is below :math:`c` are not touched.
    Call it after ``backward`` and before ``optimizer.step()``;
    ``fit(..., clip_norm=c)`` does.

    Parameters
    ----------
    params : model or iterable of (name, value, grad)
        As for :class:`Optimizer`; every ``grad`` is rescaled in place.
    max_norm : float, > 0
        :math:`c`.

    Returns
    -------
    float
        :math:`\|g\|` before clipping.

    Raises
    ------
    ValueError
        For ``max_norm`` not a positive finite number, ``params`` without
        parameters, or gradients holding nan or inf (left untouched).

    Examples
    --------
    >>> g1, g2 = np.array([3.0]), np.array([4.0])
    >>> clip_grad_norm([("a", np.zeros(1), g1), ("b", np.zeros(1), g2)], max_norm=1.0)
    5.0
    >>> np.round(np.concatenate([g1, g2]), 6)  # (3, 4) / 5, up to the 1e-6
    array([0.6, 0.8])
    """
    max_norm = check_scalar(max_norm, "max_norm", low=0.0, low_inclusive=False)
    grads = _gradients(params)
    with np.errstate(over="ignore", invalid="ignore"):
        norm = _global_norm(grads)
    if not math.isfinite(norm):
        raise ValueError(
            f"the gradients hold nan or inf (global norm {norm}); clipping cannot make them "
            "finite: expected finite gradients (a smaller learning rate may keep them so)"
        )
    _shrink(grads, norm, max_norm)
    return norm


# --------------------------------------------------------------------------
# Learning-rate schedules
# --------------------------------------------------------------------------


class Schedule:
    r"""A learning-rate schedule: ``schedule(epoch) -> lr`` with epochs counted from 0.

    .. math::

        e \mapsto \eta(e), \qquad e = 0, 1, 2, \dots

    Built by :func:`step_decay`, :func:`exponential_decay`, :func:`cosine` and
    :func:`warmup`, which check their settings; calling it checks the epoch.

    Examples
    --------
    >>> schedule = exponential_decay(0.1, gamma=0.5)
    >>> schedule
    exponential_decay(lr0=0.1, gamma=0.5)
    >>> schedule(2)
    0.025
    """

    def __init__(self, name: str, formula: Callable[[int], float], **settings) -> None:
        self.name, self._formula, self.settings = name, formula, settings

    def __call__(self, epoch) -> float:
        if isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral) or epoch < 0:
            raise ValueError(f"epoch must be a non-negative integer, got {epoch!r}")
        return float(self._formula(int(epoch)))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.settings.items())
        return f"{self.name}({args})"


def step_decay(lr0, step_size, gamma=0.1) -> Schedule:
    r"""Step decay: multiply the rate by :math:`\gamma` every ``step_size`` epochs.

    .. math::

        \eta(e) = \eta_0\, \gamma^{\lfloor e / s \rfloor}

    Parameters
    ----------
    lr0 : float, > 0
        :math:`\eta_0`, the rate of epochs 0 to :math:`s - 1`.
    step_size : int, >= 1
        :math:`s`.
    gamma : float in (0, 1]

    Returns
    -------
    Schedule

    Examples
    --------
    >>> schedule = step_decay(0.1, step_size=2, gamma=0.5)
    >>> [schedule(e) for e in range(5)]
    [0.1, 0.1, 0.05, 0.05, 0.025]
    """
    lr0 = check_scalar(lr0, "lr0", low=0.0, low_inclusive=False)
    step_size = check_positive_int(step_size, "step_size")
    gamma = check_scalar(gamma, "gamma", low=0.0, high=1.0, low_inclusive=False)
    return Schedule(
        "step_decay",
        lambda e: lr0 * gamma ** (e // step_size),
        lr0=lr0,
        step_size=step_size,
        gamma=gamma,
    )


def exponential_decay(lr0, gamma) -> Schedule:
    r"""Exponential decay: multiply the rate by :math:`\gamma` every epoch.

    .. math::

        \eta(e) = \eta_0\, \gamma^{e}

    Parameters
    ----------
    lr0 : float, > 0
    gamma : float in (0, 1]

    Returns
    -------
    Schedule

    Examples
    --------
    >>> schedule = exponential_decay(1.0, gamma=0.5)
    >>> [schedule(e) for e in range(4)]
    [1.0, 0.5, 0.25, 0.125]
    """
    lr0 = check_scalar(lr0, "lr0", low=0.0, low_inclusive=False)
    gamma = check_scalar(gamma, "gamma", low=0.0, high=1.0, low_inclusive=False)
    return Schedule("exponential_decay", lambda e: lr0 * gamma**e, lr0=lr0, gamma=gamma)


def cosine(lr0, total_epochs, lr_min=0.0) -> Schedule:
    r"""Cosine annealing from :math:`\eta_0` down to :math:`\eta_{min}` over :math:`T` epochs.

    .. math::

        \eta(e) = \eta_{min} + \frac{\eta_0 - \eta_{min}}{2}
                  \Big(1 + \cos\frac{\pi \min(e, T)}{T}\Big)

    so :math:`\eta(0) = \eta_0` and :math:`\eta(e) = \eta_{min}` for
    :math:`e \ge T` (PyTorch's ``CosineAnnealingLR`` without restarts). With
    the default :math:`\eta_{min} = 0`, use :math:`T` = the number of epochs
    trained (epochs :math:`0, \dots, T-1` then all have a positive rate).

    Parameters
    ----------
    lr0 : float, > 0
    total_epochs : int, >= 1
        :math:`T`.
    lr_min : float in [0, lr0]

    Returns
    -------
    Schedule

    Examples
    --------
    >>> schedule = cosine(1.0, total_epochs=4)
    >>> [round(schedule(e), 4) for e in range(5)]
    [1.0, 0.8536, 0.5, 0.1464, 0.0]
    """
    lr0 = check_scalar(lr0, "lr0", low=0.0, low_inclusive=False)
    total = check_positive_int(total_epochs, "total_epochs")
    lr_min = check_scalar(lr_min, "lr_min", low=0.0, high=lr0)
    return Schedule(
        "cosine",
        lambda e: lr_min + 0.5 * (lr0 - lr_min) * (1.0 + math.cos(math.pi * min(e, total) / total)),
        lr0=lr0,
        total_epochs=total,
        lr_min=lr_min,
    )


def warmup(lr0, warmup_epochs, then=None) -> Schedule:
    r"""Linear warm-up: climb to :math:`\eta_0` over :math:`E` epochs, then follow ``then``.

    .. math::

        \eta(e) = \begin{cases}
            \eta_0\, \dfrac{e + 1}{E} & e < E \\
            \eta_\text{then}(e - E) & e \ge E
        \end{cases}

    so the first epoch trains at :math:`\eta_0 / E` and epoch :math:`E - 1` at
    :math:`\eta_0`; without ``then``, :math:`\eta(e) = \eta_0` for :math:`e \ge E`.
    ``then`` starts counting at 0 when the warm-up ends.

    Parameters
    ----------
    lr0 : float, > 0
        :math:`\eta_0`, the rate the warm-up reaches.
    warmup_epochs : int, >= 1
        :math:`E`.
    then : Schedule, callable or None
        The schedule after the warm-up, e.g. ``cosine(lr0, total_epochs=T)``;
        it must start where the warm-up ends: ``then(0) == lr0``.

    Returns
    -------
    Schedule

    Raises
    ------
    ValueError
        For bad settings, a ``then`` that is not callable, or ``then(0) != lr0``.

    Examples
    --------
    >>> schedule = warmup(0.1, warmup_epochs=4, then=step_decay(0.1, step_size=2, gamma=0.5))
    >>> [round(schedule(e), 4) for e in range(8)]
    [0.025, 0.05, 0.075, 0.1, 0.1, 0.1, 0.05, 0.05]
    """
    lr0 = check_scalar(lr0, "lr0", low=0.0, low_inclusive=False)
    warmup_epochs = check_positive_int(warmup_epochs, "warmup_epochs")
    if then is not None:
        if not callable(then):
            raise ValueError(f"then must be a schedule (epoch -> lr) or None, got {then!r}"[:200])
        start = then(0)
        if not math.isclose(start, lr0, rel_tol=1e-9):
            raise ValueError(
                f"then starts at then(0) = {start!r}, but the warm-up climbs to lr0 = {lr0!r}; "
                "expected then(0) == lr0 (e.g. cosine(lr0, total_epochs))"
            )

    def formula(e: int) -> float:
        if e < warmup_epochs:
            return lr0 * (e + 1) / warmup_epochs
        return lr0 if then is None else then(e - warmup_epochs)

    return Schedule("warmup", formula, lr0=lr0, warmup_epochs=warmup_epochs, then=then)
