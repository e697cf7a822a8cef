"""Training deep networks in practice: early stopping, gradient clipping, residual
connections, warm-up and the learning-rate range test."""

import copy
import functools
import math

import numpy as np
import pytest

from nnbook.layers import BatchNorm1d, Dense, Dropout, ReLU, Residual, Tanh
from nnbook.losses import get_loss
from nnbook.network import Sequential, mlp
from nnbook.optim import SGD, Adam, Momentum, clip_grad_norm, cosine, step_decay, warmup
from nnbook.regularization import l2_penalty_grad
from nnbook.train import DivergenceError, History, fit, lr_range_test

from ._gradients import check_layer_gradients


def noisy_labels(n, seed, xor=False):
    """Two classes (the sign of x0, or of x0 x1) with 30 % flipped labels, to overfit."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    y = (X[:, 0] * (X[:, 1] if xor else 1) > 0).astype(int)
    flip = rng.random(n) < 0.3
    return X, np.where(flip, 1 - y, y)


def state_of(model):
    """Copies of every parameter and of batch norm's running statistics."""
    arrays = [value.copy() for _, value, _ in model.parameters()]
    for layer in model.layers:
        if isinstance(layer, BatchNorm1d):
            arrays += [layer.running_mean.copy(), layer.running_var.copy()]
    return arrays


# ------------------------------------------------------------- early stopping


def line_model():
    model = Sequential([Dense(1, 1, rng=0)])
    model.layers[0].params["W"][...] = 0.0
    return model, SGD(model, lr=0.05)


# Train on y = 2x, validate on y = x: full-batch gradient descent moves w from 0
# towards 2, through 1, where the validation loss is lowest.
X_LINE = np.array([[-2.0], [-1.0], [1.0], [2.0]])


def test_early_stopping_stops_where_the_rule_says_on_a_worked_case():
    # Closed form: dL/dw = 2 mean(x (w x - 2 x)) = 5 (w - 2), b stays 0 (mean x = 0),
    # so w_e = 2 - 2 (1 - 0.05 * 5)^e and the validation loss is 2.5 (w_e - 1)^2.
    w = 2 - 2 * 0.75 ** np.arange(1, 41)
    val = 2.5 * (w - 1) ** 2
    best = int(np.argmin(val)) + 1  # epoch 2 (w = 0.875; epoch 3 overshoots to 1.156)
    assert best == 2 and np.all(np.diff(val[best - 1 :]) > 0)
    for patience in (1, 3):
        model, opt = line_model()
        history = fit(
            model,
            "mse",
            opt,
            X_LINE,
            2 * X_LINE,
            epochs=40,
            batch_size=4,
            rng=0,
            validation_data=(X_LINE, X_LINE),
            patience=patience,
        )
        assert history.best_epoch == best
        assert history.epochs == best + patience == len(history.val_loss)
        np.testing.assert_allclose(history.val_loss, val[: best + patience], rtol=1e-12)
        # the model holds epoch 2's parameters, not those of the last epoch run
        np.testing.assert_allclose(model.layers[0].params["W"], [[w[best - 1]]], rtol=1e-12)
        assert "best_epoch=2" in repr(history)


def test_early_stopping_keeps_the_earliest_of_equal_losses():
    model, opt = line_model()
    zeros = np.zeros((4, 1))  # zero targets from zero weights: nothing moves
    history = fit(
        model,
        "mse",
        opt,
        X_LINE,
        zeros,
        epochs=10,
        batch_size=4,
        rng=0,
        validation_data=(X_LINE, zeros),
        patience=2,
    )
    assert history.val_loss == [0.0, 0.0, 0.0]
    assert history.best_epoch == 1 and history.epochs == 3


def test_early_stopping_restores_exactly_the_best_epoch():
    X, y = noisy_labels(80, seed=1, xor=True)
    X_val, y_val = noisy_labels(200, seed=2, xor=True)

    def run(**kwargs):
        model = mlp([2, 32, 32, 2], batch_norm=True, rng=0)
        history = fit(
            model,
            "cross_entropy",
            Adam(model, lr=0.01),
            X,
            y,
            batch_size=10,
            rng=1,
            validation_data=(X_val, y_val),
            **kwargs,
        )
        return model, history

    stopped, history = run(epochs=300, patience=5)  # best epoch 4 of 9 here
    assert history.best_epoch >= 2 and history.epochs == history.best_epoch + 5 < 300
    assert history.val_loss[history.best_epoch - 1] == min(history.val_loss)
    reference, plain = run(epochs=history.best_epoch)
    assert plain.best_epoch is None and plain.loss == history.loss[: history.best_epoch]
    for ours, theirs in zip(state_of(stopped), state_of(reference), strict=True):
        np.testing.assert_array_equal(ours, theirs)  # same run, same machine: bit for bit
    assert stopped.training  # still in training mode, as fit leaves every model


