"""nnbook.book_figures: the network diagram and the nested sets, as drawn."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.patches import Circle, Ellipse

from nnbook import book_figures
from nnbook.book_figures import draw_network, find_cjk_font, plot_nested_sets


def _render(ax):
    ax.figure.canvas.draw()
    return ax


# ---------------------------------------------------------------------------
# draw_network
# ---------------------------------------------------------------------------


def _circles(ax):
    return [p for p in ax.patches if isinstance(p, Circle)]


def _segments(ax):
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    return lines.get_segments()


@pytest.mark.parametrize(
    ("sizes", "max_neurons"),
    [([2, 3, 1], 10), ([3, 5, 4, 2], 10), ([784, 100, 10], 10), ([20, 3], 4), ([1, 1], 2)],
)
def test_draw_network_counts_neurons_and_connections(sizes, max_neurons):
    ax = _render(draw_network(sizes, max_neurons=max_neurons))
    drawn = [min(n, max_neurons) for n in sizes]
    assert len(_circles(ax)) == sum(drawn)
    assert len(_segments(ax)) == sum(a * b for a, b in zip(drawn, drawn[1:], strict=False))
    dots = [t for t in ax.texts if t.get_text() == "⋮"]
    assert len(dots) == sum(n > max_neurons for n in sizes)


def test_draw_network_connects_consecutive_layers_only():
    ax = draw_network([3, 4, 2])
    xs = sorted({c.center[0] for c in _circles(ax)})
    assert len(xs) == 3
    for (x0, _), (x1, _) in _segments(ax):
        assert xs.index(x1) == xs.index(x0) + 1
    centers = {tuple(np.round(c.center, 9)) for c in _circles(ax)}
    ends = {tuple(np.round(p, 9)) for seg in _segments(ax) for p in seg}
    assert ends == centers  # every line starts and ends on a neuron, every neuron is wired


def test_draw_network_labels():
    ax = _render(draw_network([784, 16, 16, 10]))
    texts = [t.get_text().replace("\n", " ") for t in ax.texts if t.get_text() != "⋮"]
    assert texts == [
        "input layer 784 units",
        "hidden layer 1 16 units",
        "hidden layer 2 16 units",
        "output layer 10 units",
    ]
    ax = draw_network([1, 2], labels=["x", "y"])
    assert [t.get_text() for t in ax.texts] == ["x\n1 unit", "y\n2 units"]
    ax = draw_network(np.array([30, 2]), labels=False)  # arrays of sizes work too
    assert [t.get_text() for t in ax.texts] == ["⋮", "30 units"]  # true size of elided layer
    assert not ax.axison


def test_draw_network_circles_are_round_and_inside_the_view():
    ax = _render(draw_network([4, 12, 3]))
    assert ax.get_aspect() == 1.0
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for c in _circles(ax):
        cx, cy = c.center
        assert x0 < cx - c.radius and cx + c.radius < x1
        assert y0 < cy - c.radius and cy + c.radius < y1


def _dropped(ax):
    return [c for c in _circles(ax) if c.get_linestyle() == "--"]


@pytest.mark.parametrize(
    ("sizes", "active", "max_neurons", "expected"),
    [
        # 3 inputs, 2 of 4 hidden units kept, 2 outputs: 3 * 2 + 2 * 2 connections.
        ([3, 4, 2], [None, [True, False, True, False], None], 10, 10),
        ([3, 4, 2], [[True, True, False], [False, True, True, True], [True, False]], 10, 2 * 3 + 3),
        ([3, 4, 2], [None, [False] * 4, None], 10, 0),  # a layer with every unit dropped
        ([3, 4, 2], None, 10, 20),
        ([3, 4, 2], [None, None, None], 10, 20),
        # Elided layer of 30 (drawn: units 0-4 and 25-29): only drawn units count.
        ([30, 3], [np.arange(30) % 2 == 0, None], 10, 5 * 3),  # 0, 2, 4, 26, 28 drawn
        ([30, 3], [np.arange(30) >= 5, None], 10, 5 * 3),  # 25-29 drawn and kept
        ([30, 3], [(np.arange(30) >= 5) & (np.arange(30) < 25), None], 10, 0),  # hidden ones
    ],
)
def test_draw_network_thinned_by_a_dropout_mask(sizes, active, max_neurons, expected):
    ax = _render(draw_network(sizes, max_neurons=max_neurons, active=active))
    drawn = [min(n, max_neurons) for n in sizes]
    assert len(_circles(ax)) == sum(drawn)  # dropped neurons are still drawn
    assert len(_segments(ax)) == expected
    dropped = {tuple(np.round(c.center, 9)) for c in _dropped(ax)}
    ends = {tuple(np.round(p, 9)) for seg in _segments(ax) for p in seg}
    assert not dropped & ends  # no line touches a dropped neuron


def test_draw_network_draws_dropped_neurons_hollow_and_grey():
    hidden = np.array([True, False, True, False])
    ax = draw_network([3, 4, 2], active=[None, hidden, None])
    circles = _circles(ax)
    dropped = _dropped(ax)
    assert len(dropped) == 2
    for c in dropped:
        assert c.get_facecolor()[:3] == (1.0, 1.0, 1.0)
        assert c.get_edgecolor()[:3] == pytest.approx((0.6, 0.6, 0.6))
    full = {c.center: c for c in _circles(draw_network([3, 4, 2]))}
    for c in circles:  # the same places; kept neurons look as in the full network
        if c not in dropped:
            assert c.get_facecolor() == full[c.center].get_facecolor()
            assert c.get_edgecolor() == full[c.center].get_edgecolor()
    # The hidden column, top to bottom: kept, dropped, kept, dropped.
    column = sorted((c for c in circles if c.center[0] == dropped[0].center[0]),
                    key=lambda c: -c.center[1])
    assert [c in dropped for c in column] == [False, True, False, True]


def test_draw_network_without_active_is_the_full_network():
    full, masked = draw_network([4, 6, 2]), draw_network([4, 6, 2], active=[None] * 3)
    assert np.array_equal(_segments(full), _segments(masked))
    assert [c.get_facecolor() for c in _circles(full)] == [
        c.get_facecolor() for c in _circles(masked)
    ]


@pytest.mark.parametrize(
    ("active", "match"),
    [
        ([None, None], r"active must be None or a sequence of 3 boolean masks"),
        ("abc", "active must be None or a sequence"),
        (np.ones(3, dtype=bool), "active must be None or a sequence"),
        ([None, [True, False], None], r"active\[1\] must be a boolean array of shape \(4,\)"),
        ([None, [1, 0, 1, 0], None], r"active\[1\] must be a boolean array"),
        ([[[True, True, True]], None, None], r"active\[0\] must be a boolean array of shape"),
    ],
)
def test_draw_network_active_validation(active, match):
    with pytest.raises(ValueError, match=match):
        draw_network([3, 4, 2], active=active)


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (([3],), {}, "at least two layers"),
        (([3, 0],), {}, r"layer_sizes\[1\] must be a positive integer"),
        (([3, 2.5],), {}, r"layer_sizes\[1\]"),
        (("abc",), {}, "layer_sizes must be a sequence"),
        ((5,), {}, "layer_sizes must be a sequence"),
        (([3, 2],), {"max_neurons": 1}, "max_neurons must be at least 2"),
        (([3, 2],), {"labels": ["a"]}, "labels must be True, False or a sequence of 2"),
        (([3, 2],), {"labels": "ab"}, "labels must be"),
    ],
)
def test_draw_network_validation(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        draw_network(*args, **kwargs)


# ---------------------------------------------------------------------------
# plot_nested_sets
# ---------------------------------------------------------------------------


def _inside(ellipse, points):
    cx, cy = ellipse.center
    a, b = ellipse.width / 2, ellipse.height / 2
    return ((points[:, 0] - cx) / a) ** 2 + ((points[:, 1] - cy) / b) ** 2 <= 1 + 1e-9


def _boundary(ellipse, n=400):
    t = np.linspace(0, 2 * np.pi, n)
    cx, cy = ellipse.center
    a, b = ellipse.width / 2, ellipse.height / 2
    return np.column_stack([cx + a * np.cos(t), cy + b * np.sin(t)])


def test_nested_sets_are_nested_and_labelled():
    ax = _render(plot_nested_sets())
    ellipses = [p for p in ax.patches if isinstance(p, Ellipse)]
    assert len(ellipses) == 3
    for outer, inner in zip(ellipses, ellipses[1:], strict=False):
        assert _inside(outer, _boundary(inner)).all()
    texts = ax.texts
    assert [t.get_text() for t in texts] == list(book_figures.NESTED_SETS_LABELS)
    # Each label lies in its own set and outside the next one.
    for k, text in enumerate(texts):
        pos = np.array([text.get_position()])
        assert _inside(ellipses[k], pos).all()
        if k + 1 < len(ellipses):
            assert not _inside(ellipses[k + 1], pos).any()


def test_nested_sets_any_depth():
    ax = _render(plot_nested_sets(["A", "B", "C", "D", "E"]))
    assert len(ax.patches) == 5


def test_nested_sets_chinese_without_cjk_font_raises(monkeypatch):
    monkeypatch.setattr(book_figures, "find_cjk_font", lambda: None)
    with pytest.raises(RuntimeError, match="no font with Chinese glyphs"):
        plot_nested_sets(chinese=True)


def test_nested_sets_chinese_with_a_font_that_has_the_glyphs(monkeypatch):
    # matplotlib's "Last Resort" font maps the CJK code points (to placeholder
    # shapes): enough to check that the fallback font is wired in and no
    # "Glyph missing" warning is raised.
    if "Last Resort High-Efficiency" not in {f.name for f in mpl.font_manager.fontManager.ttflist}:
        pytest.skip("this matplotlib has no Last Resort font")
    monkeypatch.setattr(book_figures, "_CJK_FAMILIES", ("Last Resort High-Efficiency",))
    assert find_cjk_font() == "Last Resort High-Efficiency"
    ax = _render(plot_nested_sets(chinese=True))
    assert ax.texts[0].get_text() == "Artificial intelligence\n人工智能"
    ax = _render(plot_nested_sets(["A", "B"], chinese=["甲", "乙"]))
    assert ax.texts[1].get_text() == "B\n乙"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"labels": []}, "labels must be a non-empty sequence"),
        ({"labels": "AI"}, "labels must be a non-empty sequence"),
        ({"labels": ["A", "B"], "chinese": True}, "chinese=True supplies 3 terms"),
        ({"chinese": ["甲"]}, "chinese must be True, False or a sequence of 3"),
    ],
)
def test_nested_sets_validation(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_nested_sets(**kwargs)


def test_find_cjk_font_returns_a_known_family_or_none():
    font = find_cjk_font()
    assert font is None or font in book_figures._CJK_FAMILIES
