"""The Optimization reference against the course's numbers, and the student-side helpers
(assignments/optimization_utils.py): the course's names and conventions, the moons, the model loop."""
from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import assignments.optimization_utils as utils
import solutions.optimization as ref
from assignments.network import backward_propagation as shared_backward
from assignments.network import logistic_cost
from graders.optimization import course_case, he_parameters, zeros

ROOT = Path(__file__).resolve().parents[1]


def course_inputs():
    W1, b1, W2, b2, dW1, db1, dW2, db2 = utils.load_params_and_grads()
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


# ----------------------------------------------------------------------- the course's numbers


def test_gradient_descent_on_the_course_case():
    parameters, grads = course_inputs()
    updated = ref.update_parameters_with_gd(parameters, grads, 0.01)
    np.testing.assert_allclose(updated["W1"][0], [1.63312395, -0.61217855, -0.5339999], atol=1e-8)


def test_adam_on_the_course_case():
    parameters, grads = course_inputs()
    v, s = ref.initialize_adam(parameters)
    result = ref.update_parameters_with_adam(parameters, grads, v, s, 2, 0.02, 0.8, 0.888, 1e-2)
    assert len(result) == 5
    np.testing.assert_allclose(result[0]["W1"][0], [1.63937725, -0.62327448, -0.54308727], atol=1e-8)


def test_decay_values():
    assert ref.update_lr(0.5, 2, 1) == 0.16666666666666666
    assert ref.schedule_lr_decay(0.3, 1000, 0.25, 100) == pytest.approx(0.085714285714, rel=1e-10)
    assert ref.schedule_lr_decay(0.3, 999, 0.25) == 0.3


def test_mini_batches_of_the_course_case():
    """148 examples in batches of 64: 64, 64 and 20, every example once with its label."""
    X = np.random.RandomState(1).randn(12288, 148)
    Y = (np.arange(148) % 2).reshape(1, 148)
    batches = ref.random_mini_batches(X, Y, 64, seed=0)
    assert [b[0].shape for b in batches] == [(12288, 64), (12288, 64), (12288, 20)]
    assert [b[1].shape for b in batches] == [(1, 64), (1, 64), (1, 20)]
    np.random.seed(0)
    order = np.random.permutation(148)
    np.testing.assert_array_equal(np.concatenate([b[0] for b in batches], axis=1), X[:, order])
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches], axis=1), Y[:, order])


def test_rmsprop_with_t_is_adam_without_momentum():
    parameters, grads = course_inputs()
    s = ref.initialize_rmsprop(parameters)
    rms, _ = ref.update_parameters_with_rmsprop(dict(parameters), grads, dict(s), 3, 0.01, 0.9, 1e-8)
    v0, s0 = ref.initialize_adam(parameters)
    adam = ref.update_parameters_with_adam(dict(parameters), grads, v0, s0, 3, 0.01, 0.0, 0.9, 1e-8)[0]  # beta1 = 0
    for key in parameters:
        np.testing.assert_allclose(rms[key], adam[key], rtol=1e-12)


EXPERIMENT = [  # (optimizer, settings, the course's train accuracy after 5,000 epochs)
    ("gd", {}, 0.717),
    ("momentum", {}, 0.717),
    ("adam", {}, 0.943),
    ("gd", {"learning_rate": 0.1, "decay": "schedule_lr_decay"}, 0.943),
    ("momentum", {"learning_rate": 0.1, "decay": "schedule_lr_decay"}, 0.953),
    ("adam", {"learning_rate": 0.01, "decay": "schedule_lr_decay"}, 0.94),
    ("gd", {"learning_rate": 0.1, "decay": "update_lr"}, 0.653),
]


@pytest.mark.parametrize("optimizer,settings,expected", EXPERIMENT)
def test_the_course_experiment(optimizer, settings, expected):
    """The course's runs (mini-batches of 64, seeds 11, 12, ... per epoch) reach its accuracies."""
    X, Y = utils.load_dataset()
    parameters, costs = utils.train(X, Y, ref, optimizer=optimizer, **settings)
    assert len(costs) == 50
    assert utils.accuracy(X, Y, parameters) == pytest.approx(expected, abs=5e-4)  # the course prints 3 digits


# -------------------------------------------------------------------- the course's helper names


def test_load_params_and_grads_matches_the_graders_course_case():
    parameters, grads = course_inputs()
    mine_p, mine_g = course_case()
    for key in parameters:
        np.testing.assert_array_equal(parameters[key], mine_p[key])
        np.testing.assert_array_equal(grads["d" + key], mine_g["d" + key])
    assert parameters["W2"].shape == (3, 2)


def test_initialize_parameters_is_he_scaled_for_any_depth():
    parameters = utils.initialize_parameters([4, 6, 3, 2, 1])
    assert sorted(parameters) == ["W1", "W2", "W3", "W4", "b1", "b2", "b3", "b4"]
    np.random.seed(3)
    np.testing.assert_array_equal(parameters["W1"], np.random.randn(6, 4) * np.sqrt(2 / 4))
    assert not np.any(parameters["b3"])
    reference = utils.initialize_parameters(list(utils.LAYERS_DIMS))
    for key, value in he_parameters().items():
        np.testing.assert_array_equal(reference[key], value)


