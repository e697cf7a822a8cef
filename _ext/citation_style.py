"""Author-year citations in round brackets: "Glorot and Bengio (2010)".

sphinxcontrib-bibtex's ``author_year`` style sets every citation in square
brackets ("Glorot and Bengio [2010]", "[He et al., 2015]"), which is how
numbered references look. Its documented way to change that is a referencing
style of one's own, registered as a plugin: this one is ``author_year`` with
round brackets, chosen in _config.yml by ``bibtex_reference_style``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle


def round_brackets() -> BracketStyle:
    return BracketStyle(left="(", right=")")


@dataclass
class RoundAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    """``author_year``, with every kind of citation in round brackets."""

    bracket_textual: BracketStyle = field(default_factory=round_brackets)
    bracket_parenthetical: BracketStyle = field(default_factory=round_brackets)
    bracket_author: BracketStyle = field(default_factory=round_brackets)
    bracket_label: BracketStyle = field(default_factory=round_brackets)
    bracket_year: BracketStyle = field(default_factory=round_brackets)


def setup(app):
    register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_round",
        RoundAuthorYearReferenceStyle,
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
