"""Helpers of the Regularization assignment (student side).

Everything the assignment needs besides the graded functions lives here, under the names the course
uses, so that a function written for the course runs unchanged: the activations and the cost, the
three-layer network (LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID) without regularization,
prediction, the dataset, the model loop of the experiments and the plots.

Conventions: ``m`` is the number of examples, ``X`` has shape ``(n_x, m)``, labels ``Y`` have shape
``(1, m)``, and ``parameters`` is the dict ``{"W1", "b1", "W2", "b2", "W3", "b3"}`` with ``Wl`` of
shape ``(n_l, n_{l-1})`` and ``bl`` of shape ``(n_l, 1)``.

This module ships to students and is preloaded by the sandboxed workers, so it imports only numpy at
import time; matplotlib is imported inside the plotting functions. It never imports ``solutions``.
"""

import sys

import numpy as np

from assignments.network import (accuracy, backward_propagation, forward_propagation, lookup, predict, predict_dec,
                                 relu, sigmoid, update_parameters)
from assignments.network import logistic_cost as compute_cost
from assignments.plots import (cost_curve_figure, decision_boundaries_figure, decision_boundary_figure, figure_png,
                               plot_decision_boundary)

__all__ = ["HIDDEN_LAYER_SIZES", "L2_FUNCTION_NAMES", "DROPOUT_FUNCTION_NAMES", "sigmoid", "relu", "compute_cost",
           "initialize_parameters", "forward_propagation", "backward_propagation", "update_parameters", "predict",
           "accuracy", "predict_dec", "load_dataset", "load_2D_dataset", "train", "model",
           "decision_boundary_figure", "decision_boundaries_figure", "cost_curve_figure", "figure_png",
           "plot_decision_boundary"]

#: Sizes of the layers after the input layer, as in the course: [n_x, 20, 3, 1].
HIDDEN_LAYER_SIZES = (20, 3, 1)

#: Names of the graded functions that ``train`` may look up in its ``functions`` argument.
L2_FUNCTION_NAMES = ("compute_cost_with_regularization", "backward_propagation_with_regularization")
DROPOUT_FUNCTION_NAMES = ("forward_propagation_with_dropout", "backward_propagation_with_dropout")


def initialize_parameters(layer_dims):
    """Scaled random weights and zero biases, seeded with ``np.random.seed(3)`` as in the course.

    Arguments:
    layer_dims -- list of layer sizes [n_0 (= n_x), n_1, ..., n_L]

    Returns:
    parameters -- dict with, for l = 1..L, "Wl" of shape (n_l, n_{l-1}), drawn as
                  randn(n_l, n_{l-1}) / sqrt(n_{l-1}), and "bl" of shape (n_l, 1), all zeros
    """
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layer_dims)):
        n_l, n_prev = layer_dims[l], layer_dims[l - 1]
        parameters["W" + str(l)] = np.random.randn(n_l, n_prev) / np.sqrt(n_prev)
        parameters["b" + str(l)] = np.zeros((n_l, 1))
    return parameters


# ---------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------

_DATA_SEED = 6
_N_TRAIN = 211
_N_TEST = 200


def _boundary(x1):
    """The clean decision curve x2 = f(x1) of the dataset; x1 and the result of the same shape."""
    return 0.25 * np.sin(3.0 * x1) + 0.1 * x1


def _make_points(rng, m):
    """m labelled points: X of shape (2, m) in [-1, 1]^2 and Y of shape (1, m) with noisy labels."""
    X = rng.uniform(-1.0, 1.0, size=(2, m))
    signed_gap = X[1] - _boundary(X[0])
    clean = (signed_gap > 0).astype(np.float64)
    flip_prob = 0.45 * np.exp(-np.abs(signed_gap) / 0.25)
    flip = rng.uniform(size=m) < flip_prob
    Y = np.where(flip, 1.0 - clean, clean).reshape(1, m)
    return X, Y


def load_dataset():
    """The 2-D dataset of the assignment, generated deterministically (no file, no download).

    Points are spread over the square [-1, 1]^2 and split in two classes by a smooth curve; labels
    near the curve are sometimes flipped, and the training set is small, so an unregularized network
    trained long enough fits the noise (higher accuracy on train than on test) while L2 or dropout
    recovers a smoother boundary. Every call returns the same arrays.

    Returns:
    train_X -- shape (2, 211), float64
    train_Y -- shape (1, 211), float64 holding 0.0 or 1.0
    test_X -- shape (2, 200), float64
    test_Y -- shape (1, 200), float64 holding 0.0 or 1.0
    """
    rng = np.random.default_rng(_DATA_SEED)
    train_X, train_Y = _make_points(rng, _N_TRAIN)
    test_X, test_Y = _make_points(rng, _N_TEST)
    return train_X, train_Y, test_X, test_Y


#: The course's name for the dataset loader (it does not plot here: see decision_boundary_figure).
load_2D_dataset = load_dataset


# ---------------------------------------------------------------------------------------------------
# The model loop of the experiments
# ---------------------------------------------------------------------------------------------------

