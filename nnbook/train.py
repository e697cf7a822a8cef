r"""Training loop (训练): minibatch gradient descent over epochs, and evaluation.

One epoch of :func:`fit` shuffles the training set, cuts it into minibatches
of ``batch_size`` samples and, for each batch :math:`B`, runs

.. math::

    \hat y = f_\theta(X_B), \qquad
    J_B = \operatorname{loss}(\hat y, y_B) + R(\theta), \qquad
    g = \nabla_\theta J_B \ \text{(backward)}, \qquad
    \theta \leftarrow \operatorname{optimizer}(\theta, g)

where :math:`R` is an optional weight penalty (正则项, L1 and/or L2 on the
weight matrices, see :func:`fit`), 0 by default.

The inputs are checked once, before the first epoch; the loop itself calls
the loss with ``check=False`` and allocates as little as it can, so that the
Python overhead per batch stays small. A run whose training loss stops being
finite (a learning rate that is too large) is stopped with a
:class:`DivergenceError`, a ``FloatingPointError``.
"""

from __future__ import annotations

import functools
import math
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from ._validation import as_float_array, as_generator, check_positive_int, check_scalar
from .activations import Sigmoid, Softmax
from .base import DivergenceError
from .layers import BatchNorm1d, Dense
from .losses import Loss, get_loss
from .metrics import THRESHOLDS
from .network import Sequential
from .regularization import l1_penalty, l1_penalty_grad, l2_penalty, l2_penalty_grad

__all__ = ["DivergenceError", "History", "check_output_layer", "evaluate", "fit"]

#: Training sets up to this size are shuffled with one gather per epoch, larger
#: ones batch by batch (see fit).
_GATHER_PER_EPOCH_BYTES = 8 * 2**20


# Weight penalties fit accepts: kind -> (value, gradient), from nnbook.regularization.
_PENALTIES = {
    "l1": (l1_penalty, l1_penalty_grad),
    "l2": (l2_penalty, l2_penalty_grad),
}


@dataclass
class History:
    r"""What :func:`fit` measured: one entry per epoch, and one per batch in ``batch_loss``.

    .. math::

        \text{loss}_e = \frac{1}{n} \sum_{B} |B|\, \big(L_B + R(\theta_B)\big),
        \qquad
        \text{penalty}_e = \frac{1}{n} \sum_{B} |B|\, R(\theta_B)

    ``loss`` is the mean training loss over the samples of epoch :math:`e`:
    each batch's data loss :math:`L_B` measured as it was trained, before its
    update, plus the weight penalty :math:`R(\theta_B)` at the same
    parameters (:math:`R = 0` without a ``penalty``). ``batch_loss`` holds
    every :math:`L_B + R(\theta_B)` itself, in the order of the updates.
    Accuracies are fractions of correctly classified samples.
    ``running_accuracy`` is measured like ``loss``, on the fly: each batch in
    training mode (dropout and batch statistics on), before its update; it
    is not the accuracy of the model at the end of the epoch, which
    :func:`evaluate` measures. The validation metrics are measured after the
    epoch, in evaluation mode. ``val_loss`` is the data loss alone (the penalty does
    not depend on the data): compare it with :attr:`data_loss`. Lists of
    metrics that were not measured are empty. Every entry is a Python float.

    Attributes
    ----------
    loss, running_accuracy, val_loss, val_accuracy, lr : list of float
        One entry per epoch.
    penalty : list of float
        The mean weight penalty of each epoch (included in ``loss``); empty
        when :func:`fit` ran without a ``penalty``.
    batch_loss : list of float
        The training loss of every minibatch (iteration), epoch after epoch:
        ``epochs * ceil(n / batch_size)`` entries, the last batch of each
        epoch possibly smaller. Plot it against the iteration number to see
        the noise of stochastic, minibatch and full-batch gradient descent.
    seconds : list of float
        Wall-clock time of each epoch (training only); not compared by ``==``.

    Examples
    --------
    >>> history = History(loss=[0.9, 0.4], running_accuracy=[0.6, 0.85], lr=[0.1, 0.1])
    >>> history
    History(epochs=2, loss=0.4000, running_accuracy=0.8500, lr=1.0e-01)
    >>> history.epochs
    2
    >>> History(loss=[0.5], penalty=[0.125], lr=[0.1]).data_loss
    [0.375]
    """

    loss: list[float] = field(default_factory=list)
    running_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    penalty: list[float] = field(default_factory=list)
    batch_loss: list[float] = field(default_factory=list, repr=False)
    seconds: list[float] = field(default_factory=list, repr=False, compare=False)

    @property
    def epochs(self) -> int:
        """Number of epochs recorded."""
        return len(self.loss)

    @property
    def data_loss(self) -> list[float]:
        """Training loss without the penalty, ``loss[e] - penalty[e]`` (``loss`` if none)."""
        if not self.penalty:
            return list(self.loss)
        return [total - penalty for total, penalty in zip(self.loss, self.penalty, strict=True)]

    def _metrics(self) -> list[str]:
        names = ["loss", "running_accuracy", "val_loss", "val_accuracy", "penalty"]
        return [name for name in names if getattr(self, name)]

    def __repr__(self) -> str:
        parts = [f"epochs={self.epochs}"]
        parts += [f"{name}={getattr(self, name)[-1]:.4f}" for name in self._metrics()]
        if self.lr:
            parts.append(f"lr={self.lr[-1]:.1e}")
        return f"History({', '.join(parts)})"


