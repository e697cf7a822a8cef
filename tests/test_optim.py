"""Tests of nnbook.optim: update rules worked by hand, weight decay, buffers, schedules."""

import math
import tracemalloc

import numpy as np
import pytest

from nnbook.network import mlp
from nnbook.optim import (
    SGD,
    AdaGrad,
    Adam,
    Momentum,
    RMSProp,
    cosine,
    exponential_decay,
    get_optimizer,
    step_decay,
)


def run(optimizer_cls, gradients, w0=1.0, **settings):
    """Apply ``optimizer_cls`` to one scalar parameter with the given gradients."""
    w, g = np.array([w0]), np.zeros(1)
    opt = optimizer_cls([("W", w, g)], **settings)
    path = []
    for grad in gradients:
        g[0] = grad
        opt.step()
        path.append(float(w[0]))
    return path


# ------------------------------------------------------- rules, by hand


def test_sgd_by_hand():
    w, g = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    opt = SGD([("w", w, g)], lr=0.1)
    opt.step()
    np.testing.assert_allclose(w, [0.95, -2.05])
    g[...] = [-1.0, 2.0]
    opt.step()
    np.testing.assert_allclose(w, [1.05, -2.25])
    assert opt.iterations == 2


def test_momentum_by_hand():
    # v = 1, 0.9 * 1 + 2 = 2.9, 0.9 * 2.9 - 1 = 1.61; w -= 0.1 v each time
    assert run(Momentum, [1.0, 2.0, -1.0], lr=0.1, momentum=0.9) == pytest.approx(
        [0.9, 0.61, 0.449], rel=1e-12
    )


def test_momentum_zero_is_sgd():
    grads = [0.3, -1.2, 2.0]
    assert run(Momentum, grads, lr=0.05, momentum=0.0) == run(SGD, grads, lr=0.05)


def test_adagrad_by_hand():
    # s = 4 then 5: w = 1 - 0.1 * 2 / 2, then - 0.1 * 1 / sqrt(5)
    first = 1 - 0.1 * 2 / (2 + 1e-10)
    assert run(AdaGrad, [2.0, 1.0], lr=0.1, eps=1e-10) == pytest.approx(
        [first, first - 0.1 / (math.sqrt(5) + 1e-10)], rel=1e-12
    )


def test_rmsprop_by_hand():
    # v = 0.01 * 4 = 0.04, then 0.99 * 0.04 + 0.01 * 4 = 0.0796
    first = 1 - 0.01 * 2 / (0.2 + 1e-8)
    assert run(RMSProp, [2.0, 2.0], lr=0.01, rho=0.99, eps=1e-8) == pytest.approx(
        [first, first - 0.01 * 2 / (math.sqrt(0.0796) + 1e-8)], rel=1e-12
    )


def test_adam_by_hand():
    # t=1: m = 0.2, v = 0.004, m_hat = 2, v_hat = 4.
    # t=2: m = 0.9 * 0.2 - 0.1 = 0.08, v = 0.999 * 0.004 + 0.001 = 0.004996,
    #      m_hat = 0.08 / (1 - 0.81), v_hat = 0.004996 / (1 - 0.998001).
    first = 1 - 0.1 * 2 / (2 + 1e-8)
    second = first - 0.1 * (0.08 / 0.19) / (math.sqrt(0.004996 / 0.001999) + 1e-8)
    assert run(Adam, [2.0, -1.0], lr=0.1) == pytest.approx([first, second], rel=1e-12)
    assert second == pytest.approx(0.873366, abs=1e-6)
    # The moments are kept as the formulas name them: m and v (not discounted sums).
    w, g = np.array([1.0]), np.array([2.0])
    opt = Adam([("w", w, g)], lr=0.1)
    opt.step()
    g[0] = -1.0
    opt.step()
    assert opt.m[0][0] == pytest.approx(0.08, rel=1e-12)
    assert opt.v[0][0] == pytest.approx(0.004996, rel=1e-12)


