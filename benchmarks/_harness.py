"""What the benchmarks share: a workload, nnbook's and PyTorch's timed training, the table.

Every implementation trains the same network on the same float32 data in one
process, with softmax cross entropy and Adam (lr 1e-3, betas 0.9 / 0.999, eps
1e-8), no weight decay, data shuffled every epoch, and is timed on its whole
training divided by the number of epochs. ``best_of`` interleaves the runs of
the implementations, so that a noisy moment on a shared machine hits all alike,
and keeps each one's fastest run.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nnbook.optim import Adam
from nnbook.train import fit

LR = 1e-3


@dataclass
class Workload:
    name: str
    description: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    batch_size: int
    epochs: int
    hidden: int | None = None  # the MLP's hidden width (mlp.py)


def time_nnbook(model, w: Workload) -> tuple[float, float, float]:
    """(seconds per epoch of fit, test accuracy, seconds per epoch of its epoch loop)."""
    optimizer = Adam(model, lr=LR)
    start = time.perf_counter()
    history = fit(
        model,
        "cross_entropy",
        optimizer,
        w.X_train,
        w.y_train,
        epochs=w.epochs,
        batch_size=w.batch_size,
        rng=0,
    )
    seconds = time.perf_counter() - start
    accuracy = float(np.mean(model.predict_classes(w.X_test) == w.y_test))
    # Also the epoch loop alone (History.seconds): fit without its one-off input checks.
    return seconds / w.epochs, accuracy, sum(history.seconds) / w.epochs


def time_torch(model, w: Workload) -> tuple[float, float]:
    """(seconds per epoch, test accuracy) of the same loop in PyTorch, for ``model``."""
    import torch

    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    X = torch.from_numpy(np.ascontiguousarray(w.X_train))
    y = torch.from_numpy(w.y_train.astype(np.int64))
    generator = torch.Generator().manual_seed(0)
    n = len(X)
    start = time.perf_counter()
    for _ in range(w.epochs):
        order = torch.randperm(n, generator=generator)
        for i in range(0, n, w.batch_size):
            batch = order[i : i + w.batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(X[batch]), y[batch])
            loss.backward()
            optimizer.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        predicted = model(torch.from_numpy(np.ascontiguousarray(w.X_test))).argmax(dim=1)
    return seconds / w.epochs, float(np.mean(predicted.numpy() == w.y_test))


def argument_parser(description: str) -> argparse.ArgumentParser:
    """The options every benchmark takes: --repeats, --quick and --no-torch."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="short smoke run, one repeat")
    parser.add_argument(
        "--no-torch", action="store_true", help="leave PyTorch out even if installed"
    )
    return parser


def repeats_of(args: argparse.Namespace) -> int:
    """How many timed runs each implementation gets: one for --quick."""
    return 1 if args.quick else max(1, args.repeats)


def torch_version() -> str | None:
    try:
        import torch
    except ImportError:
        return None
    return torch.__version__


def best_of(
    runners: dict[str, Callable[[Workload], tuple]],
    w: Workload,
    repeats: int,
    between: Callable[[], None] | None = None,
) -> dict[str, tuple]:
    """Each runner's fastest result over ``repeats`` interleaved rounds (``between`` after each)."""
    best = {name: (np.inf, np.nan, np.nan) for name in runners}
    for _ in range(repeats):
        for name, run in runners.items():  # interleaved: noise hits all alike
            result = run(w)
            if result[0] < best[name][0]:
                best[name] = result
        if between is not None:
            between()
    return best


def print_table(w: Workload, best: dict[str, tuple], width: int) -> None:
    """The workload's line, then ms/epoch, the ratio to nnbook and the test accuracy."""
    print(f"\n{w.name}: {w.description} ({len(w.X_train)} train / {len(w.X_test)} test)")
    print(f"  {'implementation':<{width}}{'ms/epoch':>10}{'vs nnbook':>11}{'test acc':>10}")
    reference = best["nnbook"][0]
    for name, (seconds, accuracy, *_) in best.items():
        print(
            f"  {name:<{width}}{1e3 * seconds:>10.2f}{seconds / reference:>10.2f}x{accuracy:>10.4f}"
        )
