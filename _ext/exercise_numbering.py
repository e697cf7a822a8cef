"""Number the exercises of sphinx-exercise per chapter: Exercise 1, 2, ... on each page.

sphinx-exercise numbers its ``{exercise}`` directives with Sphinx's ``numfig``,
which counts across the whole book unless the table of contents is
``numbered`` (and the chapters of this book carry their number in their
titles, so it is not). After Sphinx has assigned the numbers, this extension
restarts the count of the ``exercise`` type on every page, keeping their
order. ``{numref}`` and the solutions' titles ("Solution to Exercise 3") read
the numbers from the same table, so they follow.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

FIGTYPE = "exercise"


def _number_per_page(app: Sphinx, env: BuildEnvironment) -> list[str]:
    for numbers in env.toc_fignumbers.values():
        exercises = numbers.get(FIGTYPE)
        if not exercises:
            continue
        in_order = sorted(exercises, key=exercises.__getitem__)
        numbers[FIGTYPE] = {label: (i,) for i, label in enumerate(in_order, start=1)}
    return []


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinx_exercise")
    # After Sphinx's own TocTreeCollector (priority 500) has assigned the numbers.
    app.connect("env-get-updated", _number_per_page, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
