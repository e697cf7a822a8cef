"""Tests of nnbook.optim: update rules worked by hand, schedules, gradient_descent."""

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
    gradient_descent,
    step_decay,
    steps_to_reach,
)


def run(optimizer_cls, gradients, w0=1.0, **settings):
    """Apply ``optimizer_cls`` to one scalar parameter with the given gradients."""
    w, g = np.array([w0]), np.zeros(1)
    opt = optimizer_cls([("w", w, g)], **settings)
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
    opt = get_optimizer(name)([("w", w, g)], lr=0.05, weight_decay=weight_decay, **settings)
    for grad in grads:
        g[...] = grad
        opt.step()
        np.testing.assert_array_equal(g, grad)  # the gradient is read, never modified
    expected = reference_updates(name, w0, grads, 0.05, weight_decay, **settings)
    np.testing.assert_allclose(w, expected, rtol=1e-12, atol=1e-14)


def test_weight_decay_by_hand():
    # g + wd * w = 1 + 0.5 * 2 = 2; w = 2 - 0.1 * 2
    assert run(SGD, [1.0], w0=2.0, lr=0.1, weight_decay=0.5) == pytest.approx([1.8])


# ------------------------------------------- models, buffers, dtypes


@pytest.mark.parametrize("name", ["sgd", "momentum", "adagrad", "rmsprop", "adam"])
def test_model_vector_and_per_array_updates_agree(name):
    """Updating the packed parameter vector equals updating array by array."""
    rng = np.random.default_rng(1)
    a, b = mlp([3, 4, 2], batch_norm=True, rng=0), mlp([3, 4, 2], batch_norm=True, rng=0)
    opt_a = get_optimizer(name)(a, lr=0.01)  # one contiguous slot
    opt_b = get_optimizer(name)(list(b.parameters()), lr=0.01)  # one slot per array
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
    moments = [id(m) for m in opt.m_sum + opt.v_sum]
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
    assert [id(m) for m in opt.m_sum + opt.v_sum] == moments
    assert all(v.dtype == np.float32 for _, v, _ in model.parameters())
    assert all(m.dtype == np.float32 for m in opt.m_sum + opt.v_sum)


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


# ---------------------------------------------------------- gradient_descent


def test_gradient_descent_on_a_quadratic_has_the_closed_form_path():
    # f(x) = x1^2 + 10 x2^2: x_k = ((1 - 2 lr)^k x1, (1 - 20 lr)^k x2)
    path = gradient_descent(lambda x: np.array([2 * x[0], 20 * x[1]]), [1.0, 1.0], lr=0.04, steps=5)
    k = np.arange(6)
    np.testing.assert_allclose(path, np.stack([0.92**k, 0.2**k], axis=1), rtol=1e-12)


def test_gradient_descent_uses_the_optimizer_classes():
    def grad(x):
        return np.array([2 * x[0] - x[1], 4 * x[1] ** 3])

    path = gradient_descent(
        grad, np.array([1.0, -1.0]), lr=0.1, steps=4, optimizer="adam", beta1=0.5
    )
    w, g = np.array([1.0, -1.0]), np.zeros(2)
    opt = Adam([("x", w, g)], lr=0.1, beta1=0.5)
    for k in range(4):
        g[...] = grad(w)
        opt.step()
        np.testing.assert_array_equal(path[k + 1], w)
    assert path.shape == (5, 2)
    # Momentum goes further than SGD in the same number of steps on a long valley.
    sgd = gradient_descent(lambda x: 0.2 * x, [1.0], lr=0.1, steps=20)
    mom = gradient_descent(lambda x: 0.2 * x, [1.0], lr=0.1, steps=20, optimizer="momentum")
    assert abs(mom[-1, 0]) < abs(sgd[-1, 0])


def test_gradient_descent_checks():
    with pytest.raises(ValueError, match="grad_fn returned shape"):
        gradient_descent(lambda x: np.zeros(3), [1.0, 2.0], lr=0.1, steps=1)
    with pytest.raises(ValueError, match="steps"):
        gradient_descent(lambda x: x, [1.0], lr=0.1, steps=0)
    with pytest.raises(ValueError, match="lr"):
        gradient_descent(lambda x: x, [1.0], lr=-0.1, steps=1)
    with pytest.raises(ValueError, match="unknown optimizer"):
        gradient_descent(lambda x: x, [1.0], lr=0.1, steps=1, optimizer="newton")


def test_gradient_descent_reports_divergence_without_warnings():
    # |1 - lr * 2| = 2 per step: the iterate doubles until it overflows (bug: inf/nan
    # trajectories and RuntimeWarnings instead of a clear error).
    with pytest.raises(FloatingPointError, match="diverged at step 1024 of 2000 with lr=1.5"):
        gradient_descent(lambda x: 2 * x, [1.0], lr=1.5, steps=2000)
    # A large but finite excursion is a legitimate trajectory.
    path = gradient_descent(lambda x: 2 * x, [1.0], lr=1.5, steps=10)
    np.testing.assert_array_equal(path[:, 0], (-2.0) ** np.arange(11))


