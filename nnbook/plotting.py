r"""Figures for the book: one style and a few helpers every chapter uses.

Call :func:`use_style` once at the top of a chapter. Every helper takes an
optional ``ax`` (None: a new figure in the book style), labels its axes,
returns the :class:`~matplotlib.axes.Axes` it drew on and never calls
``plt.show()``.

================================  ==============================================
:func:`plot_functions`            curves of one variable (activations, losses)
:func:`plot_decision_boundary`    predicted classes over the plane
:func:`plot_contour`              level sets of :math:`f(x_1, x_2)`, with paths
:func:`plot_gradient_field`       arrows of :math:`\nabla f`
:func:`plot_histograms`           distributions of weights or activations
:func:`plot_history`              losses and accuracies of a training run
================================  ==============================================

The diagrams that only illustrate the book are in :mod:`nnbook.book_figures`.
"""

from __future__ import annotations

import contextlib
import numbers
from collections.abc import Callable, Iterator, Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap, LogNorm, to_rgb

from ._validation import (
    as_float_array,
    as_labels,
    as_samples,
    check_interval,
    check_positive_int,
    check_same_length,
    check_scalar,
    describe,
)
from .metrics import predicted_labels

__all__ = [
    "BOOK_STYLE",
    "COLORS",
    "book_style",
    "plot_contour",
    "plot_decision_boundary",
    "plot_functions",
    "plot_gradient_field",
    "plot_histograms",
    "plot_history",
    "use_style",
]

#: Okabe & Ito's color-blind-safe palette (yellow last: it is faint on white).
COLORS = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
)

#: The rcParams of the book's figures (see :func:`use_style`).
BOOK_STYLE: dict[str, object] = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.constrained_layout.use": True,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "axes.prop_cycle": cycler(color=list(COLORS)),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.8,
    "lines.linewidth": 2.0,
    "lines.markersize": 5.0,
    "image.cmap": "viridis",
}


def use_style() -> None:
    """Apply the book's figure style (:data:`BOOK_STYLE`) to every figure from now on.

    :func:`book_style` applies it to a ``with`` block only.

    Examples
    --------
    >>> with plt.rc_context():  # restore the caller's style afterwards
    ...     use_style()
    ...     plt.rcParams["figure.figsize"], plt.rcParams["axes.spines.top"]
    ([6.4, 4.0], False)
    """
    mpl.rcParams.update(BOOK_STYLE)


def book_style() -> contextlib.AbstractContextManager:
    """Context manager applying the book's style inside a ``with`` block.

    Examples
    --------
    >>> with book_style():
    ...     fig, ax = plt.subplots()
    >>> fig.get_size_inches().tolist()
    [6.4, 4.0]
    >>> plt.close(fig)
    """
    return mpl.rc_context(BOOK_STYLE)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


@contextlib.contextmanager
def _target_axes(ax) -> Iterator[Axes]:
    """Yield ``ax``, or a new book-style Axes (the style held while drawing)."""
    if ax is None:
        with book_style():
            _, new_ax = plt.subplots()
            yield new_ax
    elif isinstance(ax, Axes):
        yield ax
    else:
        raise ValueError(f"ax must be a matplotlib Axes or None, got {describe(ax)}")


def _check_resolution(resolution, name: str = "resolution") -> int:
    n = check_positive_int(resolution, name)
    if n < 2:
        raise ValueError(f"{name} must be at least 2, got {n}")
    return n


def _check_mapping(d, name: str) -> Mapping:
    if not isinstance(d, Mapping) or not d:
        raise ValueError(f"{name} must be a non-empty dict {{label: array}}, got {describe(d)}")
    for label in d:
        if not isinstance(label, str):
            raise ValueError(f"the labels (keys) of {name} must be strings, got {label!r}")
    return d


def _tint(color, amount: float = 0.75) -> tuple[float, float, float]:
    """Mix ``color`` with white (``amount`` of white), for opaque pale fills."""
    rgb = np.asarray(to_rgb(color))
    return tuple(float(c) for c in rgb + (1 - rgb) * amount)


def _grid(xlim, ylim, resolution: int) -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(xlim[0], xlim[1], resolution)
    y = np.linspace(ylim[0], ylim[1], resolution)
    return np.meshgrid(x, y)


