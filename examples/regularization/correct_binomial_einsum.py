import numpy as np


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    l2 = 0.0
    for l in range(1, 4):
        l2 += np.linalg.norm(parameters["W" + str(l)], 'fro') ** 2
    cost = compute_cost(A3, Y) + lambd / (2 * m) * l2
    return float(cost)


def backward_propagation_with_regularization(X, Y, cache, lambd):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = np.einsum('im,jm->ij', dZ3, A2) / m + (lambd / m) * W3
    db3 = np.einsum('im->i', dZ3)[:, None] / m
    dA2 = np.einsum('ji,jm->im', W3, dZ3)
    dZ2 = dA2 * np.heaviside(Z2, 0)
    dW2 = np.einsum('im,jm->ij', dZ2, A1) / m + (lambd / m) * W2
    db2 = np.einsum('im->i', dZ2)[:, None] / m
    dA1 = np.einsum('ji,jm->im', W2, dZ2)
    dZ1 = dA1 * np.heaviside(Z1, 0)
    dW1 = np.einsum('im,jm->ij', dZ1, X) / m + (lambd / m) * W1
    db1 = np.einsum('im->i', dZ1)[:, None] / m
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2,
            "db2": db2, "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    W1, b1, W2, b2, W3, b3 = [parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3")]
    Z1 = W1 @ X + b1
    D1 = np.random.binomial(1, keep_prob, size=Z1.shape)
    A1 = relu(Z1) * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    D2 = np.random.binomial(1, keep_prob, size=Z2.shape)
    A2 = relu(Z2) * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    cache = (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
    return A3, cache


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = (dZ3 @ A2.T) / m
    db3 = np.sum(dZ3, axis=1, keepdims=True) / m
    dA2 = (W3.T @ dZ3) * D2 / keep_prob
    dZ2 = dA2 * (Z2 > 0)
    dW2 = (dZ2 @ A1.T) / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dA1 = (W2.T @ dZ2) * D1 / keep_prob
    dZ1 = dA1 * (Z1 > 0)
    dW1 = (dZ1 @ X.T) / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2,
            "db2": db2, "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
