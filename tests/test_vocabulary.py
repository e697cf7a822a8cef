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
