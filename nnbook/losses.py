r"""Loss functions (损失函数) for classification (分类任务) and regression (回归任务).

Each loss is a pair with one signature::

    loss(prediction, target) -> float          # the mean over the batch
    loss_grad(prediction, target) -> ndarray   # its gradient, shaped like prediction

(:func:`smooth_l1` adds ``beta``). The value is a mean, as in the notes'
formulas with :math:`1/n`: over samples for :func:`cross_entropy`, over all
elements for the others, so the gradient carries the :math:`1/n`; float32
stays float32. Chapter 5 derives each loss.

==========================================  ============  =======================
loss                                        task          prediction
==========================================  ============  =======================
:func:`cross_entropy`                       multi-class   logits (softmax inside)
:func:`binary_cross_entropy`                binary        probabilities in [0, 1]
:func:`binary_cross_entropy_with_logits`    binary        logits (sigmoid inside)
:func:`mae` (L1), :func:`mse` (L2)          regression    real values
:func:`smooth_l1`                           regression    real values
==========================================  ============  =======================

:func:`get_loss` gives the :class:`Loss` the training loop uses. Every loss
stays finite at the extremes (logits of :math:`\pm 10^4`, probabilities of
exactly 0 or 1): log-sum-exp, the stable sigmoid, clipped logs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ._validation import as_float_array, check_scalar, describe, lookup

__all__ = [
    "CLIP_EPS",
    "LOSSES",
    "LOSS_ALIASES",
    "Loss",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "cross_entropy",
    "cross_entropy_grad",
    "get_loss",
    "mae",
    "mae_grad",
    "mse",
    "mse_grad",
    "smooth_l1",
    "smooth_l1_grad",
]

#: Probabilities are clipped to [eps, 1 - eps] before taking logs (in float32,
#: 1 - 1e-12 would round to 1).
CLIP_EPS = {np.dtype(np.float64): 1e-12, np.dtype(np.float32): 1e-7}


# --------------------------------------------------------------------------
# Input checks (skipped by Loss.value_and_grad(..., check=False))
# --------------------------------------------------------------------------


def _check_nonempty(arr: np.ndarray, name: str) -> None:
    if arr.ndim == 0 or arr.size == 0:
        raise ValueError(
            f"{name} must be a non-empty array with at least one dimension, "
            f"got {describe(arr)}"
        )


def _check_same_shape(pred: np.ndarray, target: np.ndarray, pname: str, tname: str) -> None:
    if pred.shape != target.shape:
        raise ValueError(
            f"{tname} has shape {target.shape}; expected {pred.shape}, the shape of {pname} "
            "(no broadcasting: (n,) and (n, 1) are different shapes)"
        )


def _check_unit_interval(arr: np.ndarray, name: str) -> None:
    if arr.min() < 0 or arr.max() > 1:
        raise ValueError(
            f"{name} must hold probabilities in [0, 1], got values in "
            f"[{float(arr.min()):g}, {float(arr.max()):g}]"
        )


def _check_pair(prediction, target, pname: str, tname: str) -> tuple[np.ndarray, np.ndarray]:
    """Validate an element-wise (prediction, target) pair; target takes prediction's dtype."""
    pred = as_float_array(prediction, pname)
    _check_nonempty(pred, pname)
    tgt = as_float_array(target, tname, dtype=pred.dtype)
    _check_same_shape(pred, tgt, pname, tname)
    return pred, tgt