def _show_plane(ax: Axes, xlim, ylim) -> None:
    """Show the window ``xlim`` x ``ylim`` of the :math:`(x_1, x_2)` plane, axes labelled."""
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")


# ---------------------------------------------------------------------------
# Curves, decision regions, landscapes, distributions
# ---------------------------------------------------------------------------


def plot_functions(
    x,
    curves: Mapping[str, np.ndarray],
    ax: Axes | None = None,
    title: str | None = None,
    xlabel: str = "x",
    ylabel: str = "y",
) -> Axes:
    """Plot several functions of one variable on shared axes, with a legend.

    Parameters
    ----------
    x : array_like of shape (n,), n >= 2
    curves : dict of str to array_like of shape (n,)
        Legend label -> values at ``x``.
    ax : matplotlib.axes.Axes, optional
    title, xlabel, ylabel : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        For non-finite values or mismatched shapes.

    Examples
    --------
    >>> x = np.linspace(-3, 3, 61)
    >>> ax = plot_functions(x, {"tanh": np.tanh(x), "tanh'": 1 - np.tanh(x) ** 2})
    >>> [line.get_label() for line in ax.lines]
    ['tanh', "tanh'"]
    >>> plt.close(ax.figure)
    """
    x = as_float_array(x, "x")
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"x must be a 1-D array of at least 2 points, got {describe(x)}")
    curves = _check_mapping(curves, "curves")
    values = {}
    for label, yv in curves.items():
        yv = as_float_array(yv, f"curves[{label!r}]")
        if yv.shape != x.shape:
            raise ValueError(
                f"curves[{label!r}] must have the shape of x, {x.shape}, got {describe(yv)}"
            )
        values[label] = yv
    with _target_axes(ax) as ax:
        for label, yv in values.items():
            ax.plot(x, yv, label=label)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if title is not None:
            ax.set_title(title)
        ax.legend()
    return ax


def plot_decision_boundary(
    predict: Callable[[np.ndarray], np.ndarray],
    X,
    y,
    ax: Axes | None = None,
    resolution: int = 200,
    padding: float = 0.5,
    output: str | None = None,
) -> Axes:
    """Colour the plane by a classifier's predicted class and show the data on top.

    ``predict`` is evaluated once on a ``resolution`` x ``resolution`` grid
    covering the data plus ``padding``; :func:`nnbook.metrics.predicted_labels`
    turns its output into labels. The decision boundary is where the fill color
    changes.

    Parameters
    ----------
    predict : callable
        Maps an array of shape (m, 2), of the dtype of ``X``, to labels, scores
        of shape (m, K), or one logit or probability per point.
    X : array_like of shape (n, 2)
    y : array_like of shape (n,)
        Class labels, integers >= 0.
    ax : matplotlib.axes.Axes, optional
    resolution : int, >= 2
    padding : float, >= 0
        Margin around the data, in data units.
    output : {"logits", "probabilities"}, optional
        What ``predict`` returns when it returns one float per point.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        For invalid data, or a ``predict`` output that is not one prediction per point.

    Examples
    --------
    >>> X = np.array([[-1.0, 0.0], [1.0, 0.5], [1.5, -1.0]])
    >>> ax = plot_decision_boundary(lambda Z: (Z[:, 0] > 0).astype(int), X, [0, 1, 1],
    ...                             resolution=20)
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['class 0', 'class 1']
    >>> plt.close(ax.figure)
    """
    if not callable(predict):
        raise ValueError(f"predict must be a callable mapping (m, 2) arrays, got {predict!r}")
    X = as_samples(X)
    if X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_samples, 2) to be drawn in the plane, "
                         f"got {describe(X)}")
    y = as_labels(y)
    check_same_length(X, y)
    if len(X) == 0:
        raise ValueError("X must contain at least one point, got 0")
    resolution = _check_resolution(resolution)
    padding = check_scalar(padding, "padding", low=0.0)

    lows, highs = X.min(axis=0) - padding, X.max(axis=0) + padding
    # Keep a non-degenerate window when all points share a coordinate.
    flat = highs - lows < 1e-12
    lows, highs = np.where(flat, lows - 0.5, lows), np.where(flat, highs + 0.5, highs)
    xx, yy = _grid((lows[0], highs[0]), (lows[1], highs[1]), resolution)
    grid = np.column_stack([xx.ravel(), yy.ravel()]).astype(X.dtype)
    raw = predict(grid)
    if np.shape(raw)[:1] != (grid.shape[0],):
        raise ValueError(
            f"predict must return one prediction per grid point, shape ({grid.shape[0]},), "
            f"({grid.shape[0]}, 1) or ({grid.shape[0]}, K); got {describe(np.asarray(raw))}"
        )
    zz = predicted_labels(raw, output).reshape(xx.shape)

    n_scores = np.shape(raw)[1] if np.ndim(raw) == 2 else 0
    k = max(int(y.max()), int(zz.max())) + 1
    k = max(k, n_scores)
    colors = [COLORS[c % len(COLORS)] for c in range(k)]
    with _target_axes(ax) as ax:
        ax.contourf(xx, yy, zz, levels=np.arange(k + 1) - 0.5, cmap=ListedColormap(colors),
                    alpha=0.25)
        for c in np.unique(y):
            mask = y == c
            ax.scatter(X[mask, 0], X[mask, 1], color=colors[c], edgecolors="white",
                       linewidths=0.5, s=25, label=f"class {c}", zorder=3)
        _show_plane(ax, (lows[0], highs[0]), (lows[1], highs[1]))
        ax.legend(loc="best")
    return ax


