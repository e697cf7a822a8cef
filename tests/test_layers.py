"""Tests of nnbook.layers: Dense and BatchNorm1d (gradients checked numerically)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook import activations, init, regularization
from nnbook.layers import BatchNorm1d, Dense, Dropout, Identity, LeakyReLU, ReLU, Sigmoid, Tanh

from ._gradients import check_layer_gradients

# ----------------------------------------------------------------------- Dense


def test_dense_forward_is_affine_map():
    layer = Dense(3, 2, rng=0)
    layer.params["b"][...] = [0.5, -1.0]
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(layer.forward(x), x @ layer.params["W"] + [0.5, -1.0])
    assert layer.params["W"].shape == (3, 2) and layer.params["b"].shape == (2,)
    assert np.all(Dense(3, 2, rng=0).params["b"] == 0)  # the bias starts at zero


def test_dense_uses_named_initializer():
    np.testing.assert_array_equal(
        Dense(5, 4, init="xavier_uniform", rng=3).params["W"],
        init.xavier_uniform(5, 4, rng=3),
    )


def test_dense_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    layer = Dense(4, 3, rng=rng)
    layer.params["b"][...] = rng.standard_normal(3)
    check_layer_gradients(layer, rng.standard_normal((5, 4)), rng)


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 5),
    fan_in=st.integers(1, 4),
    fan_out=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
def test_dense_gradients_for_any_shape(n, fan_in, fan_out, seed):
    rng = np.random.default_rng(seed)
    layer = Dense(fan_in, fan_out, init="xavier_uniform", rng=rng)
    layer.params["b"][...] = rng.standard_normal(fan_out)
    check_layer_gradients(layer, rng.standard_normal((n, fan_in)), rng)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 8), seed=st.integers(0, 2**16), scale=st.floats(1e-2, 1e3))
def test_batchnorm_standardizes_any_batch(n, seed, scale):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 3)) * scale + rng.standard_normal(3) * scale
    y = BatchNorm1d(3, eps=1e-5).forward(x)
    np.testing.assert_allclose(y.mean(axis=0), 0.0, atol=1e-9)
    var = x.var(axis=0)  # the output's std is sqrt(var / (var + eps)), just below 1
    np.testing.assert_allclose(y.std(axis=0), np.sqrt(var / (var + 1e-5)), rtol=1e-9)


def test_dense_backward_hand_example():
    layer = Dense(2, 1, rng=0)
    layer.params["W"][...] = [[2.0], [-1.0]]
    x = np.array([[1.0, 3.0], [2.0, 0.0]])
    layer.forward(x)
    dx = layer.backward(np.array([[1.0], [10.0]]))
    np.testing.assert_array_equal(layer.grads["W"], [[21.0], [3.0]])  # x.T @ g
    np.testing.assert_array_equal(layer.grads["b"], [11.0])
    np.testing.assert_array_equal(dx, [[2.0, -1.0], [20.0, -10.0]])  # g @ W.T


def test_dense_grads_are_written_in_place_and_input_grad_can_be_skipped():
    rng = np.random.default_rng(1)
    layer = Dense(4, 3, rng=rng)
    dW, db = layer.grads["W"], layer.grads["b"]
    x, g = rng.standard_normal((6, 4)), rng.standard_normal((6, 3))
    layer.forward(x)
    assert layer.backward(g, need_input_grad=False) is None
    assert layer.grads["W"] is dW and layer.grads["b"] is db
    np.testing.assert_allclose(dW, x.T @ g)
    np.testing.assert_allclose(db, g.sum(axis=0))


def test_dense_rejects_wrong_input_shape_naming_layer_and_shapes():
    layer = Dense(3, 2, rng=0)
    message = r"Dense\(3 -> 2\) expects input of shape \(n, 3\).*\(4, 5\)"
    with pytest.raises(ValueError, match=message):
        layer.forward(np.zeros((4, 5)))
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        layer.forward(np.zeros(3))
    with pytest.raises(ValueError, match="real numeric"):
        layer.forward(np.array([["a", "b", "c"]]))


def test_dense_backward_checks():
    layer = Dense(3, 2, rng=0)
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros((1, 2)))
    layer.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"grad_output has shape \(4, 3\); expected \(4, 2\)"):
        layer.backward(np.zeros((4, 3)))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"fan_in": 0, "fan_out": 2}, "fan_in"),
        ({"fan_in": 2, "fan_out": 1.5}, "fan_out"),
        ({"fan_in": 2, "fan_out": 2, "init": "nope"}, "unknown initializer 'nope'"),
        ({"fan_in": 2, "fan_out": 2, "dtype": np.int64}, "dtype"),
        ({"fan_in": 2, "fan_out": 2, "init": lambda *a, **k: np.zeros((3, 3))}, r"\(2, 2\)"),
    ],
)
def test_dense_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Dense(**kwargs)


def test_dense_float32_stays_float32():
    layer = Dense(3, 2, rng=0, dtype=np.float32)
    assert layer.params["W"].dtype == np.float32 and layer.grads["b"].dtype == np.float32
    out = layer.forward(np.ones((2, 3)))  # float64 input is cast to the layer's dtype
    assert out.dtype == np.float32
    dx = layer.backward(np.ones((2, 2), dtype=np.float32))
    assert dx.dtype == np.float32 and layer.grads["W"].dtype == np.float32


def test_dense_repr():
    assert repr(Dense(64, 128, rng=0)) == "Dense(64 -> 128)"


# ------------------------------------------------------------------ BatchNorm1d


def test_batchnorm_training_statistics_by_hand():
    bn = BatchNorm1d(2, momentum=0.5)
    x = np.array([[1.0, 0.0], [2.0, 0.0], [6.0, 3.0]])  # means 3, 1; biased vars 14/3, 2
    y = bn.forward(x)
    np.testing.assert_allclose(y.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(y[:, 0], (x[:, 0] - 3) / np.sqrt(14 / 3 + 1e-5))
    # running = 0.5 * initial + 0.5 * batch, with the unbiased variance (n - 1 = 2)
    np.testing.assert_allclose(bn.running_mean, [1.5, 0.5])
    np.testing.assert_allclose(bn.running_var, [0.5 + 0.5 * 7.0, 0.5 + 0.5 * 3.0])


def test_batchnorm_eval_uses_running_statistics():
    bn = BatchNorm1d(2)
    bn.params["gamma"][...] = [2.0, 1.0]
    bn.params["beta"][...] = [0.0, 1.0]
    bn.running_mean[...] = [1.0, -1.0]
    bn.running_var[...] = [4.0, 1.0]
    before = bn.running_mean.copy()
    y = bn.eval().forward(np.array([[3.0, -1.0]]))  # one sample is fine in eval mode
    np.testing.assert_allclose(y, [[2.0 * 2 / np.sqrt(4 + 1e-5), 1.0]])
    np.testing.assert_array_equal(bn.running_mean, before)


@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_gradients_match_finite_differences(training):
    rng = np.random.default_rng(2)
    bn = BatchNorm1d(3)
    bn.params["gamma"][...] = rng.uniform(0.5, 2.0, 3)
    bn.params["beta"][...] = rng.standard_normal(3)
    bn.running_mean[...] = rng.standard_normal(3)
    bn.running_var[...] = rng.uniform(0.5, 2.0, 3)
    bn.train(training)
    x = rng.standard_normal((6, 3)) * 2 + 1
    # Running statistics move at every training-mode forward; they do not enter the
    # training-mode output, so the finite differences are unaffected.
    check_layer_gradients(bn, x, rng)


def _assert_same_pass_as_torch(torch, ours, theirs, x, G, dx_rtol):
    """One forward and backward pass of ours and of theirs: output, dL/dx, dgamma, dbeta."""
    x_t = torch.tensor(x, requires_grad=True)
    y_t = theirs(x_t)
    y_t.backward(torch.tensor(G))
    np.testing.assert_allclose(ours.forward(x), y_t.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.backward(G), x_t.grad.numpy(), rtol=dx_rtol, atol=1e-12)
    np.testing.assert_allclose(ours.grads["gamma"], theirs.weight.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.grads["beta"], theirs.bias.grad.numpy(), rtol=1e-10)
    theirs.zero_grad()


@pytest.mark.parametrize("momentum", [0.9, 0.7])
def test_batchnorm_matches_torch(momentum):
    """Forward in both modes, running statistics and backward against torch.nn.BatchNorm1d,
    whose momentum is the weight of the new batch: 1 - m."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    gamma, beta = rng.uniform(0.5, 2.0, 3), rng.standard_normal(3)
    ours = BatchNorm1d(3, momentum=momentum, eps=1e-3)
    ours.params["gamma"][...], ours.params["beta"][...] = gamma, beta
    theirs = torch.nn.BatchNorm1d(3, momentum=1 - momentum, eps=1e-3, dtype=torch.float64)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(gamma))
        theirs.bias.copy_(torch.tensor(beta))
    for step in range(3):  # training mode: batch statistics, running statistics updated
        x = rng.standard_normal((5, 3)) * [1.0, 3.0, 0.5] + step
        G = rng.standard_normal((5, 3))
        _assert_same_pass_as_torch(torch, ours, theirs, x, G, dx_rtol=1e-9)
        np.testing.assert_allclose(ours.running_mean, theirs.running_mean.numpy(), rtol=1e-12)
        np.testing.assert_allclose(ours.running_var, theirs.running_var.numpy(), rtol=1e-12)
    ours.eval()
    theirs.eval()
    x, G = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    _assert_same_pass_as_torch(torch, ours, theirs, x, G, dx_rtol=1e-10)


