"""Tests of nnbook.train: fit, evaluate and History."""

import math
import re
import sys

import matplotlib
import numpy as np
import pytest

from nnbook.gradcheck import numerical_gradient
from nnbook.layers import BatchNorm1d, Dense, ReLU, Sigmoid
from nnbook.losses import cross_entropy, get_loss, mse
from nnbook.network import Sequential, mlp
from nnbook.optim import SGD, Adam, step_decay
from nnbook.plotting import plot_history
from nnbook.regularization import l1_penalty, l2_penalty
from nnbook.train import DivergenceError, History, evaluate, fit

matplotlib.use("Agg")


def blobs(n=120, k=3, d=2, seed=0, dtype=np.float64):
    """k well-separated Gaussian blobs."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    centers = 4.0 * rng.standard_normal((k, d))
    return (centers[y] + rng.standard_normal((n, d))).astype(dtype), y


def test_fit_learns_and_records_history():
    X, y = blobs()
    model = mlp([2, 16, 3], rng=0)
    history = fit(
        model,
        "cross_entropy",
        Adam(model, lr=0.01),
        X,
        y,
        epochs=20,
        batch_size=16,
        rng=0,
        validation_data=(X[:30], y[:30]),
    )
    assert history.epochs == 20
    for name in ("loss", "running_accuracy", "val_loss", "val_accuracy", "lr"):
        assert len(getattr(history, name)) == 20
    assert history.loss[-1] < 0.5 * history.loss[0]
    assert history.running_accuracy[-1] > 0.9 and history.val_accuracy[-1] > 0.9
    assert history.lr == [0.01] * 20
    assert model.training  # left in training mode
    value, accuracy = evaluate(model, "cross_entropy", X[:30], y[:30])
    assert (value, accuracy) == (history.val_loss[-1], history.val_accuracy[-1])


def test_epoch_loss_is_the_mean_over_samples():
    """With a learning rate too small to move the weights, the epoch loss is the
    full-data loss, although the batches have unequal sizes (4, 4, 2)."""
    X, y = blobs(n=10)
    model = mlp([2, 5, 3], rng=0)
    history = fit(
        model, "cross_entropy", SGD(model, lr=1e-300), X, y, epochs=1, batch_size=4, rng=0
    )
    assert history.loss[0] == pytest.approx(cross_entropy(model.forward(X), y), rel=1e-12)
    assert history.running_accuracy[0] == np.mean(model.predict_classes(X) == y)


def test_fit_is_deterministic():
    X, y = blobs()

    def train():
        model = mlp([2, 8, 3], dropout=0.2, rng=1)
        history = fit(
            model,
            "cross_entropy",
            Adam(model, lr=0.01),
            X,
            y,
            epochs=3,
            batch_size=32,
            rng=np.random.default_rng(5),
            validation_data=(X, y),
        )
        return history, [value.copy() for _, value, _ in model.parameters()]

    (h1, p1), (h2, p2) = train(), train()
    assert h1 == h2
    for a, b in zip(p1, p2, strict=True):
        np.testing.assert_array_equal(a, b)


def test_float32_end_to_end():
    X, y = blobs(dtype=np.float32)
    model = mlp([2, 8, 8, 3], batch_norm=True, rng=0, dtype=np.float32)
    history = fit(
        model,
        "cross_entropy",
        Adam(model, lr=0.01),
        X.astype(np.float64),
        y,
        epochs=2,
        batch_size=32,
        rng=0,
        validation_data=(X, y),
    )
    assert np.isfinite(history.loss).all()
    for _, value, grad in model.parameters():
        assert value.dtype == np.float32 and grad.dtype == np.float32
    assert model[1].running_var.dtype == np.float32
    # Every activation and every backpropagated gradient is float32 too.
    h = X[:16]
    for layer in model:
        h = layer.forward(h)
        assert h.dtype == np.float32, layer
    g = get_loss("cross_entropy").value_and_grad(h, y[:16])[1]
    for layer in reversed(model.layers):
        g = layer.backward(g)
        assert g.dtype == np.float32, layer


def test_fit_refuses_a_single_sample_last_batch_with_batch_norm():
    X, y = blobs(n=33)
    model = mlp([2, 4, 3], batch_norm=True, rng=0)
    with pytest.raises(ValueError, match="single sample"):
        fit(model, "cross_entropy", SGD(model, lr=0.1), X, y, epochs=1, batch_size=16, rng=0)


def test_regression_and_binary_losses():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((64, 3))
    target = X @ np.array([1.0, -2.0, 0.5])
    model = Sequential([Dense(3, 1, rng=0)])
    history = fit(model, "mse", SGD(model, lr=0.1), X, target, epochs=30, batch_size=16, rng=0)
    # 1-D y fits the (n, 1) output
    assert history.running_accuracy == [] and history.loss[-1] < 1e-3
    labels = (target > 0).astype(int)
    logits = Sequential([Dense(3, 1, rng=0)])
    history = fit(
        logits,
        "binary_cross_entropy_with_logits",
        Adam(logits, lr=0.05),
        X,
        labels,
        epochs=30,
        batch_size=16,
        rng=0,
    )
    assert history.running_accuracy[-1] > 0.9
    probs = Sequential([Dense(3, 1, rng=0), Sigmoid()])
    history = fit(
        probs,
        get_loss("binary_cross_entropy"),
        Adam(probs, lr=0.05),
        X,
        labels,
        epochs=30,
        batch_size=16,
        rng=0,
    )
    assert history.running_accuracy[-1] > 0.9
    _, accuracy = evaluate(probs, "binary_cross_entropy", X, labels)
    assert accuracy == np.mean(probs.predict_classes(X) == labels)


def test_schedule_sets_the_learning_rate_each_epoch():
    X, y = blobs(n=40)
    model = mlp([2, 4, 3], rng=0)
    optimizer = SGD(model, lr=1.0)
    history = fit(
        model,
        "cross_entropy",
        optimizer,
        X,
        y,
        epochs=5,
        batch_size=10,
        rng=0,
        schedule=step_decay(0.1, step_size=2, gamma=0.5),
    )
    assert history.lr == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025])
    assert optimizer.lr == pytest.approx(0.025)


def test_verbose_1_prints_one_deterministic_line_per_epoch(capsys):
    X, y = blobs(n=40)
    model = mlp([2, 4, 3], rng=0)
    history = fit(
        model,
        "cross_entropy",
        SGD(model, lr=0.1),
        X,
        y,
        epochs=2,
        batch_size=10,
        rng=0,
        validation_data=(X, y),
        verbose=1,
    )
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    h = history
    assert lines[1] == (
        f"epoch 2/2  loss {h.loss[1]:.4f}  acc {h.running_accuracy[1]:.4f}  "
        f"val_loss {h.val_loss[1]:.4f}"
        f"  val_acc {h.val_accuracy[1]:.4f}  lr 1.0e-01"
    )


def test_verbose_2_shows_a_progress_bar_or_falls_back(capsys, monkeypatch):
    X, y = blobs(n=40)
    model = mlp([2, 4, 3], rng=0)
    fit(model, "cross_entropy", SGD(model, lr=0.1), X, y, epochs=2, batch_size=10, rng=0, verbose=2)
    assert "2/2" in capsys.readouterr().out
    monkeypatch.setitem(sys.modules, "tqdm", None)  # as if tqdm were not installed
    fit(model, "cross_entropy", SGD(model, lr=0.1), X, y, epochs=2, batch_size=10, rng=0, verbose=2)
    assert capsys.readouterr().out.splitlines()[-1].startswith("epoch 2/2  loss ")


def test_probability_targets_for_cross_entropy():
    X, y = blobs(n=60)
    model = mlp([2, 8, 3], rng=0)
    soft = np.eye(3)[y] * 0.9 + 0.1 / 3
    history = fit(
        model, "cross_entropy", Adam(model, lr=0.02), X, soft, epochs=10, batch_size=20, rng=0
    )
    assert history.running_accuracy[-1] > 0.8


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"X": np.ones((10, 3))}, r"Dense\(2 -> 4\) expects input of shape \(n, 2\)"),
        ({"X": np.full((10, 2), np.nan)}, "X contains 20 non-finite"),
        ({"X": np.ones(10)}, r"X must have shape \(n, features\)"),
        ({"y": np.arange(10)}, r"y does not fit the loss 'cross_entropy' .*labels in \[0, 9\]"),
        ({"y": np.zeros(9, dtype=int)}, "y has shape"),
        ({"y": np.full(10, 0.5)}, "y does not fit"),
        ({"loss": "hinge"}, "unknown loss 'hinge'"),
        ({"epochs": 0}, "epochs"),
        ({"batch_size": -1}, "batch_size"),
        ({"verbose": 3}, "verbose"),
        ({"optimizer": "adam"}, "optimizer must be"),
        ({"schedule": 0.1}, "schedule"),
        ({"rng": "seed"}, "rng"),
        ({"validation_data": (np.ones((5, 2)),)}, "validation_data"),
        ({"validation_data": (np.ones((5, 2)), [0, 1, 2, 3, 7])}, "y_val does not fit"),
        ({"penalty": 0.1}, r"penalty is 0.1; expected None, a pair \(kind, lam\)"),
        ({"penalty": "l2"}, "penalty is 'l2'; expected None"),
        ({"penalty": ("l3", 0.1)}, "penalty kind 'l3' is unknown; expected 'l1' or 'l2'"),
        ({"penalty": ("l1", -1.0)}, r"penalty strength of 'l1' must lie in .*, got -1.0"),
        ({"penalty": ("l2", np.nan)}, "penalty strength of 'l2' must lie in"),
        ({"penalty": ("l2", "big")}, "penalty strength of 'l2' must be a real number, got 'big'"),
        ({"penalty": [("l1", 0.1), 0.2]}, r"penalty holds 0.2; expected None, a pair"),
        ({"penalty": [("l1", 0.1), ("L1", 0.2)]}, "penalty lists 'l1' twice"),
    ],
)
def test_fit_rejects_bad_input(change, match):
    X, y = blobs(n=10)
    model = mlp([2, 4, 3], rng=0)
    args = {
        "loss": "cross_entropy",
        "optimizer": SGD(model, lr=0.1),
        "X": X,
        "y": y,
        "epochs": 1,
        "batch_size": 4,
        "rng": 0,
    } | change
    with pytest.raises(ValueError, match=match):
        fit(model, args.pop("loss"), args.pop("optimizer"), args.pop("X"), args.pop("y"), **args)


def test_history_repr_and_plot():
    history = History(
        loss=[1.0, 0.5],
        running_accuracy=[0.5, 0.75],
        val_loss=[1.1, 0.6],
        val_accuracy=[0.4, 0.7],
        lr=[0.1, 0.01],
    )
    assert repr(history) == (
        "History(epochs=2, loss=0.5000, running_accuracy=0.7500, val_loss=0.6000, "
        "val_accuracy=0.7000, lr=1.0e-02)"
    )
    ax = plot_history(history)
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == [
        "training loss",
        "validation loss",
        "training accuracy (on the fly)",
        "validation accuracy",
    ]
    import matplotlib.pyplot as plt

    plt.close("all")
    assert repr(History(loss=[0.25], lr=[0.1])) == "History(epochs=1, loss=0.2500, lr=1.0e-01)"


# ------------------------------------------------------------- python floats


def assert_plain_floats(history):
    names = ("loss", "running_accuracy", "val_loss", "val_accuracy", "lr", "penalty", "batch_loss")
    for name in names:
        values = getattr(history, name)
        assert all(type(v) is float for v in values), (name, [type(v) for v in values])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_evaluate_and_history_hold_python_floats(dtype):
    X, y = blobs(n=40, dtype=dtype)
    model = mlp([2, 4, 3], rng=0, dtype=dtype)
    history = fit(
        model,
        "cross_entropy",
        SGD(model, lr=0.1),
        X,
        y,
        epochs=2,
        batch_size=16,
        rng=0,
        validation_data=(X, y),
        penalty=("l2", 1e-3),
    )
    assert_plain_floats(history)
    value, accuracy = evaluate(model, "cross_entropy", X, y)
    assert type(value) is float and type(accuracy) is float
    assert "np." not in repr((value, accuracy))  # no np.float64(...) in a printed cell
    value, accuracy = evaluate(Sequential([Dense(2, 1, rng=0)]), "mse", X, X[:, 0])
    assert type(value) is float and accuracy is None


# ---------------------------------------------------------------- batch_loss


def test_batch_loss_is_each_batch_loss_before_its_update():
    """With a learning rate too small to move the weights, every recorded batch loss
    is the loss of that batch of the shuffled data, computed independently."""
    X, y = blobs(n=10)
    model = mlp([2, 5, 3], rng=0)
    history = fit(
        model, "cross_entropy", SGD(model, lr=1e-300), X, y, epochs=2, batch_size=4, rng=0
    )
    rng = np.random.default_rng(0)  # fit's shuffles, replayed
    expected = []
    for _ in range(2):
        order = rng.permutation(10)
        for start in (0, 4, 8):
            batch = order[start : start + 4]
            expected.append(cross_entropy(model.forward(X[batch]), y[batch]))
    assert history.batch_loss == pytest.approx(expected, rel=1e-12)


def test_batch_loss_length_and_epoch_means():
    X, y = blobs(n=50)
    model = mlp([2, 8, 3], rng=0)
    history = fit(
        model, "cross_entropy", Adam(model, lr=0.05), X, y, epochs=3, batch_size=16, rng=0
    )
    sizes = np.array([16, 16, 16, 2])  # ceil(50 / 16) = 4 batches per epoch
    assert len(history.batch_loss) == 3 * 4
    per_epoch = np.reshape(history.batch_loss, (3, 4))
    np.testing.assert_allclose(history.loss, per_epoch @ sizes / 50, rtol=1e-12)
    # Full batch: one iteration per epoch, and the batch loss is the epoch loss.
    model = mlp([2, 8, 3], rng=0)
    history = fit(model, "cross_entropy", SGD(model, lr=0.1), X, y, epochs=4, batch_size=50, rng=0)
    assert history.batch_loss == pytest.approx(history.loss, rel=1e-15)


# ----------------------------------------------------------------- divergence


def test_fit_stops_a_diverging_run_with_a_clear_error(capsys):
    """A learning rate far too large: no RuntimeWarning escapes (the suite turns
    warnings into errors), one FloatingPointError names the epoch and the loss."""
    X, y = blobs()
    model = mlp([2, 16, 3], rng=0)
    with pytest.raises(FloatingPointError) as info:
        fit(
            model,
            "cross_entropy",
            SGD(model, lr=1e6),
            X,
            y,
            epochs=50,
            batch_size=16,
            rng=0,
            validation_data=(X, y),
            verbose=1,
        )
    err = info.value
    assert isinstance(err, DivergenceError)
    assert re.fullmatch(
        rf"training diverged in epoch {err.epoch}/50: the training loss is (nan|inf), with "
        r"learning rate 1e\+06; try a smaller learning rate",
        str(err),
    )
    assert 1 <= err.epoch < 50 and not math.isfinite(err.loss)
    # The history of the epochs before the divergence: finite, and consistent.
    history = err.history
    assert history.epochs == err.epoch - 1 == len(history.val_loss)
    assert len(history.batch_loss) == history.epochs * 8
    assert np.isfinite(history.loss).all() and np.isfinite(history.batch_loss).all()
    assert len(capsys.readouterr().out.splitlines()) == history.epochs


def test_fit_stops_a_diverging_regression_with_a_penalty():
    """The penalty functions reject non-finite weights with a ValueError; in a
    diverging run fit reports the divergence instead."""
    rng = np.random.default_rng(0)
    X = 4 * rng.standard_normal((120, 2))
    model = mlp([2, 16, 1], rng=0)
    with pytest.raises(DivergenceError, match="try a smaller learning rate"):
        fit(
            model,
            "mse",
            SGD(model, lr=1.0),
            X,
            100 * X[:, 0] ** 2,
            epochs=20,
            batch_size=16,
            rng=0,
            penalty=[("l1", 1e-3), ("l2", 1e-3)],
        )


class BreakAtStep(SGD):
    """SGD that writes ``value`` into a weight after step ``at`` (the loss of that
    batch, measured before the step, stays finite)."""

    def __init__(self, model, lr, at, value=np.nan):
        super().__init__(model, lr=lr)
        self.weight, self.at, self.value = model[0].params["W"], at, value

    def step(self):
        super().step()
        if self.iterations == self.at:
            self.weight[0, 0] = self.value


@pytest.mark.parametrize("validation", [False, True])
def test_fit_checks_the_parameters_before_they_leave_the_loop(validation):
    """Non-finite parameters behind a finite loss: caught after the last epoch, or
    before a validation pass (which would otherwise compute with nan)."""
    X, y = blobs(n=40)
    model = mlp([2, 4, 3], rng=0)
    at = 4 * 2 if validation else 4 * 3  # the last step of epoch 2 (of 3): 4 batches each
    with pytest.raises(DivergenceError, match="the parameters are no longer finite") as info:
        fit(
            model,
            "cross_entropy",
            BreakAtStep(model, lr=0.1, at=at),
            X,
            y,
            epochs=3,
            batch_size=10,
            rng=0,
            validation_data=(X, y) if validation else None,
        )
    assert info.value.epoch == (2 if validation else 3)
    assert math.isfinite(info.value.loss)
    assert info.value.history.epochs == info.value.epoch - 1


def test_fit_stops_when_the_validation_loss_overflows():
    """Finite but huge parameters after the epoch's last step: the validation pass
    overflows silently and the divergence is reported."""
    X, y = blobs(n=40)
    model = mlp([2, 4, 3], rng=0)
    with pytest.raises(DivergenceError, match=r"epoch 1/3: the validation loss is (nan|inf)"):
        fit(
            model,
            "cross_entropy",
            BreakAtStep(model, lr=0.1, at=4, value=1e308),
            X,
            y,
            epochs=3,
            batch_size=10,
            rng=0,
            validation_data=(X, y),
        )


# ------------------------------------------------------------------- penalty


def regression(n=30, d=3, k=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    return X, X @ rng.standard_normal((d, k)) + 0.1 * rng.standard_normal((n, k))


@pytest.mark.parametrize(
    "penalty",
    [("l1", 0.05), ("L2", 0.3), [("l1", 0.05), ("l2", 0.3)]],
    ids=["l1", "l2", "elastic_net"],
)
def test_one_penalized_sgd_step_by_hand(penalty):
    """Full batch, one SGD step of a linear layer under MSE:
    W <- W - lr (dL/dW + lam1 sign(W) + lam2 W), b <- b - lr dL/db."""
    X, Y = regression()
    model = Sequential([Dense(3, 2, rng=1)])
    W0, b0 = model[0].params["W"].copy(), model[0].params["b"].copy()
    assert np.abs(W0).min() > 1e-3  # sign(W) is smooth around W0 (for the differences)
    pairs = penalty if isinstance(penalty, list) else [penalty]
    terms = {kind.lower(): lam for kind, lam in pairs}
    lam1, lam2 = terms.get("l1", 0.0), terms.get("l2", 0.0)
    lr = 0.1
    history = fit(
        model, "mse", SGD(model, lr=lr), X, Y, epochs=1, batch_size=30, rng=0, penalty=penalty
    )
    # By hand: L = mean((XW + b - Y)^2) over the n * k entries.
    residual = X @ W0 + b0 - Y
    dW = 2 * X.T @ residual / residual.size
    db = 2 * residual.sum(axis=0) / residual.size
    grad_W = dW + lam1 * np.sign(W0) + lam2 * W0
    np.testing.assert_allclose(model[0].params["W"], W0 - lr * grad_W, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(model[0].params["b"], b0 - lr * db, rtol=1e-12, atol=1e-15)

    # ... and the step follows the gradient of data loss + penalty, by finite differences.
    def objective(W):
        return mse(X @ W + b0, Y) + lam1 * np.abs(W).sum() + lam2 / 2 * np.sum(W**2)

    np.testing.assert_allclose(grad_W, numerical_gradient(objective, W0), rtol=1e-6, atol=1e-9)
    # The reported loss is data loss + penalty, before the step.
    penalty_value = l1_penalty(W0, lam1) + l2_penalty(W0, lam2)
    assert penalty_value == pytest.approx(lam1 * np.abs(W0).sum() + lam2 / 2 * np.sum(W0**2))
    assert history.penalty == pytest.approx([penalty_value], rel=1e-12)
    assert history.loss == pytest.approx([np.mean(residual**2) + penalty_value], rel=1e-12)
    assert history.data_loss == pytest.approx([np.mean(residual**2)], rel=1e-10)
    assert history.batch_loss == pytest.approx(history.loss, rel=1e-15)


def test_penalty_touches_only_the_dense_weights():
    """One full-batch SGD step with and without an L1 penalty: the weights differ by
    exactly lr * lam * sign(W); biases and batch norm's gamma and beta do not differ."""
    X, y = blobs(n=30)
    lr, lam = 0.1, 0.01
    runs = []
    for penalty in (None, ("l1", lam)):
        model = mlp([2, 5, 3], batch_norm=True, rng=0)
        before = {name: value.copy() for name, value, _ in model.parameters()}
        fit(
            model,
            "cross_entropy",
            SGD(model, lr=lr),
            X,
            y,
            epochs=1,
            batch_size=30,
            rng=0,
            penalty=penalty,
        )
        runs.append({name: value.copy() for name, value, _ in model.parameters()})
    plain, penalized = runs
    assert sorted(plain) == ["0.W", "0.b", "1.beta", "1.gamma", "3.W", "3.b"]
    for name in plain:
        if name.endswith(".W"):
            expected = plain[name] - lr * lam * np.sign(before[name])
            np.testing.assert_allclose(penalized[name], expected, rtol=1e-12, atol=1e-15)
        else:
            np.testing.assert_array_equal(penalized[name], plain[name])


