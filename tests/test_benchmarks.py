"""The benchmark still runs against the current API (a smoke run; nothing is timed here)."""

from __future__ import annotations

import subprocess
import sys

from tests._book import ROOT


def test_mlp_benchmark_quick_run_prints_its_table():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "mlp.py"),
         "--quick", "--workload", "W1", "--no-torch"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "implementation" in result.stdout and "nnbook" in result.stdout
    assert "scikit-learn" in result.stdout
    assert "nnbook's matrix products alone" in result.stdout


def test_cnn_benchmark_quick_run_prints_its_table():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "cnn.py"), "--quick", "--no-torch"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "implementation" in result.stdout and "nnbook" in result.stdout
    assert "nnbook's epoch loop alone" in result.stdout