def _evaluate_on_grid(f, name, xlim, ylim, resolution, n_outputs=None):
    if not callable(f):
        raise ValueError(f"{name} must be a callable f(X, Y), got {f!r}")
    xx, yy = _grid(xlim, ylim, resolution)
    out = as_float_array(f(xx, yy), f"{name}(X, Y)")
    expected = xx.shape if n_outputs is None else (n_outputs, *xx.shape)
    if out.shape != expected:
        raise ValueError(
            f"{name}(X, Y) must return an array of shape {expected} for grids X, Y of shape "
            f"{xx.shape}, got {describe(out)}"
        )
    return xx, yy, out


def plot_contour(
    f: Callable[[np.ndarray, np.ndarray], np.ndarray],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    ax: Axes | None = None,
    levels: int | Sequence[float] = 20,
    trajectories: Mapping[str, np.ndarray] | None = None,
    log_levels: bool = False,
    resolution: int = 200,
) -> Axes:
    r"""Contour lines of a function of two variables, with optional optimization paths.

    ``f`` is called once as ``f(X, Y)`` on the grids of ``np.meshgrid``, e.g.
    ``lambda x1, x2: x1**2 + 10 * x2**2``. With ``log_levels=True`` the levels
    are geometric between the smallest positive and the largest value on the grid,

    .. math::

        c_j = c_0 \left(\frac{c_\text{max}}{c_0}\right)^{j/(L-1)},

    which shows the valley of badly conditioned functions such as Rosenbrock's.
    Each trajectory is drawn as a line with markers, its start circled; the view
    stays on ``xlim`` x ``ylim`` even if a path diverges.

    Parameters
    ----------
    f : callable
        ``f(X, Y) -> Z`` with ``Z.shape == X.shape``, finite.
    xlim, ylim : tuple of two floats
    ax : matplotlib.axes.Axes, optional
    levels : int (>= 2) or increasing sequence of float
    trajectories : dict of str to array_like of shape (steps, 2), optional
        Legend label -> iterates of an optimizer.
    log_levels : bool
    resolution : int, >= 2

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        For invalid arguments, or an ``f`` that returns another shape.

    Examples
    --------
    >>> path = np.array([[2.0, 1.0], [1.0, 0.2], [0.5, 0.0]])
    >>> ax = plot_contour(lambda x1, x2: x1**2 + 10 * x2**2, (-3, 3), (-2, 2),
    ...                   trajectories={"GD": path}, resolution=50)
    >>> [line.get_label() for line in ax.lines][:1], [float(v) for v in ax.get_xlim()]
    (['GD'], [-3.0, 3.0])
    >>> plt.close(ax.figure)
    """
    xlim = check_interval(xlim, "xlim")
    ylim = check_interval(ylim, "ylim")
    resolution = _check_resolution(resolution)
    paths = {}
    if trajectories is not None:
        for label, path in _check_mapping(trajectories, "trajectories").items():
            path = as_float_array(path, f"trajectories[{label!r}]")
            if path.ndim != 2 or path.shape[1] != 2 or len(path) == 0:
                raise ValueError(
                    f"trajectories[{label!r}] must have shape (steps, 2) with steps >= 1, "
                    f"got {describe(path)}"
                )
            paths[label] = path
    xx, yy, zz = _evaluate_on_grid(f, "f", xlim, ylim, resolution)

    if isinstance(levels, numbers.Integral) and not isinstance(levels, bool):
        n_levels = int(levels)
        if n_levels < 2:
            raise ValueError(f"levels must be at least 2 when an integer, got {levels}")
        level_values = None
    else:
        level_values = as_float_array(levels, "levels")
        if level_values.ndim != 1 or level_values.size < 1 or np.any(np.diff(level_values) <= 0):
            raise ValueError(f"levels must be an integer or an increasing 1-D sequence, "
                             f"got {levels!r}")
    norm = None
    if log_levels:
        if level_values is None:
            positive = zz[zz > 0]
            if positive.size == 0 or positive.min() == zz.max():
                raise ValueError(
                    "log_levels=True needs f to take at least two distinct positive values on "
                    f"the grid, got values in [{zz.min():g}, {zz.max():g}]"
                )
            level_values = np.geomspace(positive.min(), zz.max(), n_levels)
        elif level_values[0] <= 0:
            raise ValueError(f"levels must be positive with log_levels=True, got {levels!r}")
        if level_values.size >= 2:
            norm = LogNorm(level_values[0], level_values[-1])
    contour_levels = n_levels if level_values is None else level_values

    with _target_axes(ax) as ax:
        ax.contour(xx, yy, zz, levels=contour_levels, norm=norm, cmap="viridis",
                   linewidths=1.0)
        for label, path in paths.items():
            (line,) = ax.plot(path[:, 0], path[:, 1], marker="o", markersize=3, linewidth=1.5,
                              label=label, zorder=3)
            ax.plot(path[0, 0], path[0, 1], marker="o", markersize=8, markerfacecolor="none",
                    color=line.get_color(), linestyle="none", zorder=3)
        _show_plane(ax, xlim, ylim)
        if paths:
            ax.legend()
    return ax


