r"""Figures for the book: one style and a few helpers every chapter uses.

Call :func:`use_style` once at the top of a chapter. Every helper takes an
optional ``ax`` (a new figure in the book style is created when it is None),
labels its axes, returns the :class:`~matplotlib.axes.Axes` it drew on and
never calls ``plt.show()``.

================================  ==============================================
:func:`draw_network`              diagram of a fully connected network
:func:`plot_nested_sets`          AI ⊃ machine learning ⊃ deep learning
:func:`plot_functions`            curves of one variable (activations, losses)
:func:`plot_decision_boundary`    predicted classes over the plane
:func:`plot_contour`              level sets of :math:`f(x_1, x_2)`, with paths
:func:`plot_gradient_field`       arrows of :math:`\nabla f`
:func:`plot_histograms`           distributions of weights or activations
================================  ==============================================

Chinese labels need a font with CJK glyphs, which matplotlib does not ship;
:func:`find_cjk_font` tells whether one is installed, and the default labels
are in English so that no figure depends on it.
"""

from __future__ import annotations

import contextlib
import numbers
from collections.abc import Callable, Iterator, Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, LogNorm, to_rgb
from matplotlib.patches import Circle, Ellipse

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
    "NESTED_SETS_CHINESE",
    "NESTED_SETS_LABELS",
    "book_style",
    "draw_network",
    "find_cjk_font",
    "plot_contour",
    "plot_decision_boundary",
    "plot_functions",
    "plot_gradient_field",
    "plot_histograms",
    "plot_history",
    "plot_nested_sets",
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
    """Apply the book's figure style to every figure from now on.

    Sets the rcParams of :data:`BOOK_STYLE`: figures of 6.4 x 4 inches at
    100 dpi with constrained layout, font sizes readable on a book page
    (11 pt text, 12 pt titles), a light grid, no top and right spines and
    Okabe & Ito's color-blind-safe color cycle (:data:`COLORS`). Chapters
    call it once, right after their imports; :func:`book_style` applies the
    same style to a ``with`` block only.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
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
    >>> import matplotlib.pyplot as plt
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
# Fonts
# ---------------------------------------------------------------------------

# Font families known to carry the Chinese glyphs, most common first.
_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Serif CJK SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "STHeiti",
    "Noto Sans CJK JP",
    "Arial Unicode MS",
)


def find_cjk_font() -> str | None:
    """Name of an installed font family that can draw Chinese, or None.

    matplotlib's own fonts (DejaVu) have no Chinese glyphs: drawing 中文 with
    them shows empty boxes and emits a "Glyph missing" warning. This looks
    among the fonts matplotlib knows for a family from a list of common CJK
    fonts (Noto Sans CJK, Source Han Sans, WenQuanYi, SimHei, ...); install
    one of them (on Debian ``apt install fonts-noto-cjk``) and clear
    matplotlib's font cache to enable Chinese labels.

    Returns
    -------
    str or None
        A family name to pass as ``fontfamily``, or None when none is found.

    Examples
    --------
    >>> font = find_cjk_font()
    >>> font is None or isinstance(font, str)
    True
    """
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in _CJK_FAMILIES if name in installed), None)


# ---------------------------------------------------------------------------
# Diagrams
# ---------------------------------------------------------------------------


def _layer_names(n_layers: int) -> list[str]:
    hidden = [f"hidden layer {i}" for i in range(1, n_layers - 1)]
    return ["input layer", *hidden, "output layer"]


def _check_active(active, sizes: list[int]) -> list[np.ndarray]:
    """One boolean mask per layer (True = kept), all True where ``active`` says None."""
    if active is None:
        return [np.ones(n, dtype=bool) for n in sizes]
    if isinstance(active, (str, bytes)) or not isinstance(active, Sequence) or len(active) != len(
        sizes
    ):
        raise ValueError(
            f"active must be None or a sequence of {len(sizes)} boolean masks (one per layer, "
            f"None for a layer without dropped units), got {describe(active)}"
        )
    masks = []
    for i, (mask, n) in enumerate(zip(active, sizes, strict=True)):
        if mask is None:
            masks.append(np.ones(n, dtype=bool))
            continue
        arr = np.asarray(mask)
        if arr.dtype != bool or arr.shape != (n,):
            raise ValueError(
                f"active[{i}] must be a boolean array of shape ({n},), one entry per unit of "
                f"layer {i} (True = kept), got {describe(mask)}"
            )
        masks.append(arr)
    return masks


def draw_network(
    layer_sizes: Sequence[int],
    ax: Axes | None = None,
    labels: bool | Sequence[str] = True,
    max_neurons: int = 10,
    active: Sequence[np.ndarray | None] | None = None,
) -> Axes:
    r"""Draw a fully connected feed-forward network, or a thinned one as in dropout.

    Each layer is a column of circles (neurons), and every neuron is joined
    by a line to every neuron of the next layer, one line per weight
    :math:`w_{jk}` of the dense layer :math:`h' = \sigma(h W + b)` between
    them. A layer with more than ``max_neurons`` units is elided: its first
    :math:`\lceil m/2 \rceil` and last :math:`\lfloor m/2 \rfloor` neurons
    (:math:`m` = ``max_neurons``) are drawn around a "⋮", and its true size is
    written below it.

    With ``active``, the network is drawn thinned, as one dropout mask leaves
    it: the dropped units (mask False) are drawn hollow with a grey dashed
    outline and lose all their connections, so a line joins neuron :math:`j`
    of layer :math:`l` to neuron :math:`k` of layer :math:`l + 1` only when
    both are kept, :math:`a^{(l)}_j a^{(l+1)}_k = 1`, and the number of lines
    between the two layers is :math:`\sum_j a^{(l)}_j \cdot \sum_k a^{(l+1)}_k`
    (counting the drawn neurons of elided layers).

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input layer first and output layer last (at least
        two layers, each with at least one unit), e.g. ``[2, 4, 4, 1]``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new book-style figure when None.
    labels : bool or sequence of str, optional
        Write the layer names ("input layer", "hidden layer 1", ...,
        "output layer") and sizes below the layers; or a sequence of one
        custom name per layer; False for no names (the sizes of elided layers
        are still written).
    max_neurons : int, optional
        Most neurons drawn per layer, >= 2.
    active : sequence of array_like of bool (or None), optional
        One mask per layer, of shape ``(layer_sizes[l],)``, True for a kept
        unit and False for a dropped one (e.g. ``mask > 0`` for a mask of
        :func:`nnbook.regularization.dropout`); None, for the whole argument
        or for one layer, keeps every unit.

    Returns
    -------
    matplotlib.axes.Axes
        The axes; its patches are the drawn neurons (one
        :class:`~matplotlib.patches.Circle` each, dropped ones included) and
        one :class:`~matplotlib.collections.LineCollection` holds the
        connections.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = draw_network([3, 4, 2])
    >>> len(ax.patches), len(ax.collections[0].get_segments())  # 9 neurons, 12 + 8 weights
    (9, 20)
    >>> plt.close(ax.figure)
    >>> hidden = np.array([True, False, True, False])  # two of the 4 hidden units dropped
    >>> ax = draw_network([3, 4, 2], active=[None, hidden, None])
    >>> len(ax.patches), len(ax.collections[0].get_segments())  # 3 * 2 + 2 * 2 weights
    (9, 10)
    >>> plt.close(ax.figure)
    """
    if isinstance(layer_sizes, (str, bytes)) or np.ndim(layer_sizes) != 1:
        raise ValueError(
            f"layer_sizes must be a sequence of positive integers, got {describe(layer_sizes)}"
        )
    sizes = [check_positive_int(n, f"layer_sizes[{i}]") for i, n in enumerate(layer_sizes)]
    if len(sizes) < 2:
        raise ValueError(
            f"layer_sizes must list at least two layers (input and output), got {layer_sizes!r}"
        )
    max_neurons = check_positive_int(max_neurons, "max_neurons")
    if max_neurons < 2:
        raise ValueError(f"max_neurons must be at least 2, got {max_neurons}")
    if isinstance(labels, bool):
        names = _layer_names(len(sizes)) if labels else None
    elif isinstance(labels, Sequence) and not isinstance(labels, str) and all(
        isinstance(s, str) for s in labels
    ) and len(labels) == len(sizes):
        names = list(labels)
    else:
        raise ValueError(
            f"labels must be True, False or a sequence of {len(sizes)} strings (one per layer), "
            f"got {labels!r}"
        )
    masks = _check_active(active, sizes)

    n_layers = len(sizes)
    radius, min_dx, font_pt = 0.3, 2.0, 10.0
    colors = [COLORS[0], *[COLORS[2]] * (n_layers - 2), COLORS[1]]
    max_slots = max(n if n <= max_neurons else max_neurons + 1 for n in sizes)
    with _target_axes(ax) as ax:
        # Lay the diagram out in data units on equal axes (round circles),
        # sized from the axes' size in inches so that it fills them and the
        # text below the layers (font_pt points per line) fits.
        fig_w, fig_h = ax.figure.get_size_inches()
        box = ax.get_position()
        axes_w, axes_h = fig_w * box.width, fig_h * box.height
        line_in = 1.25 * font_pt / 72
        too_narrow = names is not None and (
            max(len(s) for s in names) * 0.5 * font_pt / 72 + 0.1 > axes_w / n_layers
        )
        if too_narrow and labels is True:  # wrap the default names, never custom ones
            names = [name.replace(" ", "\n", 1) for name in names]
        n_lines = 0
        if names is not None:
            n_lines = max(name.count("\n") for name in names) + 2
        elif any(n > max_neurons for n in sizes):
            n_lines = 1
        top_margin, gap = 0.2, 0.3
        text_frac = min(n_lines * line_in / axes_h, 0.6)
        # Height if the diagram fills the axes exactly, then the matching spacing.
        height = (max_slots + top_margin + (gap if n_lines else 0)) / (1 - text_frac)
        dx = max(min_dx, axes_w / axes_h * height / n_layers)
        scale = min(axes_w / (n_layers * dx), axes_h / height)  # inches per data unit
        label_room = (gap + n_lines * line_in / scale) if n_lines else 0.0

        columns = []  # y coordinates of the drawn, kept neurons of each layer
        for i, (n, mask) in enumerate(zip(sizes, masks, strict=True)):
            elided = n > max_neurons
            top = (max_neurons + 1) // 2 if elided else n
            slots = max_neurons + 1 if elided else n
            y = (slots - 1) / 2 - np.arange(slots, dtype=float)
            if elided:
                ax.text(i * dx, y[top], "⋮", ha="center", va="center", fontsize=14, zorder=3)
                y = np.delete(y, top)
                # The drawn units: the first top and the last max_neurons - top.
                mask = np.concatenate([mask[:top], mask[n - (max_neurons - top):]])
            columns.append(y[mask])
            for yj, kept in zip(y, mask, strict=True):
                if kept:
                    style = {"facecolor": _tint(colors[i]), "edgecolor": colors[i]}
                else:  # dropped: hollow, grey, dashed
                    style = {"facecolor": "white", "edgecolor": "0.6", "linestyle": "--"}
                ax.add_patch(Circle((i * dx, yj), radius, linewidth=1.5, zorder=2, **style))

        # One segment per weight: every drawn, kept neuron of layer i to every
        # drawn, kept neuron of layer i + 1, an array of shape (n_i * n_{i+1}, 2, 2).
        segments = []
        for i, (a, b) in enumerate(zip(columns[:-1], columns[1:], strict=True)):
            ya, yb = (g.ravel() for g in np.meshgrid(a, b, indexing="ij"))
            start = np.column_stack([np.full(ya.size, i * dx), ya])
            end = np.column_stack([np.full(yb.size, (i + 1) * dx), yb])
            segments.append(np.stack([start, end], axis=1))
        ax.add_collection(LineCollection(np.concatenate(segments), colors="0.55",
                                         linewidths=0.8, alpha=0.7, zorder=1))

        bottom = -max_slots / 2
        for i, n in enumerate(sizes):
            lines = []
            if names is not None:
                lines.append(names[i])
            if names is not None or n > max_neurons:
                lines.append(f"{n} unit" + ("" if n == 1 else "s"))
            if lines:
                ax.text(i * dx, bottom - gap, "\n".join(lines), ha="center", va="top",
                        fontsize=font_pt, linespacing=1.1)

        ax.set_aspect("equal")
        ax.set_xlim(-dx / 2, (n_layers - 0.5) * dx)
        ax.set_ylim(bottom - label_room, max_slots / 2 + top_margin)
        ax.axis("off")
    return ax


#: Default labels of :func:`plot_nested_sets`, and the course notes' Chinese terms.
NESTED_SETS_LABELS = ("Artificial intelligence", "Machine learning", "Deep learning")
NESTED_SETS_CHINESE = ("人工智能", "机器学习", "深度学习")


def plot_nested_sets(
    labels: Sequence[str] = NESTED_SETS_LABELS,
    ax: Axes | None = None,
    chinese: bool | Sequence[str] = False,
) -> Axes:
    r"""Draw nested ellipses, e.g. artificial intelligence ⊃ machine learning ⊃ deep learning.

    The :math:`k`-th ellipse (0 = outermost) is the outermost one shrunk by
    :math:`0.6^k` towards a point in its lower right, so each set lies inside
    the one before; each label sits in the band its set does not share with
    the next one.

    Parameters
    ----------
    labels : sequence of str, optional
        Names of the sets, outermost first (at least one).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new book-style figure when None.
    chinese : bool or sequence of str, optional
        Add a second line in Chinese under each label: True for the course
        notes' terms 人工智能, 机器学习, 深度学习 (only with three labels), or
        one string per label. Needs a CJK font (see :func:`find_cjk_font`);
        without one a ``RuntimeError`` is raised instead of drawing empty
        boxes. The default, False, draws English only and needs no extra font.

    Returns
    -------
    matplotlib.axes.Axes
        The axes; its patches are the ellipses, outermost first.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_nested_sets()
    >>> len(ax.patches), [t.get_text() for t in ax.texts]
    (3, ['Artificial intelligence', 'Machine learning', 'Deep learning'])
    >>> plt.close(ax.figure)
    """
    if isinstance(labels, str) or not isinstance(labels, Sequence) or not labels or not all(
        isinstance(s, str) for s in labels
    ):
        raise ValueError(f"labels must be a non-empty sequence of strings, got {labels!r}")
    labels = list(labels)
    if chinese is True:
        if len(labels) != len(NESTED_SETS_CHINESE):
            raise ValueError(
                f"chinese=True supplies {len(NESTED_SETS_CHINESE)} terms but labels has "
                f"{len(labels)}; pass one Chinese string per label instead"
            )
        chinese = list(NESTED_SETS_CHINESE)
    elif chinese is False or chinese is None:
        chinese = None
    elif (isinstance(chinese, str) or not isinstance(chinese, Sequence)
          or len(chinese) != len(labels) or not all(isinstance(s, str) for s in chinese)):
        raise ValueError(
            f"chinese must be True, False or a sequence of {len(labels)} strings (one per "
            f"label), got {chinese!r}"
        )
    fontfamily = None
    if chinese is not None:
        cjk = find_cjk_font()
        if cjk is None:
            raise RuntimeError(
                "no font with Chinese glyphs is installed, so the Chinese labels would be drawn "
                "as empty boxes; install one (e.g. `apt install fonts-noto-cjk`) or call "
                "plot_nested_sets with chinese=False"
            )
        fontfamily = [*mpl.rcParams["font.family"], cjk]
        labels = [f"{en}\n{zh}" for en, zh in zip(labels, chinese, strict=True)]

    width, height, shrink = 8.0, 5.0, 0.6
    anchor = np.array([1.2, -1.2])  # shrink towards this point, inside the outer ellipse
    with _target_axes(ax) as ax:
        tops = []
        centers = []
        for k in range(len(labels)):
            s = shrink**k
            center = anchor + s * (np.zeros(2) - anchor)
            color = COLORS[k % len(COLORS)]
            ax.add_patch(Ellipse(tuple(center), s * width, s * height,
                                 facecolor=_tint(color, 0.8), edgecolor=color, linewidth=2))
            centers.append(center)
            tops.append(center[1] + s * height / 2)
        for k, label in enumerate(labels):
            if k + 1 < len(labels):
                y = (tops[k] + tops[k + 1]) / 2
            else:
                y = centers[k][1]
            ax.text(centers[k][0], y, label, ha="center", va="center",
                    fontsize=max(12 - k, 9), fontfamily=fontfamily)
        ax.set_aspect("equal")
        ax.set_xlim(-width / 2 - 0.2, width / 2 + 0.2)
        ax.set_ylim(-height / 2 - 0.2, height / 2 + 0.2)
        ax.axis("off")
    return ax


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
    r"""Plot several functions of one variable on shared axes, with a legend.

    Draws the points :math:`(x_i, f(x_i))` of each curve joined by lines, for
    instance an activation and its derivative, or several losses against
    the prediction.

    Parameters
    ----------
    x : array_like of shape (n,)
        The common abscissae, finite, at least two.
    curves : dict of str to array_like of shape (n,)
        Legend label -> values at ``x`` (finite).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new book-style figure when None.
    title, xlabel, ylabel : str, optional
        Title and axis labels.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, with one line per curve.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
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
    r"""Colour the plane by a classifier's predicted class and show the data on top.

    ``predict`` is evaluated once on a ``resolution`` x ``resolution`` grid
    covering the data plus ``padding`` on every side; its output is turned
    into labels by :func:`nnbook.metrics.predicted_labels` (integer labels of
    shape (m,), scores of shape (m, K) by argmax, or one logit or probability
    per point, as ``output`` says). The regions are filled with
    the class colors, the points drawn in the same colors with a legend.
    The decision boundary is where the fill color changes.

    Parameters
    ----------
    predict : callable
        Maps an array of shape (m, 2), of the dtype of ``X``, to labels,
        probabilities or scores as above.
    X : array_like of shape (n, 2)
        The points.
    y : array_like of shape (n,)
        Their class labels, integers >= 0.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new book-style figure when None.
    resolution : int, optional
        Grid points per axis, >= 2.
    padding : float, optional
        Margin around the data, in data units, >= 0.
    output : {"logits", "probabilities"}, optional
        What ``predict`` returns when it returns one float per point.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
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

    ``f`` is called once as ``f(X, Y)`` with the two coordinate grids of
    ``np.meshgrid`` (shape (resolution, resolution)) and must return
    :math:`f(x_1, x_2)` at every grid point, as NumPy broadcasting does for a
    formula, e.g. ``lambda x1, x2: x1**2 + 10 * x2**2``.

    With ``log_levels=True`` the levels are geometrically spaced between the
    smallest positive and the largest value of :math:`f` on the grid,
    :math:`c_j = c_0 (c_\text{max} / c_0)^{j/(L-1)}`, which shows the valley
    of badly conditioned functions such as Rosenbrock's.

    Each trajectory, an array of shape (steps, 2) of iterates
    :math:`x^{(0)}, x^{(1)}, \dots`, is drawn as a line with markers, its
    start circled; the view stays on ``xlim`` x ``ylim`` even if a path
    diverges.

    Parameters
    ----------
    f : callable
        ``f(X, Y) -> Z`` with ``Z.shape == X.shape``, finite.
    xlim, ylim : tuple of two floats
        Ranges of :math:`x_1` and :math:`x_2`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new book-style figure when None.
    levels : int or sequence of float, optional
        Number of contour levels (>= 2), or the levels themselves (increasing;
        positive with ``log_levels``).
    trajectories : dict of str to array_like of shape (steps, 2), optional
        Legend label -> iterates of an optimizer (finite).
    log_levels : bool, optional
        Space the levels geometrically (``f`` must be positive somewhere).
    resolution : int, optional
        Grid points per axis, >= 2.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
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

    ``f_grad`` is called once as ``f_grad(X, Y)`` with the grids (shape
    (density, density)) of the centers of density x density equal cells
    tiling the window, and returns the two partial derivatives
    :math:`(\partial f / \partial x_1, \partial f / \partial x_2)` as a pair
    of arrays of that shape (or one array of shape (2, density, density)).
    Each arrow points uphill, perpendicular to the contour lines; with
    ``descent=True`` the arrows show :math:`-\nabla f`, the direction a
    gradient-descent step takes. Lengths are proportional to
    :math:`\lVert \nabla f \rVert`, the longest arrow spanning 90% of a
    cell.

    Parameters
    ----------
    f_grad : callable
        ``f_grad(X, Y) -> (dX, dY)``, finite.
    xlim, ylim : tuple of two floats
        Ranges of :math:`x_1` and :math:`x_2`.
    ax : matplotlib.axes.Axes, optional
        Where to draw (e.g. over :func:`plot_contour`); a new book-style
        figure when None.
    density : int, optional
        Arrows per axis, >= 2.
    descent : bool, optional
        Draw :math:`-\nabla f` instead of :math:`\nabla f`.
    normalize : bool, optional
        Draw every arrow with the same length (directions only), useful when
        the gradient's magnitude varies by orders of magnitude; zero gradients
        stay zero.

    Returns
    -------
    matplotlib.axes.Axes
        The axes; the arrows are one :class:`~matplotlib.quiver.Quiver`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
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

    All arrays are flattened and binned on the same ``bins`` equal-width bins
    spanning their common range, so the shapes can be compared. With
    ``density=True`` each histogram is normalized to unit area,
    :math:`h_b = \frac{n_b}{N\,\Delta}` (count :math:`n_b` in bin :math:`b`,
    :math:`N` values, bin width :math:`\Delta`), which compares arrays of
    different sizes, such as the weights of layers of different widths.

    Parameters
    ----------
    arrays : dict of str to array_like
        Legend label -> values (any shape, finite, non-empty).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new book-style figure when None.
    bins : int, optional
        Number of bins, >= 1.
    density : bool, optional
        Normalize each histogram to unit area (else raw counts).
    title : str, optional
        Title of the axes.
    xlabel : str, optional
        Label of the horizontal axis.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, with one filled step patch per array.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
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

    With a penalty the training curve is ``loss`` (data loss + penalty),
    labelled so. ``batch_loss`` is not drawn: plot it directly, e.g.
    ``plt.plot(history.batch_loss)``.

    Parameters
    ----------
    history : nnbook.train.History
        What :func:`~nnbook.train.fit` measured.
    ax : matplotlib.axes.Axes or None
        Where to draw; a new figure when None.

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
    if ax is None:
        _, ax = plt.subplots()
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
