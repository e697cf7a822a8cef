"""Tests of nnbook.network: Sequential, mlp, signal_statistics, activation_statistics
and forward_flops."""

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook.activations import ACTIVATIONS
from nnbook.diagnostics import (
    ActivationStatistics,
    SignalStatistics,
    activation_statistics,
    forward_flops,
    signal_statistics,
)
from nnbook.gradcheck import numerical_gradient
from nnbook.layers import (
    BatchNorm1d,
    Dense,
    Dropout,
    Identity,
    Layer,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
)
from nnbook.network import Sequential, mlp
from nnbook.optim import SGD
from nnbook.train import fit


def assert_grad_close(analytic, numeric):
    scale = max(1.0, float(np.abs(numeric).max()))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8 * scale)


def check_network_gradients(model, X, rng, before_forward=lambda: None):
    """Input gradient and every parameter gradient of L = sum(G * model(X))."""

    def probe_output(x):
        before_forward()
        return model.forward(x)

    out = probe_output(X)
    G = rng.standard_normal(out.shape)
    dX = model.backward(G, need_input_grad=True)
    analytic = {name: grad.copy() for name, _, grad in model.parameters()}
    assert analytic, "the model should have parameters"
    assert_grad_close(dX, numerical_gradient(lambda x: np.sum(G * probe_output(x)), X))
    for name, value, _ in model.parameters():
        original = value.copy()

        def probe(v, value=value):
            value[...] = v
            return float(np.sum(G * probe_output(X)))

        numeric = numerical_gradient(probe, original)
        value[...] = original
        assert_grad_close(analytic[name], numeric)
    # Without the input gradient, backward fills the same parameter gradients.
    probe_output(X)
    assert model.backward(G, need_input_grad=False) is None
    for name, _, grad in model.parameters():
        np.testing.assert_allclose(grad, analytic[name], rtol=1e-12, atol=1e-15)


# ------------------------------------------------------------------ gradients


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_backward_through_each_activation(name):
    rng = np.random.default_rng(0)
    model = Sequential([Dense(4, 5, rng=rng), ACTIVATIONS[name](), Dense(5, 3, rng=rng)])
    for layer in (model[0], model[2]):
        layer.params["b"][...] = rng.standard_normal(layer.fan_out) * 0.1
    check_network_gradients(model, rng.standard_normal((6, 4)), rng)


def test_a_model_is_a_layer_and_nests():
    rng = np.random.default_rng(5)
    block = Sequential([Dense(4, 5, rng=rng), Tanh(), Dense(5, 4, rng=rng)])
    model = Sequential([Dense(3, 4, rng=rng), ReLU(), block, Sigmoid(), Dense(4, 2, rng=rng)])
    assert isinstance(model, Layer)
    assert [name for name, _, _ in model.parameters()] == [
        "0.W",
        "0.b",
        "2.0.W",
        "2.0.b",
        "2.2.W",
        "2.2.b",
        "4.W",
        "4.b",
    ]
    assert model.num_parameters() == 16 + (25 + 24) + 10
    check_network_gradients(model, rng.standard_normal((6, 3)), rng)
    # Trained as a whole, the nested parameters move too.
    X = rng.standard_normal((20, 3))
    before = block[0].params["W"].copy()
    fit(
        model,
        "cross_entropy",
        SGD(model, lr=0.5),
        X,
        (X[:, 0] > 0).astype(int),
        epochs=2,
        batch_size=5,
        rng=0,
    )
    assert not np.array_equal(block[0].params["W"], before)
    assert "  (2) Sequential(\n      (0) Dense(4 -> 5)  25 params\n" in repr(model)


def test_backward_through_dropout_with_a_fixed_mask():
    rng = np.random.default_rng(1)
    drop = Dropout(0.5)
    model = Sequential([Dense(4, 6, rng=rng), Tanh(), drop, Dense(6, 2, rng=rng)])

    def fix_mask():  # the same seed before every forward gives the same mask
        drop.rng = np.random.default_rng(123)

    check_network_gradients(model, rng.standard_normal((5, 4)), rng, before_forward=fix_mask)
    fix_mask()
    model.forward(np.ones((5, 4)))
    assert 0 < np.count_nonzero(drop.mask) < drop.mask.size


