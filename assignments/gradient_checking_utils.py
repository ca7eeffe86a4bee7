"""Helpers of the Gradient Checking assignment (student side).

Under the course's names: the activations, the parameter/gradient <-> vector conversions and the
N-dimensional network's forward pass ``forward_propagation_n`` (LINEAR -> RELU -> LINEAR -> RELU ->
LINEAR -> SIGMOID, cost = mean logistic loss). Conventions: ``X`` has shape ``(n_x, m)``, ``Y`` holds
the m labels (shape ``(1, m)`` or ``(m,)``), ``parameters`` is the dict ``{"W1", "b1", ..., "W3",
"b3"}`` with ``Wl`` of shape ``(n_l, n_{l-1})`` and ``bl`` of shape ``(n_l, 1)``; a parameter vector
``theta`` has shape ``(n, 1)`` and lists W1, b1, W2, b2, W3, b3 in that order, each row-major.

The course's network has layer sizes 4-5-3-1 and ``vector_to_dictionary`` knows only those shapes,
as in the course. ``gc_utils`` stands for the course's helper module, for code that calls
``gc_utils.vector_to_dictionary(...)``. The worker drivers at the end (trusted code that runs beside the student's
functions) also run a student's gradient check on other networks and other costs: they bind the
helpers of that network under the course's names in the student's namespace for the duration of
the call. They return raw outputs only; every verdict is computed by the grader.

This module ships to students and is preloaded by the sandboxed workers; it imports only numpy at
import time and never imports ``solutions``.
"""

import math
from contextlib import contextmanager
from types import SimpleNamespace

import numpy as np

from assignments.network import backward_propagation, lookup, relu, sigmoid

#: Shapes of the course's network (layer sizes 4-5-3-1), in vector order.
COURSE_SHAPES = {"W1": (5, 4), "b1": (5, 1), "W2": (3, 5), "b2": (3, 1), "W3": (1, 3), "b3": (1, 1)}


# ---------------------------------------------------------------------------------------------------
# Vectors
# ---------------------------------------------------------------------------------------------------

def _layers(mapping, prefix=""):
    """Layer numbers 1..L for which ``mapping`` holds ``{prefix}Wl``."""
    count = 0
    while f"{prefix}W{count + 1}" in mapping:
        count += 1
    return range(1, count + 1)


def dictionary_to_vector(parameters):
    """Stack the parameters into one column vector.

    Arguments:
    parameters -- dict "W1", "b1", ..., "WL", "bL" (the course's network: L = 3)

    Returns:
    theta -- shape (n, 1): W1, b1, W2, b2, ... flattened row-major, one after the other
    keys -- list of n names, keys[i] is the parameter theta[i] comes from (e.g. "W1")
    """
    names = [f"{kind}{layer}" for layer in _layers(parameters) for kind in ("W", "b")]
    pieces = [np.reshape(parameters[name], (-1, 1)) for name in names]
    keys = [name for name, piece in zip(names, pieces) for _ in range(piece.shape[0])]
    return np.concatenate(pieces, axis=0), keys


def vector_to_dictionary(theta):
    """Inverse of dictionary_to_vector for the course's network (layer sizes 4-5-3-1).

    Arguments:
    theta -- shape (47, 1) (or (47,)): W1 (5, 4), b1 (5, 1), W2 (3, 5), b2 (3, 1), W3 (1, 3), b3 (1, 1)

    Returns:
    parameters -- dict "W1", "b1", "W2", "b2", "W3", "b3" of those shapes
    """
    return unstack(theta, COURSE_SHAPES)


def unstack(theta, shapes):
    """Cut ``theta`` (shape (n, 1) or (n,)) into arrays of ``shapes`` (name -> shape, in vector
    order); raises ValueError when the sizes do not add up to n."""
    flat = np.reshape(theta, (-1,))
    parameters, start = {}, 0
    for name, shape in shapes.items():
        size = math.prod(shape)
        parameters[name] = flat[start:start + size].reshape(shape)
        start += size
    if start != flat.shape[0]:
        raise ValueError(f"theta holds {flat.shape[0]} numbers, the network has {start}")
    return parameters


def gradients_to_vector(gradients):
    """Stack the parameter gradients into one column vector, in the order of dictionary_to_vector.

    Arguments:
    gradients -- dict holding "dW1", "db1", ..., "dWL", "dbL" (other keys such as "dZ1" are ignored)

    Returns:
    theta -- shape (n, 1)
    """
    names = [f"d{kind}{layer}" for layer in _layers(gradients, "d") for kind in ("W", "b")]
    return np.concatenate([np.reshape(gradients[name], (-1, 1)) for name in names], axis=0)


# ---------------------------------------------------------------------------------------------------
# The network of the N-dimensional part
# ---------------------------------------------------------------------------------------------------

def _logistic_cost(A3, Y):
    """Mean logistic loss of the outputs A3 (1, m) against the labels Y ((1, m) or (m,))."""
    m = A3.shape[1]
    losses = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
    return 1. / m * np.sum(losses)