def check_output_layer(model, loss) -> None:
    """Raise a ValueError if ``model``'s output layer does not produce what ``loss`` expects.

    A loss on logits (``cross_entropy``, ``binary_cross_entropy_with_logits``)
    applies softmax or the sigmoid itself, so the model must not end with
    :class:`~nnbook.activations.Softmax` or :class:`~nnbook.activations.Sigmoid`;
    ``binary_cross_entropy`` needs probabilities, so the model must end with a
    ``Sigmoid``. :func:`fit` and :func:`evaluate` call this first.

    Examples
    --------
    >>> from nnbook.network import mlp
    >>> check_output_layer(mlp([2, 3]), "cross_entropy")  # logits: fine
    >>> check_output_layer(mlp([2, 3], output_activation="softmax"), "cross_entropy")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: the model ends with Softmax(axis=-1), which turns logits into ...
    """
    loss = get_loss(loss)
    layers = getattr(model, "layers", ())
    last = layers[-1] if layers else None
    if loss.expects == "logits" and isinstance(last, (Softmax, Sigmoid)):
        applied = "softmax" if isinstance(last, Softmax) else "the sigmoid"
        raise ValueError(
            f"the model ends with {last!r}, which turns logits into probabilities, but the "
            f"loss {loss.name!r} expects logits and applies {applied} itself: remove the "
            "final layer (mlp(..., output_activation=None))"
            + (", or use 'binary_cross_entropy'" if isinstance(last, Sigmoid) else "")
        )
    if loss.expects == "probabilities" and not isinstance(last, Sigmoid):
        raise ValueError(
            f"the loss {loss.name!r} expects probabilities in [0, 1], but the model ends "
            f"with {last!r}: end it with a Sigmoid (mlp(..., output_activation='sigmoid')), "
            "or use 'binary_cross_entropy_with_logits' on its logits"
        )


