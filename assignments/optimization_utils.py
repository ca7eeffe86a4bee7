"""Helpers of the Optimization assignment (student side), under the names of the course's helper file.

The course's helper file for this assignment differs from the other numpy assignments' in three
ways, kept here so that code written for the course runs unchanged:

- ``initialize_parameters`` is He-scaled (``randn * sqrt(2 / n_{l-1})``, seed 3) for any list of layers;
- ``compute_cost`` returns the SUM of the losses over the examples given (the model divides the
  total of an epoch by m);
- ``backward_propagation`` names the gradients in lower case (``dz3``, ``dW3``, ``db3``, ``da2``, ...),
  its ``dz``/``da`` already divided by m.

Besides the network (shared with the other assignments, see ``assignments/network.py``) it holds the
course's test inputs (``load_params_and_grads``), the moons (``load_dataset``), the model loop of the
experiment (``train``, a trusted driver the grader runs in the sandbox, and ``model``, the course's
loop for notebooks) and the plots.

This module ships to students and is preloaded by the sandboxed workers, so it imports only numpy at
import time (scikit-learn and matplotlib inside the functions that need them). It never imports
``solutions``.
"""

import numpy as np

from assignments import datasets
from assignments.network import accuracy, forward_propagation, logistic_cost, lookup, predict, predict_dec, relu, sigmoid
from assignments.network import backward_propagation_lowercase as backward_propagation
from assignments.plots import (cost_curve_figure, decision_boundaries_figure, decision_boundary_figure, figure_png,
                               plot_decision_boundary)

__all__ = ["sigmoid", "relu", "load_params_and_grads", "initialize_parameters", "compute_cost", "forward_propagation",
           "backward_propagation", "predict", "accuracy", "predict_dec", "plot_decision_boundary", "load_dataset",
           "train", "model", "LAYERS_DIMS", "decision_boundary_figure", "decision_boundaries_figure",
           "cost_curve_figure", "figure_png"]

#: The network of the experiment: 2 inputs, hidden layers of 5 and 2 units, one output.
LAYERS_DIMS = (2, 5, 2, 1)
OPTIMIZERS = ("gd", "momentum", "rmsprop", "adam")
#: The graded functions ``train`` may look up by name in its ``functions`` argument.
FUNCTION_NAMES = {"gd": ("update_parameters_with_gd",),
                  "momentum": ("initialize_velocity", "update_parameters_with_momentum"),
                  "rmsprop": ("initialize_rmsprop", "update_parameters_with_rmsprop"),
                  "adam": ("initialize_adam", "update_parameters_with_adam")}
DECAYS = ("update_lr", "schedule_lr_decay")


# ---------------------------------------------------------------------------------------------------
# The course's test inputs and the network under the course's names
# ---------------------------------------------------------------------------------------------------

def load_params_and_grads(seed=1):
    """The course's small test case: a two-layer network's parameters and gradients.

    After ``np.random.seed(seed)``, draws with ``np.random.randn`` in this order: W1 (2, 3), b1 (2, 1),
    W2 (3, 2), b2 (3, 1), dW1 (2, 3), db1 (2, 1), dW2 (3, 2), db2 (3, 1).

    Returns:
    W1, b1, W2, b2, dW1, db1, dW2, db2 -- the eight arrays, in that order
    """
    np.random.seed(seed)
    shapes = ((2, 3), (2, 1), (3, 2), (3, 1))
    parameters = [np.random.randn(*shape) for shape in shapes]
    gradients = [np.random.randn(*shape) for shape in shapes]
    return (*parameters, *gradients)


def initialize_parameters(layer_dims):
    """He-initialized weights and zero biases, seeded with ``np.random.seed(3)`` as in the course.

    Arguments:
    layer_dims -- list of layer sizes [n_0 (= n_x), n_1, ..., n_L]

    Returns:
    parameters -- dict with, for l = 1..L, "Wl" of shape (n_l, n_{l-1}) drawn as
                  randn(n_l, n_{l-1}) * sqrt(2 / n_{l-1}), and "bl" of shape (n_l, 1), all zeros
    """
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layer_dims)):
        n_l, n_prev = layer_dims[l], layer_dims[l - 1]
        parameters["W" + str(l)] = np.random.randn(n_l, n_prev) * np.sqrt(2 / n_prev)
        parameters["b" + str(l)] = np.zeros((n_l, 1))
    return parameters