def reference_updates(name, w, grads, lr, wd, **s):
    """The torch.optim formulas, written out plainly (allocating, no tricks)."""
    w = w.copy()
    state = {"v": np.zeros_like(w), "m": np.zeros_like(w), "s": np.zeros_like(w)}
    for t, g in enumerate(grads, start=1):
        g = g + wd * w
        if name == "sgd":
            w = w - lr * g
        elif name == "momentum":
            state["v"] = s["momentum"] * state["v"] + g
            w = w - lr * state["v"]
        elif name == "adagrad":
            state["s"] = state["s"] + g * g
            w = w - lr * g / (np.sqrt(state["s"]) + s["eps"])
        elif name == "rmsprop":
            state["v"] = s["rho"] * state["v"] + (1 - s["rho"]) * g * g
            w = w - lr * g / (np.sqrt(state["v"]) + s["eps"])
        else:
            state["m"] = s["beta1"] * state["m"] + (1 - s["beta1"]) * g
            state["v"] = s["beta2"] * state["v"] + (1 - s["beta2"]) * g * g
            m_hat = state["m"] / (1 - s["beta1"] ** t)
            v_hat = state["v"] / (1 - s["beta2"] ** t)
            w = w - lr * m_hat / (np.sqrt(v_hat) + s["eps"])
    return w


@pytest.mark.parametrize(
    ("name", "settings"),
    [
        ("sgd", {}),
        ("momentum", {"momentum": 0.8}),
        ("adagrad", {"eps": 1e-3}),
        ("rmsprop", {"rho": 0.9, "eps": 1e-3}),
        ("adam", {"beta1": 0.8, "beta2": 0.95, "eps": 1e-3}),
    ],
)
@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_rules_match_the_formulas_over_many_steps(name, settings, weight_decay):
    rng = np.random.default_rng(0)
    w0 = rng.standard_normal(7)
    grads = [rng.standard_normal(7) for _ in range(6)]
    w, g = w0.copy(), np.zeros(7)
    opt = get_optimizer(name)([("W", w, g)], lr=0.05, weight_decay=weight_decay, **settings)
    for grad in grads:
        g[...] = grad
        opt.step()
        np.testing.assert_array_equal(g, grad)  # the gradient is read, never modified
    expected = reference_updates(name, w0, grads, 0.05, weight_decay, **settings)
    np.testing.assert_allclose(w, expected, rtol=1e-12, atol=1e-14)


def test_weight_decay_by_hand():
    # g + wd * w = 1 + 0.5 * 2 = 2; w = 2 - 0.1 * 2
    assert run(SGD, [1.0], w0=2.0, lr=0.1, weight_decay=0.5) == pytest.approx([1.8])


# ------------------------------------------- weight decay: the weight matrices only


@pytest.mark.parametrize("name", ["sgd", "momentum", "adagrad", "rmsprop", "adam"])
@pytest.mark.parametrize("packed", [True, False])
def test_weight_decay_spares_biases_and_batch_norm(name, packed):
    """With a zero data gradient only the decay acts: the weights move, the biases and
    batch norm's gamma and beta do not (bug: every parameter was decayed)."""
    model = mlp([3, 4, 2], batch_norm=True, rng=0)
    for layer in model.layers:
        for key, value in layer.params.items():
            if key != "W":
                value[...] = 0.5  # off 0, where a decay would show
    params = model if packed else list(model.parameters())
    opt = get_optimizer(name)(params, lr=0.1, weight_decay=0.3)
    assert len(opt._slots) == (1 if packed else 6)
    before = {n: v.copy() for n, v, _ in model.parameters()}
    for _, _, grad in model.parameters():
        grad[...] = 0.0
    for _ in range(3):
        opt.step()
    for n, value, _ in model.parameters():
        if n.endswith(".W"):
            assert np.all(np.abs(value) < np.abs(before[n])), n
        else:
            np.testing.assert_array_equal(value, before[n])


def test_weight_decay_by_name():
    """A weight matrix is a parameter called W: 'W' for a triple, '0.W' in a Sequential."""
    w, b, g = np.ones(2), np.ones(2), np.zeros(2)
    SGD([("W", w, g), ("b", b, g)], lr=0.1, weight_decay=1.0).step()
    np.testing.assert_allclose(w, 0.9, rtol=1e-15)
    np.testing.assert_array_equal(b, 1.0)


