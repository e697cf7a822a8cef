r"""Training loop (训练): minibatch gradient descent over epochs, and evaluation.

One epoch of :func:`fit` shuffles the training set, cuts it into minibatches
of ``batch_size`` samples and, for each batch :math:`B`, runs

.. math::

    \hat y = f_\theta(X_B), \qquad
    L_B = \operatorname{loss}(\hat y, y_B), \qquad
    g = \nabla_\theta L_B \ \text{(backward)}, \qquad
    \theta \leftarrow \operatorname{optimizer}(\theta, g)

The inputs are checked once, before the first epoch; the loop itself calls
the loss with ``check=False`` and allocates as little as it can, so that the
Python overhead per batch stays small.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

import numpy as np

from ._validation import as_float_array, as_generator, check_positive_int
from .layers import BatchNorm1d
from .losses import Loss, get_loss

__all__ = ["History", "evaluate", "fit"]

#: Training sets up to this size are shuffled with one gather per epoch, larger
#: ones batch by batch (see fit).
_GATHER_PER_EPOCH_BYTES = 8 * 2**20

# Losses whose predictions can be turned into class labels, and how.
_CLASSIFICATION = {
    "cross_entropy": "argmax",
    "binary_cross_entropy": 0.5,  # threshold on probabilities
    "binary_cross_entropy_with_logits": 0.0,  # threshold on logits
}


@dataclass
class History:
    r"""What :func:`fit` measured, one entry per epoch.

    .. math::

        \text{loss}_e = \frac{1}{n} \sum_{B} |B|\, L_B

    is the mean training loss over the samples of epoch :math:`e` (each
    batch's loss measured as it was trained, before its update). Accuracies
    are fractions of correctly classified samples; the training accuracy is
    measured on the same fly, the validation metrics after the epoch, in
    evaluation mode. Lists of metrics that were not measured are empty.

    Attributes
    ----------
    loss, accuracy, val_loss, val_accuracy, lr : list of float
    seconds : list of float
        Wall-clock time of each epoch (training only); not compared by ``==``.

    Examples
    --------
    >>> history = History(loss=[0.9, 0.4], accuracy=[0.6, 0.85], lr=[0.1, 0.1])
    >>> history
    History(epochs=2, loss=0.4000, accuracy=0.8500, lr=1.0e-01)
    >>> history.epochs
    2
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list, repr=False, compare=False)

    @property
    def epochs(self) -> int:
        """Number of epochs recorded."""
        return len(self.loss)

    def _metrics(self) -> list[str]:
        names = ["loss", "accuracy", "val_loss", "val_accuracy"]
        return [name for name in names if getattr(self, name)]

    def __repr__(self) -> str:
        parts = [f"epochs={self.epochs}"]
        parts += [f"{name}={getattr(self, name)[-1]:.4f}" for name in self._metrics()]
        if self.lr:
            parts.append(f"lr={self.lr[-1]:.1e}")
        return f"History({', '.join(parts)})"

    def plot(self, ax=None):
        """Loss curves (left axis) and accuracy curves (right axis, dashed) against epochs.

        Parameters
        ----------
        ax : matplotlib.axes.Axes or None
            Where to draw; a new figure when None.

        Returns
        -------
        matplotlib.axes.Axes
            The axes holding the losses.
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        x = np.arange(1, self.epochs + 1)
        labels = {
            "loss": "training loss",
            "val_loss": "validation loss",
            "accuracy": "training accuracy",
            "val_accuracy": "validation accuracy",
        }
        handles = []
        for name in ("loss", "val_loss"):
            if getattr(self, name):
                handles += ax.plot(x, getattr(self, name), marker=".", label=labels[name])
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        if self.accuracy or self.val_accuracy:
            right = ax.twinx()
            for name, color in (("accuracy", "C2"), ("val_accuracy", "C3")):
                if getattr(self, name):
                    handles += right.plot(
                        x, getattr(self, name), "--", color=color, label=labels[name]
                    )
            right.set_ylabel("accuracy")
        ax.legend(handles=handles, loc="center right")
        ax.set_title("training history")
        return ax


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
    rule = _CLASSIFICATION.get(loss.name)
    if rule is None:
        labels = None
    elif rule == "argmax":
        labels = y if y.ndim == 1 else np.argmax(y, axis=1)
    else:
        labels = y > 0.5
    return X, y, labels


def _predict_into(rule, out: np.ndarray, dest: np.ndarray) -> None:
    """Class predictions of ``out`` written into ``dest`` (no allocation)."""
    if rule == "argmax":
        np.argmax(out, axis=1, out=dest)
    else:
        np.greater(out, rule, out=dest)


def _evaluate(model, loss: Loss, X, y, labels) -> tuple[float, float | None]:
    out = model.predict(X)
    value = loss.value_and_grad(out, y, check=False)[0]
    rule = _CLASSIFICATION.get(loss.name)
    if rule is None:
        return value, None
    pred = np.empty(labels.shape, dtype=labels.dtype)
    _predict_into(rule, out, pred)
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
    X, y, labels = _prepare(model, loss, X, y, "X", "y")
    return _evaluate(model, loss, X, y, labels)


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
    verbose=0,
) -> History:
    r"""Train ``model`` by minibatch gradient descent (小批量梯度下降).

    Each epoch draws a permutation of the samples with ``rng`` and visits
    them in contiguous batches of ``batch_size`` (the last one may be
    smaller), doing forward, loss, backward and one optimizer step per batch.

    .. math::

        \theta \leftarrow \operatorname{step}\big(\theta, \nabla_\theta
        \operatorname{loss}(f_\theta(X_B), y_B)\big)
        \quad \text{for each batch } B

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
    verbose : {0, 1, 2}
        0: silent. 1: one line per epoch with ``print`` (deterministic, fit
        for notebooks). 2: a tqdm progress bar over the epochs (falls back to
        1 when tqdm is not installed).

    Returns
    -------
    History

    Examples
    --------
    >>> from nnbook.network import mlp
    >>> from nnbook.optim import Adam
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 2))
    >>> y = (X[:, 0] * X[:, 1] > 0).astype(int)  # XOR of the signs
    >>> model = mlp([2, 16, 2], rng=rng)
    >>> history = fit(model, "cross_entropy", Adam(model, lr=0.02), X, y,
    ...               epochs=60, batch_size=20, rng=rng)
    >>> history.epochs, history.accuracy[-1] > 0.9
    (60, True)
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
    X, y, labels = _prepare(model, loss, X, y, "X", "y")
    if len(X) % batch_size == 1 and any(
        isinstance(layer, BatchNorm1d) for layer in getattr(model, "layers", ())
    ):
        raise ValueError(
            f"with n={len(X)} samples and batch_size={batch_size} the last batch would hold a "
            "single sample, which batch normalisation cannot normalise in training mode; "
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
    rule = _CLASSIFICATION.get(loss.name)
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
    value_and_grad, forward, backward, step = (
        loss.value_and_grad,
        model.forward,
        model.backward,
        optimizer.step,
    )
    model.train()
    for epoch in range(epochs):
        if schedule is not None:
            optimizer.lr = schedule(epoch)
        started = time.perf_counter()
        order = rng.permutation(n)
        if per_epoch:
            X_batch = np.take(X, order, axis=0, out=X_buffer, mode="clip")
            y_batch = np.take(y, order, axis=0, out=y_buffer, mode="clip")
        total = 0.0
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
            total += value * len(out)
            backward(grad)
            step()
            if rule is not None:
                _predict_into(rule, out, predicted[start:stop])
        history.seconds.append(time.perf_counter() - started)
        history.loss.append(total / n)
        history.lr.append(optimizer.lr)
        if rule is not None:
            np.take(labels, order, axis=0, out=labels_epoch, mode="clip")
            history.accuracy.append(
                float(np.count_nonzero(predicted == labels_epoch) / labels.size)
            )
        if val is not None:
            val_loss, val_accuracy = _evaluate(model, loss, *val)
            history.val_loss.append(val_loss)
            if val_accuracy is not None:
                history.val_accuracy.append(val_accuracy)
        if verbose:
            _report(history, epoch, epochs, bar)
    if bar is not None:
        bar.close()
    return history


def _report(history: History, epoch: int, epochs: int, bar) -> None:
    metrics = {"loss": "loss", "accuracy": "acc", "val_loss": "val_loss", "val_accuracy": "val_acc"}
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