def _prepare(model, loss: Loss, X, y, xname: str, yname: str):
    """Validate (X, y) once; return X in the model's dtype, y as the loss wants it, labels."""
    dtype = getattr(model, "dtype", np.float64)
    X = as_float_array(X, xname, dtype=dtype)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"{xname} must have shape (n, features) with n >= 1, got {X.shape}")
    k = model.predict(X[:1]).shape[-1]  # also checks X's width against the first layer
    y = np.asarray(y)
    if y.ndim == 0 or len(y) != len(X):
        raise ValueError(
            f"{yname} has shape {y.shape}; expected {len(X)} targets, one per row of {xname}"
        )
    if loss.name == "cross_entropy" and y.ndim == 1:
        if y.dtype.kind == "f" and np.isfinite(y).all() and np.array_equal(y, np.round(y)):
            y = y.astype(np.intp)  # labels stored as whole floats
        elif y.dtype.kind in "iu":
            y = y.astype(np.intp, copy=False)
    else:
        y = as_float_array(y, yname, dtype=dtype)
        if y.ndim == 1 and k == 1:
            y = y.reshape(-1, 1)
    try:  # the loss's own checks, on a stand-in prediction of the right shape
        loss.value_and_grad(np.zeros((len(X), k), dtype=dtype), y, check=True)
    except ValueError as err:
        raise ValueError(
            f"{yname} does not fit the loss {loss.name!r} for a model with {k} output(s): {err}"
        ) from None
    if loss.labels is None:
        labels = None
    elif loss.labels == "argmax":
        labels = y if y.ndim == 1 else np.argmax(y, axis=1)
    else:
        labels = y > 0.5
    return X, y, labels


def _predict_into(loss: Loss, out: np.ndarray, dest: np.ndarray) -> None:
    """Class predictions of ``out`` by ``loss.labels`` written into ``dest`` (no allocation)."""
    if loss.labels == "argmax":
        np.argmax(out, axis=1, out=dest)
    else:  # one output per sample, thresholded by what it is (logit or probability)
        np.greater(out, THRESHOLDS[loss.expects], out=dest)


def _evaluate(model, loss: Loss, X, y, labels) -> tuple[float, float | None]:
    out = model.predict(X)
    value = float(loss.value_and_grad(out, y, check=False)[0])
    if loss.labels is None:
        return value, None
    pred = np.empty(labels.shape, dtype=labels.dtype)
    _predict_into(loss, out, pred)
    return value, float(np.count_nonzero(pred == labels) / labels.size)


def evaluate(model, loss, X, y) -> tuple[float, float | None]:
    r"""Loss and accuracy of ``model`` on ``(X, y)``, in evaluation mode.

    .. math::

        L = \operatorname{loss}(f_\theta(X), y), \qquad
        \text{accuracy} = \frac{1}{n}\sum_{i=1}^{n} [\hat c_i = c_i]

    where :math:`\hat c_i` is the argmax of the logits for ``cross_entropy``
    and the thresholded output (0 for logits, 0.5 for probabilities) for the
    binary losses.

    Parameters
    ----------
    model : Sequential
    loss : str or Loss
    X : array_like, shape (n, features)
    y : array_like
        Targets as the loss expects them (for ``cross_entropy``, integer labels
        of shape (n,) or probabilities of shape (n, k)); a 1-D ``y`` is
        reshaped to (n, 1) for a single-output model.

    Returns
    -------
    (float, float or None)
        The mean loss, and the accuracy (None for regression losses).

    Examples
    --------
    >>> from nnbook.network import mlp
    >>> model = mlp([2, 3], rng=0)
    >>> value, accuracy = evaluate(model, "cross_entropy", np.zeros((4, 2)), [0, 1, 2, 0])
    >>> round(value, 4), accuracy  # all logits 0: log 3, and argmax picks class 0
    (1.0986, 0.5)
    """
    loss = get_loss(loss)
    check_output_layer(model, loss)
    X, y, labels = _prepare(model, loss, X, y, "X", "y")
    return _evaluate(model, loss, X, y, labels)


