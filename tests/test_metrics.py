"""nnbook.metrics: accuracy and the confusion matrix, on hand-worked examples and
against an independent loop-based count, for every accepted form of prediction.
Every metric takes (prediction, target), like every loss."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook.metrics import accuracy, confusion_matrix, predicted_labels


def test_predicted_labels_from_labels_scores_and_single_outputs():
    assert predicted_labels(np.array([2, 0, 1])).tolist() == [2, 0, 1]
    assert predicted_labels(np.array([True, False])).tolist() == [1, 0]
    assert predicted_labels(np.array([[3], [1]])).tolist() == [3, 1]
    assert predicted_labels(np.array([[-1.0, 5.0, 2.0], [4.0, 4.0, 0.0]])).tolist() == [1, 0]
    p = np.array([0.7, 0.2, 0.5])
    assert predicted_labels(p, output="probabilities").tolist() == [1, 0, 0]
    assert predicted_labels(p[:, None], output="probabilities").tolist() == [1, 0, 0]
    out = predicted_labels(np.array([[0.9], [0.1]], dtype=np.float32), "probabilities")
    assert out.dtype == np.int64


def test_single_logits_in_the_unit_interval_are_not_mistaken_for_probabilities():
    # Once read as probabilities by their values: [0, 1, 0]. As logits, all are > 0.
    z = np.array([[0.3], [0.7], [0.1]])
    assert predicted_labels(z, output="logits").tolist() == [1, 1, 1]
    with pytest.raises(ValueError, match="say which: output='logits'"):
        predicted_labels(z)


@pytest.mark.parametrize(
    ("prediction", "output", "match"),
    [
        (np.array([0.2, 1.7]), "probabilities", r"outside \[0, 1\]"),
        (np.array([[0.2], [-0.5]]), "probabilities", r"outside \[0, 1\]"),
        (np.array([0.2, np.nan]), "logits", "non-finite"),
        (np.array([[0.2, np.inf]]), None, "non-finite"),
        (np.array([2.0, 0.0]), None, "say which"),
        (np.zeros((2, 2, 2)), None, r"shape \(n,\)"),
        (np.array(1.0), None, r"shape \(n,\)"),
        (np.array([0, -1]), None, "non-negative"),
        (np.array(["a", "b"]), None, "numeric"),
        (np.array([0.5]), "scores", "output must be"),
    ],
)
def test_predicted_labels_validation(prediction, output, match):
    with pytest.raises(ValueError, match=match):
        predicted_labels(prediction, output)


def test_accuracy_hand_worked():
    assert accuracy([0, 2, 2, 2], [0, 1, 2, 2]) == 0.75
    assert accuracy(np.array([[0.8], [0.3]]), np.array([1, 0]), "probabilities") == 1.0
    assert accuracy(np.array([[0.8], [-0.3]]), np.array([1, 0]), "logits") == 1.0
    scores = np.array([[2.0, 0.1], [0.3, 0.4], [0.9, 0.8]])
    assert accuracy(scores, [0, 1, 1]) == pytest.approx(2 / 3)
    assert isinstance(accuracy([0], [0]), float)


def _confusion_by_loops(target, predicted, k):
    C = np.zeros((k, k), dtype=np.int64)
    for t, p in zip(target.tolist(), predicted.tolist(), strict=True):
        C[t, p] += 1
    return C


def test_confusion_matrix_hand_worked():
    C = confusion_matrix([0, 1, 1, 2, 0], [0, 0, 1, 2, 2])  # (prediction, target)
    np.testing.assert_array_equal(C, [[1, 1, 0], [0, 1, 0], [1, 0, 1]])
    assert C.dtype == np.int64


def test_confusion_matrix_sizes():
    # Scores with 4 columns give a 4 x 4 matrix even if class 3 never occurs.
    scores = np.array([[0.9, 0.1, 0.0, 0.0], [0.1, 0.8, 0.1, 0.0]])
    assert confusion_matrix(scores, [0, 1]).shape == (4, 4)
    assert confusion_matrix([1, 1], [0, 1], num_classes=5).shape == (5, 5)
    assert confusion_matrix([2, 1], [0, 1]).shape == (3, 3)  # largest label of either
    with pytest.raises(ValueError, match="num_classes=2 is too small"):
        confusion_matrix([2, 1], [0, 1], num_classes=2)
    with pytest.raises(ValueError, match="num_classes"):
        confusion_matrix([0, 1], [0, 1], num_classes=0)


@settings(max_examples=50, deadline=None)
@given(
    pairs=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=60)
)
def test_confusion_matrix_identities(pairs):
    target = np.array([t for t, _ in pairs])
    predicted = np.array([p for _, p in pairs])
    C = confusion_matrix(predicted, target, num_classes=6)
    np.testing.assert_array_equal(C, _confusion_by_loops(target, predicted, 6))
    assert C.sum() == len(pairs)
    np.testing.assert_array_equal(C.sum(axis=1), np.bincount(target, minlength=6))
    np.testing.assert_array_equal(C.sum(axis=0), np.bincount(predicted, minlength=6))
    assert np.trace(C) / len(pairs) == pytest.approx(accuracy(predicted, target))


def test_metrics_agree_across_prediction_forms():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, size=40)
    scores = rng.normal(size=(40, 3))
    labels = scores.argmax(axis=1)
    assert accuracy(scores, y) == accuracy(labels, y)
    np.testing.assert_array_equal(confusion_matrix(scores, y), confusion_matrix(labels, y))
    p = rng.uniform(size=40)
    yb = (y > 0).astype(int)
    expected = np.mean(yb == (p > 0.5))
    by_probability = accuracy(p, yb, "probabilities")
    assert by_probability == accuracy(p[:, None], yb, "probabilities") == pytest.approx(expected)
    # The same classifier as logits: z = log(p / (1 - p)) > 0 exactly when p > 0.5.
    assert accuracy(np.log(p / (1 - p)), yb, "logits") == by_probability


@pytest.mark.parametrize("metric", [accuracy, confusion_matrix])
@pytest.mark.parametrize(
    ("prediction", "target", "match"),
    [
        ([0, 1], [0, 1, 1], "same number of samples"),
        (np.zeros(0, int), np.zeros(0, int), "at least one sample"),
        ([0, 1], [0, -1], "target must hold non-negative"),
        ([0, 1], [[0, 1]], "target must be a 1-D"),
        ([0, 1], [0.5, 1.0], "target must hold integer"),
        ([0.5, 1.5], [0, 1], "say which"),
    ],
)
def test_metric_validation(metric, prediction, target, match):
    with pytest.raises(ValueError, match=match):
        metric(np.asarray(prediction), np.asarray(target))
