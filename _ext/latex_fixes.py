"""Two fixes for the LaTeX (PDF) build of the book; the HTML pages are untouched.

1. Cell classes LaTeX can read. myst-nb turns every cell tag into a class of
   the cell's container, and Sphinx's LaTeX writer copies each class verbatim
   into ``\\begin{sphinxuseclass}{...}``. A tag such as ``tolerance-3%`` (see
   CONTRIBUTING.md) becomes ``{tag_tolerance-3%}``: LaTeX reads the ``%`` as a
   comment and stops with "File ended while scanning use of
   \\sphinxuseclass". Each container class is rewritten to letters, digits,
   ``-`` and ``_`` (``%`` becomes ``pct``).
2. ``{numref}`` to an exercise of another chapter. sphinx-exercise labels an
   exercise ``exercise:LABEL`` in LaTeX and rewrites the references of the same
   page to it, but a reference from another page keeps Sphinx's
   ``\\hyperref[page:LABEL]{exercise \\ref{page:LABEL}}``, which LaTeX prints
   as "exercise ??". Such a reference becomes sphinx-exercise's own node, with
   the text the HTML shows ("exercise 6").
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def latex_safe(name: str) -> str:
    """``tag_tolerance-3%`` -> ``tag_tolerance-3pct``; other unsafe characters go."""
    return UNSAFE.sub("", name.replace("%", "pct"))


def _sanitize_classes(doctree: nodes.document) -> None:
    for node in doctree.findall(nodes.container):
        node["classes"] = [latex_safe(name) for name in node["classes"]]


def _exercise_references(app: Sphinx, doctree: nodes.document) -> None:
    registry = getattr(app.env, "sphinx_exercise_registry", None)
    if not registry:
        return
    from sphinx_exercise.nodes import exercise_enumerable_node, exercise_latex_number_reference

    for node in list(doctree.findall(addnodes.number_reference)):
        target = node.get("refid") or node.get("refuri", "").rpartition("#")[2]
        entry = registry.get(target)
        if entry is None or not isinstance(entry.get("node"), exercise_enumerable_node):
            continue
        reference = exercise_latex_number_reference(refid=target)
        reference += nodes.Text(node.astext())
        node.replace_self(reference)


def _fix(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "latex":
        return
    _sanitize_classes(doctree)
    _exercise_references(app, doctree)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", _fix)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
