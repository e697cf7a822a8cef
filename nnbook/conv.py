r"""Convolutional layers (卷积神经网络): :class:`Conv2D`, :class:`MaxPool2D` and :class:`Flatten`.

Images are laid out as PyTorch lays them out, ``(n, channels, height, width)``.
A convolution slides a small kernel over the image and takes, at each
position, the sum of the products of the kernel with the pixels under it
(a cross-correlation: the kernel is not flipped). All three layers walk the
kernel's :math:`k_h k_w` offsets :math:`(i, j)`: the pixels that kernel entry
:math:`(i, j)` meets, over all output positions, are one strided slice of
the image (``_windows`` below). :class:`Conv2D` gathers these slices into one
matrix per image (*im2col*), so that the convolution is one matrix product,
and scatters the gradient back through the same slices (*col2im*).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator

import numpy as np

from ._validation import as_float_array, check_positive_int, float_dtype
from .base import Layer, check_grad_shape
from .init import get_initializer

__all__ = ["Conv2D", "Flatten", "MaxPool2D"]


def _pair(value, name: str, low: int = 1) -> tuple[int, int]:
    """``value`` (an int or a pair of ints, each >= low) as a pair (height, width)."""
    pair = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(pair) != 2 or not all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= low for v in pair
    ):
        raise ValueError(f"{name} must be an integer >= {low} or a pair of them, got {value!r}")
    return int(pair[0]), int(pair[1])


def _short_pair(pair: tuple[int, int]) -> str:
    """``(2, 2)`` as ``"2"``, ``(1, 2)`` as ``"(1, 2)"`` (for the reprs)."""
    return str(pair[0]) if pair[0] == pair[1] else str(pair)


def _check_images(layer: Layer, x, channels: int | None) -> np.ndarray:
    """``x`` as a real array of shape (n, channels, height, width), n >= 1, or a ValueError."""
    x = np.asarray(x)
    if x.ndim != 4 or x.shape[0] == 0 or (channels is not None and x.shape[1] != channels):
        expected = "channels" if channels is None else channels
        raise ValueError(
            f"{layer!r} expects input of shape (n, {expected}, height, width) with n >= 1, "
            f"got an array of shape {x.shape}"
        )
    if x.dtype.kind not in "biuf":
        raise ValueError(f"{layer!r} expects a real numeric input, got dtype {x.dtype}")
    return x


def _output_size(layer: Layer, size, kernel, stride, padding) -> tuple[int, int]:
    """Output height and width, ``(H + 2p - k) // s + 1``; a ValueError if k > H + 2p."""
    padded = (size[0] + 2 * padding[0], size[1] + 2 * padding[1])
    if kernel[0] > padded[0] or kernel[1] > padded[1]:
        raise ValueError(
            f"{layer!r}: the {kernel[0]}x{kernel[1]} kernel is larger than the "
            f"{padded[0]}x{padded[1]} padded input (input {size[0]}x{size[1]}); expected "
            "a kernel no larger than the input plus twice the padding"
        )
    return tuple((p - k) // s + 1 for p, k, s in zip(padded, kernel, stride, strict=True))


def _windows(kernel, stride, out_size) -> Iterator[tuple[int, int, tuple]]:
    """For each kernel offset (i, j), row by row: ``(i, j, index)``.

    ``x[index]`` has shape (n, channels, H_out, W_out): at output position
    (u, v) it holds the pixel that kernel entry (i, j) meets, ``x[:, :, s u + i, s v + j]``.
    """
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            rows = slice(i, i + stride[0] * out_size[0], stride[0])
            cols = slice(j, j + stride[1] * out_size[1], stride[1])
            yield i, j, (slice(None), slice(None), rows, cols)


class Conv2D(Layer):
    r"""2-D convolution (卷积层): a kernel of shared weights slid over the image.

    With the input zero-padded by :math:`p` on each side (:math:`\tilde X`),
    stride :math:`s`, and :math:`G = \partial L / \partial Z`:

    .. math::

        Z_{n o u v} = b_o + \sum_{c} \sum_{i=0}^{k_h-1} \sum_{j=0}^{k_w-1}
            W_{o c i j}\, \tilde X_{n,\, c,\, s u + i,\, s v + j},

    .. math::

        \frac{\partial L}{\partial W_{o c i j}} = \sum_{n, u, v} G_{n o u v}\,
            \tilde X_{n,\, c,\, s u + i,\, s v + j}, \qquad
        \frac{\partial L}{\partial b_o} = \sum_{n, u, v} G_{n o u v}, \qquad
        \frac{\partial L}{\partial \tilde X_{n,\, c,\, s u + i,\, s v + j}}
            \mathrel{+}= \sum_o W_{o c i j}\, G_{n o u v}

    (a cross-correlation, as PyTorch's ``Conv2d`` computes it). As matrices
    (im2col): each image's patches form the columns of
    :math:`X_{\text{col},n}` (:math:`C_{in} k_h k_w` rows, one column per output
    position), and :math:`Z_n = W X_{\text{col},n} + b`,
    :math:`\partial L/\partial W = \sum_n G_n X_{\text{col},n}^\top`,
    :math:`\partial L/\partial X_{\text{col},n} = W^\top G_n` (added back to the pixels: col2im),
    with :math:`W` reshaped to :math:`C_{out} \times C_{in} k_h k_w`.

    Shapes: ``X`` (n, C_in, H, W); ``W`` (C_out, C_in, kh, kw); ``b`` (C_out,);
    ``Z`` and ``G`` (n, C_out, H_out, W_out) with
    ``H_out = (H + 2 p_h - kh) // s_h + 1`` (and the same along the width).

    Parameters
    ----------
    in_channels, out_channels : int, >= 1
    kernel_size : int or (int, int), >= 1
    stride : int or (int, int), >= 1
    padding : int or (int, int), >= 0
        Zeros added on each side of the height (and width).
    init : str or callable
        Weight initializer (see :func:`nnbook.init.get_initializer`), called with
        ``fan_in = C_in kh kw`` (the inputs of one output) and
        ``fan_out = C_out kh kw``, as PyTorch counts them, so that He and Xavier
        keep the variances of chapter 4; it returns a (fan_in, fan_out) matrix of
        independent entries, of which ``W`` takes the first ``C_out`` columns.
        ``b`` starts at 0.
    rng : numpy.random.Generator, int or None
    dtype : float32 or float64
        Of parameters, gradients and outputs; inputs are cast to it.

    Raises
    ------
    ValueError
        For non-positive sizes, a negative padding, or an ``init`` that returns
        another shape; an input that is not (n, C_in, H, W) or is smaller than
        the kernel once padded; a ``G`` of another shape than the output.
        Like :class:`~nnbook.layers.Dense`, the layer does not scan its input
        for nan and inf (:func:`~nnbook.train.fit` and
        :func:`~nnbook.train.evaluate` check the data once).

    Examples
    --------
    >>> conv = Conv2D(1, 2, kernel_size=3, padding=1, rng=0)
    >>> Z = conv.forward(np.ones((4, 1, 8, 8)))
    >>> dX = conv.backward(np.ones((4, 2, 8, 8)))
    >>> conv, Z.shape, dX.shape, conv.params["W"].shape, conv.grads["b"]
    (Conv2D(1 -> 2, 3x3, padding 1), (4, 2, 8, 8), (4, 1, 8, 8), (2, 1, 3, 3), array([256., 256.]))

    A vertical-edge kernel on an image that steps from 0 to 1:

    >>> edge = Conv2D(1, 1, kernel_size=(1, 2))
    >>> edge.params["W"][...] = [[[[-1.0, 1.0]]]]
    >>> edge.forward(np.array([[[[0.0, 0.0, 1.0, 1.0]]]]))
    array([[[[0., 1., 0.]]]])
    """

    _caches = ("_X_col", "_shapes")

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        init="he_normal",
        rng=None,
        dtype=np.float64,
    ) -> None:
        super().__init__()
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = _pair(stride, "stride")
        self.padding = _pair(padding, "padding", low=0)
        self.dtype = float_dtype(dtype)
        kh, kw = self.kernel_size
        fan_in, fan_out = self.in_channels * kh * kw, self.out_channels * kh * kw
        weights = get_initializer(init)(fan_in, fan_out, rng=rng, dtype=self.dtype)
        if np.shape(weights) != (fan_in, fan_out):
            raise ValueError(
                f"init returned an array of shape {np.shape(weights)}; "
                f"expected ({fan_in}, {fan_out})"
            )
        kernels = np.asarray(weights)[:, : self.out_channels].T  # row o: kernel o, flattened
        self.params = {
            "W": np.array(
                kernels.reshape(self.out_channels, self.in_channels, kh, kw),
                dtype=self.dtype,
                order="C",
            ),
            "b": np.zeros(self.out_channels, dtype=self.dtype),
        }
        self.grads = {name: np.zeros_like(value) for name, value in self.params.items()}
        self._X_col: np.ndarray | None = None
        self._shapes: tuple | None = None  # (input shape, output shape)

    def forward(self, X) -> np.ndarray:
        """``Z = W * X + b``, shape (n, C_out, H_out, W_out); caches the patches for backward."""
        X = _check_images(self, X, self.in_channels).astype(self.dtype, copy=False)
        n, C, H, W = X.shape
        (kh, kw), (ph, pw) = self.kernel_size, self.padding
        out_size = _output_size(self, (H, W), self.kernel_size, self.stride, self.padding)
        X_pad = X
        if ph or pw:  # zero padding
            X_pad = np.zeros((n, C, H + 2 * ph, W + 2 * pw), self.dtype)
            X_pad[:, :, ph : ph + H, pw : pw + W] = X
        # im2col: patches[n, c, i, j, u, v] = X_pad[n, c, s u + i, s v + j]
        patches = np.empty((n, C, kh, kw, *out_size), self.dtype)
        for i, j, window in _windows(self.kernel_size, self.stride, out_size):
            patches[:, :, i, j] = X_pad[window]
        # X_col: for each image, C kh kw rows and one column per output position
        X_col = patches.reshape(n, C * kh * kw, out_size[0] * out_size[1])
        Z = self.params["W"].reshape(self.out_channels, -1) @ X_col  # W X_col, for every image
        Z += self.params["b"][:, None]
        self._X_col = X_col
        self._shapes = (X.shape, (n, self.out_channels, *out_size))
        return Z.reshape(self._shapes[1])

    def backward(self, G, need_input_grad: bool = True) -> np.ndarray | None:
        """Write ``dW = sum_n G_n X_col^T`` and ``db`` into ``grads``; return ``dX`` (col2im).

        ``need_input_grad=False`` returns None and skips ``dX``, which nobody
        needs below a network's first layer.
        """
        X_col = self._X_col
        G = check_grad_shape(self, G, None if X_col is None else self._shapes[1])
        G = G.astype(self.dtype, copy=False)
        (n, C, H, W), (_, C_out, *out_size) = self._shapes
        (kh, kw), (ph, pw) = self.kernel_size, self.padding
        G_n = G.reshape(n, C_out, -1)  # G_n, one (C_out, H_out W_out) matrix per image
        dW = np.sum(G_n @ X_col.transpose(0, 2, 1), axis=0)  # sum_n G_n X_col^T
        self.grads["W"][...] = dW.reshape(self.grads["W"].shape)  # in place (an optimizer holds it)
        G.sum(axis=(0, 2, 3), out=self.grads["b"])
        if not need_input_grad:
            return None
        W_mat = self.params["W"].reshape(C_out, -1)
        d_patches = (W_mat.T @ G_n).reshape(n, C, kh, kw, *out_size)  # W^T G_n
        # col2im: each patch entry goes back to the pixel it was copied from (overlaps add)
        dX_pad = np.zeros((n, C, H + 2 * ph, W + 2 * pw), self.dtype)
        for i, j, window in _windows(self.kernel_size, self.stride, out_size):
            dX_pad[window] += d_patches[:, :, i, j]
        return dX_pad[:, :, ph : ph + H, pw : pw + W]

    def __repr__(self) -> str:
        kh, kw = self.kernel_size
        text = f"Conv2D({self.in_channels} -> {self.out_channels}, {kh}x{kw}"
        if self.stride != (1, 1):
            text += f", stride {_short_pair(self.stride)}"
        if self.padding != (0, 0):
            text += f", padding {_short_pair(self.padding)}"
        return text + ")"