def _check_penalty(penalty) -> tuple[tuple[str, float], ...]:
    """``penalty`` as validated ``(kind, lam)`` pairs, kinds lower-case and unique; () for None."""
    if penalty is None:
        return ()
    expected = (
        "expected None, a pair (kind, lam) such as ('l2', 1e-4) with kind 'l1' or 'l2' and "
        "lam >= 0, or a list of such pairs such as [('l1', 1e-4), ('l2', 1e-3)]"
    )
    if isinstance(penalty, tuple) and len(penalty) == 2 and isinstance(penalty[0], str):
        pairs = [penalty]
    elif isinstance(penalty, (list, tuple)):
        pairs = list(penalty)
    else:
        raise ValueError(f"penalty is {repr(penalty)[:80]}; {expected}")
    terms: dict[str, float] = {}
    for pair in pairs:
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and isinstance(pair[0], str)):
            raise ValueError(f"penalty holds {repr(pair)[:80]}; {expected}")
        kind = pair[0].lower()
        if kind not in _PENALTIES:
            raise ValueError(f"penalty kind {pair[0]!r} is unknown; expected 'l1' or 'l2'")
        if kind in terms:
            raise ValueError(
                f"penalty lists {kind!r} twice; expected each kind at most once "
                "(add the strengths instead)"
            )
        terms[kind] = check_scalar(pair[1], f"penalty strength of {kind!r}", low=0.0)
    return tuple(terms.items())


def _all_finite(arrays) -> bool:
    return all(np.isfinite(a).all() for a in arrays)


class _WeightPenalty:
    """:math:`R(W)` over the weight matrices of a model's Dense layers; see :func:`fit`."""

    def __init__(self, terms: tuple[tuple[str, float], ...], model) -> None:
        dense = [layer for layer in getattr(model, "layers", ()) if isinstance(layer, Dense)]
        if not dense:
            raise ValueError(
                "penalty applies to the weight matrices of Dense layers, but the model has "
                "no Dense layer"
            )
        self.terms = [(lam, *_PENALTIES[kind]) for kind, lam in terms]
        # The arrays themselves (views into the model's flat vectors): the gradients
        # the optimizer reads are those we add to.
        self.weights = [layer.params["W"] for layer in dense]
        self.grads = [layer.grads["W"] for layer in dense]

    def __call__(self) -> float:
        """Add :math:`\\partial R / \\partial W` to the weight gradients; return :math:`R(W)`.

        nan when a weight is no longer finite (a diverging run, stopped at
        the end of the epoch) instead of the penalty functions' ValueError.
        """
        value = 0.0
        try:
            for lam, penalty, penalty_grad in self.terms:
                value += penalty(self.weights, lam)
                for grad, extra in zip(self.grads, penalty_grad(self.weights, lam), strict=True):
                    grad += extra
        except ValueError:
            if _all_finite(self.weights):
                raise
            return math.nan
        return value


