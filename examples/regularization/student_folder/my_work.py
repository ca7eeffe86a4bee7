# regularization homework -- submitted as a folder
import numpy as np

LAYERS = (1, 2, 3)


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    squares = sum(np.sum(parameters["W%d" % l] * parameters["W%d" % l]) for l in LAYERS)
    return compute_cost(A3, Y) + (lambd / (2.0 * m)) * squares


def _relu_backward(dA, A):
    dZ = np.array(dA, copy=True)
    dZ[A <= 0] = 0
    return dZ


def _backward(X, Y, Zs, As, Ws, masks, keep_prob, lambd):
    """Shared by both backward passes: As = [X, A1, A2, A3], Ws = [None, W1, W2, W3]."""
    m = X.shape[1]
    grads = {}
    dZ = As[3] - Y
    for l in (3, 2, 1):
        grads["dZ%d" % l] = dZ
        grads["dW%d" % l] = np.dot(dZ, As[l - 1].T) / m + (lambd / m) * Ws[l]
        grads["db%d" % l] = np.sum(dZ, axis=1, keepdims=True) / m
        if l > 1:
            dA = np.dot(Ws[l].T, dZ)
            if masks is not None:
                dA = dA * masks[l - 1] / keep_prob
            grads["dA%d" % (l - 1)] = dA
            dZ = _relu_backward(dA, As[l - 1])
    return grads


def backward_propagation_with_regularization(X, Y, cache, lambd):
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    return _backward(X, Y, [None, Z1, Z2, Z3], [X, A1, A2, A3], [None, W1, W2, W3], None, 1.0, lambd)


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    np.random.seed(1)
    A = X
    cache = []
    for l in LAYERS:
        W, b = parameters["W%d" % l], parameters["b%d" % l]
        Z = np.dot(W, A) + b
        if l < 3:
            A = relu(Z)
            D = (np.random.rand(A.shape[0], A.shape[1]) < keep_prob).astype(int)
            A = A * D / keep_prob
            cache += [Z, D, A, W, b]
        else:
            A = sigmoid(Z)
            cache += [Z, A, W, b]
    return A, tuple(cache)


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    return _backward(X, Y, [None, Z1, Z2, Z3], [X, A1, A2, A3], [None, W1, W2, W3],
                     [None, D1, D2], keep_prob, 0.0)