def test_backward_through_batchnorm_in_training_mode():
    rng = np.random.default_rng(2)
    model = mlp([3, 5, 4, 2], activation="tanh", batch_norm=True, rng=rng)
    for _, value, _ in model.parameters():
        value += rng.standard_normal(value.shape) * 0.1  # move gamma, beta off 1, 0
    assert isinstance(model[1], BatchNorm1d) and model.training
    check_network_gradients(model, rng.standard_normal((7, 3)), rng)


def test_backward_skips_the_input_gradient_of_the_first_layer():
    calls = []

    class SpyDense(Dense):
        def backward(self, grad_output, need_input_grad=True):
            calls.append((self.fan_in, need_input_grad))
            return super().backward(grad_output, need_input_grad)

    class SpyDropout(Dropout):
        def backward(self, grad_output):
            calls.append("dropout")
            return super().backward(grad_output)

    model = Sequential(
        [SpyDropout(0.2, rng=0), SpyDense(3, 4, rng=0), ReLU(), SpyDense(4, 2, rng=0)]
    )
    model.forward(np.ones((5, 3)))
    assert model.backward(np.ones((5, 2)), need_input_grad=False) is None
    assert calls == [(4, True), (3, False)]  # the leading dropout is not visited
    calls.clear()
    assert model.backward(np.ones((5, 2)), need_input_grad=True).shape == (5, 3)
    assert calls == [(4, True), (3, True), "dropout"]


# -------------------------------------------------------------- construction


def test_repr_summarises_layers_and_parameters():
    assert repr(mlp([64, 128, 10], rng=0)) == (
        "Sequential(\n"
        "  (0) Dense(64 -> 128)  8,320 params\n"
        "  (1) ReLU\n"
        "  (2) Dense(128 -> 10)  1,290 params\n"
        ") total 9,610 parameters"
    )


def test_widths_must_chain():
    with pytest.raises(
        ValueError,
        match=r"layer \(2\) Dense\(5 -> 2\) expects 5 input features, but layer \(0\) "
        r"Dense\(4 -> 3\) before it produces 3",
    ):
        Sequential([Dense(4, 3), ReLU(), Dense(5, 2)])
    with pytest.raises(ValueError, match=r"BatchNorm1d\(4\) expects 4 .* produces 3"):
        Sequential([Dense(4, 3), BatchNorm1d(4)])


@pytest.mark.parametrize(
    ("layers", "match"),
    [
        ([], "empty"),
        ([Dense(2, 2), "relu"], r"layers\[1\] is str"),
        ([Dense(2, 2), Dense(2, 2, dtype=np.float32)], "different dtypes: float64 .*float32"),
    ],
)
def test_sequential_rejects_bad_layers(layers, match):
    with pytest.raises(ValueError, match=match):
        Sequential(layers)


def test_sequential_rejects_a_repeated_layer():
    relu = ReLU()
    with pytest.raises(ValueError, match=r"layers\[3\] is the same ReLU\(\) object as layers\[1\]"):
        Sequential([Dense(2, 2), relu, Dense(2, 2), relu])


def test_parameter_names_container_and_counts():
    model = mlp([4, 3, 2], batch_norm=True, rng=0)
    names = [name for name, _, _ in model.parameters()]
    assert names == ["0.W", "0.b", "1.gamma", "1.beta", "3.W", "3.b"]
    assert model.num_parameters() == 4 * 3 + 3 + 3 + 3 + 3 * 2 + 2
    assert len(model) == 4 and isinstance(model[1], BatchNorm1d)
    assert isinstance(model[:2], Sequential) and len(model[:2]) == 2
    assert [type(layer) for layer in model] == [Dense, BatchNorm1d, ReLU, Dense]


def test_train_and_eval():
    model = mlp([3, 4, 2], dropout=0.5, batch_norm=True, rng=0)
    assert model.eval() is model and not model.training
    assert not any(layer.training for layer in model)
    model.train()
    assert model.training and all(layer.training for layer in model)


def test_parameters_live_in_one_contiguous_vector():
    model = mlp([3, 4, 2], batch_norm=True, rng=0)
    values, grads = model.flat_parameters()
    assert values.size == model.num_parameters()
    values[:] = 0.5  # writing the vector writes every parameter
    assert all(np.all(value == 0.5) for _, value, _ in model.parameters())
    model.forward(np.ones((4, 3)))
    model.backward(np.ones((4, 2)))
    np.testing.assert_array_equal(grads[-2:], 4.0)  # the last bias gradient
    # A model built from another's layers does not repack them.
    assert model[:2].flat_parameters() is None
    # A deep copy gets its own vector, not shared with the original.
    twin = copy.deepcopy(model)
    twin_values, _ = twin.flat_parameters()
    twin_values[:] = 1.0
    assert np.all(values == 0.5) and np.all(twin[0].params["W"] == 1.0)