def _check_classification(logits, target) -> tuple[np.ndarray, np.ndarray]:
    """Validate logits (n, K) and either integer labels (n,) or probabilities (n, K)."""
    logits = as_float_array(logits, "logits")
    if logits.ndim != 2 or logits.shape[0] == 0 or logits.shape[1] == 0:
        raise ValueError(
            f"logits must have shape (n, K) with n >= 1 samples and K >= 1 classes, "
            f"got {describe(logits)}"
        )
    n, k = logits.shape
    target = np.asarray(target)
    if target.ndim == 1:
        if target.dtype.kind not in "iu":
            raise ValueError(
                f"target of shape (n,) must hold integer class labels, got {describe(target)}; "
                f"expected an integer array with values in [0, {k})"
            )
        if target.shape != (n,):
            raise ValueError(
                f"target has shape {target.shape}; expected ({n},), one label per row of logits"
            )
        low, high = int(target.min()), int(target.max())
        if low < 0 or high >= k:
            raise ValueError(
                f"target holds class labels in [{low}, {high}]; expected labels in [0, {k}) "
                f"for logits with k={k} columns"
            )
        return logits, target
    target = as_float_array(target, "target", dtype=logits.dtype)
    if target.shape != logits.shape:
        raise ValueError(
            f"target has shape {target.shape}; expected integer labels of shape ({n},) "
            f"or class probabilities of shape {logits.shape}, the shape of logits"
        )
    _check_unit_interval(target, "target")
    sums = target.sum(axis=1)
    tol = 1e-6 if target.dtype == np.float64 else 1e-4
    worst = int(np.argmax(np.abs(sums - 1)))
    if abs(float(sums[worst]) - 1) > tol:
        raise ValueError(
            f"target rows must be probability distributions summing to 1; row {worst} sums "
            f"to {float(sums[worst]):.6g} (tolerance {tol:g})"
        )
    return logits, target


def _check_probabilities(p, y) -> tuple[np.ndarray, np.ndarray]:
    p, y = _check_pair(p, y, "p", "y")
    _check_unit_interval(p, "p")
    _check_unit_interval(y, "y")
    return p, y


def _check_binary_logits(z, y) -> tuple[np.ndarray, np.ndarray]:
    z, y = _check_pair(z, y, "z", "y")
    _check_unit_interval(y, "y")
    return z, y


def _check_regression(y_pred, y) -> tuple[np.ndarray, np.ndarray]:
    return _check_pair(y_pred, y, "y_pred", "y")


def _check_beta(beta) -> float:
    return check_scalar(beta, "beta", low=0.0, low_inclusive=False)


# --------------------------------------------------------------------------
# Kernels: validated inputs in, (loss, gradient or None) out
# --------------------------------------------------------------------------


def _cross_entropy_kernel(Z, target, want_grad=True):
    # L = (1/n) sum_i [log sum_k e^(Z_ik - m_i) - (Z_iy_i - m_i)], m_i = max_k Z_ik
    n = Z.shape[0]
    shifted = Z - Z.max(axis=1, keepdims=True)  # Z_ik - m_i <= 0: exp cannot overflow
    rows = np.arange(n)
    if target.ndim == 1:  # integer labels y
        picked = shifted[rows, target].sum()
    else:  # class probabilities Y, shape (n, K)
        picked = np.vdot(target, shifted)
    Q = np.exp(shifted, out=shifted)
    s = Q.sum(axis=1, keepdims=True)  # in [1, K]: its log cannot overflow nor hit 0
    loss = (float(np.log(s).sum()) - float(picked)) / n
    if not want_grad:
        return loss, None
    Q /= s  # Q = S(Z), the softmax of each row
    if target.ndim == 1:
        Q[rows, target] -= 1  # Q - Y, with Y one-hot
    else:
        Q -= target
    Q *= 1.0 / n  # dL/dZ = (Q - Y) / n
    return loss, Q


def _binary_cross_entropy_kernel(p, y, want_grad=True):
    eps = CLIP_EPS.get(p.dtype, CLIP_EPS[np.dtype(np.float64)])
    pc = np.clip(p, eps, 1 - eps)
    log_p = np.log(pc)
    log_1mp = np.log1p(-pc)
    # -(y log p + (1 - y) log(1 - p)) = -(log(1 - p) + y (log p - log(1 - p)))
    log_p -= log_1mp
    log_p *= y
    log_p += log_1mp
    loss = -float(log_p.mean())
    if not want_grad:
        return loss, None
    grad = pc - y
    grad /= pc * (1 - pc)
    grad *= 1.0 / p.size
    return loss, grad


def _binary_cross_entropy_with_logits_kernel(z, y, want_grad=True):
    e = np.abs(z)
    np.negative(e, out=e)
    np.exp(e, out=e)  # exp(-|z|) in (0, 1]: never overflows
    terms = np.maximum(z, 0)
    terms -= z * y
    terms += np.log1p(e)
    loss = float(terms.mean())
    if not want_grad:
        return loss, None
    # Stable sigmoid: 1 / (1 + e^{-z}) for z >= 0, e^{z} / (1 + e^{z}) for z < 0.
    grad = np.where(z >= 0, 1, e).astype(z.dtype, copy=False)
    e += 1
    grad /= e
    grad -= y
    grad *= 1.0 / z.size
    return loss, grad


