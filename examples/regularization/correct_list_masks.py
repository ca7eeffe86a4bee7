# Regularization - keeps the dropout masks as Python lists (values equal to a numpy mask).
# D1 is a list of lists of numpy booleans (a comprehension over np.random.rand), D2 a list of
# lists of Python booleans (.tolist()); numpy broadcasting treats both like arrays.
import numpy as np


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    squares = 0.0
    for layer in (1, 2, 3):
        squares += np.sum(parameters["W" + str(layer)] ** 2)
    return compute_cost(A3, Y) + lambd * squares / (2 * m)


def backward_propagation_with_regularization(X, Y, cache, lambd):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    grads = {}
    dZ3 = A3 - Y
    grads["dZ3"] = dZ3
    grads["dW3"] = (dZ3 @ A2.T + lambd * W3) / m
    grads["db3"] = dZ3.sum(axis=1, keepdims=True) / m
    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (A2 > 0)
    grads.update(dA2=dA2, dZ2=dZ2)
    grads["dW2"] = (dZ2 @ A1.T + lambd * W2) / m
    grads["db2"] = dZ2.sum(axis=1, keepdims=True) / m
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (A1 > 0)
    grads.update(dA1=dA1, dZ1=dZ1)
    grads["dW1"] = (dZ1 @ X.T + lambd * W1) / m
    grads["db1"] = dZ1.sum(axis=1, keepdims=True) / m
    return grads


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    np.random.seed(1)
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]

    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    D1 = [[u < keep_prob for u in row] for row in np.random.rand(*A1.shape)]
    A1 = np.multiply(A1, D1) / keep_prob

    Z2 = W2 @ A1 + b2
    A2 = relu(Z2)
    D2 = (np.random.rand(*A2.shape) < keep_prob).tolist()
    A2 = np.multiply(A2, D2) / keep_prob

    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = dZ3 @ A2.T / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = np.multiply(W3.T @ dZ3, D2) / keep_prob
    dZ2 = dA2 * (A2 > 0)
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = np.multiply(W2.T @ dZ2, D1) / keep_prob
    dZ1 = dA1 * (A1 > 0)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