def plot_gradient_field(
    f_grad: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    ax: Axes | None = None,
    density: int = 20,
    descent: bool = False,
    normalize: bool = False,
) -> Axes:
    r"""Arrows of the gradient field :math:`\nabla f(x_1, x_2)` on a grid.

    ``f_grad(X, Y)`` is called once on the centers of ``density`` x ``density``
    equal cells and returns :math:`(\partial f / \partial x_1, \partial f /
    \partial x_2)` (a pair of arrays, or one of shape (2, density, density)).
    Arrow lengths are proportional to :math:`\lVert \nabla f \rVert`, the longest
    spanning 90% of a cell.

    Parameters
    ----------
    f_grad : callable
        ``f_grad(X, Y) -> (dX, dY)``, finite.
    xlim, ylim : tuple of two floats
    ax : matplotlib.axes.Axes, optional
    density : int, >= 2
        Arrows per axis.
    descent : bool
        Draw :math:`-\nabla f`, the direction of a gradient-descent step.
    normalize : bool
        Draw every arrow with the same length (directions only).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        For invalid arguments, or an ``f_grad`` that returns another shape.

    Examples
    --------
    >>> ax = plot_gradient_field(lambda x1, x2: (2 * x1, 20 * x2), (-2, 2), (-1, 1), density=5)
    >>> ax.collections[-1].U.size
    25
    >>> plt.close(ax.figure)
    """
    xlim = check_interval(xlim, "xlim")
    ylim = check_interval(ylim, "ylim")
    density = _check_resolution(density, "density")
    # Arrows at the centers of density x density cells, so none sticks out.
    hx, hy = (xlim[1] - xlim[0]) / density, (ylim[1] - ylim[0]) / density
    centres_x = (xlim[0] + hx / 2, xlim[1] - hx / 2)
    centres_y = (ylim[0] + hy / 2, ylim[1] - hy / 2)
    xx, yy, (u, v) = _evaluate_on_grid(f_grad, "f_grad", centres_x, centres_y, density,
                                       n_outputs=2)
    if descent:
        u, v = -u, -v
    if normalize:
        norm = np.hypot(u, v)
        norm = np.where(norm > 0, norm, 1.0)
        u, v = u / norm, v / norm
    # The longest arrow spans 90% of a cell, in data units.
    longest = float(np.hypot(u, v).max())
    scale = longest / (0.9 * min(hx, hy)) if longest > 0 else 1.0
    with _target_axes(ax) as ax:
        ax.quiver(xx, yy, u, v, color="0.3", angles="xy", scale_units="xy", scale=scale,
                  pivot="mid", width=0.004)
        _show_plane(ax, xlim, ylim)
    return ax