def test_history_equality_and_repr_count_the_best_epoch():
    assert History(loss=[1.0], best_epoch=1) != History(loss=[1.0])
    assert repr(History(loss=[1.0])) == "History(epochs=1, loss=1.0000)"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"patience": 3}, "no validation_data"),
        ({"patience": 0, "validation_data": (X_LINE, X_LINE)}, "patience must be a positive"),
        ({"patience": 1.5, "validation_data": (X_LINE, X_LINE)}, "patience must be a positive"),
        ({"patience": True, "validation_data": (X_LINE, X_LINE)}, "patience must be a positive"),
        ({"clip_norm": 0.0}, "clip_norm must lie in"),
        ({"clip_norm": -1.0}, "clip_norm must lie in"),
        ({"clip_norm": math.nan}, "clip_norm must lie in"),
        ({"clip_norm": "1"}, "clip_norm must be a real number"),
    ],
)
def test_fit_rejects_bad_early_stopping_and_clipping(kwargs, match):
    model, opt = line_model()
    with pytest.raises(ValueError, match=match):
        fit(model, "mse", opt, X_LINE, X_LINE, epochs=2, batch_size=4, rng=0, **kwargs)


# ---------------------------------------------------------- gradient clipping


def random_triples(rng, shapes=((3, 4), (4,), (2, 2, 3))):
    return [
        (f"{i}.W", rng.standard_normal(s), rng.standard_normal(s)) for i, s in enumerate(shapes)
    ]


@pytest.mark.parametrize("max_norm", [0.1, 1.0, 3.0, 100.0])
def test_clip_grad_norm_matches_torch(max_norm):
    torch = pytest.importorskip("torch")
    triples = random_triples(np.random.default_rng(0))
    tensors = [torch.tensor(value, requires_grad=True) for _, value, _ in triples]
    for t, (_, _, grad) in zip(tensors, triples, strict=True):
        t.grad = torch.tensor(grad.copy())
    theirs = float(torch.nn.utils.clip_grad_norm_(tensors, max_norm))
    ours = clip_grad_norm(triples, max_norm)
    assert math.isclose(ours, theirs, rel_tol=1e-12)
    for t, (_, _, grad) in zip(tensors, triples, strict=True):
        np.testing.assert_allclose(grad, t.grad.numpy(), rtol=1e-12)


def test_clip_grad_norm_on_a_packed_model_is_the_norm_of_all_gradients():
    model = mlp([3, 5, 2], batch_norm=True, rng=0)
    assert model.flat_parameters() is not None
    rng = np.random.default_rng(1)
    for _, _, grad in model.parameters():
        grad[...] = rng.standard_normal(grad.shape)
    before = np.concatenate([g.ravel() for _, _, g in model.parameters()])
    norm = clip_grad_norm(model, max_norm=1.0)
    after = np.concatenate([g.ravel() for _, _, g in model.parameters()])
    assert math.isclose(norm, math.sqrt(np.sum(before**2)), rel_tol=1e-12)
    np.testing.assert_allclose(after, before / (norm + 1e-6), rtol=1e-12)
    assert math.isclose(float(np.linalg.norm(after)), 1.0, rel_tol=1e-5)


def test_a_gradient_below_max_norm_is_untouched_bit_for_bit():
    model = mlp([3, 5, 2], rng=0)
    rng = np.random.default_rng(2)
    for _, _, grad in model.parameters():
        grad[...] = rng.standard_normal(grad.shape)
    before = [g.copy() for _, _, g in model.parameters()]
    norm = clip_grad_norm(model, max_norm=1e3)
    assert 0 < norm < 1e3
    for (_, _, g), b in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(g, b)


def test_clip_grad_norm_survives_gradients_whose_squares_overflow():
    g = np.array([3e200, -4e200])
    norm = clip_grad_norm([("W", np.zeros(2), g)], max_norm=1.0)
    assert math.isclose(norm, 5e200, rel_tol=1e-12)
    np.testing.assert_allclose(g, [0.6, -0.8], rtol=1e-12)