@pytest.mark.parametrize("cls", [SGD, Momentum, AdaGrad, RMSProp, Adam])
def test_weight_decay_without_a_weight_matrix_raises(cls):
    lr = {} if cls is Adam else {"lr": 0.1}
    params = [("w", np.ones(2), np.zeros(2)), ("0.b", np.ones(2), np.zeros(2))]
    with pytest.raises(ValueError, match=r"weight_decay=0.1 decays the weight matrices, the "
                       r"parameters named 'W' \(e.g. '0.W' in a Sequential\), but the parameters "
                       r"are \['w', '0.b'\]; expected a model with Dense layers"):
        cls(params, weight_decay=0.1, **lr)
    opt = cls(params, **lr)  # no decay asked: fine
    with pytest.raises(ValueError, match="decays the weight matrices"):
        opt.weight_decay = 0.1
    assert opt.weight_decay == 0.0


def test_weight_decay_is_settable_and_takes_effect():
    w, g = np.ones(1), np.zeros(1)
    opt = SGD([("W", w, g)], lr=0.1)
    opt.step()
    assert w[0] == 1.0
    opt.weight_decay = 0.5
    opt.step()
    assert w[0] == pytest.approx(0.95, rel=1e-15)
    with pytest.raises(ValueError, match="weight_decay"):
        opt.weight_decay = -1.0
    assert repr(opt) == "SGD(lr=0.1, weight_decay=0.5)"


@pytest.mark.parametrize("batch_norm", [False, True])
def test_weight_decay_is_fits_l2_penalty(batch_norm):
    """SGD(model, lr, weight_decay=lam) and fit(..., penalty=("l2", lam)) with plain SGD
    train the same parameters: lam/2 ||W||^2 has the gradient lam W, on the W only."""
    from nnbook.train import fit

    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 60)
    X = 3.0 * rng.standard_normal((3, 2))[y] + rng.standard_normal((60, 2))
    lr, lam = 0.05, 0.1

    def train(decay, penalty):
        model = mlp([2, 6, 3], batch_norm=batch_norm, rng=0)
        fit(model, "cross_entropy", SGD(model, lr=lr, weight_decay=decay), X, y,
            epochs=4, batch_size=16, rng=0, penalty=penalty)
        return {name: value.copy() for name, value, _ in model.parameters()}

    by_decay, by_penalty, plain = train(lam, None), train(0.0, ("l2", lam)), train(0.0, None)
    for name in by_decay:
        np.testing.assert_allclose(by_decay[name], by_penalty[name], rtol=1e-12, atol=1e-15)
        assert not np.allclose(by_decay[name], plain[name], rtol=1e-9, atol=0)  # it acted