def compute_cost(a3, Y):
    """The SUM over the given examples of the cross-entropy losses (not the mean).

    Arguments:
    a3 -- sigmoid output of the network, shape (1, m)
    Y -- true labels (0 or 1), shape (1, m)

    Returns:
    cost_total -- a Python float: sum of -Y log(a3) - (1 - Y) log(1 - a3); divide by the number of
                  examples of the epoch for the average cost
    """
    return logistic_cost(a3, Y) * Y.shape[1]


def load_dataset():
    """The course's moons: 300 points of two interleaved half-moons with noise 0.2, drawn as after
    ``np.random.seed(3)`` (numpy's global generator is left untouched).

    Returns:
    train_X -- shape (2, 300), float
    train_Y -- shape (1, 300), labels 0 or 1
    """
    return datasets.moons(n_samples=300, noise=0.2, seed=3)


# ---------------------------------------------------------------------------------------------------
# The model loop of the experiment
# ---------------------------------------------------------------------------------------------------

def _optimizer(functions, optimizer, parameters, state, beta, beta1, beta2, epsilon):
    """(initial state, step) for ``optimizer``; step(parameters, grads, state, t, learning_rate)
    returns (parameters, state). ``state`` given: used instead of the student's initializer."""
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
    names = FUNCTION_NAMES[optimizer]
    update = lookup(functions, names[-1])
    if optimizer == "gd":
        return None, lambda p, g, st, t, lr: (update(p, g, lr), None)
    if state is None:
        state = lookup(functions, names[0])(parameters)
    if optimizer == "momentum":
        return state, lambda p, g, st, t, lr: tuple(update(p, g, st, beta, lr))
    if optimizer == "rmsprop":
        return state, lambda p, g, st, t, lr: tuple(update(p, g, st, t, lr, beta2, epsilon))

    def adam_step(p, g, st, t, lr):
        result = update(p, g, st[0], st[1], t, lr, beta1, beta2, epsilon)  # 5 items (2021+) or 3 (earlier)
        return result[0], (result[1], result[2])

    return tuple(state), adam_step


def _run(X, Y, functions, layers_dims, optimizer, learning_rate, mini_batch_size, beta, beta1, beta2, epsilon,
         num_epochs, decay, decay_rate, state, initial_parameters, record_every, print_every):
    """The loop shared by ``train`` and ``model``; see ``train``."""
    m = X.shape[1]
    parameters = initialize_parameters(list(layers_dims)) if initial_parameters is None else dict(initial_parameters)
    state, step = _optimizer(functions, optimizer, parameters, state, beta, beta1, beta2, epsilon)
    decay_fn = None if decay is None else (lookup(functions, decay) if isinstance(decay, str) else decay)
    learning_rate0, t, seed, costs = learning_rate, 0, 10, []
    shuffle = lookup(functions, "random_mini_batches") if mini_batch_size else None
    for i in range(num_epochs):
        seed = seed + 1  # a new shuffle every epoch
        batches = shuffle(X, Y, mini_batch_size, seed) if shuffle else [(X, Y)]
        cost_total = 0.0
        for mini_batch_X, mini_batch_Y in batches:
            a3, cache = forward_propagation(mini_batch_X, parameters)
            cost_total += compute_cost(a3, mini_batch_Y)
            grads = backward_propagation(mini_batch_X, mini_batch_Y, cache)
            t = t + 1
            parameters, state = step(parameters, grads, state, t, learning_rate)
        if decay_fn is not None:
            learning_rate = decay_fn(learning_rate0, i, decay_rate)  # the rate of the next epoch
        if i % record_every == 0:
            costs.append(float(cost_total / m))
        if print_every and i % print_every == 0:
            print(f"Cost after epoch {i}: {cost_total / m:f}")
    return parameters, costs


