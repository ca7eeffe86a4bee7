# Regularization -- my own vectorized version.
# I always sum with keepdims=True, so my cost comes out as a 1x1 array; the cache is a list.
import numpy as np


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    weights = [parameters[f"W{l}"] for l in (1, 2, 3)]
    total = np.zeros((1, 1))
    for W in weights:
        total = total + np.sum(W * W, keepdims=True)
    return compute_cost(A3, Y) + lambd / (2 * m) * total


def backward_propagation_with_regularization(X, Y, cache, lambd):
    m = X.shape[1]
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = cache
    g = {}
    g["dZ3"] = A3 - Y
    g["dW3"] = (g["dZ3"].dot(A2.T) + lambd * W3) / m
    g["db3"] = g["dZ3"].mean(axis=1, keepdims=True)
    g["dA2"] = W3.T.dot(g["dZ3"])
    g["dZ2"] = g["dA2"] * (A2 > 0)
    g["dW2"] = (g["dZ2"].dot(A1.T) + lambd * W2) / m
    g["db2"] = g["dZ2"].mean(axis=1, keepdims=True)
    g["dA1"] = W2.T.dot(g["dZ2"])
    g["dZ1"] = g["dA1"] * (A1 > 0)
    g["dW1"] = (g["dZ1"].dot(X.T) + lambd * W1) / m
    g["db1"] = g["dZ1"].mean(axis=1, keepdims=True)
    return g


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    np.random.seed(1)
    cache = []
    A = X
    for l in (1, 2):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = W.dot(A) + b
        D = (np.random.rand(*Z.shape) < keep_prob).astype(np.float64)
        A = np.maximum(Z, 0) * D / keep_prob
        cache.extend([Z, D, A, W, b])
    W3, b3 = parameters["W3"], parameters["b3"]
    Z3 = W3.dot(A) + b3
    A3 = sigmoid(Z3)
    cache.extend([Z3, A3, W3, b3])
    return A3, cache


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3 = cache
    g = {}
    g["dZ3"] = A3 - Y
    g["dW3"] = g["dZ3"].dot(A2.T) / m
    g["db3"] = g["dZ3"].mean(axis=1, keepdims=True)
    g["dA2"] = W3.T.dot(g["dZ3"]) * D2 / keep_prob
    g["dZ2"] = g["dA2"] * (A2 > 0)
    g["dW2"] = g["dZ2"].dot(A1.T) / m
    g["db2"] = g["dZ2"].mean(axis=1, keepdims=True)
    g["dA1"] = W2.T.dot(g["dZ2"]) * D1 / keep_prob
    g["dZ1"] = g["dA1"] * (A1 > 0)
    g["dW1"] = g["dZ1"].dot(X.T) / m
    g["db1"] = g["dZ1"].mean(axis=1, keepdims=True)
    return g
