"""Tests of nnbook.train: fit, evaluate and History."""

import sys

import matplotlib
import numpy as np
import pytest

from nnbook.layers import Dense, Sigmoid
from nnbook.losses import cross_entropy, get_loss
from nnbook.network import Sequential, mlp
from nnbook.optim import SGD, Adam, step_decay
from nnbook.train import History, evaluate, fit

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
    for name in ("loss", "accuracy", "val_loss", "val_accuracy", "lr"):
        assert len(getattr(history, name)) == 20
    assert history.loss[-1] < 0.5 * history.loss[0]
    assert history.accuracy[-1] > 0.9 and history.val_accuracy[-1] > 0.9
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
    assert history.accuracy[0] == np.mean(model.predict_classes(X) == y)


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
    assert history.accuracy == [] and history.loss[-1] < 1e-3  # 1-D y fits the (n, 1) output
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
    assert history.accuracy[-1] > 0.9
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
    assert history.accuracy[-1] > 0.9
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
        f"epoch 2/2  loss {h.loss[1]:.4f}  acc {h.accuracy[1]:.4f}  val_loss {h.val_loss[1]:.4f}"
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
    assert history.accuracy[-1] > 0.8


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
        accuracy=[0.5, 0.75],
        val_loss=[1.1, 0.6],
        val_accuracy=[0.4, 0.7],
        lr=[0.1, 0.01],
    )
    assert repr(history) == (
        "History(epochs=2, loss=0.5000, accuracy=0.7500, val_loss=0.6000, "
        "val_accuracy=0.7000, lr=1.0e-02)"
    )
    ax = history.plot()
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == [
        "training loss",
        "validation loss",
        "training accuracy",
        "validation accuracy",
    ]
    import matplotlib.pyplot as plt

    plt.close("all")
    assert repr(History(loss=[0.25], lr=[0.1])) == "History(epochs=1, loss=0.2500, lr=1.0e-01)"
