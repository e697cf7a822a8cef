"""Helpers shared by the tests that look at the book as a whole."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"


def _toc_files(entries) -> list[str]:
    files = []
    for entry in entries or []:
        if "file" in entry:
            files.append(entry["file"])
        files.extend(_toc_files(entry.get("sections")))
        files.extend(_toc_files(entry.get("chapters")))
        for part in entry.get("parts", []) or []:
            files.extend(_toc_files(part.get("chapters")))
    return files


def toc_files() -> list[str]:
    """Every file named in ``_toc.yml`` (root included), without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    files.extend(_toc_files(toc.get("chapters")))
    for part in toc.get("parts", []) or []:
        files.extend(_toc_files(part.get("chapters")))
    return files


def toc_notebooks() -> list[Path]:
    """The notebooks of the book, in reading order."""
    return [ROOT / f"{name}.ipynb" for name in toc_files() if name.startswith("chapters/")]
