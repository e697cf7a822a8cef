"""Count the formulas that a page's source asks MathJax to typeset.

The browser suite compares this count with the ``mjx-container`` elements of
the rendered page. It reads the Markdown of a ``.md`` page or of a notebook's
markdown cells and figure captions, and counts what MyST's ``dollarmath`` and
``amsmath`` extensions and the ``{math}`` role and directive turn into
formulas: ``$$...$$`` and a top-level ``\\begin{env}...\\end{env}`` as one
display formula each, ``$...$`` as one inline formula. Code (fenced blocks and
inline code) is not Markdown math and is left out.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
MATH_FENCE = re.compile(r"^(`{3,}|~{3,})\{math\}.*?^\1\s*$", re.DOTALL | re.MULTILINE)
CODE_FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1\s*$", re.DOTALL | re.MULTILINE)
MATH_ROLE = re.compile(r"\{math\}(`+)(?:(?!\1).)+?\1", re.DOTALL)
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
DISPLAY = re.compile(r"(?<!\\)\$\$.+?(?<!\\)\$\$", re.DOTALL)
AMSMATH = re.compile(
    r"^[ \t]*\\begin\{(equation|multline|gather|align|alignat|flalign|"
    r"matrix|pmatrix|bmatrix|Bmatrix|vmatrix|Vmatrix|eqnarray)(\*?)\}.*?\\end\{\1\2\}",
    re.DOTALL | re.MULTILINE,
)
# dollarmath as the book configures it (Jupyter Book's defaults: spaces and
# digits allowed next to the dollars): from an unescaped $ to the next one,
# without a blank line between them.
INLINE = re.compile(r"(?<![\\$])\$(?!\$)(?:[^$\n\\]|\\.|\n(?![ \t]*\n))+?(?<!\\)\$")


def markdown_of(source: Path) -> str:
    """The Markdown text of a page: a .md file, or a notebook's markdown cells
    and the captions of its figures (cell metadata ``mystnb.figure.caption``)."""
    text = source.read_text(encoding="utf-8")
    if source.suffix == ".ipynb":
        cells = json.loads(text)["cells"]
        parts = [
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells
            if c["cell_type"] == "markdown"
        ]
        parts += [
            c["metadata"]["mystnb"]["figure"].get("caption", "")
            for c in cells
            if isinstance(c.get("metadata", {}).get("mystnb", {}).get("figure"), dict)
        ]
        return "\n\n".join(parts)
    return FRONT_MATTER.sub("", text)


def count_formulas(markdown: str) -> int:
    """The number of formulas MathJax should typeset for this Markdown."""
    text = HTML_COMMENT.sub("", markdown)
    count = len(MATH_FENCE.findall(text))
    text = MATH_FENCE.sub("", text)
    text = CODE_FENCE.sub("", text)
    count += len(MATH_ROLE.findall(text))
    text = MATH_ROLE.sub("", text)
    text = INLINE_CODE.sub("", text)
    for pattern in (DISPLAY, AMSMATH, INLINE):
        count += len(pattern.findall(text))
        text = pattern.sub("", text)
    return count
