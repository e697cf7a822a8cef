r"""Classification metrics: how often, and how, a classifier is right.

A classifier's output comes in several forms, and every function here accepts
all of them through :func:`predicted_labels`:

* class labels, shape ``(n,)``;
* the probability of class 1 from a sigmoid output, shape ``(n,)`` or
  ``(n, 1)``, thresholded at 0.5;
* one score (logit or probability) per class from a softmax output, shape
  ``(n, K)``, turned into labels by :math:`\hat y_i = \arg\max_k s_{ik}`.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_labels, check_num_classes, describe

__all__ = ["accuracy", "confusion_matrix", "predicted_labels"]


def predicted_labels(y_pred, name: str = "y_pred") -> np.ndarray:
    r"""Turn a classifier's output into class labels.

    .. math::

        \hat y_i = \begin{cases}
        y_i & \text{labels (integers), shape } (n,) \text{ or } (n, 1) \\
        [\,p_i > 0.5\,] & \text{probabilities } p_i \in [0, 1],
            \text{ shape } (n,) \text{ or } (n, 1) \\
        \arg\max_k s_{ik} & \text{scores, shape } (n, K),\ K \ge 2
        \end{cases}

    A 1-column or 1-D float array whose values are all whole numbers is read
    as labels (for values 0 and 1 both readings agree); otherwise its values
    must lie in [0, 1]. Raw logits of a single sigmoid unit are not accepted:
    apply the sigmoid first (or threshold them at 0 yourself). Ties in the
    argmax go to the lowest class index.

    Parameters
    ----------
    y_pred : array_like of shape (n,), (n, 1) or (n, K)
        Labels, probabilities of class 1 or per-class scores.
    name : str, optional
        Name of the argument in error messages.

    Returns
    -------
    numpy.ndarray of shape (n,), int64

    Examples
    --------
    >>> predicted_labels([2, 0, 1]).tolist()
    [2, 0, 1]
    >>> predicted_labels([[0.9], [0.2], [0.5]]).tolist()
    [1, 0, 0]
    >>> predicted_labels([[0.1, 2.0, -1.0], [3.0, 0.0, 0.5]]).tolist()
    [1, 0]
    """
    arr = np.asarray(y_pred)
    if arr.dtype.kind not in "biuf":
        raise ValueError(
            f"{name} must be a numeric array of labels, probabilities or scores, "
            f"got {describe(y_pred)}"
        )
    if arr.ndim == 2 and arr.shape[1] >= 2:
        if arr.dtype.kind == "f" and not np.isfinite(arr).all():
            raise ValueError(f"{name} contains non-finite scores (nan or inf); expected finite")
        return np.argmax(arr, axis=1).astype(np.int64)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(
            f"{name} must have shape (n,) (labels or probabilities), (n, 1) (probabilities) "
            f"or (n, K) (class scores), got {describe(arr)}"
        )
    if arr.dtype.kind in "biu":
        return as_labels(arr, name)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains non-finite values (nan or inf); expected finite")
    if np.array_equal(arr, np.round(arr)):
        return as_labels(arr, name)
    if arr.min() < 0 or arr.max() > 1:
        raise ValueError(
            f"{name} holds non-integer values outside [0, 1] (min {arr.min():g}, max "
            f"{arr.max():g}); expected class labels, probabilities in [0, 1], "
            "or one score per class with shape (n, K)"
        )
    return (arr > 0.5).astype(np.int64)


def _labels_pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    true = as_labels(y_true, "y_true")
    pred = predicted_labels(y_pred)
    if true.shape[0] != pred.shape[0]:
        raise ValueError(
            f"y_true and y_pred must have the same number of samples, got {true.shape[0]} "
            f"and {pred.shape[0]}"
        )
    if true.size == 0:
        raise ValueError("y_true and y_pred are empty; expected at least one sample")
    return true, pred


def accuracy(y_true, y_pred) -> float:
    r"""Fraction of correctly classified samples.

    .. math::

        \mathrm{accuracy} = \frac1n \sum_{i=1}^n [\,\hat y_i = y_i\,]

    where :math:`\hat y` is ``y_pred`` turned into labels by
    :func:`predicted_labels` (argmax of per-class scores, probabilities
    thresholded at 0.5).

    Parameters
    ----------
    y_true : array_like of shape (n,)
        True class labels, integers >= 0.
    y_pred : array_like of shape (n,), (n, 1) or (n, K)
        Predicted labels, probabilities of class 1 or per-class scores.

    Returns
    -------
    float
        In [0, 1].

    Examples
    --------
    >>> accuracy([0, 1, 2, 2], [0, 2, 2, 2])
    0.75
    >>> scores = np.array([[2.0, 0.1], [0.3, 0.4], [0.9, 0.8]])
    >>> accuracy([0, 1, 1], scores)
    0.6666666666666666
    """
    true, pred = _labels_pair(y_true, y_pred)
    return float(np.mean(true == pred))


def confusion_matrix(y_true, y_pred, num_classes: int | None = None) -> np.ndarray:
    r"""Count, for every pair of classes, how often class :math:`i` was predicted as :math:`j`.

    .. math::

        C_{ij} = \sum_{s=1}^n [\,y_s = i\,]\,[\,\hat y_s = j\,],
        \qquad i, j = 0, \dots, K - 1

    Rows are true classes, columns predicted classes: the diagonal counts the
    correct predictions, :math:`\sum_i C_{ii} / n` is the accuracy, row
    :math:`i` sums to the number of samples of class :math:`i`. Computed in
    one pass with ``np.bincount`` of the pair index :math:`K y_s + \hat y_s`.

    Parameters
    ----------
    y_true : array_like of shape (n,)
        True class labels, integers >= 0.
    y_pred : array_like of shape (n,), (n, 1) or (n, K)
        Predicted labels, probabilities of class 1 or per-class scores (see
        :func:`predicted_labels`).
    num_classes : int, optional
        :math:`K`; defaults to one more than the largest label seen (and at
        least the number of score columns of ``y_pred``).

    Returns
    -------
    numpy.ndarray of shape (K, K), int64

    Examples
    --------
    >>> confusion_matrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0])
    array([[1, 1, 0],
           [0, 1, 0],
           [1, 0, 1]])
    """
    true, pred = _labels_pair(y_true, y_pred)
    both = np.concatenate([true, pred])
    if num_classes is None:
        shape = np.shape(y_pred)
        n_scores = shape[1] if len(shape) == 2 and shape[1] >= 2 else 0
        k = max(check_num_classes(both, None), n_scores)
    else:
        k = check_num_classes(both, num_classes, "y_true or y_pred")
    return np.bincount(k * true + pred, minlength=k * k).reshape(k, k)