def test_gradient_descent_schedule_sets_the_rate_before_each_step():
    # f = x^2: x_{k+1} = (1 - 2 lr_k) x_k with lr_k = schedule(k), k from 0
    rates = [0.1, 0.2, 0.05, 0.3]
    path = gradient_descent(lambda x: 2 * x, [1.0], lr=9.0, steps=4, schedule=rates.__getitem__)
    expected = np.cumprod([1.0] + [1 - 2 * r for r in rates])
    np.testing.assert_allclose(path[:, 0], expected, rtol=1e-14)
    # A per-epoch Schedule over epochs of 3 steps equals setting the rate by hand each epoch.
    schedule = step_decay(0.3, step_size=1, gamma=0.5)

    def grad(x):
        return np.array([2 * x[0], 0.2 * x[1]])

    path = gradient_descent(grad, [1.0, 1.0], lr=0.3, steps=9, optimizer="momentum",
                            schedule=lambda k: schedule(k // 3))
    w, g = np.array([1.0, 1.0]), np.zeros(2)
    opt = Momentum([("x", w, g)], lr=0.3)
    for epoch in range(3):
        opt.lr = schedule(epoch)
        for k in range(3):
            g[...] = grad(w)
            opt.step()
            np.testing.assert_array_equal(path[3 * epoch + k + 1], w)
    # schedule=None and a constant schedule give the same path, bit for bit.
    a = gradient_descent(grad, [1.0, -1.0], lr=0.4, steps=20, optimizer="adam")
    b = gradient_descent(grad, [1.0, -1.0], lr=0.4, steps=20, optimizer="adam",
                         schedule=lambda k: 0.4)
    np.testing.assert_array_equal(a, b)


def test_gradient_descent_with_a_stochastic_gradient_and_packed_runs():
    """Noise drawn inside grad_fn from a seeded generator: reproducible, one run per row."""

    def noisy(seed):
        noise = np.random.default_rng(seed)
        return lambda x: 2 * x.reshape(5, 2) + noise.standard_normal((5, 2))

    a = gradient_descent(noisy(0), np.ones(10), lr=0.1, steps=30)
    b = gradient_descent(noisy(0), np.ones(10), lr=0.1, steps=30)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (31, 10) and not np.array_equal(a[-1, :2], a[-1, 2:4])


def test_gradient_descent_schedule_checks():
    with pytest.raises(ValueError, match="schedule must be a callable step -> lr or None"):
        gradient_descent(lambda x: x, [1.0], lr=0.1, steps=1, schedule=0.1)
    with pytest.raises(ValueError, match=r"lr must lie in \(0, inf\], got 0.0"):
        gradient_descent(lambda x: x, [1.0], lr=0.1, steps=3, schedule=lambda k: 0.1 * (1 - k))
    with pytest.raises(FloatingPointError, match="diverged at step 1024 of 2000 with lr=1.5"):
        gradient_descent(lambda x: 2 * x, [1.0], lr=0.1, steps=2000, schedule=lambda k: 1.5)


# ------------------------------------------------------------- steps_to_reach


def test_steps_to_reach_first_and_stay():
    # distances 2, 0.1, 0.5, 0.05, 0.01 to the target (3, 0)
    path = np.array([[5.0, 0.0], [3.0, 0.1], [2.5, 0.0], [3.0, -0.05], [3.01, 0.0]])
    target = [3.0, 0.0]
    assert steps_to_reach(path, target, tol=0.2) == 1
    assert steps_to_reach(path, target, tol=0.2, stay=True) == 3
    assert steps_to_reach(path, target, tol=1.0, stay=True) == 1
    assert steps_to_reach(path, target, tol=3.0) == steps_to_reach(path, target, 3.0, True) == 0
    assert steps_to_reach(path, target, tol=0.01) == 4  # the distance equals tol: within
    assert steps_to_reach(path, target, tol=0.001) is None
    assert steps_to_reach(path[:3], target, tol=0.2, stay=True) is None  # last point outside
    assert steps_to_reach(path[:1], target, tol=3.0, stay=True) == 0
    assert isinstance(steps_to_reach(path, target, tol=0.2), int)


def test_steps_to_reach_on_momentum_which_overshoots():
    # The heavy ball on f = x^2 / 2 swings through the minimum: it is near 0 early,
    # leaves again, and stays only later; plain descent never overshoots here.
    mom = gradient_descent(lambda x: x, [1.0], lr=0.5, steps=200, optimizer="momentum",
                           momentum=0.9)
    first, stay = steps_to_reach(mom, [0.0], 0.05), steps_to_reach(mom, [0.0], 0.05, stay=True)
    assert first < stay
    distance = np.abs(mom[:, 0])
    assert distance[first] <= 0.05 < distance[first - 1]
    assert np.all(distance[stay:] <= 0.05) and distance[stay - 1] > 0.05
    assert np.any(distance[first:stay] > 0.05)
    gd = gradient_descent(lambda x: x, [1.0], lr=0.5, steps=200)
    assert steps_to_reach(gd, [0.0], 0.05) == steps_to_reach(gd, [0.0], 0.05, stay=True) == 5


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (([1.0, 2.0], [0.0]), r"path must have shape \(K \+ 1, dim\)"),
        ((np.zeros((0, 2)), [0.0, 0.0]), "path must have shape"),
        ((np.zeros((3, 2)), [0.0]), r"target must have shape \(2,\)"),
        ((np.zeros((3, 2)), [0.0, 0.0], 0.0), "tol"),
        ((np.zeros((3, 2)), [0.0, 0.0], 1e-3, "yes"), "stay must be True or False"),
        (([[np.nan, 0.0]], [0.0, 0.0]), "path contains 1 non-finite"),
    ],
)
def test_steps_to_reach_checks(args, match):
    with pytest.raises(ValueError, match=match):
        steps_to_reach(*args)


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
