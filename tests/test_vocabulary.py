"""One vocabulary: the same argument order, names and kinds across every family."""

from __future__ import annotations

import inspect

import pytest

from nnbook import init, metrics


def _shape(function):
    return [(p.name, p.kind) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("name", sorted(set(init._INITIALIZERS)))
def test_every_initializer_has_one_signature(name):
    function = init.get_initializer(name)
    params = [p for p in _shape(function) if p[0] != "std"]  # random_normal's own scale
    P = inspect.Parameter
    assert params == [
        ("fan_in", P.POSITIONAL_OR_KEYWORD),
        ("fan_out", P.POSITIONAL_OR_KEYWORD),
        ("rng", P.KEYWORD_ONLY),
        ("dtype", P.KEYWORD_ONLY),
    ]


@pytest.mark.parametrize("metric", [metrics.accuracy, metrics.confusion_matrix])
def test_metrics_take_prediction_then_target(metric):
    assert [name for name, _ in _shape(metric)][:2] == ["prediction", "target"]


def test_divergence_is_one_error_everywhere():
    from nnbook import train
    from nnbook.base import DivergenceError
    from nnbook.optim import gradient_descent

    assert train.DivergenceError is DivergenceError
    with pytest.raises(DivergenceError, match="diverged at step") as caught:
        gradient_descent(lambda x: 2 * x, [1.0], lr=1.5, steps=2000)
    assert caught.value.epoch == 1024 and isinstance(caught.value, FloatingPointError)


def test_beta_has_one_meaning():
    """beta is smooth L1's threshold only; momentum is the weight of the past wherever
    it appears; RMSProp's decay is rho; Adam keeps beta1 and beta2 (its own pair)."""
    import numpy as np

    from nnbook.layers import BatchNorm1d
    from nnbook.losses import smooth_l1
    from nnbook.optim import Adam, Momentum, RMSProp

    params = inspect.signature
    assert "momentum" in params(Momentum).parameters and "beta" not in params(Momentum).parameters
    assert "rho" in params(RMSProp).parameters and "beta" not in params(RMSProp).parameters
    assert {"beta1", "beta2"} <= set(params(Adam).parameters)
    assert "beta" in params(smooth_l1).parameters
    # BatchNorm's momentum weighs the past, as Momentum's does: after one batch of
    # mean 2 from a running mean of 0, momentum 0.75 leaves 0.25 * 2.
    bn = BatchNorm1d(1, momentum=0.75)
    bn.forward(np.array([[0.0], [4.0]]))
    assert bn.running_mean[0] == 0.5