def _mae_kernel(y_pred, y, want_grad=True):
    d = y_pred - y
    loss = float(np.abs(d).mean())
    if not want_grad:
        return loss, None
    np.sign(d, out=d)
    d *= 1.0 / d.size
    return loss, d


def _mse_kernel(y_pred, y, want_grad=True):
    d = y_pred - y
    loss = float(np.vdot(d, d)) / d.size
    if not want_grad:
        return loss, None
    d *= 2.0 / d.size
    return loss, d


def _smooth_l1_kernel(y_pred, y, beta=1.0, want_grad=True):
    d = y_pred - y
    a = np.abs(d)
    inside = a < beta
    loss = float(np.where(inside, 0.5 * d * d / beta, a - 0.5 * beta).mean())
    if not want_grad:
        return loss, None
    # x / beta inside, sign(x) outside; sign(x) = x / |x| and |x| >= beta > 0 there.
    np.maximum(a, beta, out=a)
    d /= a
    d *= 1.0 / d.size
    return loss, d


# --------------------------------------------------------------------------
# Classification
# --------------------------------------------------------------------------


def cross_entropy(logits, target) -> float:
    r"""Softmax cross entropy (多分类交叉熵损失) from logits, averaged over samples.

    .. math::

        L = -\frac{1}{n} \sum_{i=1}^{n} \sum_{j=1}^{k} Y_{ij} \log S(z_i)_j,
        \qquad
        \log S(z_i)_j = z_{ij} - m_i - \log \sum_{l=1}^{k} e^{z_{il} - m_i},
        \quad m_i = \max_l z_{il}

    (log-sum-exp: no exponential overflows, no log sees 0).

    Parameters
    ----------
    logits : array_like, shape (n, K)
    target : array_like, shape (n,) or (n, K)
        Integer class labels in ``[0, k)`` (:math:`Y` one-hot), or class
        probabilities whose rows sum to 1.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For other shapes, non-finite values, labels outside ``[0, K)`` or rows
        that are not distributions.

    Examples
    --------
    >>> round(cross_entropy([[0.0, 0.0]], [0]), 6)  # log 2
    0.693147
    >>> round(cross_entropy([[1e4, -1e4]], [1]), 1)  # finite at the extremes
    20000.0
    """
    return _cross_entropy_kernel(*_check_classification(logits, target), want_grad=False)[0]


def cross_entropy_grad(logits, target) -> np.ndarray:
    r"""Gradient of :func:`cross_entropy` with respect to the logits, shape (n, K).

    .. math::

        \frac{\partial L}{\partial z} = \frac{1}{n}\big(S(z) - Y\big)

    Parameters and errors as :func:`cross_entropy`.

    Examples
    --------
    >>> cross_entropy_grad([[0.0, 0.0]], [0])
    array([[-0.5,  0.5]])
    """
    return _cross_entropy_kernel(*_check_classification(logits, target))[1]


def binary_cross_entropy(p, y) -> float:
    r"""Binary cross entropy (二分类交叉熵损失) on probabilities, averaged over elements.

    .. math::

        L = -\frac{1}{N} \sum_{i=1}^{N}
            \Big( y_i \log \hat p_i + (1 - y_i) \log (1 - \hat p_i) \Big),
        \qquad \hat p_i = \operatorname{clip}(p_i, \varepsilon, 1 - \varepsilon)

    with :math:`\varepsilon` = :data:`CLIP_EPS` (:math:`10^{-12}` in float64,
    :math:`10^{-7}` in float32), so :math:`p = 0` or 1 gives a large, finite loss.

    Parameters
    ----------
    p : array_like, any non-empty shape
        Predicted probabilities in [0, 1].
    y : array_like, shape of ``p``
        Targets in [0, 1].

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For different shapes, non-finite values or values outside [0, 1].

    Examples
    --------
    >>> round(binary_cross_entropy([0.0], [1.0]), 4)  # -log(1e-12), not inf
    27.631
    """
    return _binary_cross_entropy_kernel(*_check_probabilities(p, y), want_grad=False)[0]


