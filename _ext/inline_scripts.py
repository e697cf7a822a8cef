"""Write each inline script once per page (a fix for Sphinx 7.4).

An extension that adds an inline script (``app.add_js_file(None, body=...)``)
after the HTML builder is initialised gets it twice in every page: Sphinx 7.4
records it in the builder with the file name ``None`` and adds it again from
the registry, before writing the pages, with the name ``''``, so its duplicate
check sees two different scripts. sphinx-thebe adds its configuration that way
(``const THEBE_JS_URL = ...``), and the second ``const`` declaration is a
SyntaxError in every page ("Identifier 'THEBE_JS_URL' has already been
declared"); sphinx-togglebutton's ``var togglebuttonSelector`` is doubled too,
harmlessly. This extension drops the repeats from each page's list of scripts,
keeping the first of each (same source or same body, same attributes).
"""

from __future__ import annotations

from sphinx.application import Sphinx


def _key(script) -> tuple:
    filename = getattr(script, "filename", script) or ""
    attributes = getattr(script, "attributes", {}) or {}
    return (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def _drop_repeated_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    if len(unique) != len(scripts):
        context["script_files"] = unique


def setup(app: Sphinx) -> dict:
    # Late (priority 900), after the extensions that add per-page scripts.
    app.connect("html-page-context", _drop_repeated_scripts, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