def test_clip_grad_norm_keeps_float32():
    g = np.array([3.0, 4.0], dtype=np.float32)
    clip_grad_norm([("W", np.zeros(2, np.float32), g)], max_norm=1.0)
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, [0.6, 0.8], rtol=1e-6)


@pytest.mark.parametrize(
    ("params", "max_norm", "match"),
    [
        ([("W", np.zeros(2), np.ones(2))], 0.0, "max_norm must lie in"),
        ([("W", np.zeros(2), np.ones(2))], math.inf, "max_norm must lie in"),
        ([("W", np.zeros(2), np.ones(2))], None, "max_norm must be a real number"),
        ([], 1.0, "no parameters"),
        ([("W", np.zeros(2), np.array([1.0, math.nan]))], 1.0, "nan or inf"),
        ([("W", np.zeros(2), np.array([1.0, math.inf]))], 1.0, "nan or inf"),
    ],
)
def test_clip_grad_norm_rejects_misuse(params, max_norm, match):
    before = [g.copy() for _, _, g in params]
    with pytest.raises(ValueError, match=match):
        clip_grad_norm(params, max_norm)
    for (_, _, g), b in zip(params, before, strict=True):
        np.testing.assert_array_equal(g, b)  # untouched


@pytest.mark.parametrize("penalty", [None, ("l2", 0.1)])
def test_fit_clips_after_backward_and_penalty_before_each_step(penalty):
    X, y = noisy_labels(16, seed=3)
    model = mlp([2, 8, 2], rng=0)
    by_hand = copy.deepcopy(model)
    fit(
        model,
        "cross_entropy",
        SGD(model, lr=0.5),
        X,
        y,
        epochs=1,
        batch_size=16,
        rng=0,
        penalty=penalty,
        clip_norm=0.01,
    )
    # One full-batch step by hand: backward, + lambda W, clip, step.
    _, grad = get_loss("cross_entropy").value_and_grad(by_hand.forward(X), y)
    by_hand.backward(grad)
    if penalty is not None:
        weights = [(v, g) for n, v, g in by_hand.parameters() if n.endswith("W")]
        extra = l2_penalty_grad([v for v, _ in weights], 0.1)
        for (_, g), e in zip(weights, extra, strict=True):
            g += e
    assert clip_grad_norm(by_hand, 0.01) > 0.01  # the step was clipped
    SGD(by_hand, lr=0.5).step()
    for (_, ours, _), (_, theirs, _) in zip(model.parameters(), by_hand.parameters(), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


def test_clipping_tames_a_run_that_explodes_without_it():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 4))
    y = X @ rng.standard_normal((4, 1)) * 10  # variance about 800

    def final_loss(**kwargs):
        model = mlp([4, 16, 16, 1], rng=1)
        try:
            history = fit(
                model, "mse", SGD(model, lr=0.05), X, y, epochs=60, batch_size=16, rng=0, **kwargs
            )
        except DivergenceError:
            return math.inf
        return history.loss[-1]

    assert final_loss() > 100  # exploded (about 1e43 here; dead ReLUs at 800 for other seeds)
    assert final_loss(clip_norm=1.0) < 10


# -------------------------------------------------------------------- Residual


def test_residual_forward_is_x_plus_block():
    block = Sequential([Dense(3, 3, rng=0), Tanh()])
    x = np.random.default_rng(0).standard_normal((4, 3))
    expected = x + np.tanh(x @ block[0].params["W"] + block[0].params["b"])
    np.testing.assert_allclose(Residual(block).forward(x), expected, rtol=1e-12)
    single = Residual(Dense(3, 3, rng=0, dtype=np.float32))
    assert single.forward(x.astype(np.float32)).dtype == np.float32
    assert single.backward(np.ones((4, 3), np.float32)).dtype == np.float32


@pytest.mark.parametrize("batch_norm", [False, True])
def test_residual_gradients_match_finite_differences(batch_norm):
    rng = np.random.default_rng(3)
    inner = [Dense(4, 5, rng=rng), Tanh(), Dense(5, 4, rng=rng)]
    if batch_norm:
        inner.insert(1, BatchNorm1d(5))
    layer = Residual(Sequential(inner))
    check_layer_gradients(layer, rng.standard_normal((6, 4)), rng)
    check_layer_gradients(Residual(Dense(4, 4, rng=rng)), rng.standard_normal((3, 4)), rng)


