# %% [markdown]
# # Regularization: L2 and dropout
#
# A three-layer network (LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID) fitted with plain
# batch gradient descent memorises the noise of a small training set. In this assignment you add the
# two classic cures to it:
#
# 1. **L2 regularization**: a penalty on the size of the weights, added to the cost and therefore to
#    the gradient of every weight matrix.
# 2. **Dropout**: during training, every hidden unit is switched off at random with probability
#    `1 - keep_prob`, and the survivors are scaled up by `1 / keep_prob` so the expected activation is
#    unchanged ("inverted dropout").
#
# Throughout, `m` is the number of examples, `X` has shape `(n_x, m)`, labels `Y` have shape `(1, m)`,
# and `parameters` is the dict `{"W1", "b1", "W2", "b2", "W3", "b3"}` with `Wl` of shape
# `(n_l, n_{l-1})` and `bl` of shape `(n_l, 1)`.

# %%
import numpy as np

from assignments.regularization_utils import compute_cost, relu, sigmoid

# %% [markdown]
# ## Exercise 1: the L2-regularized cost
#
# The regularized cost is the cross-entropy plus
# $\frac{\lambda}{2m}\left(\lVert W^{[1]}\rVert_F^2 + \lVert W^{[2]}\rVert_F^2 + \lVert W^{[3]}\rVert_F^2\right)$.
# Biases are not penalised.


# %%
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    """Cross-entropy cost plus the L2 penalty on the three weight matrices.

    Arguments:
    A3 -- sigmoid output of the network, shape (1, m)
    Y -- true labels (0 or 1), shape (1, m)
    parameters -- dict with "W1" (n1, n_x), "W2" (n2, n1), "W3" (1, n2) and the biases
    lambd -- the regularization strength lambda, a float

    Returns:
    cost -- a real number (Python float or numpy scalar): compute_cost(A3, Y) + lambda/(2m) * sum of
            the squared entries of W1, W2 and W3
    """
    ### BEGIN SOLUTION
    m = Y.shape[1]
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    cross_entropy_cost = compute_cost(A3, Y)
    squares = np.sum(np.square(W1)) + np.sum(np.square(W2)) + np.sum(np.square(W3))
    L2_regularization_cost = lambd / (2 * m) * squares
    cost = cross_entropy_cost + L2_regularization_cost
    return cost
    ### END SOLUTION


# %% [markdown]
# ## Exercise 2: backward propagation with L2
#
# The penalty adds $\frac{\lambda}{m} W^{[l]}$ to the gradient of each weight matrix, and nothing to
# the gradients of the biases.


# %%
def backward_propagation_with_regularization(X, Y, cache, lambd):
    """Gradients of the L2-regularized cost for the three-layer network.

    Arguments:
    X -- input data, shape (n_x, m)
    Y -- true labels, shape (1, m)
    cache -- the tuple returned by forward_propagation:
             (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3), with Zl and Al of shape (n_l, m)
    lambd -- the regularization strength lambda, a float

    Returns:
    gradients -- dict with the keys "dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1",
                 "dW1", "db1"; each value has the shape of the quantity it is the gradient of
                 (dWl like Wl, dbl like bl, dZl and dAl like Zl)
    """
    ### BEGIN SOLUTION
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache

    dZ3 = A3 - Y
    dW3 = np.dot(dZ3, A2.T) / m + lambd / m * W3
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m

    dA2 = np.dot(W3.T, dZ3)
    dZ2 = dA2 * (A2 > 0)
    dW2 = np.dot(dZ2, A1.T) / m + lambd / m * W2
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m

    dA1 = np.dot(W2.T, dZ2)
    dZ1 = dA1 * (A1 > 0)
    dW1 = np.dot(dZ1, X.T) / m + lambd / m * W1
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m

    gradients = {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2,
                 "dZ2": dZ2, "dW2": dW2, "db2": db2, "dA1": dA1,
                 "dZ1": dZ1, "dW1": dW1, "db1": db1}
    return gradients
    ### END SOLUTION


