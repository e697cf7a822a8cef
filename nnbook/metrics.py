"""Classification metrics: how often, and how, a classifier is right.

Every metric takes ``(prediction, target)``, in that order, like every loss.
The prediction may be labels, one score per class, or one output per sample
(logit or probability, which the caller states with ``output=``);
:func:`predicted_labels` turns each into class labels.
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
    output : {"logits", "probabilities"}, optional
        Required for one float output per sample: nothing in the numbers says which.

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

    Parameters
    ----------
    prediction : array_like of shape (n,), (n, 1) or (n, K)
        Turned into labels :math:`\hat y` by :func:`predicted_labels`.
    target : array_like of shape (n,)
        True class labels, integers >= 0.
    output : {"logits", "probabilities"}, optional
        As in :func:`predicted_labels`.

    Returns
    -------
    float in [0, 1]

    Raises
    ------
    ValueError
        As :func:`predicted_labels`, and for invalid, empty or mismatched ``target``.

    Examples
    --------
    >>> accuracy([[2.0, 0.1], [0.3, 0.4], [0.9, 0.8]], [0, 1, 1])
    0.6666666666666666
    """
    pred, true = _labels_pair(prediction, target, output)
    return float(np.mean(true == pred))


def confusion_matrix(
    prediction, target, num_classes: int | None = None, output: str | None = None
) -> np.ndarray:
    r"""Count how often true class :math:`i` was predicted as :math:`j`.

    .. math::

        C_{ij} = \sum_{s=1}^n [\,y_s = i\,]\,[\,\hat y_s = j\,],
        \qquad i, j = 0, \dots, K - 1

    Rows are true classes, columns predicted classes (the diagonal counts the
    correct predictions).

    Parameters
    ----------
    prediction, target, output
        As in :func:`accuracy`.
    num_classes : int, optional
        :math:`K`; defaults to one more than the largest label seen (and at
        least the number of score columns of ``prediction``).

    Returns
    -------
    numpy.ndarray of shape (K, K), int64

    Raises
    ------
    ValueError
        As :func:`accuracy`, and for labels ``>= num_classes``.

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
