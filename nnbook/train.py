r"""Training loop (训练): :func:`fit` (minibatch gradient descent), :func:`evaluate`,
and :func:`lr_range_test`, which looks for a learning rate before training.

For each minibatch :math:`\mathcal B` of a shuffled epoch, :func:`fit` runs

.. math::

    \hat y = f_\theta(X_{\mathcal B}), \qquad
    J_{\mathcal B} = \operatorname{loss}(\hat y, y_{\mathcal B}) + R(W), \qquad
    \theta \leftarrow \operatorname{step}(\theta, \nabla_\theta J_{\mathcal B})

(forward, loss, backward, step), with an optional weight penalty :math:`R`
(正则项), gradient clipping and early stopping (早停). The inputs are checked
once, before the first epoch; a run whose loss stops being finite raises
:class:`DivergenceError`.
"""

from __future__ import annotations

import copy
import math
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from ._validation import as_float_array, as_generator, check_positive_int, check_scalar
from .activations import Sigmoid, Softmax
from .base import DivergenceError, is_weight_matrix
from .conv import Conv2D, Flatten, MaxPool2D
from .layers import BatchNorm1d, Residual
from .losses import Loss, get_loss
from .metrics import THRESHOLDS
from .optim import Optimizer, _global_norm, _gradients, _shrink, get_optimizer
from .regularization import l1_penalty, l1_penalty_grad, l2_penalty, l2_penalty_grad

__all__ = [
    "DivergenceError",
    "History",
    "check_output_layer",
    "evaluate",
    "fit",
    "lr_range_test",
]

# Weight penalties fit accepts: kind -> (value, gradient), from nnbook.regularization.
_PENALTIES = {
    "l1": (l1_penalty, l1_penalty_grad),
    "l2": (l2_penalty, l2_penalty_grad),
}


@dataclass
class History:
    r"""What :func:`fit` measured: one entry per epoch, and one per batch in ``batch_loss``.

    .. math::

        \text{loss}_e = \frac{1}{n} \sum_{\mathcal B} |\mathcal B|\,
        \big(L_{\mathcal B} + R(\theta_{\mathcal B})\big), \qquad
        \text{penalty}_e = \frac{1}{n} \sum_{\mathcal B} |\mathcal B|\, R(\theta_{\mathcal B})

    Each batch's loss :math:`L_{\mathcal B}` (and penalty :math:`R`) is measured as it is
    trained, before its update; so is ``running_accuracy``, in training mode
    (dropout and batch statistics on): it is not the accuracy of the model at
    the end of the epoch, which :func:`evaluate` measures. The validation
    metrics are measured after each epoch, in evaluation mode, without the
    penalty (compare ``val_loss`` with :attr:`data_loss`). Unmeasured metrics
    are empty lists; every entry is a Python float.

    Attributes
    ----------
    loss, running_accuracy, val_loss, val_accuracy, lr, penalty : list of float
        One entry per epoch (``penalty`` empty without one).
    batch_loss : list of float
        :math:`L_{\mathcal B} + R` of every minibatch, in the order of the updates.
    seconds : list of float
        Wall-clock time of each epoch's training; not compared by ``==``.
    best_epoch : int or None
        With ``fit(..., patience=p)``: the epoch (counted from 1) of the lowest
        validation loss, whose parameters the model holds when ``fit`` returns;
        the lists still hold every epoch run (:attr:`epochs` of them). None
        without early stopping.

    Examples
    --------
    >>> history = History(loss=[0.9, 0.4], running_accuracy=[0.6, 0.85], lr=[0.1, 0.1])
    >>> history, history.epochs
    (History(epochs=2, loss=0.4000, running_accuracy=0.8500, lr=1.0e-01), 2)
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
    best_epoch: int | None = None

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
        if self.best_epoch is not None:
            parts.append(f"best_epoch={self.best_epoch}")
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
    first = model
    while getattr(first, "layers", None):  # the first layer, inside nested models too
        first = first.layers[0]
    ndim, shape = 2, "(n, features)"
    if isinstance(first, (Conv2D, MaxPool2D)):
        ndim, shape = 4, "(n, channels, height, width)"
    elif isinstance(first, Flatten):
        ndim, shape = max(X.ndim, 2), "(n, ...)"
    if X.ndim != ndim or X.shape[0] == 0:
        raise ValueError(f"{xname} must have shape {shape} with n >= 1, got {X.shape}")
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
        loss.check(np.zeros((len(X), k), dtype=dtype), y)
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


def _predict(loss: Loss, out: np.ndarray) -> np.ndarray:
    """Class predictions of ``out`` by ``loss.labels``: argmax, or a threshold on each output."""
    if loss.labels == "argmax":
        return out.argmax(axis=1)
    return out > THRESHOLDS[loss.expects]  # a logit above 0, a probability above 0.5


def _evaluate(model, loss: Loss, X, y, labels) -> tuple[float, float | None]:
    out = model.predict(X)
    value = float(loss.value_and_grad(out, y, check=False)[0])
    if loss.labels is None:
        return value, None
    return value, float(np.count_nonzero(_predict(loss, out) == labels) / labels.size)


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
    X : array_like, shape (n, features) or (n, channels, height, width)
        The latter for a model that starts with a Conv2D or a MaxPool2D.
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


def _layers(layer):
    """``layer`` and every layer inside it (a Sequential's layers, a Residual's block)."""
    yield layer
    for inner in getattr(layer, "layers", ()):
        yield from _layers(inner)
    if isinstance(layer, Residual):
        yield from _layers(layer.block)


def _state(model) -> list[np.ndarray]:
    """What early stopping saves and restores: parameters and batch norm's running statistics."""
    arrays = [value for _, value, _ in model.parameters()]
    for layer in _layers(model):
        if isinstance(layer, BatchNorm1d):
            arrays += [layer.running_mean, layer.running_var]
    return arrays