def test_compute_cost_is_the_sum_over_examples():
    a3 = np.array([[0.9, 0.2, 0.6]])
    Y = np.array([[1, 0, 0]])
    assert utils.compute_cost(a3, Y) == pytest.approx(-(math.log(0.9) + math.log(0.8) + math.log(0.4)))
    assert utils.compute_cost(a3, Y) == pytest.approx(3 * logistic_cost(a3, Y))


def test_backward_propagation_uses_lower_case_keys_divided_by_m():
    X = np.random.RandomState(0).randn(2, 7)
    Y = (np.arange(7) % 2).reshape(1, 7)
    _, cache = utils.forward_propagation(X, he_parameters())
    grads = utils.backward_propagation(X, Y, cache)
    assert sorted(grads) == sorted(["dz3", "dW3", "db3", "da2", "dz2", "dW2", "db2", "da1", "dz1", "dW1", "db1"])
    np.testing.assert_allclose(grads["dz3"], (cache[9] - Y) / 7)
    shared = shared_backward(X, Y, cache)
    for key in ("dW1", "db1", "dW3"):
        np.testing.assert_array_equal(grads[key], shared[key])


def test_load_dataset_is_the_courses_moons_and_leaves_numpys_generator_alone():
    from sklearn.datasets import make_moons

    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    X, Y = utils.load_dataset()
    np.testing.assert_array_equal(np.random.get_state()[1], before)
    np.random.seed(3)
    points, labels = make_moons(n_samples=300, noise=0.2)
    np.testing.assert_array_equal(X, points.T)
    np.testing.assert_array_equal(Y, labels.reshape(1, 300))


def test_importing_the_helpers_costs_only_numpy():
    code = ("import sys, assignments.optimization_utils; "
            "print(sorted(m for m in ('sklearn', 'matplotlib', 'solutions') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ------------------------------------------------------------------------------- the model loop


class Recorder:
    """The graded functions of the reference, recording how the loop calls them."""

    def __init__(self, **overrides):
        self.calls: list[tuple] = []
        self.overrides = overrides

    def __getattr__(self, name):
        target = self.overrides.get(name) or getattr(ref, name)

        def recorded(*args, **kwargs):
            self.calls.append((name, args, kwargs))
            return target(*args, **kwargs)

        return recorded


def small_moons():
    X, Y = utils.load_dataset()
    return X[:, :100], Y[:, :100]


def test_train_reshuffles_every_epoch_with_the_courses_seeds():
    functions = Recorder()
    utils.train(*small_moons(), functions, optimizer="gd", num_epochs=3)
    seeds = [args[3] for name, args, _ in functions.calls if name == "random_mini_batches"]
    assert seeds == [11, 12, 13]
    assert sum(name == "update_parameters_with_gd" for name, _, _ in functions.calls) == 3 * 2


def test_train_calls_decay_by_position_after_each_epoch():
    def renamed(lr0, epcho_num, decay_rate, time_interval=1000):  # a student's names
        return ref.schedule_lr_decay(lr0, epcho_num, decay_rate, time_interval)

    functions = Recorder(schedule_lr_decay=renamed)
    utils.train(*small_moons(), functions, optimizer="momentum", learning_rate=0.1, num_epochs=3,
                decay="schedule_lr_decay", decay_rate=0.5)
    decays = [args for name, args, kwargs in functions.calls if name == "schedule_lr_decay" and not kwargs]
    assert decays == [(0.1, 0, 0.5), (0.1, 1, 0.5), (0.1, 2, 0.5)]


def test_train_accepts_the_older_three_tuple_adam_and_a_given_state():
    def older(*args):
        return ref.update_parameters_with_adam(*args)[:3]

    functions = Recorder(update_parameters_with_adam=older)
    state = (zeros(utils.LAYERS_DIMS), zeros(utils.LAYERS_DIMS))
    parameters, costs = utils.train(*small_moons(), functions, optimizer="adam", learning_rate=0.01, mini_batch_size=None,
                                    num_epochs=20, state=state, record_every=10)
    names = {name for name, _, _ in functions.calls}
    assert names == {"update_parameters_with_adam"}  # no initializer, no shuffle
    steps = [args[4] for name, args, _ in functions.calls]
    assert steps == list(range(1, 21)) and len(costs) == 2 and costs[1] < costs[0]


def test_train_runs_rmsprop_with_the_step_counter():
    functions = Recorder()
    utils.train(*small_moons(), functions, optimizer="rmsprop", learning_rate=0.01, num_epochs=2)
    steps = [args[3] for name, args, _ in functions.calls if name == "update_parameters_with_rmsprop"]
    assert steps == [1, 2, 3, 4]


def test_train_refuses_unknown_settings():
    with pytest.raises(ValueError):
        utils.train(*small_moons(), ref, optimizer="sgd")
    with pytest.raises(ValueError):
        utils.train(*small_moons(), ref, decay="exponential")


def test_model_is_the_courses_loop_and_prints_the_cost(capsys):
    parameters = utils.model(*small_moons(), [2, 5, 2, 1], "adam", num_epochs=2, decay=ref.update_lr,
                             functions=vars(ref))
    assert sorted(parameters) == ["W1", "W2", "W3", "b1", "b2", "b3"]
    assert capsys.readouterr().out.startswith("Cost after epoch 0: ")
