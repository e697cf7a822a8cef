"""Serve MathJax 3 from the local ``django-static-mathjax`` package.

By default Sphinx loads MathJax from a CDN, so formulas stay raw ``\\(...\\)``
when a reader is offline. This extension adds the package's ``static`` folder
to ``html_static_path`` (its files are copied to ``_static/mathjax/es5/``) and
points ``mathjax_path`` at the local ``tex-mml-chtml.js``, which finds its
fonts and extensions relative to itself.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

MATHJAX_JS = "mathjax/es5/tex-mml-chtml.js"


def _static_root() -> Path:
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionError(
            "offline_mathjax: the package django-static-mathjax is not installed "
            "(it provides MathJax 3 for offline pages); run `make venv`"
        )
    root = Path(next(iter(spec.submodule_search_locations))) / "static"
    if not (root / MATHJAX_JS).is_file():
        raise ExtensionError(f"offline_mathjax: {root / MATHJAX_JS} not found")
    return root


def _configure(app: Sphinx, config: Config) -> None:
    config.html_static_path = [*config.html_static_path, str(_static_root())]
    config.mathjax_path = MATHJAX_JS


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _configure)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
