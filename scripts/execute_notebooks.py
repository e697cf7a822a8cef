"""Re-execute notebooks in place, deterministically, and report their run times.

Usage: python scripts/execute_notebooks.py chapters/*.ipynb

Each notebook runs top to bottom in a fresh ``python3`` kernel started in
``chapters/`` (as in JupyterLab and under nbval), so execution counts run 1..n.
Cell timing metadata is not recorded, so re-executing an unchanged chapter
leaves its file unchanged apart from the images.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

TIMEOUT = 300  # seconds per cell; a chapter should take well under 30 s in all


def run(nb, path: Path):
    """Execute the notebook ``nb`` (read from ``path``) in place, in a fresh kernel."""
    # A local socket instead of TCP: the kernel stays private to this process
    # (and ipykernel does not warn about unencrypted TCP).
    sockets = tempfile.TemporaryDirectory(prefix="nnbook-kernel-")
    kernel = KernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets.name}/kernel")
    client = NotebookClient(
        nb,
        km=kernel,
        timeout=TIMEOUT,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    with sockets:
        try:
            client.execute()
        finally:  # the client does not own a kernel it was given: stop it here
            if kernel.has_kernel:
                kernel.shutdown_kernel(now=True)
    nb.metadata.pop("widgets", None)
    return nb


def execute(path: Path) -> float:
    """Re-execute the notebook at ``path``, store it with its outputs, return the seconds."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    run(nb, path)
    elapsed = time.perf_counter() - start
    nbformat.write(nb, path)
    return elapsed


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__)
        return 2
    for name in paths:
        path = Path(name)
        print(f">>> executing {path} ...", end=" ", flush=True)
        print(f"{execute(path):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