def test_batchnorm_checks():
    bn = BatchNorm1d(3)
    with pytest.raises(ValueError, match=r"BatchNorm1d\(3\) expects input of shape \(n, 3\)"):
        bn.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="n >= 2"):
        bn.forward(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="momentum"):
        BatchNorm1d(3, momentum=1.5)
    with pytest.raises(ValueError, match="eps"):
        BatchNorm1d(3, eps=0.0)
    with pytest.raises(RuntimeError, match="before forward"):
        BatchNorm1d(3).backward(np.zeros((2, 3)))


def test_batchnorm_float32_and_skipping_input_grad():
    bn = BatchNorm1d(4, dtype=np.float32)
    x = np.random.default_rng(0).standard_normal((8, 4)).astype(np.float32)
    y = bn.forward(x)
    assert y.dtype == np.float32 and bn.running_var.dtype == np.float32
    dgamma = bn.grads["gamma"]
    assert bn.backward(np.ones_like(y), need_input_grad=False) is None
    assert bn.grads["gamma"] is dgamma and dgamma.dtype == np.float32
    np.testing.assert_allclose(bn.grads["beta"], 8.0)
    assert bn.backward(np.ones_like(y)).dtype == np.float32


# ------------------------------------------------------------------ re-exports


def test_parameter_free_layers_are_re_exported():
    assert Sigmoid is activations.Sigmoid and Tanh is activations.Tanh
    assert ReLU is activations.ReLU and LeakyReLU is activations.LeakyReLU
    assert Identity is activations.Identity and Dropout is regularization.Dropout