def fit(
    model,
    loss,
    optimizer,
    X,
    y,
    *,
    epochs,
    batch_size,
    rng,
    validation_data=None,
    schedule=None,
    penalty=None,
    verbose=0,
) -> History:
    r"""Train ``model`` by minibatch gradient descent (小批量梯度下降).

    Each epoch draws a permutation of the samples with ``rng`` and visits
    them in contiguous batches of ``batch_size`` (the last one may be
    smaller), doing forward, loss, backward and one optimizer step per batch.

    .. math::

        \theta \leftarrow \operatorname{step}\Big(\theta, \nabla_\theta
        \big[\operatorname{loss}(f_\theta(X_B), y_B) + R(W)\big]\Big)
        \quad \text{for each batch } B,

    where the weight penalty :math:`R` (0 without ``penalty``) sums, over the
    weight matrices :math:`W_l` of the model's :class:`~nnbook.layers.Dense`
    layers,

    .. math::

        R(W) = \lambda_1 \sum_l \sum_{ij} |(W_l)_{ij}|
             + \frac{\lambda_2}{2} \sum_l \sum_{ij} (W_l)_{ij}^2,
        \qquad
        \frac{\partial R}{\partial W_l} = \lambda_1 \operatorname{sign}(W_l) + \lambda_2 W_l

    (:func:`nnbook.regularization.l1_penalty`, :func:`~nnbook.regularization.l2_penalty`
    and their gradients). Its gradient is added to the weight gradients after
    the backward pass and before the optimizer step, so with :class:`~nnbook.optim.SGD`
    one step is :math:`W \leftarrow W - \eta(\nabla_W L + \lambda_1
    \operatorname{sign} W + \lambda_2 W)`; the L2 term alone is SGD's
    ``weight_decay`` restricted to the weights.

    Parameters
    ----------
    model : Sequential
        Put in training mode, and left in it.
    loss : str or Loss
        E.g. ``"cross_entropy"`` (the model outputs logits); see
        :func:`nnbook.losses.get_loss`.
    optimizer : nnbook.optim.Optimizer
        Built on ``model``'s parameters.
    X : array_like, shape (n, features)
        Cast once to the model's dtype (float32 models train in float32).
    y : array_like
        Integer labels of shape (n,) (or probabilities of shape (n, k)) for
        ``cross_entropy``; otherwise targets shaped like the output (a 1-D
        ``y`` is reshaped to (n, 1) for a single-output model).
    epochs, batch_size : int, >= 1
    rng : numpy.random.Generator, int or None
        Shuffles the data; the same seed gives the same :class:`History`.
    validation_data : (X_val, y_val) or None
        Evaluated after every epoch (loss, and accuracy for classification).
    schedule : callable or None
        ``schedule(epoch) -> lr``, applied before each epoch (epochs from 0);
        see :mod:`nnbook.optim`.
    penalty : None, (kind, lam) or list of (kind, lam)
        Weight penalty :math:`R`: ``("l1", lam)``, ``("l2", lam)``, or both
        as a list, ``[("l1", lam1), ("l2", lam2)]`` (elastic net), with
        ``kind`` "l1" or "l2" (case-insensitive, each at most once) and
        ``lam`` >= 0; None (or ``[]``) for none. Only the weight matrices
        ``W`` of the Dense layers are penalized, as is customary: the weights
        decide how strongly each input drives each unit, and small (L2) or
        sparse (L1) weights give a smoother, simpler function. The biases and
        batch norm's ``gamma`` and ``beta`` are not: they only shift or rescale
        one unit each, are few, and do not make the model overfit; pulling them
        towards 0 would merely bias the model (a bias of 0 pins a unit's
        threshold at the origin, a ``gamma`` of 0 switches a unit off). The
        reported training loss includes the penalty (``History.loss`` = data
        loss + penalty, the penalty alone in ``History.penalty``); the
        validation loss does not.
    verbose : {0, 1, 2}
        0: silent. 1: one line per epoch with ``print`` (deterministic, fit
        for notebooks). 2: a tqdm progress bar over the epochs (falls back to
        1 when tqdm is not installed).

    Returns
    -------
    History
        Per epoch: loss, running_accuracy, val_loss, val_accuracy, lr, penalty; per
        batch: batch_loss.

    Raises
    ------
    DivergenceError
        A ``FloatingPointError``, at the end of the first epoch whose training
        loss is not finite (nor its parameters, checked before the validation
        pass and after the last epoch, nor its validation loss), typically
        because the learning rate is too large. The epoch and its validation
        pass run with NumPy's overflow, invalid-value and divide-by-zero
        warnings silenced (the error replaces them); ``err.history`` holds the
        epochs before it. The model is left with the parameters it diverged
        to: build a new one to try again. A loss that grows huge but stays
        finite is not an error.
    ValueError
        For invalid arguments.

    Examples
    --------
    >>> from nnbook.network import mlp
    >>> from nnbook.optim import SGD, Adam
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 2))
    >>> y = (X[:, 0] * X[:, 1] > 0).astype(int)  # XOR of the signs
    >>> model = mlp([2, 16, 2], rng=rng)
    >>> history = fit(model, "cross_entropy", Adam(model, lr=0.02), X, y,
    ...               epochs=60, batch_size=20, rng=rng)
    >>> history.epochs, history.running_accuracy[-1] > 0.9  # accuracy as it trained
    (60, True)
    >>> len(history.batch_loss)  # 10 batches per epoch
    600

    An L2 penalty on the weights, reported in the loss:

    >>> model = mlp([2, 16, 2], rng=0)
    >>> history = fit(model, "cross_entropy", SGD(model, lr=0.1), X, y,
    ...               epochs=5, batch_size=20, rng=0, penalty=("l2", 1e-3))
    >>> all(0 < p < total for p, total in zip(history.penalty, history.loss))
    True

    A learning rate far too large:

    >>> model = mlp([2, 16, 2], rng=0)
    >>> try:
    ...     fit(model, "cross_entropy", SGD(model, lr=1e6), X, y, epochs=50,
    ...         batch_size=20, rng=0)
    ... except FloatingPointError as err:
    ...     print(err)  # doctest: +NORMALIZE_WHITESPACE
    ...     history = err.history  # the epochs before the divergence
    training diverged in epoch 4/50: the training loss is nan, with learning
    rate 1e+06; try a smaller learning rate
    >>> history.epochs
    3
    """
    loss = get_loss(loss)
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    rng = as_generator(rng)
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 0, 1 or 2, got {verbose!r}")
    if schedule is not None and not callable(schedule):
        raise ValueError(f"schedule must be a callable epoch -> lr or None, got {schedule!r}")
    if not (hasattr(optimizer, "step") and hasattr(optimizer, "lr")):
        raise ValueError(
            f"optimizer must be an nnbook.optim optimizer (with step() and lr), got {optimizer!r}"
        )
    check_output_layer(model, loss)
    terms = _check_penalty(penalty)
    penalize = _WeightPenalty(terms, model) if terms else None
    X, y, labels = _prepare(model, loss, X, y, "X", "y")
    if len(X) % batch_size == 1 and any(
        isinstance(layer, BatchNorm1d) for layer in getattr(model, "layers", ())
    ):
        raise ValueError(
            f"with n={len(X)} samples and batch_size={batch_size} the last batch would hold a "
            "single sample, which batch normalization cannot normalize in training mode; "
            "choose a batch_size that leaves a remainder other than 1"
        )
    val = None
    if validation_data is not None:
        if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
            raise ValueError("validation_data must be a pair (X_val, y_val)")
        val = _prepare(model, loss, *validation_data, "X_val", "y_val")

    bar = None
    if verbose == 2:
        try:
            from tqdm import tqdm
        except ImportError:  # tqdm comes with the book extra only
            verbose = 1
        else:
            bar = tqdm(total=epochs, unit="epoch", file=sys.stdout, leave=True)
    history = History()
    classify = loss.labels is not None
    n = len(X)
    # Shuffled batches are gathered into buffers allocated once. A small data set
    # is gathered in one call per epoch (fewer calls); a large one batch by batch,
    # which avoids a second copy of X and hands each batch to the first matmul
    # while it is still in cache (measured: 26 ms instead of 36 ms per epoch for
    # 60000 x 784 float32, on top of the cache effect).
    per_epoch = X.nbytes <= _GATHER_PER_EPOCH_BYTES
    rows = n if per_epoch else min(batch_size, n)
    X_buffer, y_buffer = (
        np.empty((rows, *X.shape[1:]), X.dtype),
        np.empty((rows, *y.shape[1:]), y.dtype),
    )
    labels_epoch = None if labels is None else np.empty_like(labels)
    predicted = None if labels is None else np.empty_like(labels)
    value_and_grad, forward, step = loss.value_and_grad, model.forward, optimizer.step
    backward = model.backward
    if isinstance(model, Sequential):  # the data is not trained: skip dL/dX
        backward = functools.partial(model.backward, need_input_grad=False)

    parameters = [value for _, value, _ in model.parameters()]
    batch_losses = []  # this epoch's, moved to history.batch_loss once the epoch is finite
    record = batch_losses.append
    model.train()
    for epoch in range(epochs):
        if schedule is not None:
            optimizer.lr = schedule(epoch)
        started = time.perf_counter()
        order = rng.permutation(n)
        total = penalty_total = 0.0
        # A diverging run overflows somewhere in the forward or backward pass before
        # its loss can be checked: silence NumPy for the epoch, then raise one error.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if per_epoch:
                X_batch = np.take(X, order, axis=0, out=X_buffer, mode="clip")
                y_batch = np.take(y, order, axis=0, out=y_buffer, mode="clip")
            for start in range(0, n, batch_size):
                stop = start + batch_size
                if per_epoch:
                    xb, yb = X_batch[start:stop], y_batch[start:stop]
                else:
                    index = order[start:stop]
                    m = len(index)
                    xb = np.take(X, index, axis=0, out=X_buffer[:m], mode="clip")
                    yb = np.take(y, index, axis=0, out=y_buffer[:m], mode="clip")
                out = forward(xb)
                value, grad = value_and_grad(out, yb, False)
                backward(grad)
                if penalize is None:
                    value = float(value)
                else:
                    penalty_value = penalize()
                    penalty_total += penalty_value * len(out)
                    value = float(value) + penalty_value
                total += value * len(out)
                record(value)
                step()
                if classify:
                    _predict_into(loss, out, predicted[start:stop])
        seconds = time.perf_counter() - started
        epoch_loss = total / n
        # Finite parameters are checked before they leave the loop (validation, return):
        # a finite loss may hide parameters made non-finite by the epoch's last step.
        # Between epochs the next epoch's loss shows them, at no cost per epoch.
        problem = None
        if not math.isfinite(epoch_loss):
            problem = f"the training loss is {epoch_loss}"
        elif (val is not None or epoch == epochs - 1) and not _all_finite(parameters):
            problem = f"the parameters are no longer finite (training loss {epoch_loss:.4g})"
        elif val is not None:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                val_loss, val_accuracy = _evaluate(model, loss, *val)
            if not math.isfinite(val_loss):
                problem = f"the validation loss is {val_loss} (training loss {epoch_loss:.4g})"
        if problem is not None:
            if bar is not None:
                bar.close()
            raise DivergenceError(
                f"training diverged in epoch {epoch + 1}/{epochs}: {problem}, with learning "
                f"rate {optimizer.lr:g}; try a smaller learning rate",
                epoch=epoch + 1,
                loss=epoch_loss,
                history=history,
            )
        history.seconds.append(seconds)
        history.loss.append(epoch_loss)
        history.batch_loss += batch_losses
        batch_losses.clear()
        history.lr.append(float(optimizer.lr))
        if penalize is not None:
            history.penalty.append(penalty_total / n)
        if classify:
            np.take(labels, order, axis=0, out=labels_epoch, mode="clip")
            history.running_accuracy.append(
                float(np.count_nonzero(predicted == labels_epoch) / labels.size)
            )
        if val is not None:
            history.val_loss.append(val_loss)
            if val_accuracy is not None:
                history.val_accuracy.append(val_accuracy)
        if verbose:
            _report(history, epoch, epochs, bar)
    if bar is not None:
        bar.close()
    if hasattr(model, "_forget"):
        model._forget()  # no reference to a training batch outlives fit
    return history


def _report(history: History, epoch: int, epochs: int, bar) -> None:
    metrics = {
        "loss": "loss",
        "running_accuracy": "acc",
        "val_loss": "val_loss",
        "val_accuracy": "val_acc",
        "penalty": "penalty",
    }
    values = {
        short: getattr(history, name)[-1]
        for name, short in metrics.items()
        if getattr(history, name)
    }
    if bar is not None:
        bar.set_postfix({k: f"{v:.4f}" for k, v in values.items()}, refresh=False)
        bar.update(1)
        return
    width = len(str(epochs))
    text = "  ".join(f"{k} {v:.4f}" for k, v in values.items())
    print(f"epoch {epoch + 1:>{width}}/{epochs}  {text}  lr {history.lr[-1]:.1e}")