def binary_cross_entropy_grad(p, y) -> np.ndarray:
    r"""Gradient of :func:`binary_cross_entropy` with respect to ``p``, shaped like ``p``.

    .. math::

        \frac{\partial L}{\partial p_i} = \frac{1}{N}\,
        \frac{\hat p_i - y_i}{\hat p_i (1 - \hat p_i)}

    at the clipped :math:`\hat p`: finite at 0 and 1, exact in between.
    Parameters and errors as :func:`binary_cross_entropy`.

    Examples
    --------
    >>> binary_cross_entropy_grad([0.5, 0.5], [0, 1])
    array([ 1., -1.])
    """
    return _binary_cross_entropy_kernel(*_check_probabilities(p, y))[1]


def binary_cross_entropy_with_logits(z, y) -> float:
    r"""Binary cross entropy of :math:`\sigma(z)` (二分类), computed stably from the logits ``z``.

    .. math::

        L = \frac{1}{N} \sum_{i=1}^{N}
            \Big( \max(z_i, 0) - z_i y_i + \log\big(1 + e^{-|z_i|}\big) \Big)

    the value of :func:`binary_cross_entropy` at :math:`p = \sigma(z)`, without
    overflow or clipping.

    Parameters
    ----------
    z : array_like, any non-empty shape
        Logits.
    y : array_like, shape of ``z``
        Targets in [0, 1].

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For different shapes, non-finite values or targets outside [0, 1].

    Examples
    --------
    >>> binary_cross_entropy_with_logits([1e4, -1e4], [0.0, 0.0])  # (1e4 + 0) / 2
    5000.0
    """
    return _binary_cross_entropy_with_logits_kernel(
        *_check_binary_logits(z, y), want_grad=False
    )[0]


def binary_cross_entropy_with_logits_grad(z, y) -> np.ndarray:
    r"""Gradient of :func:`binary_cross_entropy_with_logits` with respect to ``z``, shaped like it.

    .. math::

        \frac{\partial L}{\partial z_i} = \frac{1}{N}\big(\sigma(z_i) - y_i\big)

    Parameters and errors as :func:`binary_cross_entropy_with_logits`.

    Examples
    --------
    >>> binary_cross_entropy_with_logits_grad([0.0, 1e4], [1.0, 0.0])
    array([-0.25,  0.5 ])
    """
    return _binary_cross_entropy_with_logits_kernel(*_check_binary_logits(z, y))[1]


# --------------------------------------------------------------------------
# Regression
# --------------------------------------------------------------------------


def mae(y_pred, y) -> float:
    r"""Mean absolute error (MAE, L1 loss, 绝对误差), averaged over all elements.

    .. math::

        L = \frac{1}{N} \sum_{i=1}^{N} |\hat y_i - y_i|

    Parameters and errors as :func:`mse`.

    Examples
    --------
    >>> mae([1.0, 2.0, 3.0], [1.0, 1.0, 1.0])  # (0 + 1 + 2) / 3
    1.0
    """
    return _mae_kernel(*_check_regression(y_pred, y), want_grad=False)[0]


def mae_grad(y_pred, y) -> np.ndarray:
    r"""Gradient of :func:`mae` with respect to ``y_pred``, shaped like ``y_pred``.

    .. math::

        \frac{\partial L}{\partial \hat y_i} = \frac{1}{N} \operatorname{sign}(\hat y_i - y_i),
        \qquad \operatorname{sign}(0) = 0 \text{ (a subgradient)}

    Parameters and errors as :func:`mse`.

    Examples
    --------
    >>> mae_grad([1.0, 2.0, 0.0, 5.0], [1.0, 1.0, 1.0, 1.0])
    array([ 0.  ,  0.25, -0.25,  0.25])
    """
    return _mae_kernel(*_check_regression(y_pred, y))[1]


