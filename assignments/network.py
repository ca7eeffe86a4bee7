"""The numpy network the course's assignments share (student side).

Initialization, Regularization, Gradient Checking and Optimization all train or probe the same
three-layer network, LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID, on 2-D points. Its
pieces live here once; each assignment's ``<name>_utils.py`` re-exports them under the names its
part of the course uses and adds only what is particular to it.

Conventions: ``m`` is the number of examples, ``X`` has shape ``(n_x, m)``, labels ``Y`` have shape
``(1, m)``, and ``parameters`` is the dict ``{"W1", "b1", "W2", "b2", "W3", "b3"}`` with ``Wl`` of
shape ``(n_l, n_{l-1})`` and ``bl`` of shape ``(n_l, 1)``.

This module ships to students and is preloaded by the sandboxed workers, so it imports only numpy.
"""

from collections.abc import Mapping

import numpy as np


# ---------------------------------------------------------------------------------------------------
# Activations and cost
# ---------------------------------------------------------------------------------------------------

def sigmoid(x):
    """Logistic function 1 / (1 + exp(-x)), elementwise.

    Arguments:
    x -- numpy array (or scalar) of any shape

    Returns:
    s -- numpy array of the shape of x, values in [0, 1]
    """
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def relu(x):
    """Rectified linear unit max(0, x), elementwise.

    Arguments:
    x -- numpy array (or scalar) of any shape

    Returns:
    s -- numpy array of the shape of x
    """
    return np.maximum(0, x)


def logistic_cost(a3, Y):
    """Cross-entropy cost of the network's output.

    cost = (1/m) * sum over examples of ( -Y log(a3) - (1 - Y) log(1 - a3) ). Terms that are
    0 * log(0) (a saturated output on the matching label) give nan in floating point; they are skipped
    with ``np.nansum``, as in the course.

    Arguments:
    a3 -- sigmoid output of the network, shape (1, m)
    Y -- true labels (0 or 1), shape (1, m)

    Returns:
    cost -- a Python float
    """
    m = Y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        logprobs = np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 - a3), 1 - Y)
    return float(np.nansum(logprobs) / m)


# ---------------------------------------------------------------------------------------------------
# The three-layer network
# ---------------------------------------------------------------------------------------------------

