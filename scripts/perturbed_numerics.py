"""Run a command with the machine's floating-point numerics perturbed on purpose.

Usage: python scripts/perturbed_numerics.py COMMAND [ARG ...]

The last bits of a float64 result depend on three things besides the code:
the BLAS kernel, NumPy's SIMD paths (exp, log, tanh, ...) and the C
library's exp and tanh. A reader's machine may differ from ours in any of
them, so the book's outputs must not depend on them. This runs COMMAND (for
example ``pytest --nbval chapters``) with

* NumPy's SIMD dispatch limited to its baseline (``NPY_DISABLE_CPU_FEATURES``
  naming every dispatched feature this CPU has; x86-64 only);
* glibc's FMA and AVX2 variants of its maths functions masked
  (``GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA,-FMA4``; Linux x86-64 only);
* two BLAS threads instead of one (``OPENBLAS_NUM_THREADS=2`` and its
  OpenMP and MKL equivalents), which changes how large products are summed.

The BLAS kernel itself is never chosen here: ``OPENBLAS_CORETYPE`` and
``OPENBLAS_L2_SIZE`` stay as the machine has them (some machines need them).
A perturbation that does not exist on this machine is skipped with a note.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys

THREADS = "2"


def numpy_dispatch_features() -> list[str]:
    """NumPy's dispatched SIMD features that this CPU has (beyond the baseline)."""
    code = (
        "from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__;"
        "print(' '.join(f for f in __cpu_dispatch__ if __cpu_features__.get(f)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


def perturbed_environment(environ=None) -> tuple[dict[str, str], list[str]]:
    """The perturbed environment and a note for each perturbation, applied or skipped."""
    env = dict(os.environ if environ is None else environ)
    notes = []
    x86_64 = platform.machine().lower() in ("x86_64", "amd64")
    if x86_64:
        features = numpy_dispatch_features()
        if features:
            env["NPY_DISABLE_CPU_FEATURES"] = " ".join(features)
            notes.append(f"NumPy SIMD limited to its baseline: disabled {' '.join(features)}")
        else:
            notes.append("NumPy SIMD: this CPU runs the baseline already; nothing to disable")
    else:
        notes.append(f"NumPy SIMD: skipped (not x86-64 but {platform.machine()})")
    if x86_64 and sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc":
        env["GLIBC_TUNABLES"] = "glibc.cpu.hwcaps=-AVX2,-FMA,-FMA4"
        notes.append("glibc: FMA and AVX2 variants of exp, log, tanh, ... masked")
    else:
        notes.append("glibc: skipped (not glibc on Linux x86-64)")
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = THREADS
    notes.append(f"BLAS: {THREADS} threads instead of 1 (kernel left as the machine picks it)")
    return env, notes


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    env, notes = perturbed_environment()
    for note in notes:
        print(f"perturbed numerics: {note}", flush=True)
    return subprocess.run(argv, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