def forward_propagation_n(X, Y, parameters):
    """Forward pass LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID and its logistic cost.

    Arguments:
    X -- input data, shape (n_x, m)
    Y -- labels (0 or 1), shape (1, m) or (m,)
    parameters -- dict "W1" (n1, n_x), "b1" (n1, 1), "W2" (n2, n1), "b2" (n2, 1), "W3" (1, n2), "b3" (1, 1)

    Returns:
    cost -- the mean logistic loss, a numpy float
    cache -- the tuple (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3), Zl and Al of shape (n_l, m)
    """
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    Z3 = np.dot(W3, A2) + b3
    A3 = sigmoid(Z3)
    return _logistic_cost(A3, Y), (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)


def _forward_tanh_squared(X, Y, parameters):
    """Another network and cost for the grader: LINEAR -> TANH -> LINEAR -> TANH -> LINEAR, cost
    = mean of (A3 - Y)^2 / 2. Same arguments and cache layout as forward_propagation_n."""
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in COURSE_SHAPES)
    Z1 = W1 @ X + b1
    A1 = np.tanh(Z1)
    Z2 = W2 @ A1 + b2
    A2 = np.tanh(Z2)
    Z3 = W3 @ A2 + b3
    A3 = Z3
    cost = 0.5 * np.mean(np.square(A3 - np.reshape(Y, A3.shape)))
    return cost, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)


def _backward_tanh_squared(X, Y, cache):
    """Gradients of _forward_tanh_squared's cost, with the keys of backward_propagation_n."""
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = cache
    m = X.shape[1]
    dZ3 = (A3 - np.reshape(Y, A3.shape)) / m
    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (1 - A2 ** 2)
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (1 - A1 ** 2)
    return {"dZ3": dZ3, "dW3": dZ3 @ A2.T, "db3": dZ3.sum(axis=1, keepdims=True),
            "dA2": dA2, "dZ2": dZ2, "dW2": dZ2 @ A1.T, "db2": dZ2.sum(axis=1, keepdims=True),
            "dA1": dA1, "dZ1": dZ1, "dW1": dZ1 @ X.T, "db1": dZ1.sum(axis=1, keepdims=True)}


def _course_module(vector_to_dictionary):
    """The course's helper module gc_utils as an object, for code written as
    ``gc_utils.vector_to_dictionary(...)`` (its ``import gc_utils`` is skipped where work is graded)."""
    return SimpleNamespace(sigmoid=sigmoid, relu=relu, dictionary_to_vector=dictionary_to_vector,
                           vector_to_dictionary=vector_to_dictionary, gradients_to_vector=gradients_to_vector)


gc_utils = _course_module(vector_to_dictionary)

#: The networks a gradient check is run on: name -> (forward pass with its cost, exact backward pass).
NETWORKS = {"logistic": (forward_propagation_n, backward_propagation),
            "tanh_squared": (_forward_tanh_squared, _backward_tanh_squared)}

#: The 1-D costs J(theta) of the first part: name -> (J(x, theta), dJ/dtheta(x, theta)). "linear" is the
#: course's; the "wrong_" ones pair a cost with a derivative that is deliberately wrong.
COSTS_1D = {"linear": (lambda x, theta: theta * x, lambda x, theta: x),
            "sine": (lambda x, theta: np.sin(theta * x), lambda x, theta: x * np.cos(theta * x)),
            "wrong_linear": (lambda x, theta: theta * x, lambda x, theta: 3 * x),
            "wrong_sine": (lambda x, theta: np.sin(theta * x), lambda x, theta: np.cos(theta * x))}


# ---------------------------------------------------------------------------------------------------
# Worker drivers (trusted; raw outputs only)
# ---------------------------------------------------------------------------------------------------

def _globals_of(function, functions):
    """Where ``function`` looks its global names up: its module's namespace (a notebook's, a
    submission's, the reference's), or ``functions`` for a callable without one."""
    namespace = getattr(function, "__globals__", None)
    return namespace if isinstance(namespace, dict) else functions


@contextmanager
def _bound(namespace, names):
    """Bind ``names`` (name -> object) in the mapping ``namespace`` for the duration of the block."""
    missing = object()
    saved = {name: namespace.get(name, missing) for name in names}
    namespace.update(names)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value


def network_helpers(network, shapes):
    """The helpers a gradient check of ``network`` (a key of NETWORKS) on parameters of ``shapes``
    (name -> shape, in vector order) may call, under the course's names."""
    forward, backward = NETWORKS[network]

    def layout(theta):
        return unstack(theta, shapes)

    return {"forward_propagation_n": forward, "backward_propagation_n": backward,
            "dictionary_to_vector": dictionary_to_vector, "gradients_to_vector": gradients_to_vector,
            "vector_to_dictionary": layout, "gc_utils": _course_module(layout)}


