"""Helpers of the Initialization assignment (student side), under the names of the course's helper file.

The network is the three-layer one the numpy assignments share (``assignments/network.py``); the
course's helper file for this assignment names two of its pieces differently, kept here so that code
written for the course runs unchanged:

- the cost is ``compute_loss(a3, Y)``;
- ``backward_propagation`` names the gradients in lower case (``dz3``, ``dW3``, ``db3``, ``da2``, ...),
  its ``dz``/``da`` already divided by m.

Besides those it holds the circles (``load_dataset``), the model loop of the experiment (``train``, a
trusted driver the grader runs in the sandbox with the student's initializer, and ``model``, the
course's loop for notebooks) and the plots.

A saturated network (weights of size 10) outputs exactly 0 or 1 for some examples, so its first cost
is ``inf`` (log 0), as in the course; nothing here fails on it.

This module ships to students and is preloaded by the sandboxed workers, so it imports only numpy at
import time (scikit-learn and matplotlib inside the functions that need them). It never imports
``solutions``.
"""

from assignments import datasets
from assignments.network import accuracy, forward_propagation, logistic_cost, lookup, predict, predict_dec, relu
from assignments.network import backward_propagation as _backward_propagation
from assignments.network import backward_propagation_lowercase as backward_propagation
from assignments.network import sigmoid, update_parameters
from assignments.plots import (cost_curve_figure, decision_boundaries_figure, decision_boundary_figure, figure_png,
                               plot_decision_boundary)

__all__ = ["sigmoid", "relu", "compute_loss", "forward_propagation", "backward_propagation", "update_parameters",
           "predict", "accuracy", "predict_dec", "load_dataset", "plot_decision_boundary", "train", "model",
           "LAYERS_DIMS", "INITIALIZERS", "decision_boundary_figure", "decision_boundaries_figure",
           "cost_curve_figure", "figure_png"]

#: The experiment's network: 2 inputs, hidden layers of 10 and 5 ReLU units, one sigmoid output.
LAYERS_DIMS = (2, 10, 5, 1)

#: The graded initializer each ``initialization`` setting of ``train`` and ``model`` calls.
INITIALIZERS = {"zeros": "initialize_parameters_zeros", "random": "initialize_parameters_random",
                "he": "initialize_parameters_he"}


def compute_loss(a3, Y):
    """Mean cross-entropy of the network's output (the course's name for the cost).

    Arguments:
    a3 -- sigmoid output of the network, shape (1, m)
    Y -- true labels (0 or 1), shape (1, m)

    Returns:
    loss -- a Python float; inf when an output is exactly 0 or 1 on the wrong label
    """
    return logistic_cost(a3, Y)


def load_dataset():
    """The course's circles: 300 training points and 100 test points on two noisy concentric
    circles (noise 0.05), drawn as after ``np.random.seed(1)`` and ``np.random.seed(2)`` (numpy's
    global generator is left untouched).

    Returns:
    train_X -- shape (2, 300), float
    train_Y -- shape (1, 300), labels 0 or 1
    test_X -- shape (2, 100), float
    test_Y -- shape (1, 100), labels 0 or 1
    """
    return datasets.circles(n_train=300, n_test=100, noise=0.05)


# ---------------------------------------------------------------------------------------------------
# The model loop of the experiment
# ---------------------------------------------------------------------------------------------------

def _run(X, Y, functions, initialization, learning_rate, num_iterations, record_every, print_every,
         parameters=None):
    """The loop shared by ``train`` and ``model``; see ``train``."""
    if initialization not in INITIALIZERS:
        raise ValueError(f"initialization must be one of {', '.join(INITIALIZERS)}, got {initialization!r}")
    if record_every < 1:
        raise ValueError(f"record_every must be a positive integer, got {record_every!r}")
    if parameters is None:
        parameters = lookup(functions, INITIALIZERS[initialization])([X.shape[0], *LAYERS_DIMS[1:]])
    costs = []
    for i in range(num_iterations):
        a3, cache = forward_propagation(X, parameters)
        recorded, printed = i % record_every == 0, bool(print_every) and i % print_every == 0
        if recorded or printed:  # the cost is only computed when it is kept or shown
            cost = compute_loss(a3, Y)
            if recorded:
                costs.append(cost)
            if printed:
                print(f"Cost after iteration {i}: {cost}")
        grads = _backward_propagation(X, Y, cache)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs


def train(X, Y, functions, initialization="he", learning_rate=0.01, num_iterations=15000, record_every=1000,
          parameters=None):
    """The course's experiment: batch gradient descent on the network [n_x, 10, 5, 1] starting from
    the parameters ``functions[INITIALIZERS[initialization]](layers_dims)`` returns (or, to go on
    training, from ``parameters``).

    Arguments:
    X -- input data, shape (n_x, m)
    Y -- true labels (0 or 1), shape (1, m)
    functions -- where the initializer is looked up by name: a mapping name -> callable (for example
                 ``globals()`` of a notebook) or an object with that attribute (a module)
    initialization -- "zeros", "random" or "he"
    learning_rate -- gradient-descent step size
    num_iterations -- number of gradient-descent steps
    record_every -- the cost is recorded at every iteration i with i % record_every == 0
    parameters -- None, or a dict of the network's parameters (shapes as returned) to start from
                  instead of initializing

    Returns:
    parameters -- the trained dict "W1" (10, n_x), "b1" (10, 1), "W2" (5, 10), "b2" (5, 1),
                  "W3" (1, 5), "b3" (1, 1)
    costs -- list of Python floats (inf where the output saturated), the costs at iterations 0,
             record_every, 2 * record_every, ...
    """
    return _run(X, Y, functions, initialization, learning_rate, num_iterations, record_every, print_every=None,
                parameters=parameters)


def model(X, Y, learning_rate=0.01, num_iterations=15000, print_cost=True, initialization="he", functions=None):
    """Course-compatible wrapper around ``train``: prints the cost every 1000 iterations.

    ``functions`` says where the initializers come from (see ``train``). When it is None they are
    taken from the student's module ``assignments.initialization`` (imported at that moment); in a
    notebook where the functions are defined in cells, pass ``functions=globals()``.

    Arguments:
    X -- input data, shape (n_x, m)
    Y -- true labels (0 or 1), shape (1, m)
    learning_rate -- gradient-descent step size
    num_iterations -- number of gradient-descent steps
    print_cost -- if True, print "Cost after iteration i: cost" every 1000 iterations
    initialization -- "zeros", "random" or "he"
    functions -- mapping name -> callable, or a module, holding the initializers; or None

    Returns:
    parameters -- the trained dict "W1" (10, n_x), "b1" (10, 1), "W2" (5, 10), "b2" (5, 1),
                  "W3" (1, 5), "b3" (1, 1)
    """
    if functions is None:
        import importlib

        functions = importlib.import_module("assignments.initialization")
    parameters, _ = _run(X, Y, functions, initialization, learning_rate, num_iterations, record_every=1000,
                         print_every=1000 if print_cost else None)
    return parameters