@pytest.mark.parametrize(
    ("name", "torch_name", "settings", "torch_settings"),
    [
        ("sgd", "SGD", {}, {}),
        ("momentum", "SGD", {"momentum": 0.8}, {"momentum": 0.8}),
        ("adagrad", "Adagrad", {"eps": 1e-3}, {"eps": 1e-3}),
        ("rmsprop", "RMSprop", {"rho": 0.9, "eps": 1e-3}, {"alpha": 0.9, "eps": 1e-3}),
        ("adam", "Adam", {"beta1": 0.8, "beta2": 0.95, "eps": 1e-3},
         {"betas": (0.8, 0.95), "eps": 1e-3}),
    ],
)
def test_rules_match_torch_with_weight_decay_on_the_weights(
    name, torch_name, settings, torch_settings
):
    """torch.optim with two parameter groups, weight_decay on the weights only, takes the
    same steps as nnbook's optimizer on a packed model with batch norm."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    model = mlp([3, 5, 2], batch_norm=True, rng=0)
    names = [n for n, _, _ in model.parameters()]
    tensors = [torch.tensor(v.copy(), requires_grad=True) for _, v, _ in model.parameters()]
    groups = [
        {"params": [t for n, t in zip(names, tensors, strict=True) if n.endswith(".W")],
         "weight_decay": 0.1},
        {"params": [t for n, t in zip(names, tensors, strict=True) if not n.endswith(".W")],
         "weight_decay": 0.0},
    ]
    ours = get_optimizer(name)(model, lr=0.05, weight_decay=0.1, **settings)
    theirs = getattr(torch.optim, torch_name)(groups, lr=0.05, **torch_settings)
    for _ in range(6):
        for (_, _, grad), tensor in zip(model.parameters(), tensors, strict=True):
            grad[...] = rng.standard_normal(grad.shape)
            tensor.grad = torch.tensor(grad.copy())
        ours.step()
        theirs.step()
    for (n, value, _), tensor in zip(model.parameters(), tensors, strict=True):
        np.testing.assert_allclose(value, tensor.detach().numpy(), rtol=1e-12, atol=1e-14,
                                   err_msg=n)


def test_a_model_whose_flat_vector_is_not_its_parameters_is_updated_array_by_array():
    """The packed path is taken only when flat_parameters() is the concatenation of the
    arrays of parameters(), checked offset by offset; otherwise each array is a slot."""

    class Copying:
        def __init__(self):
            self.W, self.b = np.ones((2, 2)), np.ones(2)
            self.gW, self.gb = np.full((2, 2), 1.0), np.full(2, 1.0)

        def parameters(self):
            yield "W", self.W, self.gW
            yield "b", self.b, self.gb

        def flat_parameters(self):  # a copy: updating it would not train
            return (np.concatenate([self.W.ravel(), self.b]),
                    np.concatenate([self.gW.ravel(), self.gb]))

    model = Copying()
    opt = SGD(model, lr=0.1, weight_decay=1.0)
    assert len(opt._slots) == 2
    opt.step()
    np.testing.assert_allclose(model.W, 1.0 - 0.1 * (1.0 + 1.0), rtol=1e-15)
    np.testing.assert_allclose(model.b, 1.0 - 0.1, rtol=1e-15)
    packed = mlp([3, 4, 2], rng=0)
    assert len(SGD(packed, lr=0.1)._slots) == 1  # a Sequential's vector is its parameters


# ------------------------------------------- models, buffers, dtypes


@pytest.mark.parametrize("name", ["sgd", "momentum", "adagrad", "rmsprop", "adam"])
def test_model_vector_and_per_array_updates_agree(name):
    """Updating the packed parameter vector equals updating array by array."""
    rng = np.random.default_rng(1)
    a, b = mlp([3, 4, 2], batch_norm=True, rng=0), mlp([3, 4, 2], batch_norm=True, rng=0)
    opt_a = get_optimizer(name)(a, lr=0.01, weight_decay=0.1)  # one contiguous slot
    opt_b = get_optimizer(name)(list(b.parameters()), lr=0.01, weight_decay=0.1)  # per array
    assert len(opt_a._slots) == 1 and len(opt_b._slots) == 6
    assert opt_a.names == opt_b.names == ["0.W", "0.b", "1.gamma", "1.beta", "3.W", "3.b"]
    for _ in range(3):
        X, G = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
        for model, opt in ((a, opt_a), (b, opt_b)):
            model.forward(X)
            model.backward(G)
            opt.step()
    for (_, va, _), (_, vb, _) in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(va, vb)


def test_step_updates_in_place_without_allocating():
    model = mlp([300, 300, 10], rng=0, dtype=np.float32)
    params = [value for _, value, _ in model.parameters()]
    opt = Adam(model, lr=1e-3)
    moments = [id(m) for m in opt.m + opt.v]
    for _, _, grad in model.parameters():
        grad[...] = 0.5
    opt.step()  # warm-up
    tracemalloc.start()
    try:
        opt.step()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10_000  # bytes, against 0.36 MB of parameters: no temporary arrays
    assert [value for _, value, _ in model.parameters()] == params  # same objects...
    assert all(a is b for a, b in zip(params, [v for _, v, _ in model.parameters()], strict=True))
    assert [id(m) for m in opt.m + opt.v] == moments
    assert all(v.dtype == np.float32 for _, v, _ in model.parameters())
    assert all(m.dtype == np.float32 for m in opt.m + opt.v)


def test_lr_is_settable_and_checked():
    opt = Adam([("w", np.ones(2), np.ones(2))])
    assert opt.lr == 1e-3
    opt.lr = 0.5
    assert opt.lr == 0.5
    with pytest.raises(ValueError, match=r"lr must lie in \(0, inf\], got 0.0"):
        opt.lr = 0.0
    assert repr(opt) == "Adam(lr=0.5, beta1=0.9, beta2=0.999, eps=1e-08)"


@pytest.mark.parametrize(
    ("cls", "settings", "match"),
    [
        (SGD, {"lr": 0.0}, "lr"),
        (SGD, {"lr": -1.0}, "lr"),
        (SGD, {"lr": float("nan")}, "lr"),
        (SGD, {"lr": 0.1, "weight_decay": -1.0}, "weight_decay"),
        (Momentum, {"lr": 0.1, "momentum": 1.0}, "momentum"),
        (Momentum, {"lr": 0.1, "momentum": -0.1}, "momentum"),
        (AdaGrad, {"lr": 0.1, "eps": 0.0}, "eps"),
        (RMSProp, {"lr": 0.1, "rho": 1.0}, "rho"),
        (RMSProp, {"lr": 0.1, "eps": -1e-8}, "eps"),
        (Adam, {"beta1": 1.0}, "beta1"),
        (Adam, {"beta2": 1.5}, "beta2"),
        (Adam, {"eps": 0.0}, "eps"),
    ],
)
def test_bad_settings_raise(cls, settings, match):
    with pytest.raises(ValueError, match=match):
        cls([("w", np.ones(2), np.ones(2))], **settings)


def test_bad_params_raise():
    with pytest.raises(ValueError, match="no parameters"):
        SGD([], lr=0.1)
    with pytest.raises(ValueError, match="gradient of 'w' must be an ndarray of shape"):
        SGD([("w", np.ones(2), np.ones(3))], lr=0.1)
    with pytest.raises(ValueError, match="'w' must be a float32 or float64 ndarray"):
        SGD([("w", [1.0], np.ones(1))], lr=0.1)
    with pytest.raises(ValueError, match="triples"):
        SGD([np.ones(2)], lr=0.1)
    with pytest.raises(ValueError, match="unknown optimizer 'adamw'"):
        get_optimizer("adamw")
    assert get_optimizer("RMSProp") is RMSProp and get_optimizer(Adam) is Adam


# ----------------------------------------------------------------- schedules


def test_step_decay():
    schedule = step_decay(0.1, step_size=3, gamma=0.5)
    assert [schedule(e) for e in range(7)] == pytest.approx(
        [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]
    )
    assert repr(schedule) == "step_decay(lr0=0.1, step_size=3, gamma=0.5)"


def test_exponential_decay():
    schedule = exponential_decay(0.2, gamma=0.9)
    assert [schedule(e) for e in range(3)] == pytest.approx([0.2, 0.18, 0.162])


def test_cosine():
    schedule = cosine(1.0, total_epochs=10, lr_min=0.1)
    assert schedule(0) == 1.0
    assert schedule(5) == pytest.approx(0.55)  # halfway: the mean of lr0 and lr_min
    assert schedule(10) == pytest.approx(0.1) and schedule(15) == pytest.approx(0.1)
    values = [schedule(e) for e in range(11)]
    assert all(a > b for a, b in zip(values, values[1:], strict=False))


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: step_decay(0.0, 2), "lr0"),
        (lambda: step_decay(0.1, 0), "step_size"),
        (lambda: step_decay(0.1, 2, gamma=1.5), "gamma"),
        (lambda: exponential_decay(0.1, gamma=0.0), "gamma"),
        (lambda: cosine(0.1, 0), "total_epochs"),
        (lambda: cosine(0.1, 10, lr_min=0.2), "lr_min"),
        (lambda: cosine(0.1, 10)(-1), "epoch"),
        (lambda: cosine(0.1, 10)(1.5), "epoch"),
    ],
)
def test_schedule_checks(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("cls", [SGD, Momentum, AdaGrad, RMSProp, Adam])
def test_an_optimizer_step_allocates_no_array(cls):
    """The README's claim: the update runs in buffers made once (a parameter array
    here is 38 kB; a step may allocate a few Python objects, no array)."""
    import tracemalloc

    from nnbook.network import mlp

    model = mlp([64, 128, 10], rng=0, dtype=np.float32)
    opt = cls(model, lr=1e-3, weight_decay=1e-4)
    opt.step()  # buffers made on first use are made now
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        opt.step()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4096, f"{cls.__name__}.step allocated {peak} bytes"