def test_residual_backward_is_g_plus_block_backward_and_can_skip_dx():
    rng = np.random.default_rng(4)
    block = Sequential([Dense(3, 3, rng=rng), ReLU()])
    layer = Residual(block)
    x, G = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    layer.forward(x)
    dx = layer.backward(G)
    grads = [g.copy() for _, _, g in layer.parameters()]
    block.forward(x)
    np.testing.assert_allclose(dx, G + block.backward(G), rtol=1e-12)
    layer.forward(x)
    assert layer.backward(G, need_input_grad=False) is None
    for (_, _, g), expected in zip(layer.parameters(), grads, strict=True):
        np.testing.assert_allclose(g, expected, rtol=1e-12)
    # As the first layer of a model, fit's backward (no dL/dX) fills the same gradients.
    model = Sequential([Residual(Sequential([Dense(3, 3, rng=1), ReLU()])), Dense(3, 2, rng=2)])
    twin = copy.deepcopy(model)
    model.forward(x), twin.forward(x)
    assert model.backward(np.ones((5, 2)), need_input_grad=False) is None
    twin.backward(np.ones((5, 2)))
    for (_, _, ours), (_, _, theirs) in zip(model.parameters(), twin.parameters(), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_residual_checks_its_block_and_shapes():
    with pytest.raises(ValueError, match="expected a nnbook.base.Layer"):
        Residual(np.eye(3))
    layer = Residual(Dense(4, 3, rng=0))
    with pytest.raises(ValueError, match=r"input of shape \(2, 4\) to an output of shape \(2, 3\)"):
        layer.forward(np.ones((2, 4)))
    with pytest.raises(ValueError, match="the same shape"):
        Sequential([Residual(Dense(4, 3, rng=0))]).predict(np.ones((2, 4)))
    square = Residual(Dense(3, 3, rng=0))
    with pytest.raises(RuntimeError, match="before forward"):
        square.backward(np.ones((2, 3)))
    square.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match="grad_output has shape"):
        square.backward(np.ones((2, 4)))


def test_residual_names_counts_repr_and_modes():
    block = Sequential([Dense(4, 4, rng=0), BatchNorm1d(4), ReLU(), Dropout(0.5, rng=0)])
    model = Sequential([Dense(2, 4, rng=1), Residual(block), Dense(4, 1, rng=2)])
    assert [n for n, _, _ in model.parameters()] == [
        "0.W",
        "0.b",
        "1.block.0.W",
        "1.block.0.b",
        "1.block.1.gamma",
        "1.block.1.beta",
        "2.W",
        "2.b",
    ]
    assert model.layers[1].num_parameters() == 28 and model.num_parameters() == 12 + 28 + 5
    assert "(1) Residual(Dense(4 -> 4), BatchNorm1d(4), ReLU, Dropout(p=0.5))  28 params" in (
        repr(model)
    )
    model.eval()
    assert not any(layer.training for layer in (model.layers[1], *block.layers))
    model.train()
    assert all(layer.training for layer in (model.layers[1], *block.layers))
    model.layers[1].eval()
    assert not any(layer.training for layer in block.layers)


def test_predict_through_a_residual_is_eval_mode_and_leaves_it_untouched():
    rng = np.random.default_rng(5)
    block = Sequential([Dense(4, 4, rng=rng), BatchNorm1d(4), ReLU(), Dropout(0.5, rng=0)])
    model = Sequential([Dense(3, 4, rng=rng), Residual(block), Dense(4, 2, rng=rng)])
    X, X_other = rng.standard_normal((8, 3)), rng.standard_normal((5, 3))
    model.forward(X)  # training mode: running statistics move, a backward is pending
    untouched = copy.deepcopy(model)  # caches included
    bn = block.layers[1]
    stats = bn.running_mean.copy(), bn.running_var.copy()
    predicted = model.predict(X_other)
    # by hand, in evaluation mode: no dropout, batch norm on its running statistics
    h = X_other @ model[0].params["W"] + model[0].params["b"]
    z = h @ block[0].params["W"] + block[0].params["b"]
    z = (z - stats[0]) / np.sqrt(stats[1] + bn.eps) * bn.params["gamma"] + bn.params["beta"]
    h = h + np.maximum(z, 0)
    np.testing.assert_allclose(
        predicted, h @ model[2].params["W"] + model[2].params["b"], rtol=1e-12
    )
    np.testing.assert_array_equal(bn.running_mean, stats[0])
    np.testing.assert_array_equal(bn.running_var, stats[1])
    assert model.training and all(layer.training for layer in block.layers)
    # the pending backward still sees the training batch (and dropout's mask)
    G = rng.standard_normal((8, 2))
    np.testing.assert_array_equal(model.backward(G), untouched.backward(G))


