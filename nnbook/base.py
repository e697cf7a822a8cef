r"""The layer interface every building block of nnbook shares.

``forward(x)`` returns the output batch and caches what ``backward`` needs;
``backward(grad_output)`` returns :math:`\partial L/\partial x` and stores the
gradients of the layer's parameters in ``grads`` (same keys as ``params``).
``backward`` *overwrites* the gradients (it does not add to them as PyTorch's
does), so there is no ``zero_grad``; to accumulate over batches, add them yourself.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator

import numpy as np


class Layer:
    r"""Base class of all layers (activations, dropout, dense, batch norm).

    .. math::

        H = f(X; \theta), \qquad
        \texttt{backward}(G) = \frac{\partial L}{\partial X}, \qquad
        \texttt{grads}[\theta] = \frac{\partial L}{\partial \theta}, \qquad
        G = \frac{\partial L}{\partial H}

    Attributes
    ----------
    params : dict[str, numpy.ndarray]
        Trainable parameters by name (empty for parameter-free layers).
    grads : dict[str, numpy.ndarray]
        Their gradients, same keys and shapes, filled by ``backward``.
    training : bool
        Training or evaluation mode; only dropout and batch norm look at it.

    Examples
    --------
    A layer :math:`y = a x` with a trainable :math:`a`
    (:math:`\partial L/\partial a = \sum g x`, :math:`\partial L/\partial x = a g`):

    >>> import numpy as np
    >>> class Scale(Layer):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.params["a"], self.grads["a"] = np.array(2.0), np.array(0.0)
    ...     def forward(self, x):
    ...         self.x = x
    ...         return self.params["a"] * x
    ...     def backward(self, grad_output):
    ...         self.grads["a"][...] = np.sum(grad_output * self.x)
    ...         return self.params["a"] * grad_output
    >>> layer = Scale()
    >>> layer(np.array([1.0, 3.0]))
    array([2., 6.])
    >>> layer.backward(np.array([1.0, 1.0]))
    array([2., 2.])
    >>> [(name, float(value), float(grad)) for name, value, grad in layer.parameters()]
    [('a', 2.0, 4.0)]
    """

    #: Attributes that hold what the last forward pass cached for backward.
    _caches: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.training = True

    def forward(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError

    def backward(self, grad_output: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    def predict(self, x) -> np.ndarray:
        """Output in evaluation mode, the layer untouched (its mode, caches, statistics).

        Runs ``forward`` on a shallow copy in evaluation mode (no dropout, batch
        norm with its running statistics); the copy shares the parameters.
        """
        twin = copy.copy(self)
        twin.training = False
        return twin.forward(x)

    def train(self, mode: bool = True) -> Layer:
        """Switch to training mode (or evaluation mode with ``mode=False``)."""
        self.training = bool(mode)
        return self

    def eval(self) -> Layer:
        """Switch to evaluation mode."""
        return self.train(False)

    def parameters(self) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
        """Yield ``(name, value, gradient)`` for each trainable parameter."""
        for name, value in self.params.items():
            yield name, value, self.grads[name]

    def _forget(self) -> None:
        """Drop what the last forward pass cached (fit does, so no batch outlives it)."""
        for name in self._caches:
            setattr(self, name, None)

    def num_parameters(self) -> int:
        """Number of trainable scalars in this layer."""
        return int(sum(value.size for value in self.params.values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def is_weight_matrix(name) -> bool:
    """Whether a parameter is a weight matrix: named ``W`` (``"W"``, ``"0.W"``, ``"0.1.W"``).

    The one rule for what weight decay and the L1/L2 penalties act on (biases
    and batch norm's ``gamma``/``beta`` are not weight matrices).

    >>> is_weight_matrix("2.W"), is_weight_matrix("2.b"), is_weight_matrix("1.gamma")
    (True, False, False)
    """
    return str(name).rsplit(".", 1)[-1] == "W"


def check_backward_input(layer: Layer, cached, grad_output: np.ndarray) -> np.ndarray:
    """Validate ``grad_output`` against ``cached``, the output of ``layer.forward``.

    Raises ``RuntimeError`` when ``cached`` is None (forward has not run),
    ``ValueError`` for another shape.

    >>> import numpy as np
    >>> check_backward_input(Layer(), np.zeros((2, 3)), np.ones((3, 2)))
    Traceback (most recent call last):
    ...
    ValueError: grad_output has shape (3, 2); expected (2, 3), the shape of Layer()'s last output
    """
    return check_grad_shape(layer, grad_output, None if cached is None else cached.shape)


def check_grad_shape(layer: Layer, grad_output, shape: tuple | None) -> np.ndarray:
    """``grad_output`` as an array of ``shape``, the shape of ``layer``'s last output.

    ``shape`` is None when forward has not run: ``RuntimeError``; another shape:
    ``ValueError``.

    >>> check_grad_shape(Layer(), np.ones((2, 3)), (2, 3)).shape
    (2, 3)
    """
    if shape is None:
        raise RuntimeError(f"{type(layer).__name__}.backward called before forward")
    grad_output = np.asarray(grad_output)
    if grad_output.shape != shape:
        raise ValueError(
            f"grad_output has shape {grad_output.shape}; expected {shape}, "
            f"the shape of {layer!r}'s last output"
        )
    return grad_output


class DivergenceError(FloatingPointError):
    """Raised when training diverges: the loss or the parameters are no longer finite.

    Raised by :func:`nnbook.train.fit` and :func:`nnbook.surfaces.gradient_descent`
    (whose steps count as epochs). A ``FloatingPointError``, so
    ``except FloatingPointError`` catches it.

    Attributes
    ----------
    epoch : int
        The epoch that diverged, counted from 1.
    loss : float
        Its training loss (finite only if the parameters diverged first).
    history : History or None
        What :func:`~nnbook.train.fit` measured in the epochs before
        (``history.epochs == epoch - 1``); None from ``gradient_descent``.

    Examples
    --------
    >>> err = DivergenceError("training diverged", epoch=3, loss=float("inf"))
    >>> isinstance(err, FloatingPointError), err.epoch, err.loss
    (True, 3, inf)
    """

    def __init__(
        self,
        message: str,
        *,
        epoch: int = 0,
        loss: float = math.nan,
        history=None,
    ) -> None:  # defaults: an exception must be rebuilt from its message alone (pickle)
        super().__init__(message)
        self.epoch, self.loss, self.history = epoch, loss, history