def mse(y_pred, y) -> float:
    r"""Mean squared error (MSE, L2 loss, 欧氏距离), averaged over all elements.

    .. math::

        L = \frac{1}{N} \sum_{i=1}^{N} (\hat y_i - y_i)^2

    Parameters
    ----------
    y_pred : array_like, any non-empty shape
        Predictions :math:`\hat y`.
    y : array_like, shape of ``y_pred``
        Targets (no broadcasting: (n,) and (n, 1) differ).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For different shapes, an empty or 0-d ``y_pred``, or non-finite values.

    Examples
    --------
    >>> round(mse([1.0, 2.0, 3.0], [1.0, 1.0, 1.0]), 6)  # (0 + 1 + 4) / 3
    1.666667
    """
    return _mse_kernel(*_check_regression(y_pred, y), want_grad=False)[0]


def mse_grad(y_pred, y) -> np.ndarray:
    r"""Gradient of :func:`mse` with respect to ``y_pred``, shaped like ``y_pred``.

    .. math::

        \frac{\partial L}{\partial \hat y_i} = \frac{2}{N} (\hat y_i - y_i)

    Parameters and errors as :func:`mse`.

    Examples
    --------
    >>> mse_grad([1.0, 2.0], [1.0, 0.0])
    array([0., 2.])
    """
    return _mse_kernel(*_check_regression(y_pred, y))[1]


def smooth_l1(y_pred, y, beta=1.0) -> float:
    r"""Smooth L1 loss (smooth L1损失函数), averaged over all elements: L2 near 0, L1 further out.

    .. math::

        L = \frac{1}{N} \sum_{i=1}^{N} \ell(\hat y_i - y_i), \qquad
        \ell(x) = \begin{cases}
            0.5\, x^2 / \beta & \text{if } |x| < \beta \\
            |x| - 0.5\, \beta & \text{otherwise}
        \end{cases}

    :math:`\beta = 1` gives the notes' :math:`smooth_{L_1}`; value and slope
    are continuous at :math:`|x| = \beta`. Parameters and errors as
    :func:`mse`, plus ``beta`` (float > 0, where the quadratic part ends;
    ``ValueError`` otherwise).

    Examples
    --------
    >>> round(smooth_l1([0.0, 1.0, 2.0], [0.0, 0.0, 0.0]), 6)  # (0 + 0.5 + 1.5) / 3
    0.666667
    """
    beta = _check_beta(beta)
    return _smooth_l1_kernel(*_check_regression(y_pred, y), beta=beta, want_grad=False)[0]


def smooth_l1_grad(y_pred, y, beta=1.0) -> np.ndarray:
    r"""Gradient of :func:`smooth_l1` with respect to ``y_pred``, shaped like ``y_pred``.

    .. math::

        \frac{\partial L}{\partial \hat y_i} = \frac{1}{N} \begin{cases}
            x_i / \beta & \text{if } |x_i| < \beta \\
            \operatorname{sign}(x_i) & \text{otherwise}
        \end{cases}, \qquad x_i = \hat y_i - y_i

    Parameters and errors as :func:`smooth_l1`.

    Examples
    --------
    >>> smooth_l1_grad([0.5, 3.0], [0.0, 0.0])
    array([0.25, 0.5 ])
    """
    beta = _check_beta(beta)
    return _smooth_l1_kernel(*_check_regression(y_pred, y), beta=beta)[1]


