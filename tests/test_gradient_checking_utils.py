"""The student-side helpers of the Gradient Checking assignment and its worker drivers."""
from __future__ import annotations

import textwrap

import numpy as np
import pytest

from assignments import gradient_checking_utils as gc
from assignments.network import forward_propagation, logistic_cost


def parameters_of(sizes=(4, 5, 3, 1), seed=0):
    rng = np.random.default_rng(seed)
    return {f"{kind}{l}": rng.standard_normal((sizes[l], sizes[l - 1] if kind == "W" else 1))
            for l in (1, 2, 3) for kind in ("W", "b")}


def finite_differences(cost, parameters, step=1e-6):
    out = {}
    for name, value in parameters.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            shifted = {k: v.copy() for k, v in parameters.items()}
            shifted[name][index] += step
            plus = cost(shifted)
            shifted[name][index] -= 2 * step
            grad[index] = (plus - cost(shifted)) / (2 * step)
        out[f"d{name}"] = grad
    return out


def test_vectors_follow_the_course_order():
    parameters = parameters_of()
    theta, keys = gc.dictionary_to_vector(parameters)
    assert theta.shape == (47, 1)
    assert keys[:20] == ["W1"] * 20 and keys[20:25] == ["b1"] * 5 and keys[-1] == "b3"
    np.testing.assert_array_equal(theta[:20, 0], parameters["W1"].ravel())  # row-major
    back = gc.vector_to_dictionary(theta)
    assert all(np.array_equal(back[k], parameters[k]) for k in parameters)
    gradients = {f"d{k}": v for k, v in parameters.items()} | {"dZ1": np.ones((5, 3)), "dA2": np.ones((3, 3))}
    np.testing.assert_array_equal(gc.gradients_to_vector(gradients), theta)


def test_vectors_of_other_networks():
    parameters = parameters_of((3, 2, 4, 1))
    theta, _ = gc.dictionary_to_vector(parameters)
    shapes = {k: v.shape for k, v in parameters.items()}
    back = gc.unstack(theta, shapes)
    assert all(np.array_equal(back[k], parameters[k]) for k in parameters)
    with pytest.raises(ValueError):
        gc.vector_to_dictionary(theta)  # the course's shapes only


def test_forward_propagation_n_is_the_network_and_its_logistic_cost():
    parameters = parameters_of()
    X = np.random.default_rng(1).standard_normal((4, 6))
    Y = np.array([[1, 0, 1, 1, 0, 0]])
    cost, cache = gc.forward_propagation_n(X, Y, parameters)
    A3, expected_cache = forward_propagation(X, parameters)
    assert cost == pytest.approx(logistic_cost(A3, Y), rel=1e-12)
    assert all(np.array_equal(a, b) for a, b in zip(cache, expected_cache))


@pytest.mark.parametrize("network", sorted(gc.NETWORKS))
def test_each_network_backward_pass_is_its_cost_gradient(network):
    forward, backward = gc.NETWORKS[network]
    parameters = parameters_of((3, 4, 3, 1), seed=2)
    X = np.random.default_rng(3).standard_normal((3, 5))
    Y = np.array([[1.0, 0.0, 0.0, 1.0, 1.0]])
    exact = backward(X, Y, forward(X, Y, parameters)[1])
    numeric = finite_differences(lambda p: forward(X, Y, p)[0], parameters)
    for key, value in numeric.items():
        np.testing.assert_allclose(exact[key], value, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("cost", sorted(gc.COSTS_1D))
def test_one_dimensional_costs(cost):
    J, dJ = gc.COSTS_1D[cost]
    x, theta, step = 1.3, 0.6, 1e-6
    numeric = (J(x, theta + step) - J(x, theta - step)) / (2 * step)
    assert (dJ(x, theta) == pytest.approx(numeric, rel=1e-6)) is not cost.startswith("wrong_")


def submission(code: str, **names) -> dict:
    """A namespace in which ``code`` was executed, as the worker loads a submission."""
    namespace = dict(names)
    exec(textwrap.dedent(code), namespace)
    return namespace


def test_the_driver_binds_the_network_helpers_only_for_the_call():
    seen = {}
    namespace = submission('''
        def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
            seen["epsilon"] = epsilon
            seen["theta"] = vector_to_dictionary(dictionary_to_vector(parameters)[0])
            seen["forward"] = forward_propagation_n
            seen["module_layout"] = gc_utils.vector_to_dictionary(dictionary_to_vector(parameters)[0])
            parameters["W1"][0, 0] += 1.0
            return 0.5
    ''', seen=seen, forward_propagation_n="mine")
    parameters = parameters_of((2, 3, 2, 1))
    before = parameters["W1"][0, 0]
    difference, after = gc.run_gradient_check_n("tanh_squared", parameters, {}, None, None, functions=namespace)
    assert difference == 0.5 and seen["epsilon"] == 1e-7
    assert seen["forward"] is gc.NETWORKS["tanh_squared"][0]
    assert seen["theta"]["W2"].shape == (2, 3)  # the layout of the parameters given
    assert seen["module_layout"]["W2"].shape == (2, 3)  # also through the course module's name
    assert after["W1"][0, 0] == before + 1.0 and after["W1"] is not parameters["W1"]
    assert namespace["forward_propagation_n"] == "mine" and "vector_to_dictionary" not in namespace
    gc.run_gradient_check_n("logistic", parameters, {}, None, None, 1e-3, functions=namespace)
    assert seen["epsilon"] == 1e-3


def test_the_old_signature_is_called_the_same_way():
    namespace = submission('''
        def gradient_check(x, theta, epsilon=1e-7):
            return forward_propagation(x, theta) + backward_propagation(x, theta) + epsilon
    ''')
    assert gc.run_gradient_check("sine", 2.0, 0.0, functions=namespace) == pytest.approx(2.0 + 1e-7)
    assert gc.run_gradient_check("wrong_linear", 2.0, 1.0, 0.5, functions=namespace) == pytest.approx(2 + 6 + 0.5)
    assert "forward_propagation" not in namespace


def test_names_are_restored_when_the_check_raises():
    namespace = submission('''
        def gradient_check(x, theta, epsilon=1e-7):
            raise ZeroDivisionError
    ''', backward_propagation="mine")
    with pytest.raises(ZeroDivisionError):
        gc.run_gradient_check("linear", 1.0, 1.0, functions=namespace)
    assert namespace["backward_propagation"] == "mine" and "forward_propagation" not in namespace


def test_a_callable_without_globals_runs_with_the_given_namespace():
    class Check:
        def __call__(self, x, theta, epsilon=1e-7):
            return namespace["forward_propagation"](x, theta)

    namespace = {"gradient_check": Check()}
    assert gc.run_gradient_check("linear", 2.0, 3.0, functions=namespace) == 6.0
