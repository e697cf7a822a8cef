"""nnbook.metrics: accuracy and the confusion matrix, on hand-worked examples and
against an independent loop-based count, for every accepted form of y_pred."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook.metrics import accuracy, confusion_matrix, predicted_labels


def test_predicted_labels_from_labels_probabilities_and_scores():
    assert predicted_labels(np.array([2, 0, 1])).tolist() == [2, 0, 1]
    assert predicted_labels(np.array([2.0, 0.0])).tolist() == [2, 0]  # integral floats
    assert predicted_labels(np.array([True, False])).tolist() == [1, 0]
    assert predicted_labels(np.array([0.7, 0.2, 0.5])).tolist() == [1, 0, 0]
    assert predicted_labels(np.array([[0.7], [0.2]])).tolist() == [1, 0]
    assert predicted_labels(np.array([[3], [1]])).tolist() == [3, 1]
    assert predicted_labels(np.array([[-1.0, 5.0, 2.0], [4.0, 4.0, 0.0]])).tolist() == [1, 0]
    out = predicted_labels(np.array([[0.9], [0.1]], dtype=np.float32))
    assert out.dtype == np.int64


@pytest.mark.parametrize(
    ("y_pred", "match"),
    [
        (np.array([0.2, 1.7]), r"outside \[0, 1\]"),
        (np.array([[0.2], [-0.5]]), r"outside \[0, 1\]"),
        (np.array([0.2, np.nan]), "non-finite"),
        (np.array([[0.2, np.inf]]), "non-finite"),
        (np.zeros((2, 2, 2)), r"shape \(n,\)"),
        (np.array(1.0), r"shape \(n,\)"),
        (np.array([0, -1]), "non-negative"),
        (np.array(["a", "b"]), "numeric"),
    ],
)
def test_predicted_labels_validation(y_pred, match):
    with pytest.raises(ValueError, match=match):
        predicted_labels(y_pred)


def test_accuracy_hand_worked():
    assert accuracy([0, 1, 2, 2], [0, 2, 2, 2]) == 0.75
    assert accuracy(np.array([1, 0]), np.array([[0.8], [0.3]])) == 1.0
    scores = np.array([[2.0, 0.1], [0.3, 0.4], [0.9, 0.8]])
    assert accuracy([0, 1, 1], scores) == pytest.approx(2 / 3)
    assert isinstance(accuracy([0], [0]), float)


def _confusion_by_loops(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=np.int64)
    for t, p in zip(y_true.tolist(), y_pred.tolist(), strict=True):
        C[t, p] += 1
    return C


def test_confusion_matrix_hand_worked():
    C = confusion_matrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0])
    np.testing.assert_array_equal(C, [[1, 1, 0], [0, 1, 0], [1, 0, 1]])
    assert C.dtype == np.int64


def test_confusion_matrix_sizes():
    # Scores with 4 columns give a 4 x 4 matrix even if class 3 never occurs.
    scores = np.array([[0.9, 0.1, 0.0, 0.0], [0.1, 0.8, 0.1, 0.0]])
    assert confusion_matrix([0, 1], scores).shape == (4, 4)
    assert confusion_matrix([0, 1], [1, 1], num_classes=5).shape == (5, 5)
    assert confusion_matrix([0, 1], [2, 1]).shape == (3, 3)  # largest label of either
    with pytest.raises(ValueError, match="num_classes=2 is too small"):
        confusion_matrix([0, 1], [2, 1], num_classes=2)
    with pytest.raises(ValueError, match="num_classes"):
        confusion_matrix([0, 1], [0, 1], num_classes=0)


@settings(max_examples=50, deadline=None)
@given(
    pairs=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=60)
)
def test_confusion_matrix_identities(pairs):
    y_true = np.array([t for t, _ in pairs])
    y_pred = np.array([p for _, p in pairs])
    C = confusion_matrix(y_true, y_pred, num_classes=6)
    np.testing.assert_array_equal(C, _confusion_by_loops(y_true, y_pred, 6))
    assert C.sum() == len(pairs)
    np.testing.assert_array_equal(C.sum(axis=1), np.bincount(y_true, minlength=6))
    np.testing.assert_array_equal(C.sum(axis=0), np.bincount(y_pred, minlength=6))
    assert np.trace(C) / len(pairs) == pytest.approx(accuracy(y_true, y_pred))


def test_metrics_agree_across_prediction_forms():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, size=40)
    scores = rng.normal(size=(40, 3))
    labels = scores.argmax(axis=1)
    assert accuracy(y, scores) == accuracy(y, labels)
    np.testing.assert_array_equal(confusion_matrix(y, scores), confusion_matrix(y, labels))
    p = rng.uniform(size=40)
    yb = (y > 0).astype(int)
    expected = np.mean(yb == (p > 0.5))
    assert accuracy(yb, p) == accuracy(yb, p[:, None]) == pytest.approx(expected)


@pytest.mark.parametrize("metric", [accuracy, confusion_matrix])
@pytest.mark.parametrize(
    ("y_true", "y_pred", "match"),
    [
        ([0, 1, 1], [0, 1], "same number of samples"),
        ([], [], "at least one sample"),
        ([0, -1], [0, 1], "y_true must hold non-negative"),
        ([[0, 1]], [0, 1], "y_true must be a 1-D"),
        ([0.5, 1.0], [0, 1], "y_true must hold integer"),
        ([0, 1], [0.5, 1.5], "y_pred holds non-integer values"),
    ],
)
def test_metric_validation(metric, y_true, y_pred, match):
    with pytest.raises(ValueError, match=match):
        metric(np.asarray(y_true), np.asarray(y_pred))