# --------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Loss:
    r"""A loss as the training loop sees it: a name, its value, its gradient.

    .. math::

        (\hat y, y) \mapsto \Big(L(\hat y, y),\ \frac{\partial L}{\partial \hat y}\Big)

    Obtain one with :func:`get_loss`, or build a custom one from any pair with
    the signatures of :func:`mse` and :func:`mse_grad`: ``Loss("mine", value, grad)``.

    Attributes
    ----------
    name : str
    value : callable
        ``value(prediction, target) -> float``.
    grad : callable
        ``grad(prediction, target) -> ndarray``, shaped like ``prediction``.
    expects : {"logits", "probabilities", "values"}
        What the prediction must be, so that :func:`nnbook.train.fit` rejects an
        output layer that does not fit (a softmax layer before
        ``cross_entropy``, which applies softmax itself).
    labels : {"argmax", "threshold"} or None
        How an output becomes class labels: the largest of K scores, or one
        output above the threshold of what it is (as
        :func:`nnbook.metrics.predicted_labels` decides); None for regression.

    Examples
    --------
    >>> value, grad = get_loss("mse").value_and_grad(np.array([1.0, 3.0]), np.array([1.0, 1.0]))
    >>> value, grad
    (2.0, array([0., 2.]))
    """

    name: str
    value: Callable[..., float]
    grad: Callable[..., np.ndarray]
    expects: str = "values"
    labels: str | None = None
    _check: Callable | None = field(default=None, repr=False, compare=False)
    _kernel: Callable | None = field(default=None, repr=False, compare=False)

    def check(self, prediction, target) -> tuple[np.ndarray, np.ndarray]:
        """Validate ``prediction`` and ``target`` for this loss, without computing it.

        Returns them as the loss computes with them (float arrays; labels as
        integers). Raises ``ValueError`` as :attr:`value` would.

        >>> get_loss("cross_entropy").check([[0.0, 1.0]], [2])  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: target holds class labels in [2, 2]; expected labels in [0, 2) ...
        """
        if self._check is None:  # a custom loss: its value function checks
            self.value(prediction, target)
            return prediction, target
        return self._check(prediction, target)

    def value_and_grad(self, prediction, target, check=True) -> tuple[float, np.ndarray]:
        r"""The loss and its gradient in one pass, sharing the softmax or the difference.

        .. math::

            \Big(L,\ \frac{\partial L}{\partial \hat y}\Big)

        Parameters
        ----------
        prediction, target : array_like
            As for :attr:`value`.
        check : bool
            Validate the inputs (default). ``check=False`` skips every check, for a
            training loop whose inputs are known to be good: ``prediction`` must
            then be a float ndarray and ``target`` an ndarray of the right shape
            (integer labels in ``[0, k)``, or the dtype of ``prediction``).

        Returns
        -------
        value : float
        grad : numpy.ndarray, shape and dtype of ``prediction``

        Examples
        --------
        >>> z = np.array([[0.0, 0.0], [0.0, 0.0]])
        >>> value, grad = get_loss("cross_entropy").value_and_grad(z, np.array([0, 1]))
        >>> round(value, 6), grad
        (0.693147, array([[-0.25,  0.25],
               [ 0.25, -0.25]]))
        """
        if self._kernel is None:
            return self.value(prediction, target), self.grad(prediction, target)
        if check:
            prediction, target = self._check(prediction, target)
        return self._kernel(prediction, target)


#: Each loss, by name.
LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("cross_entropy", cross_entropy, cross_entropy_grad, "logits", "argmax",
             _check_classification, _cross_entropy_kernel),
        Loss("binary_cross_entropy", binary_cross_entropy, binary_cross_entropy_grad,
             "probabilities", "threshold", _check_probabilities, _binary_cross_entropy_kernel),
        Loss("binary_cross_entropy_with_logits", binary_cross_entropy_with_logits,
             binary_cross_entropy_with_logits_grad, "logits", "threshold",
             _check_binary_logits, _binary_cross_entropy_with_logits_kernel),
        Loss("mae", mae, mae_grad, "values", None, _check_regression, _mae_kernel),
        Loss("mse", mse, mse_grad, "values", None, _check_regression, _mse_kernel),
        Loss("smooth_l1", smooth_l1, smooth_l1_grad, "values", None,
             _check_regression, _smooth_l1_kernel),
    )
}  # fmt: skip
#: Other accepted spellings, mapped to the name in :data:`LOSSES`.
LOSS_ALIASES: dict[str, str] = {"l1": "mae", "l2": "mse"}


def get_loss(name) -> Loss:
    r"""The :class:`Loss` called ``name`` (case-insensitive), the same object on every call.

    .. math::

        \text{name} \mapsto \big(L,\ \partial L / \partial \hat y\big)

    Parameters
    ----------
    name : str or Loss
        A key of :data:`LOSSES` (``"smooth_l1"`` with :math:`\beta = 1`) or of
        :data:`LOSS_ALIASES` (``"l1"``, ``"l2"``); a :class:`Loss` is returned
        unchanged.

    Returns
    -------
    Loss

    Raises
    ------
    ValueError
        For an unknown name; the message lists the valid ones.

    Examples
    --------
    >>> get_loss("L2") is get_loss("mse")
    True
    """
    return lookup(name, LOSSES, "loss", LOSS_ALIASES,
                  passthrough=lambda obj: isinstance(obj, Loss), expected="a Loss")