def test_adam_trains_the_weights_inside_a_residual_block():
    block = Sequential([Dense(4, 4, rng=1), ReLU()])
    model = Sequential([Dense(2, 4, rng=0), ReLU(), Residual(block), Dense(4, 2, rng=2)])
    assert model.flat_parameters() is None  # a vector of the outer layers would miss the block
    X, y = noisy_labels(40, seed=4)
    before = [value.copy() for _, value, _ in model.parameters()]
    history = fit(
        model, "cross_entropy", Adam(model, lr=0.01), X, y, epochs=5, batch_size=10, rng=0
    )
    for (name, value, _), old in zip(model.parameters(), before, strict=True):
        assert not np.array_equal(value, old), name
    assert history.loss[-1] < history.loss[0]
    # a deep copy trains on its own storage
    twin = copy.deepcopy(model)
    fit(twin, "cross_entropy", SGD(twin, lr=0.1), X, y, epochs=1, batch_size=10, rng=0)
    assert not np.array_equal(twin.layers[2].block[0].params["W"], block[0].params["W"])


# -------------------------------------------------------------------- warm-up


def test_warmup_is_linear_then_constant():
    schedule = warmup(0.1, warmup_epochs=5)
    expected = [0.1 * (e + 1) / 5 for e in range(5)] + [0.1] * 5
    np.testing.assert_allclose([schedule(e) for e in range(10)], expected, rtol=1e-15)
    assert repr(schedule) == "warmup(lr0=0.1, warmup_epochs=5, then=None)"


def test_warmup_then_a_shifted_schedule():
    then = cosine(0.2, total_epochs=10)
    schedule = warmup(0.2, warmup_epochs=3, then=then)
    values = [schedule(e) for e in range(16)]
    np.testing.assert_allclose(values[:3], [0.2 / 3, 0.4 / 3, 0.2], rtol=1e-15)
    closed = [0.1 * (1 + math.cos(math.pi * min(k, 10) / 10)) for k in range(13)]
    np.testing.assert_allclose(values[3:], closed, rtol=1e-12, atol=1e-17)
    assert repr(schedule).startswith("warmup(lr0=0.2, warmup_epochs=3, then=cosine(lr0=0.2")


def test_warmup_sets_fits_learning_rates():
    model, opt = line_model()
    schedule = warmup(0.04, warmup_epochs=4, then=step_decay(0.04, step_size=2, gamma=0.5))
    history = fit(
        model, "mse", opt, X_LINE, X_LINE, epochs=8, batch_size=4, rng=0, schedule=schedule
    )
    np.testing.assert_allclose(
        history.lr, [0.01, 0.02, 0.03, 0.04, 0.04, 0.04, 0.02, 0.02], rtol=1e-15
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lr0": 0.0, "warmup_epochs": 3}, "lr0 must lie in"),
        ({"lr0": 0.1, "warmup_epochs": 0}, "warmup_epochs must be a positive integer"),
        ({"lr0": 0.1, "warmup_epochs": 2, "then": 0.1}, "then must be a schedule"),
        ({"lr0": 0.1, "warmup_epochs": 2, "then": cosine(0.01, 5)}, r"then\(0\) == lr0"),
    ],
)
def test_warmup_checks(kwargs, match):
    with pytest.raises(ValueError, match=match):
        warmup(**kwargs)
    with pytest.raises(ValueError, match="epoch must be"):
        warmup(0.1, 2)(-1)


# ------------------------------------------------------- learning-rate range test


