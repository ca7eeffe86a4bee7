"""Regularization (L2 + inverted dropout).

I use numpy's Generator API instead of the legacy global functions; the masks are kept as
booleans, which multiply like 0/1.
"""
import numpy as np

from assignments.regularization_utils import compute_cost, relu, sigmoid

_rng = np.random.default_rng()


def _frobenius_squared(*matrices):
    return sum(float((M * M).sum()) for M in matrices)


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    penalty = _frobenius_squared(*(parameters[k] for k in ("W1", "W2", "W3")))
    return compute_cost(A3, Y) + lambd * penalty / (2 * m)


def backward_propagation_with_regularization(X, Y, cache, lambd):
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = cache
    m = X.shape[1]
    grads = {}
    grads["dZ3"] = A3 - Y
    grads["dW3"] = (grads["dZ3"] @ A2.T + lambd * W3) / m
    grads["db3"] = grads["dZ3"].sum(axis=1, keepdims=True) / m
    grads["dA2"] = W3.T @ grads["dZ3"]
    grads["dZ2"] = np.where(A2 > 0, grads["dA2"], 0.0)
    grads["dW2"] = (grads["dZ2"] @ A1.T + lambd * W2) / m
    grads["db2"] = grads["dZ2"].sum(axis=1, keepdims=True) / m
    grads["dA1"] = W2.T @ grads["dZ2"]
    grads["dZ1"] = np.where(A1 > 0, grads["dA1"], 0.0)
    grads["dW1"] = (grads["dZ1"] @ X.T + lambd * W1) / m
    grads["db1"] = grads["dZ1"].sum(axis=1, keepdims=True) / m
    return grads


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    m = X.shape[1]

    # both masks up front (their shapes are known from the weights); D2 first, why not
    D2 = _rng.random((W2.shape[0], m)) <= keep_prob
    D1 = _rng.random((W1.shape[0], m)) <= keep_prob

    Z1 = W1 @ X + b1
    A1 = relu(Z1) * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2) * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3 = cache
    m = X.shape[1]
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = dZ3.sum(axis=1, keepdims=True) / m
    dA2 = np.where(D2, W3.T @ dZ3, 0.0) / keep_prob
    dZ2 = np.where(A2 > 0, dA2, 0.0)
    dW2 = dZ2 @ A1.T / m
    db2 = dZ2.sum(axis=1, keepdims=True) / m
    dA1 = np.where(D1, W2.T @ dZ2, 0.0) / keep_prob
    dZ1 = np.where(A1 > 0, dA1, 0.0)
    dW1 = dZ1 @ X.T / m
    db1 = dZ1.sum(axis=1, keepdims=True) / m
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
