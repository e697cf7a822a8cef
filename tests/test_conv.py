"""Tests of nnbook.conv: Conv2D, MaxPool2D and Flatten, alone and inside a network.

Forward passes against an explicit loop and scipy.signal.correlate2d, every
gradient against finite differences, both against PyTorch when it is installed.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.signal import correlate2d

from nnbook import init
from nnbook.conv import Conv2D, Flatten, MaxPool2D
from nnbook.layers import Dense, ReLU
from nnbook.network import Sequential
from nnbook.optim import SGD, Adam
from nnbook.train import evaluate, fit

from ._gradients import check_layer_gradients


def conv_by_loop(X, W, b, stride, padding):
    """The convolution written as its definition: one output value at a time."""
    (sh, sw), (ph, pw) = stride, padding
    n, C, H, Wd = X.shape
    C_out, _, kh, kw = W.shape
    Xp = np.zeros((n, C, H + 2 * ph, Wd + 2 * pw))
    Xp[:, :, ph : ph + H, pw : pw + Wd] = X
    H_out, W_out = (H + 2 * ph - kh) // sh + 1, (Wd + 2 * pw - kw) // sw + 1
    Z = np.empty((n, C_out, H_out, W_out))
    for s in range(n):
        for o in range(C_out):
            for y in range(H_out):
                for x in range(W_out):
                    patch = Xp[s, :, y * sh : y * sh + kh, x * sw : x * sw + kw]
                    Z[s, o, y, x] = np.sum(W[o] * patch) + b[o]
    return Z


def pool_by_loop(X, kernel, stride):
    """Max pooling and its gradient routing, one window at a time (first maximum wins)."""
    (kh, kw), (sh, sw) = kernel, stride
    n, C, H, W = X.shape
    H_out, W_out = (H - kh) // sh + 1, (W - kw) // sw + 1
    Z = np.empty((n, C, H_out, W_out))
    where = np.empty((n, C, H_out, W_out, 2), dtype=int)
    for s in range(n):
        for c in range(C):
            for y in range(H_out):
                for x in range(W_out):
                    window = X[s, c, y * sh : y * sh + kh, x * sw : x * sw + kw]
                    i, j = np.unravel_index(np.argmax(window), window.shape)  # row-major first
                    Z[s, c, y, x] = window[i, j]
                    where[s, c, y, x] = y * sh + i, x * sw + j
    return Z, where


def random_conv(rng, C_in, C_out, kernel, stride=1, padding=0, dtype=np.float64):
    conv = Conv2D(C_in, C_out, kernel, stride=stride, padding=padding, rng=rng, dtype=dtype)
    conv.params["b"][...] = rng.standard_normal(C_out)
    return conv


# ------------------------------------------------------------------ Conv2D forward


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 3),
    C_in=st.integers(1, 3),
    C_out=st.integers(1, 3),
    size=st.tuples(st.integers(1, 7), st.integers(1, 7)),
    kernel=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    stride=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    padding=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    seed=st.integers(0, 2**16),
)
def test_conv_forward_matches_the_definition(n, C_in, C_out, size, kernel, stride, padding, seed):
    # the kernel must fit the padded input (else rejected: see the misuse tests)
    assume(all(k <= s + 2 * p for k, s, p in zip(kernel, size, padding, strict=True)))
    rng = np.random.default_rng(seed)
    conv = random_conv(rng, C_in, C_out, kernel, stride, padding)
    X = rng.standard_normal((n, C_in, *size))
    expected = conv_by_loop(X, conv.params["W"], conv.params["b"], stride, padding)
    np.testing.assert_allclose(conv.forward(X), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (1, 1), (2, 1), ((1, 2), (2, 0))])
def test_conv_forward_matches_scipy_correlate2d(stride, padding):
    rng = np.random.default_rng(1)
    conv = random_conv(rng, 3, 2, (3, 2), stride, padding)
    X = rng.standard_normal((2, 3, 7, 6))
    (sh, sw), (ph, pw) = np.broadcast_to(stride, 2), np.broadcast_to(padding, 2)
    Xp = np.pad(X, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    Z = conv.forward(X)
    for s in range(2):
        for o in range(2):
            full = sum(
                correlate2d(Xp[s, c], conv.params["W"][o, c], mode="valid") for c in range(3)
            )
            np.testing.assert_allclose(
                Z[s, o], full[::sh, ::sw] + conv.params["b"][o], rtol=1e-12, atol=1e-12
            )


def test_conv_by_hand_padding_counts_and_stride_picks():
    conv = Conv2D(1, 1, 3, padding=1)
    conv.params["W"][...] = 1.0  # each output: the sum of the 3x3 neighbourhood
    np.testing.assert_array_equal(
        conv.forward(np.ones((1, 1, 3, 3)))[0, 0], [[4, 6, 4], [6, 9, 6], [4, 6, 4]]
    )
    pick = Conv2D(1, 1, 1, stride=2)
    pick.params["W"][...] = 1.0  # a 1x1 kernel with stride 2 keeps every other pixel
    X = np.arange(25.0).reshape(1, 1, 5, 5)
    np.testing.assert_array_equal(pick.forward(X), X[:, :, ::2, ::2])
    assert Conv2D(2, 4, (3, 5), stride=2, padding=(1, 0)).forward(np.ones((3, 2, 9, 9))).shape == (
        3,
        4,
        5,
        3,
    )  # (9 + 2 - 3) // 2 + 1 = 5, (9 - 5) // 2 + 1 = 3


# ------------------------------------------------------------------ gradients


@pytest.mark.parametrize(
    ("kernel", "stride", "padding"), [(3, 1, 0), (3, 1, 1), (3, 2, 1), ((2, 3), (2, 1), (0, 1))]
)
def test_conv_gradients_match_finite_differences(kernel, stride, padding):
    rng = np.random.default_rng(2)
    conv = random_conv(rng, 2, 3, kernel, stride, padding)
    check_layer_gradients(conv, rng.standard_normal((2, 2, 5, 6)), rng)


def test_conv_skips_the_input_gradient_and_writes_in_place():
    rng = np.random.default_rng(3)
    conv = random_conv(rng, 2, 3, 3, padding=1)
    dW, db = conv.grads["W"], conv.grads["b"]
    X, G = rng.standard_normal((4, 2, 5, 5)), rng.standard_normal((4, 3, 5, 5))
    conv.forward(X)
    dX = conv.backward(G)
    expected = dW.copy(), db.copy()
    assert conv.backward(G, need_input_grad=False) is None
    assert conv.grads["W"] is dW and conv.grads["b"] is db
    np.testing.assert_array_equal(dW, expected[0])
    np.testing.assert_allclose(db, G.sum(axis=(0, 2, 3)))
    assert dX.shape == X.shape


@pytest.mark.parametrize(("kernel", "stride"), [(2, None), (2, 1), ((3, 2), (1, 2))])
def test_maxpool_forward_routing_and_gradients(kernel, stride):
    rng = np.random.default_rng(4)
    pool = MaxPool2D(kernel, stride)
    X = rng.standard_normal((2, 3, 5, 6))  # no ties: finite differences are well defined
    Z = pool.forward(X)
    expected, where = pool_by_loop(X, pool.kernel_size, pool.stride)
    np.testing.assert_array_equal(Z, expected)
    G = rng.standard_normal(Z.shape)
    dX = np.zeros_like(X)
    for index in np.ndindex(Z.shape):  # each output's gradient goes to its argmax
        dX[index[0], index[1], where[index][0], where[index][1]] += G[index]
    np.testing.assert_allclose(pool.backward(G), dX, rtol=1e-12, atol=1e-12)
    check_layer_gradients(pool, X, rng)


def test_maxpool_ties_go_to_the_first_maximum_only():
    pool = MaxPool2D(2, stride=1)  # overlapping windows
    X = np.zeros((1, 1, 3, 3))
    pool.forward(X)
    dX = pool.backward(np.ones((1, 1, 2, 2)))
    # every window's first element (row by row) takes its gradient
    np.testing.assert_array_equal(dX[0, 0], [[1, 1, 0], [1, 1, 0], [0, 0, 0]])
    assert dX.sum() == 4


def test_flatten_reshapes_both_ways_and_gradients():
    rng = np.random.default_rng(5)
    flat = Flatten()
    X = rng.standard_normal((3, 2, 4, 5))
    np.testing.assert_array_equal(flat.forward(X), X.reshape(3, 40))
    np.testing.assert_array_equal(flat.forward(X)[1, 20:25], X[1, 1, 0])  # row-major order
    check_layer_gradients(flat, X, rng)


# ------------------------------------------------------------------ PyTorch


@pytest.mark.parametrize(("kernel", "stride", "padding"), [(3, 1, 1), (3, 2, 0), ((2, 3), 2, 1)])
def test_conv_matches_pytorch_forward_and_backward(kernel, stride, padding):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(6)
    conv = random_conv(rng, 3, 4, kernel, stride, padding)
    X, W, b = rng.standard_normal((2, 3, 7, 8)), conv.params["W"], conv.params["b"]
    Xt = torch.tensor(X, requires_grad=True)
    Wt, bt = torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)
    Zt = torch.nn.functional.conv2d(Xt, Wt, bt, stride=stride, padding=padding)
    Z = conv.forward(X)
    np.testing.assert_allclose(Z, Zt.detach().numpy(), rtol=1e-10, atol=1e-12)
    G = rng.standard_normal(Z.shape)
    Zt.backward(torch.tensor(G))
    dX = conv.backward(G)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(conv.grads["W"], Wt.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(conv.grads["b"], bt.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize(("kernel", "stride"), [(2, None), (3, 1), ((2, 3), (1, 2))])
def test_maxpool_matches_pytorch_forward_and_backward(kernel, stride, ties):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    X = rng.standard_normal((2, 3, 6, 7))
    if ties:  # few distinct values: many windows hold their maximum twice
        X = np.round(X)
    pool = MaxPool2D(kernel, stride)
    Xt = torch.tensor(X, requires_grad=True)
    Zt = torch.nn.functional.max_pool2d(Xt, kernel, stride)
    Z = pool.forward(X)
    np.testing.assert_array_equal(Z, Zt.detach().numpy())
    G = rng.standard_normal(Z.shape)
    Zt.backward(torch.tensor(G))
    np.testing.assert_allclose(pool.backward(G), Xt.grad.numpy(), rtol=1e-12, atol=1e-12)


# ------------------------------------------------------------------ initialization


def test_conv_initializers_count_fans_as_pytorch_does():
    conv = Conv2D(16, 32, 3, rng=0)  # fan_in = 16 * 9 = 144
    assert abs(conv.params["W"].std() / np.sqrt(2 / 144) - 1) < 0.05  # He
    limit = np.sqrt(6 / (16 * 9 + 32 * 9))  # Xavier with fan_out = C_out kh kw
    W = Conv2D(16, 32, 3, init="xavier_uniform", rng=0).params["W"]
    assert np.abs(W).max() <= limit and np.abs(W).max() > 0.99 * limit
    seen = []

    def record(fan_in, fan_out, *, rng=None, dtype=np.float64):
        seen.append((fan_in, fan_out))
        return init.zeros((fan_in, fan_out), dtype=dtype)

    Conv2D(3, 5, (2, 4), init=record)
    assert seen == [(3 * 8, 5 * 8)]
    assert np.all(Conv2D(3, 5, 3, rng=0).params["b"] == 0)


# ------------------------------------------------------------------ misuse


def test_conv_and_pool_reject_wrong_inputs():
    conv, pool = Conv2D(3, 2, 3), MaxPool2D(2)
    with pytest.raises(
        ValueError, match=r"expects input of shape \(n, 3, height, width\).*\(4, 27\)"
    ):
        conv.forward(np.zeros((4, 27)))
    with pytest.raises(ValueError, match=r"\(n, 3, height, width\).*\(4, 1, 5, 5\)"):
        conv.forward(np.zeros((4, 1, 5, 5)))  # wrong channel count
    with pytest.raises(ValueError, match=r"n >= 1.*\(0, 3, 5, 5\)"):
        conv.forward(np.zeros((0, 3, 5, 5)))
    with pytest.raises(ValueError, match=r"3x3 kernel is larger than the 2x5 padded input"):
        conv.forward(np.zeros((1, 3, 2, 5)))
    assert Conv2D(3, 2, 3, padding=1).forward(np.zeros((1, 3, 1, 1))).shape == (1, 2, 1, 1)
    with pytest.raises(ValueError, match=r"2x2 kernel is larger than the 1x4 padded input"):
        pool.forward(np.zeros((1, 1, 1, 4)))
    with pytest.raises(ValueError, match=r"\(n, channels, height, width\)"):
        pool.forward(np.zeros((4, 4, 4)))
    with pytest.raises(ValueError, match="real numeric"):
        conv.forward(np.full((1, 3, 3, 3), "a"))
    with pytest.raises(ValueError, match="at least two dimensions"):
        Flatten().forward(np.zeros(5))


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Conv2D(0, 2, 3), "in_channels"),
        (lambda: Conv2D(1, -2, 3), "out_channels"),
        (lambda: Conv2D(1, 2, 0), "kernel_size must be an integer >= 1"),
        (lambda: Conv2D(1, 2, (3, 0)), "kernel_size"),
        (lambda: Conv2D(1, 2, (3, 3, 3)), "kernel_size"),
        (lambda: Conv2D(1, 2, 2.5), "kernel_size"),
        (lambda: Conv2D(1, 2, True), "kernel_size"),
        (lambda: Conv2D(1, 2, 3, stride=0), "stride must be an integer >= 1"),
        (lambda: Conv2D(1, 2, 3, padding=-1), "padding must be an integer >= 0"),
        (lambda: Conv2D(1, 2, 3, dtype=np.int32), "dtype"),
        (lambda: Conv2D(1, 2, 3, init="nope"), "unknown initializer"),
        (lambda: Conv2D(1, 2, 3, init=lambda *a, **k: np.zeros((9, 2))), r"expected \(9, 18\)"),
        (lambda: MaxPool2D(0), "kernel_size"),
        (lambda: MaxPool2D(2, stride=0), "stride"),
    ],
)
def test_bad_arguments_are_rejected(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("layer", [Conv2D(1, 2, 3), MaxPool2D(2), Flatten()])
def test_backward_checks_order_and_shape(layer):
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros((1, 2, 2, 2)))
    out = layer.forward(np.ones((2, 1, 4, 4)))
    with pytest.raises(ValueError, match=r"grad_output has shape \(1, 1\); expected"):
        layer.backward(np.zeros((1, 1)))
    layer._forget()
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros(out.shape))


def test_maxpool_output_cannot_be_edited_behind_backward():
    pool = MaxPool2D(2)
    X = np.random.default_rng(8).standard_normal((1, 1, 4, 4))
    out = pool.forward(X)
    expected = pool.backward(np.ones(out.shape))
    with pytest.raises(ValueError, match="read-only"):
        out -= 10.0
    np.testing.assert_array_equal(pool.backward(np.ones(out.shape)), expected)


def test_non_finite_images_are_rejected_by_fit_and_evaluate():
    model = tiny_cnn(0)
    X = np.zeros((4, 1, 8, 8))
    X[2, 0, 3, 3] = np.nan
    with pytest.raises(ValueError, match="non-finite"):
        fit(model, "cross_entropy", Adam(model), X, [0, 1, 0, 1], epochs=1, batch_size=2, rng=0)
    with pytest.raises(ValueError, match="non-finite"):
        evaluate(model, "cross_entropy", X, [0, 1, 0, 1])


def test_fit_takes_images_only_for_a_model_that_starts_with_them():
    dense = Sequential([Dense(64, 2, rng=0)])
    with pytest.raises(ValueError, match=r"X must have shape \(n, features\).*\(4, 1, 8, 8\)"):
        fit(
            dense,
            "cross_entropy",
            SGD(dense, lr=0.1),
            np.zeros((4, 1, 8, 8)),
            [0, 1, 0, 1],
            epochs=1,
            batch_size=2,
            rng=0,
        )
    cnn = tiny_cnn(0)
    with pytest.raises(ValueError, match=r"X must have shape \(n, channels, height, width\)"):
        evaluate(cnn, "cross_entropy", np.zeros((4, 64)), [0, 1, 0, 1])
    flat = Sequential([Flatten(), Dense(64, 2, rng=0)])
    loss, _ = evaluate(flat, "cross_entropy", np.zeros((4, 8, 8)), [0, 1, 0, 1])
    assert loss == pytest.approx(np.log(2))


# ------------------------------------------------------------------ in a network


def tiny_cnn(seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return Sequential(
        [
            Conv2D(1, 4, 3, padding=1, rng=rng, dtype=dtype),
            ReLU(),
            MaxPool2D(2),
            Flatten(),
            Dense(4 * 4 * 4, 2, rng=rng, dtype=dtype),
        ]
    )


def bars(n, rng):
    """8x8 images of one vertical (class 0) or horizontal (class 1) bar, with noise."""
    y = rng.integers(0, 2, n)
    X = 0.3 * rng.standard_normal((n, 1, 8, 8))
    where = rng.integers(0, 8, n)
    for i in range(n):
        if y[i] == 0:
            X[i, 0, :, where[i]] += 1.0
        else:
            X[i, 0, where[i], :] += 1.0
    return X, y


def test_sequential_checks_channels_and_layouts():
    Sequential([Conv2D(1, 4, 3), ReLU(), MaxPool2D(2), Conv2D(4, 2, 3), Flatten(), Dense(50, 3)])
    with pytest.raises(
        ValueError,
        match=r"Conv2D\(3 -> 2, 3x3\) expects 3 input channels, but "
        r"layer \(0\) Conv2D\(1 -> 4, 3x3\) before it produces 4",
    ):
        Sequential([Conv2D(1, 4, 3), MaxPool2D(2), Conv2D(3, 2, 3)])
    with pytest.raises(ValueError, match="put a Flatten between them"):
        Sequential([Conv2D(1, 4, 3), ReLU(), Dense(4, 2)])
    with pytest.raises(ValueError, match=r"expects images \(n, 3, H, W\).*features \(n, 3\)"):
        Sequential([Dense(5, 3), Conv2D(3, 2, 1)])


def test_a_cnn_learns_with_fit_and_adam():
    rng = np.random.default_rng(9)
    X, y = bars(64, rng)
    model = tiny_cnn(0)
    before, _ = evaluate(model, "cross_entropy", X, y)
    history = fit(
        model, "cross_entropy", Adam(model, lr=0.01), X, y, epochs=15, batch_size=16, rng=rng
    )
    after, accuracy = evaluate(model, "cross_entropy", X, y)
    assert history.loss[-1] < 0.5 * history.loss[0] and after < 0.5 * before
    assert accuracy > 0.9
    assert model[0]._X_col is None  # fit drops the caches


def test_conv_parameters_are_packed_and_the_optimizer_moves_them():
    model = tiny_cnn(1)
    values, grads = model.flat_parameters()
    W = model[0].params["W"]
    assert np.shares_memory(W, values) and np.shares_memory(model[0].grads["W"], grads)
    before = W.copy()
    X, y = bars(8, np.random.default_rng(10))
    fit(model, "cross_entropy", SGD(model, lr=0.1), X, y, epochs=1, batch_size=8, rng=0)
    assert model[0].params["W"] is W and not np.array_equal(W, before)
    model.forward(X)  # the whole-model backward reaches the conv layer too
    dX = model.backward(np.ones((8, 2)))
    assert dX.shape == X.shape


def test_weight_decay_applies_to_the_conv_kernel_not_its_bias():
    model = tiny_cnn(2)
    conv = model[0]
    conv.params["b"][...] = 1.0
    W, b = conv.params["W"].copy(), conv.params["b"].copy()
    for _, _, grad in model.parameters():
        grad[...] = 0.0
    SGD(model, lr=0.1, weight_decay=0.5).step()  # g + lam W with g = 0
    np.testing.assert_allclose(conv.params["W"], W * (1 - 0.1 * 0.5))
    np.testing.assert_array_equal(conv.params["b"], b)
    assert [name for name, _, _ in model.parameters()] == ["0.W", "0.b", "4.W", "4.b"]


def test_float32_stays_float32():
    model = tiny_cnn(3, dtype=np.float32)
    X, y = bars(8, np.random.default_rng(11))
    out = model.forward(X)  # float64 images are cast by the first layer
    assert out.dtype == np.float32
    dX = model.backward(np.ones((8, 2), dtype=np.float32))
    assert dX.dtype == np.float32
    assert all(g.dtype == np.float32 for _, _, g in model.parameters())
    pooled = MaxPool2D(2).forward(np.ones((1, 1, 4, 4), dtype=np.float32))
    assert pooled.dtype == np.float32
    fit(model, "cross_entropy", Adam(model), X, y, epochs=1, batch_size=4, rng=0)
    assert model[0].params["W"].dtype == np.float32


def test_predict_leaves_a_pending_backward_alone():
    model = tiny_cnn(4)
    X, _ = bars(6, np.random.default_rng(12))
    model.forward(X)
    G = np.random.default_rng(13).standard_normal((6, 2))
    model.backward(G)
    expected = [g.copy() for _, _, g in model.parameters()]
    model.forward(X)
    model.predict(X[:2])
    model.backward(G)
    for before, (_, _, g) in zip(expected, model.parameters(), strict=True):
        np.testing.assert_array_equal(g, before)


def test_reprs():
    assert repr(Conv2D(1, 8, 3)) == "Conv2D(1 -> 8, 3x3)"
    assert (
        repr(Conv2D(3, 8, (3, 5), stride=2, padding=(1, 2)))
        == "Conv2D(3 -> 8, 3x5, stride 2, padding (1, 2))"
    )
    assert repr(MaxPool2D(2)) == "MaxPool2D(2)"
    assert repr(MaxPool2D(3, stride=(1, 2))) == "MaxPool2D(3, stride (1, 2))"
    assert repr(Flatten()) == "Flatten()"
    assert "(3) Flatten\n" in repr(tiny_cnn(0))
