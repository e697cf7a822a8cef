"""Training speed of an MLP: nnbook against scikit-learn and (if installed) PyTorch.

Every implementation trains the same network with the same settings, in one
process, float32 throughout: one hidden ReLU layer, softmax cross entropy,
Adam (lr 1e-3, betas 0.9 / 0.999, eps 1e-8), no weight decay, data shuffled
every epoch. Each is timed on its whole ``fit`` (checks included) divided by
the number of epochs; the table shows the best of ``--repeats`` runs (runs of
the implementations are interleaved, so that a noisy moment on a shared
machine hits all of them alike) and the test accuracy of that best run.

Workloads
---------
W1  scikit-learn's digits (1797 8x8 images, 10 classes), 80/20 stratified
    split (random_state=0), standardized with the training mean and std;
    MLP 64-128-10, batch 64, 30 epochs.
W2  an MNIST-sized synthetic set: 60,000 training and 10,000 test samples of
    784 standard-normal features, labelled by a fixed random "teacher"
    network (784-64-10, tanh, seed 0): the class is the argmax of the
    teacher's output. MLP 784-256-10, batch 128, one epoch.

Usage::

    python benchmarks/mlp.py [--workload W1|W2|all] [--repeats N] [--quick] [--no-torch]

``--quick`` (a smoke test) runs one repeat of shortened workloads: W1 for 3
epochs, W2 on 10,000 training samples.

Below each table, the time of nnbook's own matrix products alone (the five
products of a step, forward ``X W1`` and ``H W2``, backward ``H^T G``,
``G W2^T`` and ``X^T G1``, on the same shapes and batches, in the same run)
and their share of nnbook's epoch: the arithmetic floor, and how close
nnbook's loop comes to it. The share is given of the whole ``fit`` per epoch
and of the epoch loop alone (``History.seconds``, without the checks ``fit``
runs once on its inputs, which a one-epoch workload pays in full).
"""

from __future__ import annotations

import functools
import os
import platform
import time
import warnings

import numpy as np
from _harness import (
    Workload,
    argument_parser,
    best_of,
    print_table,
    repeats_of,
    time_nnbook,
    time_torch,
    torch_version,
)

import nnbook
from nnbook.network import mlp


def digits_workload(quick: bool) -> Workload:
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=0
    )
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std[std == 0] = 1.0  # constant pixels (always 0) stay 0
    X_train = ((X_train - mean) / std).astype(np.float32)
    X_test = ((X_test - mean) / std).astype(np.float32)
    epochs = 3 if quick else 30
    return Workload(
        "W1",
        f"digits, MLP 64-128-10, batch 64, {epochs} epochs",
        X_train,
        y_train,
        X_test,
        y_test,
        batch_size=64,
        epochs=epochs,
        hidden=128,
    )


def teacher_workload(quick: bool) -> Workload:
    n_train = 10_000 if quick else 60_000
    n_test, d, k = 10_000, 784, 10
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n_train + n_test, d), dtype=np.float32)
    W1 = rng.standard_normal((d, 64), dtype=np.float32) / np.sqrt(d)
    W2 = rng.standard_normal((64, k), dtype=np.float32)
    y = np.argmax(np.tanh(X @ W1) @ W2, axis=1)
    return Workload(
        "W2",
        f"synthetic {n_train}x784 teacher labels, MLP 784-256-10, batch 128, 1 epoch",
        X[:n_train],
        y[:n_train],
        X[n_train:],
        y[n_train:],
        batch_size=128,
        epochs=1,
        hidden=256,
    )


# ------------------------------------------------------------------ runners


def run_nnbook(w: Workload) -> tuple[float, float, float]:
    d, k = w.X_train.shape[1], int(w.y_train.max()) + 1
    return time_nnbook(mlp([d, w.hidden, k], activation="relu", rng=0, dtype=np.float32), w)


def run_sklearn(w: Workload) -> tuple[float, float]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=(w.hidden,),
        activation="relu",
        solver="adam",
        learning_rate_init=1e-3,
        batch_size=w.batch_size,
        max_iter=w.epochs,
        alpha=0.0,
        shuffle=True,
        tol=0.0,
        n_iter_no_change=w.epochs + 1,
        early_stopping=False,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        clf.fit(w.X_train, w.y_train)
        seconds = time.perf_counter() - start
    assert clf.coefs_[0].dtype == np.float32, "scikit-learn should keep float32"
    return seconds / w.epochs, float(clf.score(w.X_test, w.y_test))


def run_torch(w: Workload) -> tuple[float, float]:
    import torch

    torch.manual_seed(0)
    d, k = w.X_train.shape[1], int(w.y_train.max()) + 1
    model = torch.nn.Sequential(
        torch.nn.Linear(d, w.hidden), torch.nn.ReLU(), torch.nn.Linear(w.hidden, k)
    )
    return time_torch(model, w)


def matmul_floor(w: Workload) -> float:
    """Seconds per epoch of nnbook's matrix products alone, on the workload's shapes."""
    d, k, b = w.X_train.shape[1], int(w.y_train.max()) + 1, w.batch_size
    rng = np.random.default_rng(0)
    W1 = rng.standard_normal((d, w.hidden), dtype=np.float32)
    W2 = rng.standard_normal((w.hidden, k), dtype=np.float32)
    X, n = w.X_train, len(w.X_train)
    start = time.perf_counter()
    for _ in range(w.epochs):
        for i in range(0, n, b):
            x = X[i : i + b]
            h = x @ W1  # forward, layer 1
            g = h @ W2  # forward, layer 2 (stands in for the loss gradient too)
            _ = h.T @ g  # dL/dW2
            g1 = g @ W2.T  # dL/dH
            _ = x.T @ g1  # dL/dW1 (no dL/dX: fit skips it)
    return (time.perf_counter() - start) / w.epochs


def _floor(w: Workload, floors: list[float]) -> None:
    floors.append(matmul_floor(w))


# ------------------------------------------------------------------ main


def main() -> None:
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=["W1", "W2", "all"], default="all")
    args = parser.parse_args()
    repeats = repeats_of(args)

    import sklearn

    runners = {"nnbook": run_nnbook, "scikit-learn": run_sklearn}
    torch = None if args.no_torch else torch_version()
    if torch is not None:
        runners["pytorch"] = run_torch
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, torch {torch or 'not installed or left out'}, "
        f"nnbook {nnbook.__version__}; {os.cpu_count()} CPU(s); best of {repeats}"
    )

    workloads = []
    if args.workload in ("W1", "all"):
        workloads.append(digits_workload(args.quick))
    if args.workload in ("W2", "all"):
        workloads.append(teacher_workload(args.quick))
    for w in workloads:
        floors: list[float] = []
        best = best_of(runners, w, repeats, between=functools.partial(_floor, w, floors))
        floor, reference = min(floors), best["nnbook"][0]
        print_table(w, best, width=14)
        loop = best["nnbook"][2]
        print(
            f"  nnbook's matrix products alone: {1e3 * floor:.2f} ms/epoch, "
            f"{floor / reference:.0%} of nnbook's epoch ({floor / loop:.0%} of its epoch "
            f"loop, {1e3 * loop:.2f} ms, without fit's one-off input checks)"
        )


if __name__ == "__main__":
    main()