def plot_histograms(
    arrays: Mapping[str, np.ndarray],
    ax: Axes | None = None,
    bins: int = 50,
    density: bool = True,
    title: str | None = None,
    xlabel: str = "value",
) -> Axes:
    r"""Overlaid histograms of several arrays (weights, activations, gradients).

    The arrays are flattened and binned on the same ``bins`` equal-width bins.
    With ``density=True`` each histogram has unit area,

    .. math::

        h_b = \frac{n_b}{N\,\Delta}

    (count :math:`n_b` in bin :math:`b`, :math:`N` values, bin width
    :math:`\Delta`), so arrays of different sizes compare.

    Parameters
    ----------
    arrays : dict of str to array_like
        Legend label -> values (any shape, finite, non-empty).
    ax : matplotlib.axes.Axes, optional
    bins : int, >= 1
    density : bool
    title, xlabel : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        For empty or non-finite arrays.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> ax = plot_histograms({"N(0, 1)": rng.normal(size=500),
    ...                       "U(-1, 1)": rng.uniform(-1, 1, size=(10, 20))}, bins=20)
    >>> len(ax.patches), ax.get_ylabel()
    (2, 'density')
    >>> plt.close(ax.figure)
    """
    arrays = _check_mapping(arrays, "arrays")
    bins = check_positive_int(bins, "bins")
    values = {}
    for label, arr in arrays.items():
        arr = as_float_array(arr, f"arrays[{label!r}]").ravel()
        if arr.size == 0:
            raise ValueError(f"arrays[{label!r}] is empty; expected at least one value")
        values[label] = arr
    edges = np.histogram_bin_edges(np.concatenate(list(values.values())), bins=bins)
    with _target_axes(ax) as ax:
        for label, arr in values.items():
            ax.hist(arr, bins=edges, density=density, histtype="stepfilled", alpha=0.45,
                    edgecolor="none", label=label)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("density" if density else "count")
        if title is not None:
            ax.set_title(title)
        ax.legend()
    return ax


def plot_history(history, ax=None) -> Axes:
    """A :class:`~nnbook.train.History`: losses (left axis) and accuracies (right, dashed).

    With a penalty the training curve is ``loss`` (data loss + penalty), labelled
    so; ``batch_loss`` is not drawn.

    Parameters
    ----------
    history : nnbook.train.History
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        The axes holding the losses.

    Examples
    --------
    >>> from nnbook.train import History
    >>> ax = plot_history(History(loss=[0.9, 0.5], val_loss=[1.0, 0.7], lr=[0.1, 0.1]))
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['training loss', 'validation loss']
    >>> plt.close(ax.figure)
    """
    with _target_axes(ax) as ax:
        x = np.arange(1, history.epochs + 1)
        labels = {
            "loss": "training loss (data + penalty)" if history.penalty else "training loss",
            "val_loss": "validation loss",
            "running_accuracy": "training accuracy (on the fly)",
            "val_accuracy": "validation accuracy",
        }
        handles = []
        for name in ("loss", "val_loss"):
            if getattr(history, name):
                handles += ax.plot(x, getattr(history, name), marker=".", label=labels[name])
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        if history.running_accuracy or history.val_accuracy:
            right = ax.twinx()
            for name, color in (("running_accuracy", "C2"), ("val_accuracy", "C3")):
                if getattr(history, name):
                    handles += right.plot(
                        x, getattr(history, name), "--", color=color, label=labels[name]
                    )
            right.set_ylabel("accuracy")
        ax.legend(handles=handles, loc="center right")
        ax.set_title("training history")
    return ax