def test_predict_is_eval_mode_and_leaves_the_model_untouched():
    rng = np.random.default_rng(3)
    model = mlp([3, 6, 2], batch_norm=True, dropout=0.5, rng=0)
    bn, drop = model[1], model[3]
    model.forward(rng.standard_normal((5, 3)))  # training mode: running stats move
    running = bn.running_mean.copy(), bn.running_var.copy()
    rng_state = copy.deepcopy(drop.rng.bit_generator.state)
    Z = rng.standard_normal((4, 3))
    out = model.predict(Z)
    assert model.training and all(layer.training for layer in model)
    np.testing.assert_array_equal(bn.running_mean, running[0])
    np.testing.assert_array_equal(bn.running_var, running[1])
    assert drop.rng.bit_generator.state == rng_state  # no dropout mask was drawn
    np.testing.assert_array_equal(out, model.predict(Z))  # deterministic
    np.testing.assert_allclose(out, model.eval().forward(Z))  # = an explicit eval forward


def test_predict_does_not_disturb_a_pending_backward():
    rng = np.random.default_rng(4)
    model = mlp([3, 5, 2], rng=rng)
    X, G = rng.standard_normal((6, 3)), rng.standard_normal((6, 2))
    model.forward(X)
    model.backward(G)
    expected = [g.copy() for _, _, g in model.parameters()]
    model.forward(X)
    model.predict(rng.standard_normal((2, 3)))  # another input in between
    model.backward(G)
    for (_, _, grad), want in zip(model.parameters(), expected, strict=True):
        np.testing.assert_array_equal(grad, want)


def test_predict_classes():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((8, 3))
    multi = mlp([3, 4], rng=0)
    np.testing.assert_array_equal(multi.predict_classes(X), np.argmax(multi.predict(X), axis=1))
    logit = Sequential([Dense(3, 1, rng=0)])
    np.testing.assert_array_equal(logit.predict_classes(X), (logit.predict(X)[:, 0] > 0))
    prob = Sequential([Dense(3, 1, rng=0), Sigmoid()])
    np.testing.assert_array_equal(prob.predict_classes(X), (prob.predict(X)[:, 0] > 0.5))
    assert prob.predict_classes(X).dtype == np.intp


# ----------------------------------------------------------------------- mlp


def test_mlp_structure():
    model = mlp(
        [4, 8, 8, 1],
        activation="tanh",
        output_activation="sigmoid",
        dropout=0.25,
        batch_norm=True,
        rng=0,
    )
    assert [type(layer).__name__ for layer in model] == [
        "Dense",
        "BatchNorm1d",
        "Tanh",
        "Dropout",
        "Dense",
        "BatchNorm1d",
        "Tanh",
        "Dropout",
        "Dense",
        "Sigmoid",
    ]
    assert model[3].p == 0.25
    # One generator for all layers: same-shaped layers get different weights.
    assert not np.array_equal(model[4].params["W"][:4], model[0].params["W"])
    assert [type(x) for x in mlp([2, 3, 4], rng=0)] == [Dense, ReLU, Dense]
    leaky = mlp([2, 3, 3, 1], activation=LeakyReLU(alpha=0.2), rng=0)
    assert leaky[1] is not leaky[3] and leaky[3].alpha == 0.2
    by_class = mlp([2, 3, 1], activation=LeakyReLU, output_activation="sigmoid", rng=0)
    assert type(by_class[1]) is LeakyReLU and by_class[1].alpha == 0.1
    shared = Sigmoid()
    a, b = (mlp([2, 3, 1], output_activation=shared, rng=0) for _ in range(2))
    assert a[-1] is not shared and b[-1] is not a[-1]  # copied: no cache shared


