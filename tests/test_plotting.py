"""nnbook.plotting (and nnbook.book_figures): the book style, and what each helper draws.

Every figure is rendered (``fig.canvas.draw()``) at least once, so that a
missing glyph or any other warning fails the suite (warnings are errors), and
closed after each test.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet
from matplotlib.quiver import Quiver

from nnbook.book_figures import draw_network, plot_nested_sets
from nnbook.plotting import (
    BOOK_STYLE,
    COLORS,
    book_style,
    plot_contour,
    plot_decision_boundary,
    plot_functions,
    plot_gradient_field,
    plot_histograms,
    use_style,
)


def _render(ax):
    ax.figure.canvas.draw()
    return ax


def _quadratic(x1, x2):
    return x1**2 + 10 * x2**2


def _quadratic_grad(x1, x2):
    return 2 * x1, 20 * x2


# Each helper called on small input, with the ax keyword left for the tests.
CALLS = {
    "draw_network": lambda ax: draw_network([2, 3, 1], ax=ax),
    "plot_nested_sets": lambda ax: plot_nested_sets(ax=ax),
    "plot_functions": lambda ax: plot_functions(np.linspace(0, 1, 5), {"x": np.linspace(0, 1, 5)},
                                                ax=ax),
    "plot_decision_boundary": lambda ax: plot_decision_boundary(
        lambda Z: (Z[:, 0] > 0).astype(int), np.array([[-1.0, 0.0], [1.0, 1.0]]), [0, 1],
        ax=ax, resolution=10),
    "plot_contour": lambda ax: plot_contour(_quadratic, (-1, 1), (-1, 1), ax=ax, resolution=10),
    "plot_gradient_field": lambda ax: plot_gradient_field(_quadratic_grad, (-1, 1), (-1, 1),
                                                          ax=ax, density=4),
    "plot_histograms": lambda ax: plot_histograms({"w": np.arange(10.0)}, ax=ax, bins=5),
}


# ---------------------------------------------------------------------------
# Style and the ax convention
# ---------------------------------------------------------------------------


def test_use_style_sets_the_book_rcparams():
    use_style()
    assert tuple(mpl.rcParams["figure.figsize"]) == (6.4, 4.0)
    assert mpl.rcParams["figure.dpi"] == 100
    assert mpl.rcParams["axes.grid"] is True
    assert mpl.rcParams["axes.spines.top"] is False and mpl.rcParams["axes.spines.right"] is False
    assert mpl.rcParams["figure.constrained_layout.use"] is True
    assert mpl.rcParams["axes.prop_cycle"].by_key()["color"] == list(COLORS)
    fig, ax = plt.subplots()
    assert not ax.spines["top"].get_visible() and ax.spines["left"].get_visible()


def test_book_style_is_a_context():
    before = mpl.rcParams["font.size"]
    with book_style():
        assert mpl.rcParams["font.size"] == BOOK_STYLE["font.size"]
    assert mpl.rcParams["font.size"] == before


@pytest.mark.parametrize("name", sorted(CALLS))
def test_new_figure_in_book_style_when_ax_is_none(name):
    mpl.rcParams["figure.figsize"] = (3.0, 3.0)  # a caller style the helper must not use
    ax = _render(CALLS[name](None))
    assert tuple(ax.figure.get_size_inches()) == (6.4, 4.0)
    assert ax.figure.get_layout_engine() is not None
    assert tuple(mpl.rcParams["figure.figsize"]) == (3.0, 3.0)  # caller style untouched


@pytest.mark.parametrize("name", sorted(CALLS))
def test_draws_on_the_given_ax(name):
    fig, axes = plt.subplots(1, 2)
    assert CALLS[name](axes[1]) is axes[1]
    assert len(fig.axes) == 2  # no extra axes (e.g. colorbar) and no new figure
    assert plt.get_fignums() == [fig.number]
    _render(axes[1])


@pytest.mark.parametrize("name", sorted(CALLS))
def test_rejects_non_axes(name):
    with pytest.raises(ValueError, match="ax must be a matplotlib Axes"):
        CALLS[name]("not an axes")


# ---------------------------------------------------------------------------
# plot_functions
# ---------------------------------------------------------------------------


def test_plot_functions_draws_one_labelled_line_per_curve():
    x = np.linspace(-2, 2, 41)
    curves = {"relu": np.maximum(x, 0), "relu'": (x > 0).astype(float)}
    ax = _render(plot_functions(x, curves, title="ReLU", xlabel="z", ylabel="value"))
    assert [line.get_label() for line in ax.lines] == ["relu", "relu'"]
    np.testing.assert_array_equal(ax.lines[0].get_xydata(), np.column_stack([x, curves["relu"]]))
    assert ax.get_title() == "ReLU" and ax.get_xlabel() == "z" and ax.get_ylabel() == "value"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["relu", "relu'"]


@pytest.mark.parametrize(
    ("x", "curves", "match"),
    [
        (np.zeros((3, 2)), {"a": np.zeros(3)}, "x must be a 1-D array"),
        (np.zeros(1), {"a": np.zeros(1)}, "at least 2 points"),
        (np.zeros(3), {}, "curves must be a non-empty dict"),
        (np.zeros(3), [np.zeros(3)], "curves must be a non-empty dict"),
        (np.zeros(3), {1: np.zeros(3)}, "must be strings"),
        (np.zeros(3), {"a": np.zeros(4)}, r"curves\['a'\] must have the shape of x"),
        (np.zeros(3), {"a": [0.0, np.nan, 1.0]}, "non-finite"),
    ],
)
def test_plot_functions_validation(x, curves, match):
    with pytest.raises(ValueError, match=match):
        plot_functions(x, curves)


# ---------------------------------------------------------------------------
# plot_decision_boundary
# ---------------------------------------------------------------------------

POINTS = np.array([[-1.0, -1.0], [-0.5, 1.0], [1.0, 0.5], [2.0, -0.5]])
LABELS = np.array([0, 0, 1, 2])


def _predictions(kind):
    """A classifier on the plane in three output forms: class = [x1 > 0] + [x1 > 1.5]."""

    def predict(Z):
        labels = (Z[:, 0] > 0).astype(int) + (Z[:, 0] > 1.5)
        if kind == "labels":
            return labels
        if kind == "scores":
            return np.eye(3)[labels] * 2.0 - 1.0
        return np.where(Z[:, :1] > 0, 0.9, 0.1)  # (m, 1) probabilities

    return predict


@pytest.mark.parametrize("kind", ["labels", "scores", "probabilities"])
def test_decision_boundary_fills_the_predicted_classes(kind):
    output = "probabilities" if kind == "probabilities" else None
    ax = _render(plot_decision_boundary(_predictions(kind), POINTS, LABELS, resolution=30,
                                        padding=0.5, output=output))
    (filled,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    np.testing.assert_allclose(filled.levels, [-0.5, 0.5, 1.5, 2.5])
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(scatters) == 3
    for c, scatter in enumerate(scatters):
        np.testing.assert_array_equal(scatter.get_offsets(), POINTS[LABELS == c])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["class 0", "class 1", "class 2"]
    np.testing.assert_allclose(ax.get_xlim(), (-1.5, 2.5))
    np.testing.assert_allclose(ax.get_ylim(), (-1.5, 1.5))
    assert ax.get_xlabel() and ax.get_ylabel()


def test_decision_boundary_calls_predict_once_on_the_whole_grid():
    calls = []

    def predict(Z):
        calls.append(Z)
        return np.zeros(len(Z), dtype=int)

    plot_decision_boundary(predict, POINTS.astype(np.float32), LABELS, resolution=17)
    assert len(calls) == 1
    assert calls[0].shape == (17 * 17, 2) and calls[0].dtype == np.float32


def test_decision_boundary_single_point_gets_a_window():
    ax = _render(plot_decision_boundary(lambda Z: np.zeros(len(Z), int), [[1.0, 1.0]], [0],
                                        padding=0.0, resolution=5))
    assert ax.get_xlim()[0] < 1.0 < ax.get_xlim()[1]


@pytest.mark.parametrize(
    ("predict", "X", "y", "kwargs", "match"),
    [
        ("not callable", POINTS, LABELS, {}, "predict must be a callable"),
        (_predictions("labels"), np.zeros((4, 3)), LABELS, {}, r"shape \(n_samples, 2\)"),
        (_predictions("labels"), POINTS, LABELS[:3], {}, "same number of samples"),
        (_predictions("labels"), POINTS, [0, 1, -1, 0], {}, "non-negative"),
        (lambda Z: np.zeros(3), POINTS, LABELS, {}, "one prediction per grid point"),
        (lambda Z: np.full(len(Z), 3.5), POINTS, LABELS, {"output": "probabilities"},
         "outside"),
        (lambda Z: np.full(len(Z), 0.5), POINTS, LABELS, {}, "say which"),
        (_predictions("labels"), POINTS, LABELS, {"resolution": 1}, "resolution"),
        (_predictions("labels"), POINTS, LABELS, {"padding": -1.0}, "padding"),
        (_predictions("labels"), np.zeros((0, 2)), np.zeros(0, int), {}, "at least one point"),
    ],
)
def test_decision_boundary_validation(predict, X, y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_decision_boundary(predict, X, y, **kwargs)


# ---------------------------------------------------------------------------
# plot_contour and plot_gradient_field
# ---------------------------------------------------------------------------


def test_contour_evaluates_f_once_on_a_broadcast_grid():
    calls = []

    def f(x1, x2):
        calls.append((x1.shape, x2.shape))
        return _quadratic(x1, x2)

    ax = _render(plot_contour(f, (-2, 2), (-1, 1), levels=7, resolution=25))
    assert calls == [((25, 25), (25, 25))]
    (contours,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert len(contours.levels) >= 5
    assert ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_legend() is None  # no trajectories, no legend


def test_contour_log_levels_are_geometric():
    ax = plot_contour(lambda a, b: 1 + a**2 + b**2, (-1, 1), (-1, 1), levels=6, log_levels=True,
                      resolution=21)
    (contours,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    levels = np.asarray(contours.levels)
    ratios = levels[1:] / levels[:-1]
    np.testing.assert_allclose(ratios, ratios[0])
    np.testing.assert_allclose([levels[0], levels[-1]], [1.0, 3.0])
    ax = plot_contour(_quadratic, (-1, 1), (-1, 1), levels=[0.1, 1.0, 10.0], log_levels=True)
    _render(ax)


def test_contour_trajectories_and_fixed_view():
    paths = {
        "GD": np.array([[1.0, 1.0], [0.5, -0.8], [0.2, 0.5]]),
        "diverging": np.array([[0.5, 0.5], [5.0, -50.0], [-100.0, 400.0]]),
    }
    ax = _render(plot_contour(_quadratic, (-2, 2), (-1, 1), trajectories=paths, resolution=20))
    labelled = [line for line in ax.lines if not line.get_label().startswith("_")]
    assert [line.get_label() for line in labelled] == ["GD", "diverging"]
    np.testing.assert_array_equal(labelled[0].get_xydata(), paths["GD"])
    assert labelled[0].get_marker() == "o"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["GD", "diverging"]
    np.testing.assert_allclose(ax.get_xlim(), (-2, 2))
    np.testing.assert_allclose(ax.get_ylim(), (-1, 1))


@pytest.mark.parametrize(
    ("f", "kwargs", "match"),
    [
        (lambda a, b: a, {"xlim": (1, -1)}, "xlim must satisfy low < high"),
        (lambda a, b: a, {"ylim": (0, 1, 2)}, "ylim must be a pair"),
        (lambda a, b: a[0], {}, r"f\(X, Y\) must return an array of shape"),
        (lambda a, b: np.log(a * 0), {}, "non-finite"),
        ("f", {}, "f must be a callable"),
        (lambda a, b: -(a**2), {"log_levels": True}, "log_levels=True needs f"),
        (lambda a, b: a, {"levels": [0.0, 1.0], "log_levels": True}, "levels must be positive"),
        (lambda a, b: a, {"levels": 1}, "levels must be at least 2"),
        (lambda a, b: a, {"levels": [1.0, 0.5]}, "increasing"),
        (lambda a, b: a, {"trajectories": {"p": np.zeros((3, 3))}}, r"shape \(steps, 2\)"),
        (lambda a, b: a, {"trajectories": {"p": np.zeros((0, 2))}}, r"shape \(steps, 2\)"),
        (lambda a, b: a, {"trajectories": {}}, "non-empty dict"),
        (lambda a, b: a, {"resolution": 1}, "resolution"),
    ],
)
def test_contour_validation(f, kwargs, match):
    args = {"xlim": (-1, 1), "ylim": (-1, 1), **kwargs}
    with np.errstate(divide="ignore"), pytest.raises(ValueError, match=match):
        plot_contour(f, **args)


def _quiver(ax):
    (q,) = [c for c in ax.collections if isinstance(c, Quiver)]
    return q


def test_gradient_field_arrows_match_the_gradient_at_cell_centres():
    ax = _render(plot_gradient_field(_quadratic_grad, (-2, 2), (-1, 1), density=4))
    q = _quiver(ax)
    centres_x = np.array([-1.5, -0.5, 0.5, 1.5])
    centres_y = np.array([-0.75, -0.25, 0.25, 0.75])
    X, Y = np.meshgrid(centres_x, centres_y)
    np.testing.assert_allclose(q.X, X.ravel())
    np.testing.assert_allclose(q.Y, Y.ravel())
    np.testing.assert_allclose(q.U, 2 * X.ravel())
    np.testing.assert_allclose(q.V, 20 * Y.ravel())
    np.testing.assert_allclose(ax.get_xlim(), (-2, 2))
    assert ax.get_xlabel() and ax.get_ylabel()


def test_gradient_field_descent_and_normalize():
    q = _quiver(plot_gradient_field(_quadratic_grad, (-2, 2), (-1, 1), density=4, descent=True,
                                    normalize=True))
    X, Y = np.meshgrid([-1.5, -0.5, 0.5, 1.5], [-0.75, -0.25, 0.25, 0.75])
    gx, gy = -2 * X.ravel(), -20 * Y.ravel()
    norm = np.hypot(gx, gy)
    np.testing.assert_allclose(np.hypot(q.U, q.V), 1.0)
    np.testing.assert_allclose(q.U, gx / norm)
    np.testing.assert_allclose(q.V, gy / norm)


def test_gradient_field_zero_gradient_draws_without_warnings():
    ax = plot_gradient_field(lambda a, b: np.zeros((2, *a.shape)), (-1, 1), (-1, 1), density=3,
                             normalize=True)
    np.testing.assert_array_equal(_quiver(_render(ax)).U, 0.0)


@pytest.mark.parametrize(
    ("f_grad", "kwargs", "match"),
    [
        (lambda a, b: a, {}, r"f_grad\(X, Y\) must return an array of shape \(2, 5, 5\)"),
        (lambda a, b: (a, b, a), {}, r"\(2, 5, 5\)"),
        (lambda a, b: (a, np.full_like(b, np.nan)), {}, "non-finite"),
        (_quadratic_grad, {"density": 1}, "density"),
        (None, {}, "f_grad must be a callable"),
    ],
)
def test_gradient_field_validation(f_grad, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_gradient_field(f_grad, (-1, 1), (-1, 1), **{"density": 5, **kwargs})


# ---------------------------------------------------------------------------
# plot_histograms
# ---------------------------------------------------------------------------


def test_histograms_share_bins_and_have_unit_area():
    rng = np.random.default_rng(0)
    arrays = {"wide": rng.normal(0, 1, size=(40, 25)), "narrow": rng.normal(0, 0.1, size=300)}
    ax = _render(plot_histograms(arrays, bins=30, title="weights"))
    assert len(ax.patches) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["wide", "narrow"]
    assert ax.get_ylabel() == "density" and ax.get_xlabel() == "value"
    assert ax.get_title() == "weights"
    edges = np.histogram_bin_edges(np.concatenate([a.ravel() for a in arrays.values()]), 30)
    for patch, values in zip(ax.patches, arrays.values(), strict=True):
        heights, _ = np.histogram(values, bins=edges, density=True)
        assert np.sum(heights * np.diff(edges)) == pytest.approx(1.0)
        verts = patch.get_path().vertices
        assert verts[:, 1].max() == pytest.approx(heights.max())
        assert verts[:, 0].min() == pytest.approx(edges[0])
        assert verts[:, 0].max() == pytest.approx(edges[-1])


def test_histograms_counts_and_constant_arrays():
    ax = _render(plot_histograms({"zeros": np.zeros(10)}, bins=4, density=False,
                                 xlabel="weight"))
    assert ax.get_ylabel() == "count" and ax.get_xlabel() == "weight"
    assert ax.patches[0].get_path().vertices[:, 1].max() == 10


@pytest.mark.parametrize(
    ("arrays", "kwargs", "match"),
    [
        ({}, {}, "arrays must be a non-empty dict"),
        ({"a": np.array([])}, {}, "is empty"),
        ({"a": np.array([1.0, np.inf])}, {}, "non-finite"),
        ({"a": np.ones(3)}, {"bins": 0}, "bins"),
    ],
)
def test_histograms_validation(arrays, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plot_histograms(arrays, **kwargs)


# ---------------------------------------------------------------------------
# plot_history
# ---------------------------------------------------------------------------


def test_plot_history_follows_the_ax_convention():
    from nnbook.plotting import plot_history
    from nnbook.train import History

    history = History(loss=[0.9, 0.5], val_loss=[1.0, 0.7], lr=[0.1, 0.1],
                      running_accuracy=[0.5, 0.7])
    mpl.rcParams["figure.figsize"] = (3.0, 3.0)  # a caller style the helper must not use
    ax = _render(plot_history(history))
    assert tuple(ax.figure.get_size_inches()) == (6.4, 4.0)
    assert len(ax.figure.axes) == 2  # the losses, and the accuracies on a twin axis
    fig, given = plt.subplots()
    assert plot_history(history, ax=given) is given
    with pytest.raises(ValueError, match="ax must be a matplotlib Axes"):
        plot_history(history, ax="not an axes")
