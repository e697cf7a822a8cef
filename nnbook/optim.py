r"""Optimization algorithms (优化算法) and learning-rate schedules (学习率调度).

An optimizer updates parameters :math:`\theta` from their gradients
:math:`g = \nabla_\theta L`. The update rules are those of PyTorch's
``torch.optim`` at the same settings (so results can be compared number for
number):

==================  ==========================================================
:class:`SGD`        :math:`\theta \leftarrow \theta - \eta g`
:class:`Momentum`   :math:`v \leftarrow \beta v + g,\ \theta \leftarrow \theta - \eta v`
:class:`AdaGrad`    :math:`s \leftarrow s + g^2,\
                    \theta \leftarrow \theta - \eta\, g / (\sqrt{s} + \varepsilon)`
:class:`RMSProp`    :math:`v \leftarrow \rho v + (1-\rho) g^2,\
                    \theta \leftarrow \theta - \eta\, g / (\sqrt{v} + \varepsilon)`
:class:`Adam`       bias-corrected first and second moments (see the class)
==================  ==========================================================

With ``weight_decay`` :math:`\lambda > 0` (L2 regularization), every rule uses
:math:`g + \lambda\theta` in place of :math:`g`, as ``torch.optim`` does.

Optimizers update the parameter arrays *in place* with NumPy's ``out=``
arguments and buffers allocated once, so an optimizer step allocates nothing.
They take either a model (anything with ``parameters()``, such as
:class:`nnbook.network.Sequential`) or an iterable of ``(name, value, grad)``
triples. A model whose parameters live in one contiguous vector
(``model.flat_parameters()``) is updated with one call per operation.

A schedule is a callable ``schedule(epoch) -> lr`` (epochs counted from 0);
:func:`nnbook.train.fit` sets ``optimizer.lr = schedule(epoch)`` before each
epoch. :func:`gradient_descent` runs an optimizer on a function of a small
vector and returns its trajectory, for contour plots (each of its steps is an
epoch of full-batch descent, so its ``schedule`` is applied before each
step); :func:`steps_to_reach` counts the steps a trajectory needs to get, or
to stay, within a tolerance of a target.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

import numpy as np

from ._validation import FLOAT_DTYPES, as_float_array, check_positive_int, check_scalar, lookup
from .base import DivergenceError

__all__ = [
    "OPTIMIZERS",
    "OPTIMIZER_ALIASES",
    "SGD",
    "AdaGrad",
    "Adam",
    "Momentum",
    "Optimizer",
    "RMSProp",
    "cosine",
    "exponential_decay",
    "get_optimizer",
    "gradient_descent",
    "step_decay",
    "steps_to_reach",
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


def _adaptive_step(value, numerator, square_sum, eps, step_size, tmp) -> None:
    r"""The step of AdaGrad, RMSProp and Adam, in place through the buffer ``tmp``.

    .. math::

        \theta \leftarrow \theta - \alpha\, \frac{u}{\sqrt{s} + \varepsilon}

    with ``value`` :math:`\theta`, ``numerator`` :math:`u`, ``square_sum``
    :math:`s` and ``step_size`` :math:`\alpha`.
    """
    np.sqrt(square_sum, out=tmp)
    tmp += eps
    np.divide(numerator, tmp, out=tmp)
    tmp *= step_size
    value -= tmp


class Optimizer:
    r"""Base class: holds the parameters, their gradients and the learning rate :math:`\eta`.

    .. math::

        \theta \leftarrow \theta - \eta\, u(g), \qquad
        g = \nabla_\theta L + \lambda \theta

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
        L2 coefficient :math:`\lambda`.

    Attributes
    ----------
    names : list of str
        Parameter names, in order.
    iterations : int
        Number of steps taken.

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
        self.weight_decay = check_scalar(weight_decay, "weight_decay", low=0.0)
        self.iterations = 0
        flat = params.flat_parameters() if hasattr(params, "flat_parameters") else None
        # The "slots" the update runs over: one contiguous pair, or one pair per array.
        if flat is not None:
            self._slots, self._slot_names = [flat], ["(all, packed)"]
        else:
            self._slots = [(value, grad) for _, value, grad in triples]
            self._slot_names = list(self.names)
        self._scratch = [np.empty_like(value) for value, _ in self._slots]
        self._decayed = None  # buffers for g + weight_decay * theta, made on first use

    @property
    def lr(self) -> float:
        """The learning rate :math:`\\eta` (> 0)."""
        return self._lr

    @lr.setter
    def lr(self, value) -> None:
        self._lr = check_scalar(value, "lr", low=0.0, low_inclusive=False)

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
        wd = self.weight_decay
        for i, (value, grad) in enumerate(self._slots):
            if wd:
                if self._decayed is None:
                    self._decayed = [np.empty_like(v) for v, _ in self._slots]
                decayed = self._decayed[i]
                np.multiply(value, wd, out=decayed)
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
        The momentum coefficient :math:`\beta`, the weight of the past
        velocity; 0 gives plain SGD.

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
        v *= self.momentum
        v += grad
        np.multiply(v, self._lr, out=tmp)
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
        np.square(grad, out=tmp)
        s += tmp
        _adaptive_step(value, grad, s, self.eps, self._lr, tmp)

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
        v *= self.rho
        np.square(grad, out=tmp)
        tmp *= 1.0 - self.rho
        v += tmp
        _adaptive_step(value, grad, v, self.eps, self._lr, tmp)

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

    with :math:`\varepsilon` outside the square root and :math:`m_0 = v_0 = 0`.

    The code keeps the discounted sums :math:`\tilde m = m / (1-\beta_1)` and
    :math:`\tilde v = v / (1-\beta_2)` (attributes ``m_sum`` and ``v_sum``),
    which need no multiplication of the gradient, and takes the step in the
    equivalent form (Kingma and Ba, section 2)

    .. math::

        \tilde m \leftarrow \beta_1 \tilde m + g, \quad
        \tilde v \leftarrow \beta_2 \tilde v + g^2, \quad
        \theta \leftarrow \theta - \alpha_t \frac{\tilde m}{\sqrt{\tilde v} + \hat\varepsilon_t},
        \quad
        \alpha_t = \eta\,\frac{1-\beta_1}{1-\beta_1^t}\,c_t, \quad
        \hat\varepsilon_t = \varepsilon\, c_t, \quad
        c_t = \sqrt{\frac{1-\beta_2^t}{1-\beta_2}}

    which takes 10 passes over the parameters per step instead of 13.

    Parameters
    ----------
    params, lr, weight_decay
        As for :class:`Optimizer`.
    beta1, beta2 : float in [0, 1)
        Decay rates of the first and second moment estimates.
    eps : float, > 0

    Examples
    --------
    >>> w, g = np.array([1.0]), np.array([2.0])
    >>> opt = Adam([("w", w, g)], lr=0.1)
    >>> opt.step()  # first step: m_hat = g, v_hat = g^2, so the step is lr * sign(g)
    >>> np.round(w, 6)
    array([0.9])
    >>> (1 - opt.beta1) * opt.m_sum[0], (1 - opt.beta2) * opt.v_sum[0]  # m and v
    (array([0.2]), array([0.004]))
    """

    def __init__(self, params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0) -> None:
        super().__init__(params, lr, weight_decay)
        self.beta1 = check_scalar(beta1, "beta1", low=0.0, high=1.0, high_inclusive=False)
        self.beta2 = check_scalar(beta2, "beta2", low=0.0, high=1.0, high_inclusive=False)
        self.eps = check_scalar(eps, "eps", low=0.0, low_inclusive=False)
        self.m_sum = self._state()
        self.v_sum = self._state()

    def step(self) -> None:
        t = self.iterations + 1
        c = math.sqrt((1.0 - self.beta2**t) / (1.0 - self.beta2))
        self._step_size = self._lr * (1.0 - self.beta1) / (1.0 - self.beta1**t) * c
        self._eps_t = self.eps * c
        super().step()

    def _update(self, i, value, grad, tmp) -> None:
        m, v = self.m_sum[i], self.v_sum[i]
        m *= self.beta1
        m += grad
        v *= self.beta2
        np.square(grad, out=tmp)
        v += tmp
        _adaptive_step(value, m, v, self._eps_t, self._step_size, tmp)

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


def gradient_descent(
    grad_fn: Callable, x0, lr, steps, optimizer="sgd", schedule=None, **kwargs
) -> np.ndarray:
    r"""Minimize a function of a small vector; return the whole trajectory.

    Starting from :math:`x_0`, repeat ``steps`` times: evaluate the gradient
    with ``grad_fn`` and let the optimizer move :math:`x_k \to x_{k+1}`; for
    ``"sgd"``,

    .. math::

        x_{k+1} = x_k - \eta_k \nabla f(x_k), \qquad k = 0, \dots, \text{steps} - 1,

    with :math:`\eta_k = \eta` (``lr``) or, given a ``schedule``,
    :math:`\eta_k = \text{schedule}(k)`.

    The optimizers are the classes of this module, so trajectories drawn on a
    contour plot show exactly what they do inside a network. ``grad_fn`` may
    be stochastic (a closure that adds noise drawn from its own seeded
    generator), to simulate mini-batch gradients; and ``x0`` may pack many
    independent runs into one vector, which ``grad_fn`` reshapes.

    Parameters
    ----------
    grad_fn : callable
        ``grad_fn(x) -> g``, the gradient at ``x`` (shape ``(dim,)``); it
        receives a copy of the current point.
    x0 : array_like, shape (dim,)
        Starting point.
    lr : float, > 0
    steps : int, >= 1
    optimizer : str or Optimizer subclass
        See :func:`get_optimizer`.
    schedule : callable or None
        ``schedule(epoch) -> lr``, set as the optimizer's rate before each
        epoch, as in :func:`nnbook.train.fit` (so ``lr`` only builds the
        optimizer). Each step here is one epoch of full-batch descent, so a
        :class:`Schedule` such as ``step_decay(0.1, step_size=50)`` sees the
        step :math:`k = 0, 1, \dots` as its epoch; to simulate epochs of ``n``
        minibatch steps, pass ``lambda k: schedule(k // n)``. None keeps ``lr``
        throughout.
    **kwargs
        Further settings of the optimizer (``momentum``, ``rho``, ``beta1``, ``eps``, ...).

    Returns
    -------
    numpy.ndarray, shape (steps + 1, dim), float64
        :math:`x_0, x_1, \dots, x_{steps}`.

    Raises
    ------
    ValueError
        For bad settings, a ``schedule`` that is not callable or returns a
        rate that is not > 0, or a gradient of the wrong size.
    DivergenceError
        A ``FloatingPointError``, as :func:`nnbook.train.fit` raises, when the
        iterates leave the floating-point range (a learning rate far beyond
        the stability limit): the message names the step (``err.epoch``: each
        step is an epoch of full-batch descent), instead of a trajectory full
        of inf and nan and overflow warnings.

    Examples
    --------
    >>> path = gradient_descent(lambda x: 2 * x, [1.0, -2.0], lr=0.25, steps=2)
    >>> path  # x <- x - 0.25 * 2x = x / 2
    array([[ 1.  , -2.  ],
           [ 0.5 , -1.  ],
           [ 0.25, -0.5 ]])
    >>> halving = lambda k: 0.25 * 0.5**k  # lr = 0.25, then 0.125: x * (1 - 2 lr_k)
    >>> gradient_descent(lambda x: 2 * x, [1.0], lr=0.25, steps=2, schedule=halving)[:, 0]
    array([1.   , 0.5  , 0.375])
    >>> gradient_descent(lambda x: 2 * x, [1.0], lr=1.5, steps=2000)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nnbook.base.DivergenceError: gradient descent diverged at step 1024 of 2000 with lr=1.5: ...
    """
    x = as_float_array(x0, "x0").astype(np.float64).reshape(-1)
    steps = check_positive_int(steps, "steps")
    if schedule is not None and not callable(schedule):
        raise ValueError(f"schedule must be a callable step -> lr or None, got {schedule!r}")
    grad = np.zeros_like(x)
    opt = get_optimizer(optimizer)([("x", x, grad)], lr=lr, **kwargs)
    path = np.empty((steps + 1, x.size))
    path[0] = x
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
        for k in range(1, steps + 1):
            if schedule is not None:
                opt.lr = schedule(k - 1)
            g = np.asarray(grad_fn(x.copy()), dtype=np.float64)
            if g.shape != x.shape and g.size == x.size:
                g = g.reshape(x.shape)
            if g.shape != x.shape:
                raise ValueError(f"grad_fn returned shape {g.shape}; expected {x.shape}, like x0")
            grad[...] = g
            opt.step()
            if not np.isfinite(x).all():
                raise DivergenceError(
                    f"gradient descent diverged at step {k} of {steps} with lr={opt.lr:g}: the "
                    f"point left the floating-point range; try a smaller learning rate",
                    epoch=k,
                )
            path[k] = x
    return path


def steps_to_reach(path, target, tol=1e-3, stay=False):
    r"""The number of steps after which a trajectory gets (or stays) within ``tol`` of ``target``.

    With the distances :math:`d_k = \lVert x_k - x^\ast \rVert` of the points
    :math:`x_0, x_1, \dots, x_K` of ``path`` to the target :math:`x^\ast`,

    .. math::

        k_{\text{first}} = \min\,\{k : d_k \le \text{tol}\}, \qquad
        k_{\text{stay}} = \min\,\{k : d_j \le \text{tol} \text{ for all } j = k, \dots, K\}.

    ``stay=False`` returns :math:`k_{\text{first}}`, the first step at which
    the path is within ``tol``; ``stay=True`` returns :math:`k_{\text{stay}}`,
    the step from which on it remains within ``tol`` to the end of the path.
    The two agree when the distance never increases; they differ when the
    path enters the ball of radius ``tol`` and leaves it again, as momentum
    does when it overshoots the minimum and swings back. A ``stay=True``
    count only speaks for the steps recorded: a longer run could leave the
    ball later.

    Parameters
    ----------
    path : array_like, shape (K + 1, dim)
        A trajectory, :math:`x_0` first, as returned by :func:`gradient_descent`.
    target : array_like, shape (dim,)
        :math:`x^\ast`, e.g. ``surface.minimum``.
    tol : float, > 0
    stay : bool

    Returns
    -------
    int or None
        A step :math:`k` in :math:`0, \dots, K` (0: :math:`x_0` already
        counts); None when there is no such step: the path is never within
        ``tol`` (``stay=False``) or its last point is not (``stay=True``).

    Examples
    --------
    >>> path = [[2.0], [0.1], [-0.5], [0.05], [-0.01]]  # overshoots the target 0, returns
    >>> steps_to_reach(path, [0.0], tol=0.2)  # first within 0.2 at step 1 ...
    1
    >>> steps_to_reach(path, [0.0], tol=0.2, stay=True)  # ... out at step 2, in from step 3
    3
    >>> steps_to_reach(path, [0.0], tol=0.001) is None  # never within 0.001
    True
    """
    path = as_float_array(path, "path")
    if path.ndim != 2 or path.shape[0] == 0:
        raise ValueError(f"path must have shape (K + 1, dim), got shape {path.shape}")
    target = as_float_array(target, "target")
    if target.shape != (path.shape[1],):
        raise ValueError(
            f"target must have shape ({path.shape[1]},) like the points of path, "
            f"got shape {target.shape}"
        )
    tol = check_scalar(tol, "tol", low=0.0, low_inclusive=False)
    if not isinstance(stay, (bool, np.bool_)):
        raise ValueError(f"stay must be True or False, got {stay!r}")
    within = np.linalg.norm(path - target, axis=1) <= tol
    if not stay:
        hits = np.flatnonzero(within)
        return int(hits[0]) if hits.size else None
    if not within[-1]:
        return None
    outside = np.flatnonzero(~within)
    return int(outside[-1]) + 1 if outside.size else 0


# --------------------------------------------------------------------------
# Learning-rate schedules
# --------------------------------------------------------------------------


class Schedule:
    r"""A learning-rate schedule: ``schedule(epoch) -> lr`` with epochs counted from 0.

    .. math::

        e \mapsto \eta(e), \qquad e = 0, 1, 2, \dots

    Built by :func:`step_decay`, :func:`exponential_decay` and :func:`cosine`,
    which check their settings; calling it checks the epoch.

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