def test_mlp_is_reproducible_and_keeps_dtype():
    a, b = mlp([3, 5, 2], rng=7, dtype=np.float32), mlp([3, 5, 2], rng=7, dtype=np.float32)
    for (_, va, _), (_, vb, _) in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(va, vb)
        assert va.dtype == np.float32
    assert a.dtype == np.float32


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sizes": [3]}, "at least two"),
        ({"sizes": "3,2"}, "at least two"),
        ({"sizes": [3, 0]}, "positive integer"),
        ({"sizes": [3, 2], "activation": "swish"}, "unknown activation 'swish'"),
        ({"sizes": [3, 4, 2], "activation": "swish"}, "unknown activation 'swish'"),
        ({"sizes": [3, 2], "dropout": 1.0}, "dropout"),
        ({"sizes": [3, 2], "init": "zeros?"}, "unknown initializer"),
    ],
)
def test_mlp_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        mlp(**kwargs)


def test_mlp_output_activation_validated():
    with pytest.raises(ValueError, match="unknown activation"):
        mlp([3, 2], output_activation="probabilities")


# --------------------------------------------------------- signal_statistics


def test_signal_statistics_by_hand():
    rng = np.random.default_rng(6)
    model = Sequential([Dense(3, 4, rng=rng), Tanh(), Dense(4, 2, rng=rng)])
    W1, b1 = model[0].params["W"], model[0].params["b"]
    W2, b2 = model[2].params["W"], model[2].params["b"]
    b1 += 0.1
    X, G = rng.standard_normal((10, 3)), rng.standard_normal((10, 2))
    z1 = X @ W1 + b1
    h1 = np.tanh(z1)
    z2 = h1 @ W2 + b2
    dh1 = G @ W2.T
    dW1, dW2 = X.T @ (dh1 * (1 - h1**2)), h1.T @ G
    stats = signal_statistics(model, X, grad_output=G)
    assert isinstance(stats, SignalStatistics)
    np.testing.assert_array_equal(stats.layer, [0, 2])
    np.testing.assert_allclose(stats.preactivation_std, [z1.std(), z2.std()])
    np.testing.assert_allclose(stats.activation_std, [h1.std(), z2.std()])
    per_unit = [
        np.mean([h1[:, j].std() for j in range(4)]),
        np.mean([z2[:, 0].std(), z2[:, 1].std()]),
    ]  # noqa: E501
    np.testing.assert_allclose(stats.activation_unit_std, per_unit)
    np.testing.assert_allclose(stats.activation_grad_std, [dh1.std(), G.std()])
    np.testing.assert_allclose(stats.weight_grad_norm, [np.linalg.norm(dW1), np.linalg.norm(dW2)])
    np.testing.assert_allclose(stats.weight_grad_std, [dW1.std(), dW2.std()])
    assert set(stats.as_dict()) == {
        "layer",
        "preactivation_std",
        "activation_std",
        "activation_unit_std",
        "activation_grad_std",
        "weight_grad_norm",
        "weight_grad_std",
    }


def test_signal_statistics_leaves_the_model_untouched_and_is_seeded():
    model = mlp([5, 6, 6, 3], batch_norm=True, rng=0)
    X = np.random.default_rng(1).standard_normal((20, 5))
    snapshot = copy.deepcopy(model)
    first = signal_statistics(model, X, rng=42)
    second = signal_statistics(model, X, rng=42)
    for name in first.as_dict():
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))
    for (_, v, g), (_, v0, g0) in zip(model.parameters(), snapshot.parameters(), strict=True):
        np.testing.assert_array_equal(v, v0)
        np.testing.assert_array_equal(g, g0)
    np.testing.assert_array_equal(model[1].running_mean, snapshot[1].running_mean)
    # Block outputs after batch norm + activation: the stats follow the ReLU.
    assert np.all(first.activation_std[:-1] < first.preactivation_std[:-1])


def test_signal_statistics_shows_vanishing_gradients_in_deep_sigmoid_nets():
    rng = np.random.default_rng(0)
    deep = mlp([50] * 9, activation="sigmoid", init="xavier_normal", rng=rng)
    stats = signal_statistics(deep, rng.standard_normal((100, 50)), rng=rng)
    assert len(stats.layer) == 8
    # Each sigmoid scales gradients by at most 1/4: they shrink towards the input.
    assert np.all(np.diff(stats.weight_grad_norm[:-1]) > 0)
    assert stats.weight_grad_norm[0] < 1e-3 * stats.weight_grad_norm[-1]


