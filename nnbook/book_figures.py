"""Figures that only illustrate the book: a network's diagram and nested sets.

They follow the conventions of :mod:`nnbook.plotting` (an optional ``ax``, the
book style, no ``plt.show()``), where the plots a learner reuses live.

=========================  ====================================================
:func:`draw_network`       diagram of a fully connected network, or a thinned one
:func:`plot_nested_sets`   artificial intelligence ⊃ machine learning ⊃ deep learning
:func:`find_cjk_font`      an installed font that can draw the notes' Chinese terms
=========================  ====================================================
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.patches import Circle, Ellipse

from ._validation import check_positive_int, describe
from .plotting import COLORS, _target_axes, _tint

__all__ = [
    "NESTED_SETS_CHINESE",
    "NESTED_SETS_LABELS",
    "draw_network",
    "find_cjk_font",
    "plot_nested_sets",
]


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

    matplotlib's own fonts have no Chinese glyphs (they draw empty boxes); to
    enable Chinese labels install one (on Debian ``apt install fonts-noto-cjk``)
    and clear matplotlib's font cache.

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

    Each layer is a column of neurons, joined by one line per weight
    :math:`w_{jk}` of the dense layer :math:`h' = \sigma(h W + b)` between two
    layers. A layer of more than ``max_neurons`` units is elided: its first and
    last neurons around a "⋮", its true size written below. With ``active``,
    dropped units are drawn hollow and dashed, without connections.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input first (at least two layers), e.g. ``[2, 4, 4, 1]``.
    ax : matplotlib.axes.Axes, optional
    labels : bool or sequence of str
        Write the default layer names and sizes below the layers, one custom name
        per layer, or nothing (False).
    max_neurons : int, >= 2
        Most neurons drawn per layer.
    active : sequence of (boolean array of shape (layer_sizes[l],) or None), optional
        One mask per layer, True for a kept unit (e.g. ``mask > 0`` for a mask
        of :func:`nnbook.regularization.dropout`); None keeps every unit.

    Returns
    -------
    matplotlib.axes.Axes
        Its patches are the drawn neurons; one
        :class:`~matplotlib.collections.LineCollection` holds the connections.

    Raises
    ------
    ValueError
        For invalid sizes, labels or masks.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> hidden = np.array([True, False, True, False])  # two of the 4 hidden units dropped
    >>> ax = draw_network([3, 4, 2], active=[None, hidden, None])
    >>> len(ax.patches), len(ax.collections[0].get_segments())  # 9 neurons, 3*2 + 2*2 weights
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
    """Draw nested ellipses, e.g. artificial intelligence ⊃ machine learning ⊃ deep learning.

    Parameters
    ----------
    labels : sequence of str
        Names of the sets, outermost first (at least one).
    ax : matplotlib.axes.Axes, optional
    chinese : bool or sequence of str
        A second line in Chinese under each label: True for the notes' terms
        (with three labels), or one string per label. Needs a CJK font
        (:func:`find_cjk_font`).

    Returns
    -------
    matplotlib.axes.Axes
        Its patches are the ellipses, outermost first.

    Raises
    ------
    ValueError
        For invalid labels, or Chinese terms that do not match them.
    RuntimeError
        With Chinese terms when no CJK font is installed.

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