def run_gradient_check_n(network, parameters, gradients, X, Y, epsilon=None, functions=None,
                         graded="gradient_check_n"):
    """Call ``functions[graded](parameters, gradients, X, Y[, epsilon])`` with the helpers of
    ``network`` bound under the course's names in its global namespace. Positional arguments only, so both the course's
    signature with ``print_msg=False`` and the older one without it are called the same way;
    ``epsilon=None`` leaves the function's default.

    Returns:
    difference -- whatever the function returned
    parameters -- copies of the entries of ``parameters`` after the call (to see whether it changed them)
    """
    function = lookup(functions, graded)
    shapes = {name: np.shape(parameters[name]) for name in COURSE_SHAPES}
    args = (parameters, gradients, X, Y) + (() if epsilon is None else (epsilon,))
    with _bound(_globals_of(function, functions), network_helpers(network, shapes)):
        difference = function(*args)
    return difference, {name: np.array(value, copy=True) for name, value in parameters.items()}


def run_gradient_check(cost, x, theta, epsilon=None, functions=None, graded="gradient_check"):
    """Call ``functions[graded](x, theta[, epsilon])`` with ``forward_propagation`` and
    ``backward_propagation`` bound to the 1-D ``cost`` (a key of COSTS_1D). Returns what it returned."""
    function = lookup(functions, graded)
    forward, backward = COSTS_1D[cost]
    helpers = {"forward_propagation": forward, "backward_propagation": backward}
    with _bound(_globals_of(function, functions), helpers):
        return function(x, theta) if epsilon is None else function(x, theta, epsilon)


# ---------------------------------------------------------------------------------------------------
# Figures of the experiment
# ---------------------------------------------------------------------------------------------------

def entry_errors_figure(errors, title):
    """One small panel per parameter showing, for each entry, the relative error
    |g - gapprox| / (|g| + |gapprox|) between a backward pass and the numerical gradient, on a log
    colour scale from 1e-12 to 1 (a wrong gradient lights up).

    Arguments:
    errors -- dict name -> array of the errors, shaped like the parameter ("dW1" (5, 4), ...)
    title -- the figure's title

    Returns:
    fig -- a matplotlib.figure.Figure (render it with assignments.plots.figure_png)
    """
    from matplotlib.colors import LogNorm
    from matplotlib.figure import Figure

    count = len(errors)
    fig = Figure(figsize=(1.6 * count + 1.2, 2.8))
    fig.subplots_adjust(left=0.02, right=0.86, top=0.74, bottom=0.05, wspace=0.3)
    norm = LogNorm(vmin=1e-12, vmax=1.0)
    image = None
    for position, (name, values) in enumerate(errors.items(), start=1):
        ax = fig.add_subplot(1, count, position)
        image = ax.imshow(np.clip(np.asarray(values, dtype=float), 1e-12, 1.0), norm=norm, cmap="magma", aspect="auto")
        ax.set_title(name)
        ax.set_xticks([])
        ax.set_yticks([])
    if image is not None:
        bar = fig.colorbar(image, cax=fig.add_axes((0.89, 0.1, 0.025, 0.65)), label="relative error")
        bar.set_ticks([1e-12, 1e-9, 1e-6, 1e-3, 1.0], labels=["1e-12", "1e-9", "1e-6", "1e-3", "1"])
        bar.minorticks_off()
    fig.suptitle(title)
    return fig


def epsilon_curve_figure(epsilons, curves, title):
    """The difference returned by a gradient check against epsilon, both on log scales: for correct
    gradients a V (truncation error falls like epsilon^2 from the right, rounding error grows like
    1/epsilon to the left).

    Arguments:
    epsilons -- sequence of k positive floats
    curves -- dict label -> sequence of k differences (None or non-positive values are left out)
    title -- the figure's title

    Returns:
    fig -- a matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    fig = Figure(figsize=(5.5, 3.8))
    fig.subplots_adjust(left=0.15, right=0.96, top=0.9, bottom=0.14)
    ax = fig.add_subplot(1, 1, 1)
    for (label, values), style in zip(curves.items(), ({"marker": "o"}, {"marker": "x", "linestyle": "--"}) * 4):
        points = [(e, v) for e, v in zip(epsilons, values) if v is not None and v > 0]
        if points:
            ax.loglog(*zip(*points), label=label, **style)
    ax.axhline(2e-7, color="grey", linestyle=":", linewidth=1)
    ax.minorticks_off()  # log-axis minor ticks and mathtext labels cost most of the drawing time
    plain = FuncFormatter(lambda value, _: f"{value:.0e}")
    ax.xaxis.set_major_formatter(plain)
    ax.yaxis.set_major_formatter(plain)
    ax.set_xlabel("epsilon")
    ax.set_ylabel("difference")
    ax.invert_xaxis()
    ax.legend(fontsize="small", loc="upper center")
    ax.set_title(title)
    return fig
