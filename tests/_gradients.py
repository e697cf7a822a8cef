"""The gradient check shared by the layer tests: a layer against finite differences."""

from __future__ import annotations

import numpy as np

from nnbook.gradcheck import numerical_gradient


def assert_grad_close(analytic, numeric):
    """Analytic vs central-difference gradient, float64 (tolerant of exact zeros)."""
    scale = max(1.0, float(np.abs(numeric).max()))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8 * scale)


def check_layer_gradients(layer, x, rng):
    """dL/dx and every dL/dparam of L = sum(G * layer(x)) against finite differences.

    The parameters are those ``layer.parameters()`` yields, so a layer whose
    parameters live in a sub-block (a Residual) is checked too.
    """
    out = layer.forward(x)
    G = rng.standard_normal(out.shape)
    dx = layer.backward(G)
    analytic = [grad.copy() for _, _, grad in layer.parameters()]

    def probe(x_):
        return float(np.sum(G * layer.forward(x_)))

    assert_grad_close(dx, numerical_gradient(probe, x))
    for (_, value, _), grad in zip(layer.parameters(), analytic, strict=True):
        original = value.copy()

        def probe_param(v, value=value):
            value[...] = v
            return float(np.sum(G * layer.forward(x)))

        numeric = numerical_gradient(probe_param, original)
        value[...] = original
        assert_grad_close(grad, numeric)
