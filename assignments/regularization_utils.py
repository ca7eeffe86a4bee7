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

from collections.abc import Mapping

import numpy as np

#: Sizes of the layers after the input layer, as in the course: [n_x, 20, 3, 1].
HIDDEN_LAYER_SIZES = (20, 3, 1)

#: Names of the graded functions that ``train`` may look up in its ``functions`` argument.
L2_FUNCTION_NAMES = ("compute_cost_with_regularization", "backward_propagation_with_regularization")
DROPOUT_FUNCTION_NAMES = ("forward_propagation_with_dropout", "backward_propagation_with_dropout")


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


def compute_cost(a3, Y):
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
# The three-layer network without regularization
# ---------------------------------------------------------------------------------------------------

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

def _lookup(functions, name):
    """Fetch the callable `name` from a mapping (e.g. ``globals()``) or an object (e.g. a module)."""
    if functions is None:
        raise ValueError(f"train needs {name!r}, but no functions were given")
    if isinstance(functions, Mapping):
        if name not in functions:
            raise KeyError(f"functions has no {name!r}")
        return functions[name]
    if not hasattr(functions, name):
        raise KeyError(f"functions has no {name!r}")
    return getattr(functions, name)


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
        cost_l2 = _lookup(functions, L2_FUNCTION_NAMES[0])
        backward_l2 = _lookup(functions, L2_FUNCTION_NAMES[1])
        cost_of = lambda a3_, p_: cost_l2(a3_, Y, p_, lambd)  # noqa: E731
        backward = lambda c_: backward_l2(X, Y, c_, lambd)  # noqa: E731
    elif keep_prob < 1:
        forward_do = _lookup(functions, DROPOUT_FUNCTION_NAMES[0])
        backward_do = _lookup(functions, DROPOUT_FUNCTION_NAMES[1])
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
    regularization or dropout is asked for, they are taken from the student's module
    ``assignments.regularization`` (imported at that moment). In a notebook where the functions are
    defined in cells, pass ``functions=globals()``.

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
        import importlib

        functions = importlib.import_module("assignments.regularization")
    parameters, _ = _run(X, Y, functions, learning_rate, num_iterations, lambd, keep_prob,
                         record_every=1000, print_every=10000 if print_cost else None)
    return parameters


# ---------------------------------------------------------------------------------------------------
# Plots (matplotlib imported lazily; object-oriented API, no pyplot state except in the notebook helper)
# ---------------------------------------------------------------------------------------------------

def _grid_predictions(predict_fn, X, steps=200, margin=0.1):
    """Evaluate predict_fn on a steps x steps grid covering X (2, m) plus a margin.

    predict_fn maps points of shape (k, 2) to k predictions; returns (xx, yy, zz), each (steps, steps).
    """
    x_min, x_max = X[0, :].min() - margin, X[0, :].max() + margin
    y_min, y_max = X[1, :].min() - margin, X[1, :].max() + margin
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, steps), np.linspace(y_min, y_max, steps))
    points = np.c_[xx.ravel(), yy.ravel()]
    zz = np.asarray(predict_fn(points), dtype=float).reshape(xx.shape)
    return xx, yy, zz


def _draw_decision_boundary(ax, parameters, X, Y, title):
    """Draw the filled decision regions and the labelled points of X (2, m), Y (1, m) on ax."""
    if callable(parameters):
        predict_fn = parameters
    else:
        predict_fn = lambda points: predict_dec(parameters, points.T)  # noqa: E731
    X = np.asarray(X, dtype=float)
    xx, yy, zz = _grid_predictions(predict_fn, X)
    ax.contourf(xx, yy, zz, levels=[-0.5, 0.5, 1.5], cmap="Spectral", alpha=0.8)
    ax.scatter(X[0, :], X[1, :], c=np.ravel(Y), cmap="Spectral", s=18, edgecolors="k",
               linewidths=0.4)
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    if title:
        ax.set_title(title)


def decision_boundary_figure(parameters, X, Y, title):
    """A figure of the network's decision regions with the labelled points on top.

    Arguments:
    parameters -- dict of the trained network (see forward_propagation), or a callable mapping points
                  of shape (k, 2) to k predictions (the course's ``lambda x: predict_dec(p, x.T)``)
    X -- points to draw, shape (2, m)
    Y -- their labels (0 or 1), shape (1, m)
    title -- the figure's title

    Returns:
    fig -- a matplotlib.figure.Figure (not registered with pyplot; render it with figure_png)
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 4))
    ax = fig.add_subplot(1, 1, 1)
    _draw_decision_boundary(ax, parameters, X, Y, title)
    fig.tight_layout()
    return fig


def decision_boundaries_figure(panels, X, Y):
    """Decision regions of several networks side by side (e.g. yours beside the reference's).

    Arguments:
    panels -- sequence of k (title, parameters) pairs
    X -- points to draw, shape (2, m)
    Y -- their labels (0 or 1), shape (1, m)

    Returns:
    fig -- a matplotlib.figure.Figure with k panels in one row
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4 * len(panels), 3.6))
    for i, (title, parameters) in enumerate(panels):
        _draw_decision_boundary(fig.add_subplot(1, len(panels), i + 1), parameters, X, Y, title)
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.14, top=0.9, wspace=0.3)  # tight_layout costs 0.1 s
    return fig


def cost_curve_figure(costs, title, record_every=1000):
    """A figure of the recorded training cost against the iteration number.

    Arguments:
    costs -- sequence of k floats, the cost at iterations 0, record_every, ..., (k - 1) * record_every
    title -- the figure's title
    record_every -- number of iterations between two recorded costs

    Returns:
    fig -- a matplotlib.figure.Figure (not registered with pyplot; render it with figure_png)
    """
    from matplotlib.figure import Figure

    costs = np.asarray(costs, dtype=float).ravel()
    fig = Figure(figsize=(5, 3.5))
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(np.arange(costs.size) * record_every, costs)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def figure_png(fig, dpi=80):
    """Render a figure to PNG with the Agg canvas (no display, no pyplot state).

    Arguments:
    fig -- a matplotlib.figure.Figure
    dpi -- resolution; 80 keeps the images small enough to embed in reports

    Returns:
    png -- bytes of a PNG file (they start with b"\\x89PNG")
    """
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)  # attaches an Agg canvas to the figure
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def plot_decision_boundary(parameters, X, Y, title=""):
    """Show the decision regions of a network with pyplot, for notebooks.

    Arguments:
    parameters -- dict of the trained network, or a callable mapping points of shape (k, 2) to k
                  predictions (the course's ``lambda x: predict_dec(parameters, x.T)``)
    X -- points to draw, shape (2, m)
    Y -- their labels (0 or 1), shape (1, m)
    title -- optional title

    Returns:
    None (the figure is shown with matplotlib.pyplot.show)
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 4))
    _draw_decision_boundary(ax, parameters, X, Y, title)
    plt.show()