# %% [markdown]
# ## Exercise 3: forward propagation with dropout
#
# Apply dropout to the two hidden layers (not to the input nor to the output). For each of them:
# draw a mask `Dl` of the shape of `Al` whose entries are 1 with probability `keep_prob` and 0
# otherwise, multiply `Al` by it, and divide by `keep_prob`. Seed numpy's generator with
# `np.random.seed(1)` at the start of the function and draw D1 before D2 with `np.random.rand` if you
# want the numbers printed in this notebook; any correct way of drawing the masks is accepted.


# %%
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    """LINEAR -> RELU + DROPOUT -> LINEAR -> RELU + DROPOUT -> LINEAR -> SIGMOID.

    Arguments:
    X -- input data, shape (n_x, m)
    parameters -- dict with "W1" (n1, n_x), "b1" (n1, 1), "W2" (n2, n1), "b2" (n2, 1),
                  "W3" (1, n2), "b3" (1, 1)
    keep_prob -- probability of keeping a hidden unit, a float in (0, 1]

    Returns:
    A3 -- sigmoid output, shape (1, m)
    cache -- the tuple (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3), where Dl is the 0/1
             mask of layer l, shape (n_l, m), and Al is the activation after the mask and the
             1/keep_prob scaling
    """
    ### BEGIN SOLUTION
    np.random.seed(1)
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]

    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    D1 = np.random.rand(A1.shape[0], A1.shape[1])
    D1 = (D1 < keep_prob).astype(int)
    A1 = A1 * D1 / keep_prob

    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    D2 = np.random.rand(A2.shape[0], A2.shape[1])
    D2 = (D2 < keep_prob).astype(int)
    A2 = A2 * D2 / keep_prob

    Z3 = np.dot(W3, A2) + b3
    A3 = sigmoid(Z3)

    cache = (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
    return A3, cache
    ### END SOLUTION


# %% [markdown]
# ## Exercise 4: backward propagation with dropout
#
# Back-propagate through the same masks: multiply `dA2` and `dA1` by `D2` and `D1`, and divide them by
# `keep_prob`, exactly as the forward pass did.


# %%
def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    """Gradients of the cross-entropy cost of the dropout network, through the cached masks.

    Arguments:
    X -- input data, shape (n_x, m)
    Y -- true labels, shape (1, m)
    cache -- the tuple returned by forward_propagation_with_dropout:
             (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
    keep_prob -- the keep probability used in the forward pass, a float in (0, 1]

    Returns:
    gradients -- dict with the keys "dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1",
                 "dW1", "db1"; each value has the shape of the quantity it is the gradient of
    """
    ### BEGIN SOLUTION
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache

    dZ3 = A3 - Y
    dW3 = np.dot(dZ3, A2.T) / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m

    dA2 = np.dot(W3.T, dZ3) * D2 / keep_prob
    dZ2 = dA2 * (A2 > 0)
    dW2 = np.dot(dZ2, A1.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m

    dA1 = np.dot(W2.T, dZ2) * D1 / keep_prob
    dZ1 = dA1 * (A1 > 0)
    dW1 = np.dot(dZ1, X.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m

    gradients = {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2,
                 "dZ2": dZ2, "dW2": dW2, "db2": db2, "dA1": dA1,
                 "dZ1": dZ1, "dW1": dW1, "db1": db1}
    return gradients
    ### END SOLUTION


### BEGIN HIDDEN
# Known wrong variants, graded as hints (templates/hints/regularization.j2). Never released.
from graders.engine.grading.oracle import Misconception  # noqa: E402


def _l2_cost(scale, include_biases=False, layers=(1, 2, 3)):
    def cost(A3, Y, parameters, lambd):
        names = [f"W{l}" for l in layers] + ([f"b{l}" for l in layers] if include_biases else [])
        squares = sum(np.sum(np.square(parameters[n])) for n in names)
        return compute_cost(A3, Y) + scale(lambd, Y.shape[1]) * squares
    return cost


def _l2_backward(weight_term, skip_layer=None, bias_term=False):
    def backward(X, Y, cache, lambd):
        grads = backward_propagation_with_regularization(X, Y, cache, 0.0)
        m = X.shape[1]
        weights = {1: cache[2], 2: cache[6], 3: cache[10]}
        for layer, W in weights.items():
            if layer != skip_layer:
                grads[f"dW{layer}"] = grads[f"dW{layer}"] + weight_term(lambd, m) * W
            if bias_term:
                b = cache[4 * layer - 1]
                grads[f"db{layer}"] = grads[f"db{layer}"] + lambd / m * b
        return grads
    return backward


def _dropout_backward(scale, apply_mask=True):
    def backward(X, Y, cache, keep_prob):
        (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
        if not apply_mask:
            D1, D2 = np.ones_like(D1), np.ones_like(D2)
        factor = scale(keep_prob)
        rescaled = (Z1, D1 * factor * keep_prob, A1, W1, b1, Z2, D2 * factor * keep_prob, A2, W2, b2, Z3, A3, W3, b3)
        return backward_propagation_with_dropout(X, Y, rescaled, keep_prob)
    return backward


def _backward_without_relu_mask(X, Y, A1, A2, A3, W2, W3, D1=1.0, D2=1.0):
    """The three-layer backward pass with the ReLU derivative left out (dZ = dA), through optional
    dropout masks D1, D2 already divided by keep_prob; returns the 11 gradients."""
    m = X.shape[1]
    dZ3 = A3 - Y
    dA2 = np.dot(W3.T, dZ3) * D2
    dZ2 = dA2
    dA1 = np.dot(W2.T, dZ2) * D1
    dZ1 = dA1
    return {"dZ3": dZ3, "dW3": np.dot(dZ3, A2.T) / m, "db3": np.sum(dZ3, axis=1, keepdims=True) / m,
            "dA2": dA2, "dZ2": dZ2, "dW2": np.dot(dZ2, A1.T) / m, "db2": np.sum(dZ2, axis=1, keepdims=True) / m,
            "dA1": dA1, "dZ1": dZ1, "dW1": np.dot(dZ1, X.T) / m, "db1": np.sum(dZ1, axis=1, keepdims=True) / m}


def _l2_backward_without_relu_mask(X, Y, cache, lambd):
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    grads = _backward_without_relu_mask(X, Y, A1, A2, A3, W2, W3)
    for layer, W in ((1, W1), (2, W2), (3, W3)):
        grads[f"dW{layer}"] = grads[f"dW{layer}"] + lambd / X.shape[1] * W
    return grads


def _dropout_backward_without_relu_mask(X, Y, cache, keep_prob):
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    return _backward_without_relu_mask(X, Y, A1, A2, A3, W2, W3, D1 / keep_prob, D2 / keep_prob)


MISTAKES = {
    "compute_cost_with_regularization": [
        Misconception("l2_without_half", _l2_cost(lambda lambd, m: lambd / m)),
        Misconception("l2_without_m", _l2_cost(lambda lambd, m: lambd / 2)),
        Misconception("l2_includes_biases", _l2_cost(lambda lambd, m: lambd / (2 * m), include_biases=True)),
        *[Misconception("l2_missing_layer", _l2_cost(lambda lambd, m: lambd / (2 * m),
                                                     layers=tuple(l for l in (1, 2, 3) if l != layer)),
                        {"layer": layer}) for layer in (1, 2, 3)],
    ],
    "backward_propagation_with_regularization": [
        *[Misconception("l2_missing_from_dW", _l2_backward(lambda lambd, m: lambd / m, skip_layer=layer),
                        {"layer": layer}) for layer in (1, 2, 3)],
        Misconception("l2_added_to_db", _l2_backward(lambda lambd, m: lambd / m, bias_term=True)),
        Misconception("l2_gradient_doubled", _l2_backward(lambda lambd, m: 2 * lambd / m)),
        Misconception("l2_gradient_without_m", _l2_backward(lambda lambd, m: lambd)),
        Misconception("relu_mask_missing_backward", _l2_backward_without_relu_mask),
    ],
    "backward_propagation_with_dropout": [
        Misconception("dropout_mask_not_applied_backward", _dropout_backward(lambda p: 1 / p, apply_mask=False)),
        Misconception("dropout_missing_scaling_backward", _dropout_backward(lambda p: 1.0)),
        Misconception("dropout_multiplies_keep_prob_backward", _dropout_backward(lambda p: p)),
        Misconception("relu_mask_missing_backward", _dropout_backward_without_relu_mask),
    ],
}
### END HIDDEN