def test_signal_statistics_shows_the_forward_collapse_that_the_overall_std_hides():
    # Deep sigmoid, Xavier: each unit's output stops depending on the input (the
    # spread across samples shrinks layer by layer), while the std over all
    # entries stays large, because the units settle at different constants.
    rng = np.random.default_rng(0)
    deep = mlp([50] * 9, activation="sigmoid", init="xavier_normal", rng=rng)
    stats = signal_statistics(deep, rng.standard_normal((100, 50)), rng=rng)
    hidden = stats.activation_unit_std[:-1]
    assert np.all(np.diff(hidden) < 0)
    assert hidden[-1] < 1e-3 * hidden[0]
    assert np.all(stats.activation_std[:-1] > 0.05)


def test_signal_statistics_checks():
    model = mlp([3, 2], rng=0)
    with pytest.raises(ValueError, match="grad_output has shape"):
        signal_statistics(model, np.ones((4, 3)), grad_output=np.ones((4, 3)))
    with pytest.raises(ValueError, match="no Dense layer"):
        signal_statistics(Sequential([Identity()]), np.ones((4, 3)))
    with pytest.raises(ValueError, match="must be a Sequential"):
        signal_statistics([Dense(3, 2)], np.ones((4, 3)))
    from nnbook.layers import Residual

    nested = Sequential([Dense(3, 3, rng=0), Residual(Dense(3, 3, rng=1)), Dense(3, 2, rng=2)])
    with pytest.raises(ValueError, match="flat Sequential"):
        signal_statistics(nested, np.ones((4, 3)))
    with pytest.raises(ValueError, match="non-finite"):
        signal_statistics(model, np.full((4, 3), np.nan))


# ----------------------------------------------------- activation_statistics


def relu_net(W, b, activation=None):
    """Dense(d, k) with the given W and b, an activation (ReLU), Dense(k, 1)."""
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    model = Sequential([Dense(*W.shape, rng=0), activation or ReLU(), Dense(W.shape[1], 1, rng=0)])
    model[0].params["W"][...] = W
    model[0].params["b"][...] = b
    return model


def test_activation_statistics_by_hand():
    # z = X W + b = [[1, -4, 2, 0], [3, -4, 0, -1]]: unit 1 is negative on both samples,
    # unit 3 is 0 then negative (dead: ReLU's derivative at 0 is 0), units 0 and 2 live.
    W = [[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.5]]
    b = [0.0, -4.0, 0.0, -1.0]
    X = np.array([[1.0, 2.0], [3.0, 0.0]])
    model = relu_net(W, b)
    np.testing.assert_array_equal(X @ np.array(W) + b, [[1, -4, 2, 0], [3, -4, 0, -1]])
    stats = activation_statistics(model, X)
    assert isinstance(stats, ActivationStatistics)
    np.testing.assert_array_equal(stats.layer, [1])
    np.testing.assert_array_equal(stats.units, [4])
    np.testing.assert_array_equal(stats.dead_units, [2])
    np.testing.assert_allclose(stats.dead_fraction, [0.5])
    np.testing.assert_allclose(stats.zero_fraction, [5 / 8])  # 5 zeros among 8 outputs
    assert stats.dead_units.dtype.kind == "i" and stats.zero_fraction.dtype == np.float64
    assert set(stats.as_dict()) == {
        "layer",
        "units",
        "dead_units",
        "dead_fraction",
        "zero_fraction",
    }


@pytest.mark.parametrize(
    ("activation", "dead", "zeros"),
    [
        (ReLU(), 2, 4),  # z <= 0 on both samples for units 1 and 2
        (LeakyReLU(alpha=0.1), 0, 1),  # slope alpha > 0: never dead; only z = 0 gives 0
        (LeakyReLU(alpha=0.0), 2, 4),  # alpha = 0 is ReLU
        (Identity(), 0, 1),
        (Sigmoid(), 0, 0),  # z in [-5, 2]: far from saturation
        (Tanh(), 0, 1),
    ],
    ids=["relu", "leaky", "leaky0", "identity", "sigmoid", "tanh"],
)
def test_dead_units_of_each_activation(activation, dead, zeros):
    # z = [[1, -5, 0], [2, -1, -3]]
    model = relu_net(np.eye(3), [0.0, 0.0, 0.0], activation)
    X = np.array([[1.0, -5.0, 0.0], [2.0, -1.0, -3.0]])
    stats = activation_statistics(model, X)
    np.testing.assert_array_equal(stats.dead_units, [dead])
    np.testing.assert_allclose(stats.dead_fraction, [dead / 3])
    np.testing.assert_allclose(stats.zero_fraction, [zeros / 6])


