r"""Classification metrics: how often, and how, a classifier is right.

Every metric takes ``(prediction, target)``, in that order, like every loss.
A classifier's prediction comes in several forms, which :func:`predicted_labels`
turns into class labels:

* class labels, integers of shape ``(n,)``;
* one score per class (logits or probabilities), shape ``(n, K)``, ``K >= 2``:
  :math:`\hat y_i = \arg\max_k s_{ik}`;
* one output per sample, shape ``(n,)`` or ``(n, 1)``: a logit (class 1 when
  above 0) or a probability (class 1 when above 0.5). Nothing in the numbers
  says which, so the caller says it: ``output="logits"`` or
  ``output="probabilities"``.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_labels, check_num_classes, describe

__all__ = ["accuracy", "confusion_matrix", "predicted_labels"]

#: What one output per sample is, and the threshold above which it means class 1
#: (also what nnbook.train.fit uses, by what the loss expects).
THRESHOLDS = {"logits": 0.0, "probabilities": 0.5}


def predicted_labels(prediction, output: str | None = None) -> np.ndarray:
    r"""Turn a classifier's prediction into class labels.

    .. math::

        \hat y_i = \begin{cases}
        \arg\max_k s_{ik} & \text{scores, shape } (n, K),\ K \ge 2 \\
        [\,z_i > 0\,] & \text{one logit per sample (``output="logits"``)} \\
        [\,p_i > 0.5\,] & \text{one probability per sample (``output="probabilities"``)} \\
        y_i & \text{integer labels, shape } (n,)
        \end{cases}

    Ties in the argmax go to the lowest class index.

    Parameters
    ----------
    prediction : array_like of shape (n,), (n, 1) or (n, K)
        Integer labels, one output per sample, or one score per class.
    output : {"logits", "probabilities"}, optional
        What one float output per sample is; required for such a prediction
        (a logit of 0.3 and a probability of 0.3 mean different classes).

    Returns
    -------
    numpy.ndarray of shape (n,), int64

    Raises
    ------
    ValueError
        For one float output per sample without ``output``, non-finite values,
        probabilities outside [0, 1], or another shape.

    Examples
    --------
    >>> predicted_labels([[0.1, 2.0, -1.0], [3.0, 0.0, 0.5]]).tolist()
    [1, 0]
    >>> z = [[0.3], [0.7], [-0.1]]
    >>> predicted_labels(z, output="logits").tolist()
    [1, 1, 0]
    >>> predicted_labels(z[:2], output="probabilities").tolist()
    [0, 1]
    """
    if output is not None and output not in THRESHOLDS:
        raise ValueError(f"output must be 'logits', 'probabilities' or None, got {output!r}")
    arr = np.asarray(prediction)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"prediction must be a numeric array, got {describe(prediction)}")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError("prediction contains non-finite values (nan or inf); expected finite")
    if arr.ndim == 2 and arr.shape[1] >= 2:
        return np.argmax(arr, axis=1).astype(np.int64)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(
            f"prediction must have shape (n,), (n, 1) or (n, K), got {describe(arr)}"
        )
    if arr.dtype.kind in "biu" and output is None:
        return as_labels(arr, "prediction")
    if output is None:
        raise ValueError(
            "prediction holds one float per sample, which may be a logit (class 1 above 0) "
            "or a probability (class 1 above 0.5); say which: output='logits' or "
            "output='probabilities'"
        )
    if output == "probabilities" and (arr.min() < 0 or arr.max() > 1):
        raise ValueError(
            f"prediction holds values outside [0, 1] (min {arr.min():g}, max {arr.max():g}); "
            "expected probabilities (or say output='logits')"
        )
    return (arr > THRESHOLDS[output]).astype(np.int64)


def _labels_pair(prediction, target, output) -> tuple[np.ndarray, np.ndarray]:
    pred = predicted_labels(prediction, output)
    true = as_labels(target, "target")
    if true.shape[0] != pred.shape[0]:
        raise ValueError(
            f"prediction and target must have the same number of samples, got "
            f"{pred.shape[0]} and {true.shape[0]}"
        )
    if true.size == 0:
        raise ValueError("prediction and target are empty; expected at least one sample")
    return pred, true


def accuracy(prediction, target, output: str | None = None) -> float:
    r"""Fraction of correctly classified samples.

    .. math::

        \mathrm{accuracy} = \frac1n \sum_{i=1}^n [\,\hat y_i = y_i\,]

    where :math:`\hat y` is ``prediction`` turned into labels by
    :func:`predicted_labels`.

    Parameters
    ----------
    prediction : array_like of shape (n,), (n, 1) or (n, K)
        Predicted labels, one output per sample, or one score per class.
    target : array_like of shape (n,)
        True class labels, integers >= 0.
    output : {"logits", "probabilities"}, optional
        For one float output per sample: what it is (see :func:`predicted_labels`).

    Returns
    -------
    float
        In [0, 1].

    Examples
    --------
    >>> accuracy([0, 2, 2, 2], [0, 1, 2, 2])
    0.75
    >>> scores = np.array([[2.0, 0.1], [0.3, 0.4], [0.9, 0.8]])
    >>> accuracy(scores, [0, 1, 1])
    0.6666666666666666
    """
    pred, true = _labels_pair(prediction, target, output)
    return float(np.mean(true == pred))


def confusion_matrix(
    prediction, target, num_classes: int | None = None, output: str | None = None
) -> np.ndarray:
    r"""Count, for every pair of classes, how often class :math:`i` was predicted as :math:`j`.

    .. math::

        C_{ij} = \sum_{s=1}^n [\,y_s = i\,]\,[\,\hat y_s = j\,],
        \qquad i, j = 0, \dots, K - 1

    Rows are true classes, columns predicted classes: the diagonal counts the
    correct predictions, :math:`\sum_i C_{ii} / n` is the accuracy, row
    :math:`i` sums to the number of samples of class :math:`i`.

    Parameters
    ----------
    prediction : array_like of shape (n,), (n, 1) or (n, K)
        As for :func:`accuracy`.
    target : array_like of shape (n,)
        True class labels, integers >= 0.
    num_classes : int, optional
        :math:`K`; defaults to one more than the largest label seen (and at
        least the number of score columns of ``prediction``).
    output : {"logits", "probabilities"}, optional
        For one float output per sample (see :func:`predicted_labels`).

    Returns
    -------
    numpy.ndarray of shape (K, K), int64

    Examples
    --------
    >>> confusion_matrix([0, 1, 1, 2, 0], [0, 0, 1, 2, 2])
    array([[1, 1, 0],
           [0, 1, 0],
           [1, 0, 1]])
    """
    pred, true = _labels_pair(prediction, target, output)
    both = np.concatenate([true, pred])
    if num_classes is None:
        shape = np.shape(prediction)
        n_scores = shape[1] if len(shape) == 2 and shape[1] >= 2 else 0
        k = max(check_num_classes(both, None), n_scores)
    else:
        k = check_num_classes(both, num_classes, "target or prediction")
    # One pass: np.bincount of the pair index K y_s + yhat_s.
    return np.bincount(k * true + pred, minlength=k * k).reshape(k, k)