class MaxPool2D(Layer):
    r"""Max pooling (最大池化): the largest value of each window, channel by channel.

    .. math::

        Z_{n c u v} = \max_{i, j} X_{n,\, c,\, s u + i,\, s v + j}, \qquad
        \frac{\partial L}{\partial X_{n,\, c,\, s u + i^*,\, s v + j^*}} \mathrel{+}= G_{n c u v}

    with :math:`(i^*, j^*)` the position of the maximum in the window: the
    gradient goes to that one element. On a tie it goes to the first maximum
    in row-by-row order, the element PyTorch's ``max_pool2d`` picks on the CPU;
    overlapping windows (stride < kernel) add their gradients. Shapes: ``X``
    (n, C, H, W); ``Z`` and ``G`` (n, C, H_out, W_out) with
    ``H_out = (H - kh) // s + 1`` (rows and columns left over are dropped).

    Parameters
    ----------
    kernel_size : int or (int, int), >= 1
    stride : int, (int, int) or None
        None (the default): the kernel size, so that the windows tile the image.

    Raises
    ------
    ValueError
        For non-positive sizes, an input that is not (n, C, H, W) or is
        smaller than the kernel, or a ``G`` of another shape than the output.

    Examples
    --------
    >>> pool = MaxPool2D(2)
    >>> X = np.array([[[[1.0, 2.0, 0.0, 0.0],
    ...                 [4.0, 3.0, 0.0, 0.0]]]])
    >>> pool.forward(X)
    array([[[[4., 0.]]]])
    >>> pool.backward(np.array([[[[10.0, 20.0]]]]))  # a tie: the first 0 takes it all
    array([[[[ 0.,  0., 20.,  0.],
             [10.,  0.,  0.,  0.]]]])
    """

    _caches = ("_candidates", "_out")

    def __init__(self, kernel_size, stride=None) -> None:
        super().__init__()
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = self.kernel_size if stride is None else _pair(stride, "stride")
        self._candidates: np.ndarray | None = None
        self._out: np.ndarray | None = None
        self._x_shape: tuple = ()

    def forward(self, x) -> np.ndarray:
        """The maximum of each window, shape (n, C, H_out, W_out), read-only; caches the windows."""
        x = as_float_array(_check_images(self, x, None), "x", allow_nonfinite=True)
        out_size = _output_size(self, x.shape[2:], self.kernel_size, self.stride, (0, 0))
        kh, kw = self.kernel_size
        # candidates[i kw + j] = x[:, :, s u + i, s v + j]: one image of the candidates
        # per kernel offset, so that the maximum is taken over the first axis
        candidates = np.empty((kh * kw, *x.shape[:2], *out_size), x.dtype)
        for i, j, window in _windows(self.kernel_size, self.stride, out_size):
            candidates[i * kw + j] = x[window]
        out = candidates.max(axis=0)
        self._candidates, self._out, self._x_shape = candidates, out, x.shape
        view = out.view()
        view.flags.writeable = False  # backward reads out: no caller may edit it
        return view

    def backward(self, grad_output) -> np.ndarray:
        """Route each output's gradient to its window's (first) maximum; return dL/dx."""
        candidates, out = self._candidates, self._out
        G = check_grad_shape(self, grad_output, None if out is None else out.shape)
        kw = self.kernel_size[1]
        dx = np.zeros(self._x_shape, out.dtype)
        unclaimed = np.ones(out.shape, dtype=bool)  # windows whose maximum is not yet found
        for i, j, window in _windows(self.kernel_size, self.stride, out.shape[2:]):
            is_max = candidates[i * kw + j] == out
            is_max &= unclaimed  # a tie: an earlier element already took the gradient
            unclaimed ^= is_max
            dx[window] += G * is_max
        return dx

    def __repr__(self) -> str:
        text = f"MaxPool2D({_short_pair(self.kernel_size)}"
        if self.stride != self.kernel_size:
            text += f", stride {_short_pair(self.stride)}"
        return text + ")"