def test_saturated_tanh_units_count_as_dead():
    """tanh'(z) = 1 / cosh^2 z underflows to 0 only for |z| > 355: there no gradient
    passes. At +-20, where 1 - h^2 would be 0, the unit keeps a 1.7e-17 slope."""
    model = relu_net(np.eye(2), [0.0, 0.0], Tanh())
    X = np.array([[400.0, 20.0], [-500.0, -25.0]])
    stats = activation_statistics(model, X)
    np.testing.assert_array_equal(stats.dead_units, [1])
    model.forward(X)
    model.backward(np.ones((2, 1)))
    np.testing.assert_array_equal(model[0].grads["W"][:, 0], 0.0)  # the dead unit learns nothing
    assert np.all(model[0].grads["W"][:, 1] != 0)


def test_a_dying_relu_network_and_the_layers_measured():
    """A large negative bias kills every unit of the first layer (and so of the next);
    an output activation and a hidden softmax are not measured."""
    model = mlp([3, 5, 4, 1], output_activation="sigmoid", rng=0)
    model[0].params["b"][...] = -100.0
    X = np.random.default_rng(0).standard_normal((50, 3))
    stats = activation_statistics(model, X)
    np.testing.assert_array_equal(stats.layer, [1, 3])  # not the output sigmoid (5)
    np.testing.assert_array_equal(stats.dead_units, [5, 4])  # the second sees only its bias
    np.testing.assert_array_equal(stats.dead_fraction, [1.0, 1.0])
    np.testing.assert_array_equal(stats.zero_fraction, [1.0, 1.0])
    with_softmax = Sequential([Dense(3, 4, rng=0), Softmax(), Dense(4, 2, rng=0), Tanh()])
    with pytest.raises(ValueError, match="no hidden activation layer"):
        activation_statistics(with_softmax, X)


def test_activation_statistics_in_eval_mode_leaves_the_model_untouched():
    rng = np.random.default_rng(7)
    model = mlp([3, 6, 4, 2], batch_norm=True, dropout=0.5, rng=0)
    X = rng.standard_normal((20, 3))
    model.forward(3 * X + 1)  # training mode: move the running statistics off (0, 1)
    G = rng.standard_normal((20, 2))
    model.forward(X)  # a pending backward
    snapshot = copy.deepcopy(model)
    rng_state = copy.deepcopy(model[3].rng.bit_generator.state)
    stats = activation_statistics(model, X)
    # Independently: an explicit eval-mode pass on a copy, dead = z <= 0 on all samples.
    twin = copy.deepcopy(snapshot).eval()
    h, expected_dead, expected_zeros = X, [], []
    for layer in twin:
        if isinstance(layer, ReLU):
            expected_dead.append(int(np.sum(np.all(h <= 0, axis=0))))
            expected_zeros.append(np.mean(np.maximum(h, 0) == 0))
        h = layer.forward(h)
    np.testing.assert_array_equal(stats.layer, [2, 6])
    np.testing.assert_array_equal(stats.dead_units, expected_dead)
    np.testing.assert_allclose(stats.zero_fraction, expected_zeros)
    # Nothing changed: mode, running statistics, dropout generator, parameters, caches.
    assert model.training and all(layer.training for layer in model)
    np.testing.assert_array_equal(model[1].running_mean, snapshot[1].running_mean)
    np.testing.assert_array_equal(model[1].running_var, snapshot[1].running_var)
    assert model[3].rng.bit_generator.state == rng_state
    model.backward(G)
    snapshot.backward(G)
    for (_, v, g), (_, v0, g0) in zip(model.parameters(), snapshot.parameters(), strict=True):
        np.testing.assert_array_equal(v, v0)
        np.testing.assert_array_equal(g, g0)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    shift=st.floats(-3.0, 3.0),
    n=st.integers(1, 12),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_activation_statistics_relu_properties(seed, shift, n, dtype):
    """For ReLU: dead = no positive pre-activation in the column; a dead unit gives
    n zeros, so dead_fraction <= zero_fraction; all counts within range."""
    rng = np.random.default_rng(seed)
    model = mlp([3, 7, 2], rng=rng, dtype=dtype)
    model[0].params["b"][...] = shift
    X = rng.standard_normal((n, 3)).astype(dtype)
    stats = activation_statistics(model, X)
    z = X @ model[0].params["W"] + model[0].params["b"]
    assert stats.dead_units[0] == np.sum(np.all(z <= 0, axis=0))
    assert stats.zero_fraction[0] == np.mean(z <= 0)
    assert 0 <= stats.dead_fraction[0] <= stats.zero_fraction[0] <= 1