def forward_propagation(X, parameters):
    """Forward pass LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID.

    Arguments:
    X -- input data, shape (n_x, m)
    parameters -- dict with "W1" (n1, n_x), "b1" (n1, 1), "W2" (n2, n1), "b2" (n2, 1),
                  "W3" (1, n2), "b3" (1, 1)

    Returns:
    A3 -- sigmoid output, shape (1, m)
    cache -- the tuple (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3), with Zl and Al of shape
             (n_l, m)
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

    cache = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
    return A3, cache


def backward_propagation(X, Y, cache):
    """Gradients of the (unregularized) cross-entropy cost for the three-layer network.

    Arguments:
    X -- input data, shape (n_x, m)
    Y -- true labels (0 or 1), shape (1, m)
    cache -- the tuple returned by forward_propagation:
             (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)

    Returns:
    gradients -- dict with the keys "dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1",
                 "dW1", "db1"; each value has the shape of the quantity it is the gradient of
                 (dWl like Wl, dbl like bl, dZl and dAl like Zl, i.e. (n_l, m))
    """
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache

    dZ3 = A3 - Y
    dW3 = np.dot(dZ3, A2.T) / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m

    dA2 = np.dot(W3.T, dZ3)
    dZ2 = dA2 * (A2 > 0)
    dW2 = np.dot(dZ2, A1.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m

    dA1 = np.dot(W2.T, dZ2)
    dZ1 = dA1 * (A1 > 0)
    dW1 = np.dot(dZ1, X.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m

    return {"dZ3": dZ3, "dW3": dW3, "db3": db3,
            "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def backward_propagation_lowercase(X, Y, cache):
    """backward_propagation under the names of the course's Initialization and Optimization helper
    files: lower-case keys, with dz and da already divided by m.

    Arguments:
    X -- input data, shape (n_x, m)
    Y -- true labels (0 or 1), shape (1, m)
    cache -- the tuple returned by forward_propagation:
             (z1, a1, W1, b1, z2, a2, W2, b2, z3, a3, W3, b3)

    Returns:
    gradients -- dict "dz3", "dW3", "db3", "da2", "dz2", "dW2", "db2", "da1", "dz1", "dW1", "db1";
                 dWl and dbl are shaped like Wl and bl, dzl and dal like zl, i.e. (n_l, m), and
                 already divided by m (dz3 = (a3 - Y) / m)
    """
    m = X.shape[1]
    return {("d" + key[1].lower() + key[2:]) if key[1] in "ZA" else key: value / m if key[1] in "ZA" else value
            for key, value in backward_propagation(X, Y, cache).items()}


def update_parameters(parameters, grads, learning_rate):
    """One step of plain gradient descent: Wl -= learning_rate * dWl, bl -= learning_rate * dbl.

    Arguments:
    parameters -- dict "W1", "b1", ..., "WL", "bL" (Wl of shape (n_l, n_{l-1}), bl of shape (n_l, 1))
    grads -- dict holding at least "dW1", "db1", ..., "dWL", "dbL", shaped like the parameters
    learning_rate -- the step size, a float

    Returns:
    parameters -- a new dict with the same keys and shapes (the argument is not modified)
    """
    L = len(parameters) // 2
    updated = {}
    for l in range(1, L + 1):
        updated["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        updated["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return updated


# ---------------------------------------------------------------------------------------------------
# Prediction
# ---------------------------------------------------------------------------------------------------

def predict(X, y, parameters):
    """Predict 0/1 labels with a threshold of 0.5 and print the accuracy, as the course does.

    Arguments:
    X -- input data, shape (n_x, m)
    y -- true labels (0 or 1), shape (1, m)
    parameters -- dict of the trained network (see forward_propagation)

    Returns:
    p -- predictions, an int array of shape (1, m) holding 0 or 1
    """
    a3, _ = forward_propagation(X, parameters)
    p = (a3 > 0.5).astype(int)
    print("Accuracy: " + str(np.mean(p[0, :] == np.asarray(y)[0, :])))
    return p


def accuracy(X, y, parameters):
    """Fraction of examples whose 0.5-thresholded prediction equals the label (prints nothing).

    Arguments:
    X -- input data, shape (n_x, m)
    y -- true labels (0 or 1), shape (1, m)
    parameters -- dict of the trained network (see forward_propagation)

    Returns:
    acc -- a Python float in [0, 1]
    """
    a3, _ = forward_propagation(X, parameters)
    return float(np.mean((a3 > 0.5).astype(int) == np.asarray(y)))


def predict_dec(parameters, X):
    """Predictions used to draw decision boundaries.

    Arguments:
    parameters -- dict of the trained network (see forward_propagation)
    X -- input points, shape (n_x, k)

    Returns:
    predictions -- boolean array of shape (1, k), True where the network outputs more than 0.5
    """
    a3, _ = forward_propagation(X, parameters)
    return a3 > 0.5


# ---------------------------------------------------------------------------------------------------
# Model loops
# ---------------------------------------------------------------------------------------------------

class MissingFunction(KeyError, NotImplementedError):
    """A function a model loop or driver needs is not defined. It is a KeyError (a missing name)
    and a NotImplementedError, which the sandbox reports as "not implemented" for ``function``."""

    def __init__(self, function):
        super().__init__(f"{function!r} is not defined")
        self.function = function


def lookup(functions, name):
    """Fetch the callable ``name`` from a mapping (e.g. ``globals()``) or an object (e.g. a module).

    Raises MissingFunction when it is not there (or ValueError when ``functions`` is None).
    """
    if functions is None:
        raise ValueError(f"{name!r} is needed, but no functions were given")
    if isinstance(functions, Mapping):
        if name not in functions:
            raise MissingFunction(name)
        return functions[name]
    if not hasattr(functions, name):
        raise MissingFunction(name)
    return getattr(functions, name)