def test_lr_range_test_leaves_the_model_untouched_and_records_each_step():
    X, y = noisy_labels(50, seed=6)
    model = mlp([2, 8, 2], batch_norm=True, rng=0).eval()
    model.forward(X)  # eval mode: leaves caches, moves no statistics
    before = state_of(model)
    lrs, losses = lr_range_test(
        model,
        "cross_entropy",
        "sgd",
        X,
        y,
        batch_size=16,
        rng=0,
        lr_min=1e-4,
        lr_max=1e-1,
        steps=12,
    )
    for now, then in zip(state_of(model), before, strict=True):
        np.testing.assert_array_equal(now, then)
    assert not model.training and not any(layer.training for layer in model.layers)
    assert lrs.shape == losses.shape == (12,) and lrs.dtype == losses.dtype == np.float64
    assert lrs[0] == 1e-4 and lrs[-1] == 1e-1
    np.testing.assert_allclose(lrs[1:] / lrs[:-1], 1000 ** (1 / 11), rtol=1e-12)
    assert np.all(np.isfinite(losses))


def test_lr_range_test_losses_by_hand():
    """The first two steps, by hand: batches from shuffled passes, loss before the step."""
    X, y = noisy_labels(10, seed=7)
    model = mlp([2, 4, 2], rng=0)
    lrs, losses = lr_range_test(
        model,
        "cross_entropy",
        Momentum,
        X,
        y,
        batch_size=4,
        rng=3,
        lr_min=0.01,
        lr_max=1.0,
        steps=3,
    )
    ce = get_loss("cross_entropy")
    shuffle = np.random.default_rng(3)
    first, second = shuffle.permutation(10), shuffle.permutation(10)
    twin = copy.deepcopy(model)
    opt = Momentum(twin, lr=0.01)
    expected = []
    # the third batch starts a new pass: two samples were left in the first
    for k, batch in enumerate([first[:4], first[4:8], second[:4]]):
        value, grad = ce.value_and_grad(twin.forward(X[batch]), y[batch])
        expected.append(float(value))
        twin.backward(grad)
        opt.lr = lrs[k]
        opt.step()
    np.testing.assert_allclose(lrs, [0.01, 0.1, 1.0], rtol=1e-12)
    np.testing.assert_allclose(losses, expected, rtol=1e-12)


def test_lr_range_test_stops_when_the_loss_blows_up():
    X, y = noisy_labels(100, seed=8)
    model = mlp([2, 16, 2], rng=0)
    lrs, losses = lr_range_test(
        model,
        "cross_entropy",
        "sgd",
        X,
        y,
        batch_size=20,
        rng=0,
        lr_min=1e-3,
        lr_max=1e6,
        steps=100,
    )
    assert 1 < len(lrs) == len(losses) < 100
    assert np.all(np.isfinite(losses))
    assert losses[-1] > 4 * losses[:-1].min()  # the step that stopped it is the last kept
    assert np.all(losses[:-1] <= 4 * np.minimum.accumulate(losses[:-1]))


def test_lr_range_test_accepts_a_class_a_name_or_a_factory():
    X, y = noisy_labels(20, seed=9)
    model = mlp([2, 4, 2], rng=0)
    runs = [
        lr_range_test(
            model,
            "cross_entropy",
            opt,
            X,
            y,
            batch_size=5,
            rng=0,
            lr_min=1e-3,
            lr_max=1e-2,
            steps=4,
        )[1]
        for opt in ("momentum", Momentum, functools.partial(Momentum, momentum=0.9))
    ]
    np.testing.assert_array_equal(runs[0], runs[1])
    np.testing.assert_array_equal(runs[0], runs[2])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"optimizer": "instance"}, "is an instance"),
        ({"optimizer": "sgdd"}, "unknown"),
        ({"optimizer": 3}, "expected a name such as 'sgd'"),
        ({"optimizer": lambda params, lr: None}, "returned None"),
        ({"steps": 1}, "steps must be at least 2"),
        ({"steps": 0}, "steps must be a positive integer"),
        ({"lr_min": 0.1, "lr_max": 0.1}, "lr_max must lie in"),
        ({"lr_min": -1.0}, "lr_min must lie in"),
        ({"batch_size": 0}, "batch_size must be a positive integer"),
    ],
)
def test_lr_range_test_rejects_misuse(kwargs, match):
    X, y = noisy_labels(20, seed=9)
    model = mlp([2, 4, 2], rng=0)
    settings = {"optimizer": "sgd", "batch_size": 5, "rng": 0, "steps": 4, **kwargs}
    if settings["optimizer"] == "instance":
        settings["optimizer"] = SGD(model, lr=0.1)
    optimizer = settings.pop("optimizer")
    with pytest.raises(ValueError, match=match):
        lr_range_test(model, "cross_entropy", optimizer, X, y, **settings)
