"""One vocabulary: the same argument order, names and kinds across every family."""

from __future__ import annotations

import inspect

import pytest

from nnbook import activations, init, losses, metrics, optim


def _shape(function):
    return [(p.name, p.kind) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("name", init.INITIALIZERS)
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


REGISTRIES = [  # (get_X, registry, aliases, an entry passed through, a wrong kind)
    (activations.get_activation, activations.ACTIVATIONS, activations.ACTIVATION_ALIASES,
     activations.LeakyReLU, activations.ReLU()),
    (init.get_initializer, init.INITIALIZERS, init.INITIALIZER_ALIASES,
     init.zeros, 3),
    (losses.get_loss, losses.LOSSES, losses.LOSS_ALIASES,
     losses.LOSSES["mse"], losses.mse),
    (optim.get_optimizer, optim.OPTIMIZERS, optim.OPTIMIZER_ALIASES,
     optim.SGD, "sgd-momentum"),
]


@pytest.mark.parametrize("get, registry, aliases, entry, wrong", REGISTRIES)
def test_every_registry_is_alike(get, registry, aliases, entry, wrong):
    """Public dict of names and of aliases; get_X returns the entry itself, every call."""
    assert all(name == name.lower() for name in (*registry, *aliases))
    assert set(aliases.values()) <= set(registry)
    for name, value in registry.items():
        assert get(name) is value and get(name.upper()) is value
    for alias, name in aliases.items():
        assert get(alias) is registry[name]
    assert get(entry) is entry
    with pytest.raises(ValueError, match="unknown") as caught:
        get(wrong)
    for name in (*registry, *aliases):
        assert repr(name) in str(caught.value)


@pytest.mark.parametrize("metric", [metrics.accuracy, metrics.confusion_matrix])
def test_metrics_take_prediction_then_target(metric):
    assert [name for name, _ in _shape(metric)][:2] == ["prediction", "target"]


def test_divergence_is_one_error_everywhere():
    from nnbook import train
    from nnbook.base import DivergenceError
    from nnbook.surfaces import gradient_descent

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


def test_a_scalar_in_gives_a_numpy_scalar_out_everywhere():
    """As NumPy's ufuncs: a 0-d input gives a NumPy scalar, from activations and surfaces."""
    import numpy as np

    from nnbook import surfaces

    functions = [getattr(activations, name) for name in (
        "sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad",
        "leaky_relu", "leaky_relu_grad", "identity", "identity_grad")]
    for function in functions:
        for x in (0.5, np.float32(0.5), np.array(0.5)):
            out = function(x)
            assert isinstance(out, np.floating), function.__name__
            assert out.dtype == np.asarray(x).dtype
        assert isinstance(function([0.5]), np.ndarray)
    assert isinstance(surfaces.rosenbrock()(0.5, 0.5), np.floating)
    assert isinstance(surfaces.rosenbrock().value(np.array([0.5, 0.5])), np.floating)
    assert isinstance(surfaces.rosenbrock()(np.array([0.5]), np.array([0.5])), np.ndarray)