def _all_finite(arrays) -> bool:
    return all(np.isfinite(a).all() for a in arrays)


class _WeightPenalty:
    """:math:`R(W)` over a model's weight matrices (as weight decay); see :func:`fit`."""

    def __init__(self, terms: tuple[tuple[str, float], ...], model) -> None:
        # The arrays themselves (views into the model's flat vectors): the gradients
        # the optimizer reads are those we add to.
        weights = [(value, grad) for name, value, grad in model.parameters()
                   if is_weight_matrix(name)]
        if not weights:
            raise ValueError(
                "penalty applies to the weight matrices (parameters named 'W', of Dense "
                "and Conv2D layers), but the model has none"
            )
        self.terms = [(lam, *_PENALTIES[kind]) for kind, lam in terms]
        self.weights = [value for value, _ in weights]
        self.grads = [grad for _, grad in weights]

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
    patience=None,
    schedule=None,
    penalty=None,
    clip_norm=None,
    verbose=0,
) -> History:
    r"""Train ``model`` by minibatch gradient descent (小批量梯度下降).

    Each epoch shuffles the samples with ``rng`` and, for each batch :math:`\mathcal B` of
    ``batch_size`` samples (the last one possibly smaller), runs forward, loss,
    backward and one optimizer step:

    .. math::

        \hat y = f_\theta(X_{\mathcal B}), \qquad
        J_{\mathcal B} = \operatorname{loss}(\hat y, y_{\mathcal B}) + R(W), \qquad
        \theta \leftarrow \operatorname{step}(\theta, \nabla_\theta J_{\mathcal B}),

    .. math::

        R(W) = \lambda_1 \sum_l \sum_{ij} |(W_l)_{ij}|
             + \frac{\lambda_2}{2} \sum_l \sum_{ij} (W_l)_{ij}^2,
        \qquad
        \frac{\partial R}{\partial W_l} = \lambda_1 \operatorname{sign}(W_l) + \lambda_2 W_l

    where :math:`R` (0 without ``penalty``) looks at the weight matrices
    :math:`W_l` of the :class:`~nnbook.layers.Dense` layers only, not at
    biases or batch norm's ``gamma`` and ``beta``; its gradient is added after
    the backward pass, before the step. With ``clip_norm`` :math:`c`, the
    gradient :math:`g` (all parameters together, penalty included) is then
    clipped by :func:`~nnbook.optim.clip_grad_norm`:
    :math:`g \leftarrow g \min(1, c / (\|g\| + 10^{-6}))`.

    Early stopping (早停, ``patience`` :math:`p`): the best epoch is the one
    with the lowest validation loss (the earliest, on a tie); training stops
    after the first epoch that ends :math:`p` epochs after the best without
    a lower one, and then (or after the last epoch) the model gets back the
    parameters of the best epoch, and the running statistics of its batch
    normalization layers, in place (``History.best_epoch``).

    Parameters
    ----------
    model : Sequential
        Put in training mode, and left in it.
    loss : str or Loss
        See :func:`nnbook.losses.get_loss`; the model's output layer must fit
        it (:func:`check_output_layer`).
    optimizer : nnbook.optim.Optimizer
        Built on ``model``.
    X : array_like, shape (n, features) or (n, channels, height, width)
        The latter for a model that starts with a Conv2D or a MaxPool2D.
        Cast once to the model's dtype.
    y : array_like
        Integer labels (n,) or probabilities (n, k) for ``cross_entropy``;
        otherwise targets shaped like the output ((n,) becomes (n, 1)).
    epochs, batch_size : int, >= 1
    rng : numpy.random.Generator, int or None
        Shuffles the data; the same seed gives the same :class:`History`.
    validation_data : (X_val, y_val) or None
        Evaluated after every epoch, in evaluation mode.
    patience : int >= 1 or None
        Early stopping: stop when the validation loss has not improved for
        ``patience`` epochs, and restore the best epoch (see above); needs
        ``validation_data``. None trains all ``epochs``.
    schedule : callable or None
        ``schedule(epoch) -> lr``, set before each epoch (epochs from 0).
    penalty : None, (kind, lam) or list of (kind, lam)
        ``("l1", lam)``, ``("l2", lam)`` or both as a list (elastic net),
        ``lam >= 0``. ``History.loss`` includes it, ``History.penalty`` holds it.
        ``("l2", lam)`` is the optimizers' ``weight_decay``: with
        :class:`~nnbook.optim.SGD` it trains the same parameters as
        ``SGD(model, lr, weight_decay=lam)``.
    clip_norm : float > 0 or None
        Clip the gradient to this global norm before each step (None: never).
    verbose : {0, 1, 2}
        Silent; one printed line per epoch; a tqdm bar (1 without tqdm).

    Returns
    -------
    History

    Raises
    ------
    DivergenceError
        A ``FloatingPointError``, at the end of the first epoch whose training
        loss, parameters (checked before validating and at the end) or
        validation loss are not finite; ``err.history`` holds the epochs
        before it. NumPy's floating-point warnings are silenced meanwhile.
        The model is left as it diverged (early stopping restores nothing).
    ValueError
        For invalid arguments, data, or an output layer that does not fit the loss.

    Examples
    --------
    >>> from nnbook.network import mlp
    >>> from nnbook.optim import Adam
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 2))
    >>> y = (X[:, 0] * X[:, 1] > 0).astype(int)  # XOR of the signs
    >>> model = mlp([2, 16, 2], rng=rng)
    >>> history = fit(model, "cross_entropy", Adam(model, lr=0.02), X, y,
    ...               epochs=60, batch_size=20, rng=rng, penalty=("l2", 1e-4))
    >>> history.epochs, len(history.batch_loss), history.running_accuracy[-1] > 0.9
    (60, 600, True)

    With early stopping on a validation split, and clipped gradients:

    >>> model = mlp([2, 16, 2], rng=rng)
    >>> history = fit(model, "cross_entropy", Adam(model, lr=0.02), X[:150], y[:150],
    ...               epochs=200, batch_size=15, rng=rng, validation_data=(X[150:], y[150:]),
    ...               patience=10, clip_norm=1.0)
    >>> history.epochs < 200, history.epochs - history.best_epoch
    (True, 10)
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
    if patience is not None:
        patience = check_positive_int(patience, "patience")
        if validation_data is None:
            raise ValueError(
                f"patience={patience} stops training when the validation loss stops "
                "improving, but there is no validation_data; pass validation_data=(X_val, "
                "y_val) or patience=None"
            )
    if clip_norm is not None:
        clip_norm = check_scalar(clip_norm, "clip_norm", low=0.0, low_inclusive=False)
        gradients = _gradients(model)  # the model's flat gradient vector, or each array
    check_output_layer(model, loss)
    terms = _check_penalty(penalty)
    penalize = _WeightPenalty(terms, model) if terms else None
    X, y, labels = _prepare(model, loss, X, y, "X", "y")
    if len(X) % batch_size == 1 and any(isinstance(layer, BatchNorm1d) for layer in _layers(model)):
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
    parameters = [value for _, value, _ in model.parameters()]
    # Speed: the shuffled rows of each batch are copied into one buffer made once
    # (W2 of make bench: 16 ms faster per 500 ms epoch than a new array X[batch]
    # per batch, whose fresh memory page-faults); mode="clip" skips a bounds check
    # that would copy twice (the indices are a permutation).
    rows = min(batch_size, n)
    X_buffer = np.empty((rows, *X.shape[1:]), X.dtype)
    y_buffer = np.empty((rows, *y.shape[1:]), y.dtype)
    if patience is not None:
        state = _state(model)
        best_state, best_loss = [a.copy() for a in state], math.inf
    model.train()
    for epoch in range(epochs):
        if schedule is not None:
            optimizer.lr = schedule(epoch)
        started = time.perf_counter()
        order = rng.permutation(n)
        total = penalty_total = 0.0
        correct = 0
        batch_losses = []  # moved to history.batch_loss once the epoch is found finite
        # A diverging run overflows somewhere in the forward or backward pass before
        # its loss can be checked: silence NumPy for the epoch, then raise one error.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for start in range(0, n, batch_size):
                batch = order[start : start + batch_size]
                X_batch = X.take(batch, axis=0, out=X_buffer[: len(batch)], mode="clip")
                y_batch = y.take(batch, axis=0, out=y_buffer[: len(batch)], mode="clip")
                out = model.forward(X_batch)  # forward
                value, grad = loss.value_and_grad(out, y_batch, check=False)  # loss
                # backward. Speed: without dL/dX, which nobody needs (the data is not
                # trained): W2 of make bench 23% faster, W1 15%.
                model.backward(grad, need_input_grad=False)
                value = float(value)
                if penalize is not None:
                    penalty_value = penalize()  # adds dR/dW to the weight gradients
                    penalty_total += penalty_value * len(batch)
                    value += penalty_value
                if clip_norm is not None:
                    _shrink(gradients, _global_norm(gradients), clip_norm)
                optimizer.step()  # step
                total += value * len(batch)
                batch_losses.append(value)
                if classify:
                    correct += np.count_nonzero(_predict(loss, out) == labels[batch])
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
        history.lr.append(float(optimizer.lr))
        if penalize is not None:
            history.penalty.append(penalty_total / n)
        if classify:
            history.running_accuracy.append(float(correct / labels.size))
        if val is not None:
            history.val_loss.append(val_loss)
            if val_accuracy is not None:
                history.val_accuracy.append(val_accuracy)
        if verbose:
            _report(history, epoch, epochs, bar)
        if patience is not None:
            if val_loss < best_loss:  # strictly: a tie keeps the earlier epoch
                best_loss, history.best_epoch = val_loss, epoch + 1
                for saved, current in zip(best_state, state, strict=True):
                    np.copyto(saved, current)
            elif epoch + 1 - history.best_epoch >= patience:
                break
    if patience is not None:
        for current, saved in zip(state, best_state, strict=True):
            np.copyto(current, saved)
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


def _range_test_optimizer(optimizer, model, lr) -> Optimizer:
    """A new optimizer on ``model`` from a name, an Optimizer class or a callable (params, lr=)."""
    expected = (
        "expected a name such as 'sgd', an Optimizer class such as Adam, or a callable "
        "(params, lr=...) -> Optimizer such as functools.partial(Momentum, momentum=0.9)"
    )
    if isinstance(optimizer, Optimizer):
        raise ValueError(
            f"optimizer is an instance, {optimizer!r}, bound to its model's parameters; the "
            f"range test trains a copy of the model and builds its own optimizer: {expected}"
        )
    if isinstance(optimizer, (str, type)):
        optimizer = get_optimizer(optimizer)
    elif not callable(optimizer):
        raise ValueError(f"optimizer is {optimizer!r}"[:120] + f"; {expected}")
    built = optimizer(model, lr=lr)
    if not isinstance(built, Optimizer):
        raise ValueError(f"optimizer(params, lr=...) returned {built!r}"[:120] + f"; {expected}")
    return built


def lr_range_test(
    model,
    loss,
    optimizer,
    X,
    y,
    *,
    batch_size,
    rng,
    lr_min=1e-7,
    lr_max=10.0,
    steps=100,
):
    r"""Learning-rate range test (学习率范围测试): train briefly as the rate grows geometrically.

    A copy of ``model`` takes ``steps`` minibatch steps (forward, loss,
    backward, step, as in :func:`fit`), step :math:`k` at the rate

    .. math::

        \eta_k = \eta_{min} \Big(\frac{\eta_{max}}{\eta_{min}}\Big)^{k / (K - 1)},
        \qquad k = 0, \dots, K - 1,

    recording each minibatch loss :math:`L_k` before its update. Plotted against
    :math:`\eta_k` on a log axis, the loss is flat while the rate is too small,
    falls, then shoots up; a good rate lies on the fall, below the bottom
    (Smith, 2017). The test stops early at the first loss that is not finite
    (dropped) or above 4 times the lowest before it (kept, the last entry).
    The model itself is untouched (parameters, mode, running statistics).

    Parameters
    ----------
    model : Sequential
        Copied (``copy.deepcopy``); the copy is trained, in training mode.
    loss : str or Loss
    optimizer : str, Optimizer subclass or callable
        What to train the copy with: a name (``"sgd"``), a class (``Adam``), or
        a callable ``(params, lr=...) -> Optimizer`` for other settings, e.g.
        ``functools.partial(Momentum, momentum=0.9)``. Not an optimizer
        instance (it is bound to ``model``'s parameters).
    X, y : array_like
        As for :func:`fit`.
    batch_size : int, >= 1
        Every batch holds ``min(batch_size, n)`` samples: batches are drawn
        from shuffled passes over the data, the remainder of a pass dropped.
    rng : numpy.random.Generator, int or None
        Shuffles the data.
    lr_min, lr_max : float, 0 < lr_min < lr_max
        :math:`\eta_{min}` and :math:`\eta_{max}`.
    steps : int, >= 2
        :math:`K`.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The rates :math:`\eta_k` and the losses :math:`L_k` of the steps taken,
        float64, the same length (``steps`` unless the test stopped early).

    Raises
    ------
    ValueError
        For invalid arguments or data, as :func:`fit`.

    Examples
    --------
    >>> from nnbook.network import mlp
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 2))
    >>> y = (X[:, 0] * X[:, 1] > 0).astype(int)
    >>> model = mlp([2, 16, 2], rng=rng)
    >>> lrs, losses = lr_range_test(model, "cross_entropy", "sgd", X, y, batch_size=20,
    ...                             rng=rng, lr_min=1e-4, lr_max=1e3, steps=50)
    >>> float(lrs[0]), len(lrs) == len(losses) < 50  # stopped when the loss blew up
    (0.0001, True)
    """
    loss = get_loss(loss)
    batch_size = check_positive_int(batch_size, "batch_size")
    steps = check_positive_int(steps, "steps")
    if steps < 2:
        raise ValueError(f"steps must be at least 2 (from lr_min to lr_max), got {steps}")
    lr_min = check_scalar(lr_min, "lr_min", low=0.0, low_inclusive=False)
    lr_max = check_scalar(lr_max, "lr_max", low=lr_min, low_inclusive=False)
    rng = as_generator(rng)
    check_output_layer(model, loss)
    X, y, _ = _prepare(model, loss, X, y, "X", "y")
    twin = copy.deepcopy(model)
    opt = _range_test_optimizer(optimizer, twin, lr_min)
    rates = np.geomspace(lr_min, lr_max, steps)
    n = len(X)
    rows = min(batch_size, n)
    order, start = rng.permutation(n), 0
    losses: list[float] = []
    best = math.inf
    twin.train()
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for lr in rates:
            if start + rows > n:  # a new shuffled pass
                order, start = rng.permutation(n), 0
            batch = order[start : start + rows]
            start += rows
            opt.lr = lr
            out = twin.forward(X[batch])
            value, grad = loss.value_and_grad(out, y[batch], check=False)
            value = float(value)
            if not math.isfinite(value):
                break
            losses.append(value)
            if value > 4.0 * best:
                break
            best = min(best, value)
            twin.backward(grad, need_input_grad=False)
            opt.step()
    return rates[: len(losses)].copy(), np.array(losses, dtype=np.float64)
