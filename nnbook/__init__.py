"""nnbook: the small NumPy library behind the course *Neural networks, from the notes up*.

One module per concept of the course notes, each readable top to bottom:

- :mod:`nnbook.activations` — sigmoid, tanh, ReLU, Leaky ReLU, softmax (激活函数)
- :mod:`nnbook.init` — parameter initialization (参数初始化)
- :mod:`nnbook.losses` — loss functions (损失函数)
- :mod:`nnbook.regularization` — L1, L2 and dropout (正则项)
- :mod:`nnbook.layers`, :mod:`nnbook.network` — dense layers, batch norm, networks
- :mod:`nnbook.conv` — convolution, max pooling, flatten (卷积神经网络)
- :mod:`nnbook.diagnostics` — signal sizes, dead units and FLOPs, layer by layer
- :mod:`nnbook.optim` — gradient descent and its variants (优化算法)
- :mod:`nnbook.train` — the training loop
- :mod:`nnbook.gradcheck` — finite-difference gradient checks
- :mod:`nnbook.data`, :mod:`nnbook.metrics`, :mod:`nnbook.plotting`,
  :mod:`nnbook.surfaces` — data sets, metrics, figures and test functions

and, apart, what only illustrates the book: :mod:`nnbook.book_figures` (the
network diagram and chapter 1's nested sets).
"""

from . import (
    activations,
    conv,
    diagnostics,
    gradcheck,
    init,
    layers,
    losses,
    metrics,
    network,
    optim,
    regularization,
    train,
)
from .conv import Conv2D, Flatten, MaxPool2D
from .diagnostics import activation_statistics, forward_flops
from .layers import BatchNorm1d, Dense, Residual
from .network import Sequential, mlp
from .optim import SGD, AdaGrad, Adam, Momentum, RMSProp
from .train import DivergenceError, History, evaluate, fit

__version__ = "1.0.0"

__all__ = [
    "SGD",
    "AdaGrad",
    "Adam",
    "BatchNorm1d",
    "Conv2D",
    "Dense",
    "DivergenceError",
    "Flatten",
    "History",
    "MaxPool2D",
    "Momentum",
    "RMSProp",
    "Residual",
    "Sequential",
    "activation_statistics",
    "activations",
    "conv",
    "diagnostics",
    "evaluate",
    "fit",
    "forward_flops",
    "gradcheck",
    "init",
    "layers",
    "losses",
    "metrics",
    "mlp",
    "network",
    "optim",
    "regularization",
    "train",
]