def _run(X, Y, functions, learning_rate, num_iterations, lambd, keep_prob, record_every,
         print_every):
    """The shared loop of ``train`` and ``model``; see ``train``."""
    if lambd != 0 and keep_prob < 1:
        raise ValueError("use L2 regularization (lambd != 0) or dropout (keep_prob < 1), not both")
    if not 0 < keep_prob <= 1:
        raise ValueError(f"keep_prob must be in (0, 1], got {keep_prob!r}")
    if record_every < 1:
        raise ValueError(f"record_every must be a positive integer, got {record_every!r}")

    forward = lambda X_, p_: forward_propagation(X_, p_)  # noqa: E731
    cost_of = lambda a3_, p_: compute_cost(a3_, Y)  # noqa: E731
    backward = lambda c_: backward_propagation(X, Y, c_)  # noqa: E731
    if lambd != 0:
        cost_l2 = lookup(functions, L2_FUNCTION_NAMES[0])
        backward_l2 = lookup(functions, L2_FUNCTION_NAMES[1])
        cost_of = lambda a3_, p_: cost_l2(a3_, Y, p_, lambd)  # noqa: E731
        backward = lambda c_: backward_l2(X, Y, c_, lambd)  # noqa: E731
    elif keep_prob < 1:
        forward_do = lookup(functions, DROPOUT_FUNCTION_NAMES[0])
        backward_do = lookup(functions, DROPOUT_FUNCTION_NAMES[1])
        forward = lambda X_, p_: forward_do(X_, p_, keep_prob)  # noqa: E731
        backward = lambda c_: backward_do(X, Y, c_, keep_prob)  # noqa: E731

    parameters = initialize_parameters([X.shape[0], *HIDDEN_LAYER_SIZES])
    costs = []
    for i in range(num_iterations):
        a3, cache = forward(X, parameters)
        cost = cost_of(a3, parameters)
        grads = backward(cache)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % record_every == 0:
            costs.append(float(cost))
        if print_every and i % print_every == 0:
            print(f"Cost after iteration {i}: {cost}")
    return parameters, costs


def train(X, Y, functions, learning_rate=0.3, num_iterations=30000, lambd=0, keep_prob=1,
          record_every=1000):
    """The course's model loop: batch gradient descent on the network [n_x, 20, 3, 1].

    Each iteration runs a forward pass, computes the cost, runs the backward pass and updates the
    parameters. Which functions are used:

    - ``lambd == 0`` and ``keep_prob == 1``: this module's forward_propagation, compute_cost and
      backward_propagation (``functions`` is not used and may be None);
    - ``lambd != 0``: forward_propagation, ``functions["compute_cost_with_regularization"]`` and
      ``functions["backward_propagation_with_regularization"]``;
    - ``keep_prob < 1``: ``functions["forward_propagation_with_dropout"]``, compute_cost and
      ``functions["backward_propagation_with_dropout"]``;
    - both ``lambd != 0`` and ``keep_prob < 1``: ValueError, as the course allows only one.

    The parameters start from initialize_parameters (seeded) and are updated with update_parameters.

    Arguments:
    X -- input data, shape (n_x, m)
    Y -- true labels (0 or 1), shape (1, m)
    functions -- where the graded functions are looked up by name: a mapping name -> callable (for
                 example ``globals()`` of a notebook) or an object with those attributes (a module)
    learning_rate -- gradient-descent step size
    num_iterations -- number of gradient-descent steps
    lambd -- L2 regularization strength
    keep_prob -- probability of keeping a hidden unit in dropout
    record_every -- the cost is recorded at every iteration i with i % record_every == 0

    Returns:
    parameters -- the trained dict "W1" (20, n_x), "b1" (20, 1), "W2" (3, 20), "b2" (3, 1),
                  "W3" (1, 3), "b3" (1, 1)
    costs -- list of Python floats, the costs at iterations 0, record_every, 2 * record_every, ...
    """
    return _run(X, Y, functions, learning_rate, num_iterations, lambd, keep_prob, record_every,
                print_every=None)


def model(X, Y, learning_rate=0.3, num_iterations=30000, print_cost=True, lambd=0, keep_prob=1,
          functions=None):
    """Course-compatible wrapper around ``train``: prints the cost every 10000 iterations.

    ``functions`` says where the graded functions come from (see ``train``). When it is None and
    regularization or dropout is asked for, they are looked up among the globals of the code that
    calls ``model``: a notebook's cells, or the student's module calling it.

    Arguments:
    X -- input data, shape (n_x, m)
    Y -- true labels (0 or 1), shape (1, m)
    learning_rate -- gradient-descent step size
    num_iterations -- number of gradient-descent steps
    print_cost -- if True, print "Cost after iteration i: cost" every 10000 iterations
    lambd -- L2 regularization strength (0: none)
    keep_prob -- probability of keeping a hidden unit in dropout (1: no dropout)
    functions -- mapping name -> callable, or a module, holding the graded functions; or None

    Returns:
    parameters -- the trained dict "W1" (20, n_x), "b1" (20, 1), "W2" (3, 20), "b2" (3, 1),
                  "W3" (1, 3), "b3" (1, 1)
    """
    if functions is None and (lambd != 0 or keep_prob < 1):
        functions = sys._getframe(1).f_globals  # the caller's own functions
    parameters, _ = _run(X, Y, functions, learning_rate, num_iterations, lambd, keep_prob,
                         record_every=1000, print_every=10000 if print_cost else None)
    return parameters
