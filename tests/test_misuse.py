"""Silent misuse made loud: each way of misusing nnbook that once failed silently.

Every test here is a case that used to run without complaint and give a wrong
result; now it raises a ValueError that says what to change, or behaves
correctly.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from nnbook.activations import LeakyReLU, Sigmoid, Softmax, Tanh
from nnbook.layers import Dense, Layer, ReLU
from nnbook.network import Sequential, mlp
from nnbook.optim import SGD, Adam
from nnbook.train import evaluate, fit

X = np.random.default_rng(0).standard_normal((8, 3))


class Scale(Layer):
    """A layer with a parameter that Sequential does not pack (not Dense or BatchNorm)."""

    def __init__(self, width):
        super().__init__()
        self.params["a"], self.grads["a"] = np.ones(width), np.zeros(width)

    def forward(self, x):
        self._x = x
        return x * self.params["a"]

    def backward(self, grad_output):
        self.grads["a"][...] = np.sum(grad_output * self._x, axis=0)
        return grad_output * self.params["a"]


def test_an_optimizer_built_before_the_model_raises_instead_of_updating_stale_arrays():
    dense = Dense(3, 2, rng=0)
    opt = SGD(list(dense.parameters()), lr=0.1)
    model = Sequential([dense])  # moves W and b into the model's flat storage
    model.forward(X)
    model.backward(np.ones((8, 2)))
    with pytest.raises(ValueError, match="no longer the model's.*build the optimizer"):
        opt.step()


def test_an_optimizer_on_a_layer_detects_the_move_too():
    dense = Dense(3, 2, rng=0)
    opt = Adam(dense, lr=0.1)
    Sequential([dense, ReLU()])
    with pytest.raises(ValueError, match="no longer the model's"):
        opt.step()


def test_an_old_reference_to_a_parameter_cannot_be_edited_silently():
    dense = Dense(3, 2, rng=0)
    W = dense.params["W"]
    Sequential([dense])
    with pytest.raises(ValueError, match="read-only"):
        W[...] = 0.0


def test_slicing_an_unpacked_model_does_not_detach_its_optimizer():
    # A model with a layer Sequential cannot pack keeps one array per parameter;
    # a slice of it must not pack the Dense layer's arrays away from the optimizer.
    model = Sequential([Dense(3, 3, rng=0), Scale(3), Dense(3, 2, rng=1)])
    assert model.flat_parameters() is None
    opt = SGD(model, lr=0.1)
    model[:1].predict(X)
    model.forward(X)
    model.backward(np.ones((8, 2)))
    before = model[0].params["W"].copy()
    opt.step()
    assert not np.array_equal(model[0].params["W"], before)


def test_slicing_a_packed_model_keeps_its_storage():
    model = mlp([3, 4, 2], rng=0)
    opt = SGD(model, lr=0.1)
    values, _ = model.flat_parameters()
    model[:2].predict(X)
    assert model.flat_parameters()[0] is values
    model.forward(X)
    model.backward(np.ones((8, 2)))
    opt.step()  # still the model's storage: no error


def test_a_deep_copy_trains_independently():
    model = mlp([3, 4, 2], rng=0)
    twin = copy.deepcopy(model)
    opt = SGD(twin, lr=0.5)
    twin.forward(X)
    twin.backward(np.ones((8, 2)))
    opt.step()
    assert not np.array_equal(twin[0].params["W"], model[0].params["W"])
    assert twin.flat_parameters() is not None


# --- a loss that does not fit the output layer ------------------------------------

LABELS = (X[:, 0] > 0).astype(int)


@pytest.mark.parametrize(
    ("output_activation", "loss", "message"),
    [
        ("softmax", "cross_entropy", "expects logits and applies softmax itself"),
        ("sigmoid", "binary_cross_entropy_with_logits", "applies the sigmoid itself"),
        (None, "binary_cross_entropy", "expects probabilities in \\[0, 1\\]"),
        ("tanh", "binary_cross_entropy", "end it with a Sigmoid"),
    ],
)
def test_fit_and_evaluate_reject_an_output_layer_the_loss_does_not_fit(
    output_activation, loss, message
):
    k = 2 if loss == "cross_entropy" else 1
    model = mlp([3, 4, k], output_activation=output_activation, rng=0)
    y = LABELS if k == 2 else LABELS.reshape(-1, 1).astype(float)
    with pytest.raises(ValueError, match=message):
        fit(model, loss, SGD(model, lr=0.1), X, y, epochs=1, batch_size=4, rng=0)
    with pytest.raises(ValueError, match=message):
        evaluate(model, loss, X, y)


def test_matching_output_layers_are_accepted_and_thresholded_by_the_loss():
    y = LABELS.reshape(-1, 1).astype(float)
    probabilities = mlp([3, 4, 1], output_activation="sigmoid", rng=0)
    logits = mlp([3, 4, 1], rng=0)  # the same weights, without the sigmoid
    # The same network: the accuracy must not depend on which form its output takes.
    acc_p = evaluate(probabilities, "binary_cross_entropy", X, y)[1]
    acc_z = evaluate(logits, "binary_cross_entropy_with_logits", X, y)[1]
    assert acc_p == acc_z
    # MSE on a sigmoid output (chapter 5 compares it with cross entropy) is allowed.
    evaluate(probabilities, "mse", X, y)


# --- gradients: overwritten by every backward pass, never accumulated ---------------


def test_backward_overwrites_so_there_is_no_zero_grad_to_forget():
    model = mlp([3, 4, 2], batch_norm=True, rng=0)
    model.forward(X)
    model.backward(np.ones((8, 2)))
    first = [grad.copy() for _, _, grad in model.parameters()]
    model.forward(X)
    model.backward(np.ones((8, 2)))  # torch would now hold twice the gradient
    for before, (_, _, grad) in zip(first, model.parameters(), strict=True):
        np.testing.assert_array_equal(grad, before)
    assert not hasattr(model, "zero_grad") and not hasattr(SGD(model, lr=0.1), "zero_grad")
    assert not hasattr(model[0], "zero_grad")


# --- History: the training accuracy says how it was measured ------------------------


def test_running_accuracy_is_named_for_how_it_is_measured():
    # With dropout on, the accuracy measured on the fly is not the model's accuracy
    # after the epoch; the name says which one History records.
    model = mlp([3, 16, 2], dropout=0.5, rng=0)
    history = fit(model, "cross_entropy", SGD(model, lr=0.1), X, LABELS, epochs=2,
                  batch_size=4, rng=0)
    assert not hasattr(history, "accuracy")
    assert len(history.running_accuracy) == 2


# --- no aliasing a caller can trip over ----------------------------------------------


@pytest.mark.parametrize("layer", [Sigmoid(), Tanh(), ReLU(), LeakyReLU(), Softmax()])
def test_an_activation_output_cannot_be_edited_behind_backward(layer):
    out = layer.forward(X)
    expected = layer.backward(np.ones_like(X))
    with pytest.raises(ValueError, match="read-only"):
        out -= 10.0  # once silently changed what backward computes
    np.testing.assert_array_equal(layer.backward(np.ones_like(X)), expected)


def test_predictions_are_the_callers_to_edit():
    model = mlp([3, 4, 2], output_activation="softmax", rng=0)
    p = model.predict(X)
    p[p < 0.5] = 0.0  # a plain array: no cache behind it


def test_fit_keeps_no_reference_to_a_training_batch():
    model = mlp([3, 4, 2], dropout=0.5, batch_norm=True, rng=0)
    fit(model, "cross_entropy", SGD(model, lr=0.1), X, LABELS, epochs=1, batch_size=4, rng=0)
    assert model[0]._x is None
    with pytest.raises(RuntimeError, match="backward called before forward"):
        model.backward(np.ones((4, 2)))  # once: gradients of the last batch, silently