def test_l2_penalty_is_weight_decay():
    """SGD + penalty ("l2", lam) equals SGD(weight_decay=lam), which decays the weight
    matrices only, as the penalty does (biases moved off 0, where a decay of them
    would show), over several epochs of minibatches; the history keeps the data loss."""
    X, y = blobs(n=60)
    lr, lam = 0.05, 0.1

    def train(optimizer_for, penalty, epochs):
        model = mlp([2, 6, 3], rng=0)
        for layer in (model[0], model[2]):
            layer.params["b"][...] = 0.5
        history = fit(
            model,
            "cross_entropy",
            optimizer_for(model),
            X,
            y,
            epochs=epochs,
            batch_size=16,
            rng=0,
            penalty=penalty,
        )
        return history, {name: value.copy() for name, value, _ in model.parameters()}

    penalized, p = train(lambda m: SGD(m, lr=lr), ("l2", lam), epochs=5)
    decayed, d = train(lambda m: SGD(m, lr=lr, weight_decay=lam), None, epochs=5)
    for name in p:
        np.testing.assert_allclose(p[name], d[name], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(penalized.data_loss, decayed.loss, rtol=1e-10)
    assert all(total > data for total, data in zip(penalized.loss, decayed.loss, strict=True))


def test_l1_penalty_makes_the_weights_sparse():
    """An over-parameterised MLP fitting a target that uses 3 of its 20 inputs: with
    an L1 penalty many more weights end near 0."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 20))
    y = X[:, :3] @ np.array([2.0, -1.0, 0.5]) + 0.1 * rng.standard_normal(200)

    def small_weights(penalty):
        model = mlp([20, 16, 1], rng=0)
        history = fit(
            model,
            "mse",
            SGD(model, lr=0.02),
            X,
            y,
            epochs=60,
            batch_size=20,
            rng=0,
            penalty=penalty,
        )
        weights = np.concatenate([model[i].params["W"].ravel() for i in (0, 2)])
        return int(np.count_nonzero(np.abs(weights) < 1e-2)), history

    plain, _ = small_weights(None)
    sparse, history = small_weights(("l1", 0.01))
    assert sparse > plain + 50  # out of 336 weights
    assert history.penalty[-1] < history.penalty[0]  # the L1 norm shrank


def test_penalty_needs_a_dense_layer_and_accepts_nothing_to_penalize():
    X, y = blobs(n=10)
    model = Sequential([BatchNorm1d(2)])  # parameters, but no weight matrix
    with pytest.raises(ValueError, match="penalty applies to the weight matrices"):
        fit(
            model, "mse", SGD(model, lr=0.1), X, X, epochs=1, batch_size=4, rng=0, penalty=("l2", 1)
        )
    model = mlp([2, 4, 3], rng=0)
    for nothing in (None, []):  # no penalty: nothing recorded, the loss is the data loss
        optimizer = SGD(model, lr=0.1)
        history = fit(
            model, "cross_entropy", optimizer, X, y, epochs=1, batch_size=4, rng=0, penalty=nothing
        )
        assert history.penalty == [] and history.data_loss == history.loss


def test_penalty_in_repr_verbose_line_and_plot(capsys):
    X, y = blobs(n=40)
    model = mlp([2, 4, 3], rng=0)
    history = fit(
        model,
        "cross_entropy",
        SGD(model, lr=0.1),
        X,
        y,
        epochs=1,
        batch_size=10,
        rng=0,
        penalty=("l1", 1e-3),
        verbose=1,
    )
    h = history
    assert capsys.readouterr().out == (
        f"epoch 1/1  loss {h.loss[0]:.4f}  acc {h.running_accuracy[0]:.4f}  "
        f"penalty {h.penalty[0]:.4f}"
        "  lr 1.0e-01\n"
    )
    assert repr(History(loss=[0.5], penalty=[0.25], lr=[0.1])) == (
        "History(epochs=1, loss=0.5000, penalty=0.2500, lr=1.0e-01)"
    )
    ax = plot_history(History(loss=[0.5, 0.4], val_loss=[0.6, 0.5], penalty=[0.1, 0.1]))
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["training loss (data + penalty)", "validation loss"]
    import matplotlib.pyplot as plt

    plt.close("all")


def test_penalty_reaches_the_dense_layers_of_a_nested_model():
    """The penalty and weight_decay act on the same arrays, those named W, at any depth
    (the penalty used to look at the top-level layers only, and skipped nested ones)."""
    X, y = blobs(n=40)

    def nested():
        inner = mlp([2, 6], rng=0)
        return Sequential([inner, ReLU(), Dense(6, 3, rng=1)])

    penalized, decayed = nested(), nested()
    fit(penalized, "cross_entropy", SGD(penalized, lr=0.05), X, y, epochs=3, batch_size=8,
        rng=0, penalty=("l2", 0.1))
    fit(decayed, "cross_entropy", SGD(decayed, lr=0.05, weight_decay=0.1), X, y, epochs=3,
        batch_size=8, rng=0)
    names = [name for name, _, _ in penalized.parameters()]
    assert "0.0.W" in names
    for (_, a, _), (_, b, _) in zip(penalized.parameters(), decayed.parameters(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