def train(X, Y, functions, layers_dims=LAYERS_DIMS, optimizer="gd", learning_rate=0.0007, mini_batch_size=64,
          beta=0.9, beta1=0.9, beta2=0.999, epsilon=1e-8, num_epochs=5000, decay=None, decay_rate=1.0, state=None,
          initial_parameters=None, record_every=100):
    """The course's model loop, with the graded functions taken from ``functions``.

    Every epoch reshuffles the examples with ``functions["random_mini_batches"](X, Y, mini_batch_size,
    seed)`` (seed 11 for the first epoch, then 12, ...), and for each mini-batch runs the forward
    pass, adds the batch's summed cost, runs the backward pass and takes one optimizer step:

    - "gd": ``update_parameters_with_gd(parameters, grads, learning_rate)``;
    - "momentum": ``update_parameters_with_momentum(parameters, grads, v, beta, learning_rate)``,
      v from ``initialize_velocity``;
    - "rmsprop": ``update_parameters_with_rmsprop(parameters, grads, s, t, learning_rate, beta2,
      epsilon)``, s from ``initialize_rmsprop``;
    - "adam": ``update_parameters_with_adam(parameters, grads, v, s, t, learning_rate, beta1, beta2,
      epsilon)`` (five results, or the three of the course's earlier release), v, s from
      ``initialize_adam``;

    where t counts the steps taken (1 for the first). After epoch i, with ``decay``, the learning rate
    becomes ``functions[decay](learning_rate0, i, decay_rate)`` (called by position).

    Arguments:
    X -- input data, shape (n_x, m)
    Y -- labels, shape (1, m)
    functions -- where the graded functions are looked up by name: a mapping name -> callable (for
                 example ``globals()`` of a notebook) or an object with those attributes (a module)
    layers_dims -- layer sizes, starting with n_x
    optimizer -- "gd", "momentum", "rmsprop" or "adam"
    learning_rate -- the (initial) learning rate
    mini_batch_size -- examples per mini-batch; None: the whole set every step (no shuffle, so
                       random_mini_batches is not needed)
    beta -- momentum's coefficient
    beta1, beta2, epsilon -- Adam's (and RMSprop's beta2, epsilon) hyperparameters
    num_epochs -- number of passes over the training set
    decay -- None, or the name of the decay function: "update_lr" or "schedule_lr_decay"
    decay_rate -- the decay function's decay_rate
    state -- None, or the optimizer's initial state to use instead of calling the initializer
             (v for momentum, s for RMSprop, the pair (v, s) for Adam)
    initial_parameters -- None (start from initialize_parameters(layers_dims)), or the dict to start from
    record_every -- the average cost of epoch i is recorded when i % record_every == 0

    Returns:
    parameters -- the trained dict "W1", "b1", ..., shaped by layers_dims
    costs -- list of Python floats, the average cost of epochs 0, record_every, 2 * record_every, ...
    """
    if decay is not None and decay not in DECAYS:
        raise ValueError(f"decay must be None or one of {DECAYS}, got {decay!r}")
    return _run(X, Y, functions, layers_dims, optimizer, learning_rate, mini_batch_size, beta, beta1, beta2, epsilon,
                num_epochs, decay, decay_rate, state, initial_parameters, record_every, print_every=None)


def model(X, Y, layers_dims, optimizer, learning_rate=0.0007, mini_batch_size=64, beta=0.9, beta1=0.9, beta2=0.999,
          epsilon=1e-8, num_epochs=5000, print_cost=True, decay=None, decay_rate=1, functions=None):
    """The course's ``model``: train with mini-batches and the chosen optimizer, print the cost.

    As ``train``, with the course's arguments: ``decay`` is a function (``update_lr`` or
    ``schedule_lr_decay``) or None, and the average cost is printed every 1000 epochs. Pass
    ``functions=globals()`` in a notebook (or your module) so that your functions are used.

    Returns:
    parameters -- the trained dict "W1", "b1", ..., shaped by layers_dims
    """
    parameters, _ = _run(X, Y, functions, layers_dims, optimizer, learning_rate, mini_batch_size, beta, beta1, beta2,
                         epsilon, num_epochs, decay, decay_rate, None, None, record_every=100,
                         print_every=1000 if print_cost else None)
    return parameters