def test_activation_statistics_checks():
    model = mlp([3, 4, 2], rng=0)
    with pytest.raises(ValueError, match="must be a Sequential"):
        activation_statistics([Dense(3, 2)], np.ones((4, 3)))
    with pytest.raises(ValueError, match="no hidden activation layer"):
        activation_statistics(mlp([3, 2], output_activation="sigmoid", rng=0), np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"Dense\(3 -> 4\) expects input of shape \(n, 3\)"):
        activation_statistics(model, np.ones((4, 5)))
    with pytest.raises(ValueError, match="X contains 12 non-finite"):
        activation_statistics(model, np.full((4, 3), np.nan))
    with pytest.raises(ValueError, match=r"X must have shape \(n, features\) with n >= 1"):
        activation_statistics(model, np.ones(3))
    with pytest.raises(ValueError, match=r"X must have shape \(n, features\) with n >= 1"):
        activation_statistics(model, np.ones((0, 3)))


# -------------------------------------------------------------- forward_flops


def test_forward_flops_by_hand():
    assert forward_flops(mlp([64, 128, 10], rng=0)) == (2 * 64 * 128 + 128) + (2 * 128 * 10 + 10)
    assert forward_flops(mlp([784, 256, 10], rng=0)) == 406_794
    # Batch norm, activations and dropout are not counted.
    deep = mlp([4, 8, 8, 1], batch_norm=True, dropout=0.5, output_activation="sigmoid", rng=0)
    assert forward_flops(deep) == (2 * 4 * 8 + 8) + (2 * 8 * 8 + 8) + (2 * 8 * 1 + 1)
    assert forward_flops(Sequential([ReLU()])) == 0
    assert type(forward_flops(deep)) is int
    with pytest.raises(ValueError, match="must be a Sequential"):
        forward_flops([Dense(3, 2)])


def test_forward_flops_of_a_cnn_counts_every_output_pixel():
    from nnbook.conv import Conv2D, Flatten, MaxPool2D

    cnn = Sequential([
        Conv2D(1, 8, 3, padding=1, rng=0), ReLU(), MaxPool2D(2),      # 8x8 -> 8x8 -> 4x4
        Conv2D(8, 4, (3, 2), stride=(1, 2), rng=1), ReLU(), Flatten(),  # 4x4 -> 2x2
        Dense(16, 10, rng=2),
    ])
    # Each output value of a conv: C_in*kh*kw multiply-adds and one bias.
    first = 8 * 8 * 8 * (2 * 1 * 3 * 3 + 1)
    second = 4 * 2 * 2 * (2 * 8 * 3 * 2 + 1)
    expected = first + second + (2 * 16 * 10 + 10)
    assert forward_flops(cnn, input_shape=(1, 8, 8)) == expected
    # For a conv layer, the count is 2 * (multiply-adds of the same product written
    # as im2col: (H_out W_out, C_in kh kw) @ (C_in kh kw, C_out)) plus the biases.
    conv = cnn[0]
    assert first == 2 * (8 * 8) * (1 * 9) * 8 + conv.params["b"].size * 64
    with pytest.raises(ValueError, match="input_shape"):
        forward_flops(cnn)
    with pytest.raises(ValueError):
        forward_flops(cnn, input_shape=(3, 8, 8))  # three channels: the conv takes one
    # Dense-only models give the same count with or without input_shape.
    model = mlp([5, 7, 3], rng=0)
    assert forward_flops(model, input_shape=(5,)) == forward_flops(model)


@settings(max_examples=30, deadline=None)
@given(sizes=st.lists(st.integers(1, 50), min_size=2, max_size=6))
def test_forward_flops_is_twice_the_parameters_minus_the_biases(sizes):
    """A dense layer has fan_in * fan_out + fan_out parameters and costs
    2 fan_in fan_out + fan_out: FLOPs = 2 * parameters - number of biases."""
    model = mlp(sizes, rng=0)
    assert forward_flops(model) == 2 * model.num_parameters() - sum(sizes[1:])
