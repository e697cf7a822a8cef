"""Training speed of a small CNN: nnbook against (if installed) PyTorch's CPU ``Conv2d``.

Both implementations train the same network with the same settings, in one
process, float32 throughout:

    Conv2D(1 -> 8, 3x3, padding 1) - ReLU - MaxPool2D(2) - Flatten - Dense(128 -> 10)

with softmax cross entropy, Adam (lr 1e-3, betas 0.9 / 0.999, eps 1e-8), no
weight decay, batch 32, data shuffled every epoch. Each is timed on its whole
``fit`` (checks included) divided by the number of epochs; the table shows
the best of ``--repeats`` runs (runs of the implementations are interleaved,
so that a noisy moment on a shared machine hits all alike) and the test
accuracy of that best run. PyTorch runs with its default number of threads
(as in ``mlp.py``) and, when that is more than one, also on one thread, its
best on tensors this small; nnbook's matrix products are too small for
OpenBLAS to split them between threads.

Workload
--------
scikit-learn's digits (1797 8x8 images, 10 classes) as images of shape
(1, 8, 8), pixels scaled to [0, 1] (divided by 16); 60/40 stratified split
(random_state=0): 1078 training and 719 test images; 10 epochs.

Usage::

    python benchmarks/cnn.py [--repeats N] [--quick] [--no-torch]

``--quick`` (a smoke test) runs one repeat of 2 epochs.
"""

from __future__ import annotations

import functools
import os
import platform

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
from nnbook.layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU
from nnbook.network import Sequential

CHANNELS, BATCH_SIZE = 8, 32


def digits_images(quick: bool) -> Workload:
    from sklearn.model_selection import train_test_split

    from nnbook.data import load_digits

    X, y = load_digits(dtype=np.float32)
    X = (X / 16.0).reshape(-1, 1, 8, 8)  # (n, channels, height, width), pixels in [0, 1]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.4, stratify=y, random_state=0
    )
    epochs = 2 if quick else 10
    return Workload(
        "CNN",
        f"digits as 1x8x8 images, CNN conv3x3(8)-relu-maxpool2-dense(128->10), "
        f"batch {BATCH_SIZE}, {epochs} epochs",
        X_train,
        y_train,
        X_test,
        y_test,
        batch_size=BATCH_SIZE,
        epochs=epochs,
    )


# ------------------------------------------------------------------ runners


def run_nnbook(w: Workload) -> tuple[float, float, float]:
    rng = np.random.default_rng(0)
    model = Sequential(
        [
            Conv2D(1, CHANNELS, 3, padding=1, rng=rng, dtype=np.float32),
            ReLU(),
            MaxPool2D(2),
            Flatten(),
            Dense(CHANNELS * 4 * 4, 10, rng=rng, dtype=np.float32),
        ]
    )
    return time_nnbook(model, w)


def run_torch(w: Workload, threads: int) -> tuple[float, float]:
    import torch

    default = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        return _train_torch(w)
    finally:
        torch.set_num_threads(default)


def _train_torch(w: Workload) -> tuple[float, float]:
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, CHANNELS, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(CHANNELS * 4 * 4, 10),
    )
    return time_torch(model, w)


# ------------------------------------------------------------------ main


def main() -> None:
    args = argument_parser(__doc__.splitlines()[0]).parse_args()
    repeats = repeats_of(args)

    runners = {"nnbook": run_nnbook}
    torch = None if args.no_torch else torch_version()
    if torch is not None:
        import torch as torch_module

        threads = torch_module.get_num_threads()
        torch = f"{torch} ({threads} thread(s))"
        runners["pytorch"] = functools.partial(run_torch, threads=threads)
        if threads > 1:  # its intra-op threads cost more than they save on tensors this small
            runners["pytorch, 1 thread"] = functools.partial(run_torch, threads=1)
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"torch {torch or 'not installed or left out'}, nnbook {nnbook.__version__}; "
        f"{os.cpu_count()} CPU(s); best of {repeats}"
    )

    w = digits_images(args.quick)
    best = best_of(runners, w, repeats)
    print_table(w, best, width=18)
    print(
        f"  nnbook's epoch loop alone: {1e3 * best['nnbook'][2]:.2f} ms/epoch "
        "(without fit's one-off input checks)"
    )


if __name__ == "__main__":
    main()
