"""Measure how much each chapter's printed outputs move between machines and seeds.

Usage:
  python scripts/numerics_spread.py run [--seed K] [--perturb] LABEL [NOTEBOOK ...]
  python scripts/numerics_spread.py report LABEL [LABEL ...]

``run`` executes the notebooks (all chapters by default) in a fresh kernel,
without writing them, and saves every code cell's text output to
``_build/spread/LABEL.json``. ``--seed K`` replaces the line ``SEED = 0`` of
each chapter by ``SEED = K``; ``--perturb`` runs under the perturbations of
``scripts/perturbed_numerics.py``. Run it under another BLAS kernel in the
command alone, e.g. ``OPENBLAS_CORETYPE=Haswell python scripts/... run haswell``.
(The options go before LABEL: the notebooks come last.)

``report`` compares each run with the stored outputs, cell by cell, and prints
every cell that differs: its tolerance tag, and for each run the smallest
relative tolerance under which the run would pass (beyond half a unit of the
last printed digit, as the nbval plugin compares), or that its words differ.
That is the measured spread a cell's ``tolerance-N%`` tag must cover.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from execute_notebooks import run as run_notebook  # noqa: E402
from perturbed_numerics import perturbed_environment  # noqa: E402

from tests._book import toc_notebooks  # noqa: E402
from tests.nbval_tolerance import GLUE_PREFIX, cell_tolerance, split_numbers  # noqa: E402

OUT = ROOT / "_build" / "spread"
SEED_LINE = re.compile(r"^SEED = 0$", re.MULTILINE)
IGNORED = re.compile(r"^\s*#\s*NBVAL_(IGNORE_OUTPUT|SKIP)\s*$", re.MULTILINE)


GLUED = GLUE_PREFIX + "text/plain"  # a value glued for the prose


def cell_texts(nb) -> list[str]:
    """The text output of every code cell, streams, text/plain and glued text joined."""
    texts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        parts = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append(output.get("text", ""))
            else:
                data = output.get("data", {})
                parts.append(data.get("text/plain", "") + data.get(GLUED, ""))
        texts.append("".join(parts))
    return texts


def execute(path: str, seed: int | None) -> tuple[str, list[str] | str]:
    """The notebook's stem and its cell texts, or the error that stopped it."""
    nb = nbformat.read(path, as_version=4)
    if seed is not None:
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source = SEED_LINE.sub(f"SEED = {seed}", cell.source)
    try:
        run_notebook(nb, Path(path))
    except Exception as err:  # a chapter that fails under a seed is a finding, not a crash
        return Path(path).stem, f"FAILED: {type(err).__name__}: {str(err).splitlines()[-1:]}"
    return Path(path).stem, cell_texts(nb)


def command_run(args) -> int:
    if args.perturb:
        env, notes = perturbed_environment()
        os.environ.clear()
        os.environ.update(env)
        print("\n".join(notes))
    paths = args.notebooks or [str(p) for p in toc_notebooks()]
    with ProcessPoolExecutor(args.jobs) as pool:
        results = dict(pool.map(execute, paths, [args.seed] * len(paths)))
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"{args.label}.json"
    saved = json.loads(target.read_text()) if target.exists() else {}
    saved.update(results)
    target.write_text(json.dumps(saved, indent=1, ensure_ascii=False))
    print(f"saved {target}")
    return 0


def needed_tolerance(test: str, ref: str) -> str:
    """The smallest relative tolerance under which ``test`` matches ``ref``.

    That is, beyond half a unit of the last printed digit, as the nbval plugin
    compares: "same", a percentage, or "WORDS DIFFER" when no tolerance helps.
    """
    if test == ref:
        return "same"
    test_words, test_numbers = split_numbers(test)
    ref_words, ref_numbers = split_numbers(ref)
    if test_words != ref_words:
        return "WORDS DIFFER"
    excess = [
        (max(0.0, abs(t.value - r.value) - max(t.half_unit, r.half_unit)), r)
        for t, r in zip(test_numbers, ref_numbers, strict=True)
    ]
    if any(gap > 0 and r.value == 0 for gap, r in excess):
        return "NEEDS MORE THAN ANY TOLERANCE (a stored 0 moved)"
    worst = max((gap / abs(r.value) for gap, r in excess if gap > 0), default=0.0)
    return f"needs {worst:.2%}"


def command_report(args) -> int:
    runs = {label: json.loads((OUT / f"{label}.json").read_text()) for label in args.labels}
    for path in toc_notebooks():
        nb = nbformat.read(path, as_version=4)
        cells = [cell for cell in nb.cells if cell.cell_type == "code"]
        stored = cell_texts(nb)
        for label, run in runs.items():
            if isinstance(run.get(path.stem), str):
                print(f"== {path.stem} did not run under {label}: {run[path.stem]}")
        for i, ref in enumerate(stored):
            results = {
                label: run[path.stem][i]
                for label, run in runs.items()
                if isinstance(run.get(path.stem), list) and i < len(run[path.stem])
            }
            moved = {label: text for label, text in results.items() if text != ref}
            if not moved or IGNORED.search(cells[i].source):
                continue
            rtol = cell_tolerance(cells[i])
            tag = f"tolerance {rtol:.1%}" if rtol is not None else "exact"
            print(f"== {path.stem} cell {i} ({tag})")
            for label, text in results.items():
                print(f"   {label:>12}: {needed_tolerance(text, ref)}")
            if args.verbose:
                print("   stored:\n" + ref)
                for label, text in moved.items():
                    print(f"   {label}:\n{text}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("label")
    run.add_argument("notebooks", nargs="*")
    run.add_argument("--seed", type=int)
    run.add_argument("--perturb", action="store_true")
    run.add_argument("--jobs", type=int, default=2)
    report = sub.add_parser("report")
    report.add_argument("labels", nargs="+")
    report.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    return command_run(args) if args.command == "run" else command_report(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