class Flatten(Layer):
    r"""Flatten each sample into one row: the bridge from convolutional to dense layers.

    .. math::

        z_{n,\, (c H + u) W + v} = X_{n c u v}, \qquad
        \frac{\partial L}{\partial X} = \operatorname{reshape}(G, X.\text{shape})

    (row-major order, as ``numpy.reshape`` and PyTorch's ``Flatten`` use).
    Shapes: ``X`` (n, C, H, W), or any (n, ...); ``z`` and ``G`` (n, C H W).

    Raises
    ------
    ValueError
        For an input with fewer than two dimensions or no sample, or a ``G``
        of another shape than the output.

    Examples
    --------
    >>> flat = Flatten()
    >>> flat.forward(np.zeros((5, 8, 4, 4))).shape
    (5, 128)
    >>> flat.backward(np.ones((5, 128))).shape
    (5, 8, 4, 4)
    """

    _caches = ("_shapes",)

    def __init__(self) -> None:
        super().__init__()
        self._shapes: tuple | None = None

    def forward(self, x) -> np.ndarray:
        """``x`` reshaped to (n, prod of the other dimensions)."""
        x = as_float_array(x, "x", allow_nonfinite=True)
        if x.ndim < 2 or x.shape[0] == 0:
            raise ValueError(
                f"{self!r} expects input of shape (n, ...) with at least two dimensions and "
                f"n >= 1, got an array of shape {x.shape}"
            )
        z = x.reshape(len(x), -1)
        self._shapes = (x.shape, z.shape)
        return z

    def backward(self, grad_output) -> np.ndarray:
        """``grad_output`` reshaped to the shape of the last input."""
        shapes = self._shapes
        G = check_grad_shape(self, grad_output, None if shapes is None else shapes[1])
        return G.reshape(shapes[0])
