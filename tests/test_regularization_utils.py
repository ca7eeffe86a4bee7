"""Tests of the student-side helpers of the Regularization assignment."""

import subprocess
import sys
import warnings

import numpy as np
import pytest

import assignments.regularization_utils as U

GRADIENT_KEYS = {"dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"}


def small_network(seed=0, dims=(3, 5, 4, 1), m=7):
    """A random network with dims, inputs X (dims[0], m) and labels Y (1, m) holding both classes."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
        parameters[f"b{l}"] = rng.standard_normal((dims[l], 1)) * 0.5
    X = rng.standard_normal((dims[0], m))
    Y = (np.arange(m) % 2).reshape(1, m).astype(float)
    return X, Y, parameters


# --- activations and cost ---------------------------------------------------------------------------

def test_sigmoid_and_relu_are_elementwise():
    x = np.array([[-2.0, 0.0, 3.0], [1.0, -0.5, 0.25]])
    s = U.sigmoid(x)
    assert s.shape == x.shape
    np.testing.assert_allclose(s, 1 / (1 + np.exp(-x)))
    assert U.sigmoid(np.array([0.0]))[0] == 0.5
    np.testing.assert_array_equal(U.relu(x), np.where(x > 0, x, 0.0))
    assert U.relu(x).shape == x.shape


def test_sigmoid_saturates_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = U.sigmoid(np.array([[-1000.0, 1000.0]]))
    np.testing.assert_array_equal(s, [[0.0, 1.0]])


def test_compute_cost_value_and_type():
    a3 = np.array([[0.8, 0.3, 0.6, 0.1]])
    Y = np.array([[1, 0, 0, 0]])
    expected = -(np.log(0.8) + np.log(0.7) + np.log(0.4) + np.log(0.9)) / 4
    cost = U.compute_cost(a3, Y)
    assert type(cost) is float
    assert cost == pytest.approx(expected, rel=1e-12)


def test_compute_cost_skips_zero_times_log_zero():
    a3 = np.array([[1.0, 0.0, 0.5]])
    Y = np.array([[1.0, 0.0, 1.0]])
    assert U.compute_cost(a3, Y) == pytest.approx(np.log(2) / 3, rel=1e-12)


# --- network ----------------------------------------------------------------------------------------

def test_initialize_parameters_shapes_scale_and_seed():
    dims = [2, 20, 3, 1]
    p = U.initialize_parameters(dims)
    assert set(p) == {"W1", "b1", "W2", "b2", "W3", "b3"}
    for l in range(1, 4):
        assert p[f"W{l}"].shape == (dims[l], dims[l - 1])
        assert p[f"b{l}"].shape == (dims[l], 1)
        np.testing.assert_array_equal(p[f"b{l}"], 0.0)
    np.random.seed(3)
    np.testing.assert_array_equal(p["W1"], np.random.randn(20, 2) / np.sqrt(2))
    np.testing.assert_array_equal(p["W2"], np.random.randn(3, 20) / np.sqrt(20))
    np.random.seed(12345)
    again = U.initialize_parameters(dims)
    for key in p:
        np.testing.assert_array_equal(p[key], again[key])


def test_forward_propagation_shapes_and_cache_layout():
    X, _, p = small_network()
    A3, cache = U.forward_propagation(X, p)
    assert A3.shape == (1, X.shape[1])
    assert len(cache) == 12
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3c, W3, b3 = cache
    assert Z1.shape == A1.shape == (5, 7)
    assert Z2.shape == A2.shape == (4, 7)
    assert Z3.shape == (1, 7)
    assert W1 is p["W1"] and b1 is p["b1"] and W2 is p["W2"] and b2 is p["b2"]
    assert W3 is p["W3"] and b3 is p["b3"]
    np.testing.assert_array_equal(A3c, A3)
    np.testing.assert_allclose(Z1, p["W1"] @ X + p["b1"])
    np.testing.assert_array_equal(A1, np.maximum(Z1, 0))
    np.testing.assert_allclose(A3, 1 / (1 + np.exp(-(p["W3"] @ A2 + p["b3"]))))


def test_backward_propagation_shapes():
    X, Y, p = small_network()
    _, cache = U.forward_propagation(X, p)
    grads = U.backward_propagation(X, Y, cache)
    assert set(grads) == GRADIENT_KEYS
    Z1, A1, _, _, Z2, A2, _, _, Z3, _, _, _ = cache
    for l in (1, 2, 3):
        assert grads[f"dW{l}"].shape == p[f"W{l}"].shape
        assert grads[f"db{l}"].shape == p[f"b{l}"].shape
    assert grads["dZ3"].shape == Z3.shape
    assert grads["dA2"].shape == grads["dZ2"].shape == A2.shape
    assert grads["dA1"].shape == grads["dZ1"].shape == A1.shape


def test_backward_propagation_matches_finite_differences():
    X, Y, p = small_network(seed=1)
    _, cache = U.forward_propagation(X, p)
    Z1, _, _, _, Z2, _, _, _, _, _, _, _ = cache
    # central differences are only valid away from the ReLU kinks
    assert np.abs(Z1).min() > 1e-3 and np.abs(Z2).min() > 1e-3

    grads = U.backward_propagation(X, Y, cache)
    eps = 1e-6
    for key in ("W1", "b1", "W2", "b2", "W3", "b3"):
        numeric = np.zeros_like(p[key])
        for idx in np.ndindex(p[key].shape):
            plus = {k: v.copy() for k, v in p.items()}
            minus = {k: v.copy() for k, v in p.items()}
            plus[key][idx] += eps
            minus[key][idx] -= eps
            j_plus = U.compute_cost(U.forward_propagation(X, plus)[0], Y)
            j_minus = U.compute_cost(U.forward_propagation(X, minus)[0], Y)
            numeric[idx] = (j_plus - j_minus) / (2 * eps)
        analytic = grads["d" + key]
        diff = np.linalg.norm(analytic - numeric) / (np.linalg.norm(analytic) + np.linalg.norm(numeric))
        assert diff < 1e-7, (key, diff)


def test_backward_propagation_intermediate_gradients_are_per_example():
    """dZ3, dA2, dZ2, dA1, dZ1 are gradients of m * cost (the course's convention)."""
    X, Y, p = small_network(seed=2)
    m = X.shape[1]
    _, cache = U.forward_propagation(X, p)
    Z1, A1, _, _, Z2, A2, _, _, Z3, A3, _, _ = cache
    grads = U.backward_propagation(X, Y, cache)
    np.testing.assert_allclose(grads["dZ3"], A3 - Y)

    def cost_from_A2(a2):
        return m * U.compute_cost(U.sigmoid(p["W3"] @ a2 + p["b3"]), Y)

    eps = 1e-6
    numeric = np.zeros_like(A2)
    for idx in np.ndindex(A2.shape):
        up, down = A2.copy(), A2.copy()
        up[idx] += eps
        down[idx] -= eps
        numeric[idx] = (cost_from_A2(up) - cost_from_A2(down)) / (2 * eps)
    np.testing.assert_allclose(grads["dA2"], numeric, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(grads["dZ2"], grads["dA2"] * (A2 > 0))
    np.testing.assert_allclose(grads["dA1"], p["W2"].T @ grads["dZ2"])
    np.testing.assert_allclose(grads["dZ1"], grads["dA1"] * (A1 > 0))


def test_update_parameters_returns_a_new_dict():
    _, _, p = small_network()
    grads = {"d" + k: np.full_like(v, 2.0) for k, v in p.items()}
    original = {k: v.copy() for k, v in p.items()}
    new = U.update_parameters(p, grads, 0.1)
    assert set(new) == set(p)
    for k in p:
        assert new[k].shape == p[k].shape
        np.testing.assert_allclose(new[k], original[k] - 0.2)
        np.testing.assert_array_equal(p[k], original[k])


# --- prediction -------------------------------------------------------------------------------------

def test_predict_accuracy_and_predict_dec(capsys):
    X, _, p = small_network(m=9)
    A3, _ = U.forward_propagation(X, p)
    expected = (A3 > 0.5).astype(int)
    y = expected.copy()
    y[0, 0] = 1 - y[0, 0]  # one mistake out of nine

    pred = U.predict(X, y, p)
    assert pred.shape == (1, 9)
    assert np.issubdtype(pred.dtype, np.integer)
    np.testing.assert_array_equal(pred, expected)
    out = capsys.readouterr().out
    assert out.startswith("Accuracy: ")
    assert float(out.split()[1]) == pytest.approx(8 / 9)

    acc = U.accuracy(X, y, p)
    assert type(acc) is float and acc == pytest.approx(8 / 9)
    assert capsys.readouterr().out == ""

    dec = U.predict_dec(p, X)
    assert dec.shape == (1, 9)
    np.testing.assert_array_equal(dec.astype(int), expected)


# --- data -------------------------------------------------------------------------------------------

def test_load_dataset_shapes_and_labels():
    train_X, train_Y, test_X, test_Y = U.load_dataset()
    assert train_X.shape[0] == test_X.shape[0] == 2
    assert train_Y.shape == (1, train_X.shape[1])
    assert test_Y.shape == (1, test_X.shape[1])
    assert 150 <= train_X.shape[1] <= 500 and 150 <= test_X.shape[1] <= 500
    for Y in (train_Y, test_Y):
        assert set(np.unique(Y)) == {0, 1}
        assert 0.3 < Y.mean() < 0.7
    assert np.all(np.isfinite(train_X)) and np.all(np.isfinite(test_X))


def test_load_dataset_is_deterministic_and_ignores_global_seed():
    np.random.seed(0)
    first = U.load_dataset()
    np.random.seed(99)
    np.random.rand(5)
    second = U.load_dataset()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert U.load_2D_dataset is U.load_dataset


@pytest.fixture(scope="module")
def three_runs():
    """The assignment's three experiments, full length, with the reference graded functions.

    Measured at about 2 s, 2.3 s and 3.4 s on a 2-core machine, so the real claim is tested rather
    than a shortened one.
    """
    import solutions.regularization as reference

    train_X, train_Y, test_X, test_Y = U.load_dataset()
    results = {}
    for name, kwargs in (("none", {}), ("l2", {"lambd": 0.7}), ("dropout", {"keep_prob": 0.86})):
        parameters, costs = U.train(train_X, train_Y, reference, **kwargs)
        results[name] = (U.accuracy(train_X, train_Y, parameters),
                         U.accuracy(test_X, test_Y, parameters), parameters, costs)
    return results


def test_unregularized_model_overfits(three_runs):
    train_acc, test_acc, _, costs = three_runs["none"]
    assert train_acc - test_acc >= 0.05, (train_acc, test_acc)
    assert len(costs) == 30
    assert costs[-1] < costs[0]


def test_l2_and_dropout_each_raise_test_accuracy(three_runs):
    _, test_none, _, _ = three_runs["none"]
    for name in ("l2", "dropout"):
        train_acc, test_acc, _, _ = three_runs[name]
        assert test_acc - test_none >= 0.02, (name, test_none, test_acc)
        # the regularized model fits the training noise less
        assert train_acc <= three_runs["none"][0]


def test_regularized_boundaries_are_smoother(three_runs):
    """Measured on a grid: the unregularized boundary is longer (more wiggly) than both others."""
    grid = np.linspace(-1, 1, 201)
    xx, yy = np.meshgrid(grid, grid)
    points = np.vstack([xx.ravel(), yy.ravel()])

    def boundary_cells(parameters):
        z = U.predict_dec(parameters, points).reshape(xx.shape)
        return int(np.sum(z[:, 1:] != z[:, :-1]) + np.sum(z[1:, :] != z[:-1, :]))

    wiggly = boundary_cells(three_runs["none"][2])
    for name in ("l2", "dropout"):
        assert boundary_cells(three_runs[name][2]) < wiggly


# --- model loop -------------------------------------------------------------------------------------

def spying(module, calls):
    """A mapping name -> callable that delegates to module and counts the calls in calls."""
    def wrap(name):
        def wrapper(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return getattr(module, name)(*args, **kwargs)
        return wrapper
    names = U.L2_FUNCTION_NAMES + U.DROPOUT_FUNCTION_NAMES
    return {name: wrap(name) for name in names}


def test_train_plain_needs_no_functions_and_records_costs():
    X, Y, _, _ = U.load_dataset()
    parameters, costs = U.train(X, Y, {}, num_iterations=25, record_every=10)
    assert [type(c) for c in costs] == [float, float, float]  # iterations 0, 10, 20
    assert parameters["W1"].shape == (20, 2) and parameters["W2"].shape == (3, 20)
    assert parameters["W3"].shape == (1, 3) and parameters["b3"].shape == (1, 1)
    parameters_none, costs_none = U.train(X, Y, None, num_iterations=25, record_every=10)
    assert costs_none == costs

    # the same loop written out by hand
    p = U.initialize_parameters([2, 20, 3, 1])
    for _ in range(25):
        a3, cache = U.forward_propagation(X, p)
        p = U.update_parameters(p, U.backward_propagation(X, Y, cache), 0.3)
    for key in p:
        np.testing.assert_array_equal(parameters[key], p[key])


def test_train_uses_the_l2_functions_only_when_asked():
    import solutions.regularization as reference

    X, Y, _, _ = U.load_dataset()
    calls = {}
    U.train(X, Y, spying(reference, calls), num_iterations=7, lambd=0.7)
    assert calls == {"compute_cost_with_regularization": 7,
                     "backward_propagation_with_regularization": 7}


def test_train_uses_the_dropout_functions_with_the_plain_cost():
    import solutions.regularization as reference

    X, Y, _, _ = U.load_dataset()
    calls = {}
    _, costs = U.train(X, Y, spying(reference, calls), num_iterations=7, keep_prob=0.86,
                       record_every=1)
    assert calls == {"forward_propagation_with_dropout": 7, "backward_propagation_with_dropout": 7}
    # the first recorded cost is the plain cross-entropy of the first dropout forward pass
    a3, _ = reference.forward_propagation_with_dropout(X, U.initialize_parameters([2, 20, 3, 1]), 0.86)
    assert costs[0] == pytest.approx(U.compute_cost(a3, Y))


def test_train_accepts_a_module_and_rejects_bad_arguments():
    import solutions.regularization as reference

    X, Y, _, _ = U.load_dataset()
    from_module = U.train(X, Y, reference, num_iterations=3, lambd=0.5)[0]
    from_dict = U.train(X, Y, vars(reference), num_iterations=3, lambd=0.5)[0]
    for key in from_module:
        np.testing.assert_array_equal(from_module[key], from_dict[key])
    with pytest.raises(ValueError):
        U.train(X, Y, reference, num_iterations=3, lambd=0.7, keep_prob=0.8)
    with pytest.raises(KeyError):
        U.train(X, Y, {}, num_iterations=3, lambd=0.7)
    with pytest.raises(ValueError):
        U.train(X, Y, reference, num_iterations=3, keep_prob=0)


def test_model_prints_like_the_course(capsys):
    import solutions.regularization as reference

    X, Y, _, _ = U.load_dataset()
    parameters = U.model(X, Y, num_iterations=10001, functions=reference, lambd=0.7)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["Cost after iteration 0",
                                                       "Cost after iteration 10000"]
    assert set(parameters) == {"W1", "b1", "W2", "b2", "W3", "b3"}
    U.model(X, Y, num_iterations=5, print_cost=False)
    assert capsys.readouterr().out == ""
    with pytest.raises(ValueError):
        U.model(X, Y, num_iterations=1, lambd=0.7, keep_prob=0.5, functions=reference)


# --- plots ------------------------------------------------------------------------------------------

def test_figures_render_to_png():
    from matplotlib.figure import Figure

    X, Y, _, _ = U.load_dataset()
    parameters = U.initialize_parameters([2, 20, 3, 1])
    fig = U.decision_boundary_figure(parameters, X, Y, "initial")
    assert isinstance(fig, Figure)
    png = U.figure_png(fig)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) < 200_000

    course_style = U.decision_boundary_figure(lambda x: U.predict_dec(parameters, x.T), X, Y, "")
    assert U.figure_png(course_style).startswith(b"\x89PNG")

    curve = U.cost_curve_figure([0.7, 0.5, 0.4, 0.35], "cost", record_every=1000)
    assert isinstance(curve, Figure)
    assert U.figure_png(curve).startswith(b"\x89PNG")


def test_plot_decision_boundary_uses_pyplot(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = []
    monkeypatch.setattr(plt, "show", lambda *a, **k: shown.append(plt.gcf()))
    X, Y, _, _ = U.load_dataset()
    U.plot_decision_boundary(U.initialize_parameters([2, 20, 3, 1]), X, Y, title="t")
    assert len(shown) == 1
    plt.close(shown[0])


def test_import_is_light_and_never_touches_solutions():
    code = ("import sys, assignments.regularization_utils\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'solutions')]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)
