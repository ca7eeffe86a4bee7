# Writes a garbage frame straight into the worker's channel (found in /proc/self/fd) before
# answering: the grader must see a malformed answer for that call only, not crash, not hang.
import os
import struct

import numpy as np


def _channel_fd():
    """The worker's socket to the grader, found among the open file descriptors."""
    for fd in range(3, 256):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                return fd
        except OSError:
            pass
    raise RuntimeError("no channel found")


def backward_propagation_with_regularization(X, Y, cache, lambd):
    os.write(_channel_fd(), struct.pack(">Q", 5) + b"junk!")
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (A2 > 0)
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (A1 > 0)
    return {"dZ3": dZ3, "dW3": dZ3 @ A2.T / m + lambd / m * W3, "db3": dZ3.sum(1, keepdims=True) / m,
            "dA2": dA2, "dZ2": dZ2, "dW2": dZ2 @ A1.T / m + lambd / m * W2, "db2": dZ2.sum(1, keepdims=True) / m,
            "dA1": dA1, "dZ1": dZ1, "dW1": dZ1 @ X.T / m + lambd / m * W1, "db1": dZ1.sum(1, keepdims=True) / m}


# ---- the functions this attack leaves alone: a correct implementation ----

def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
    cross_entropy = float(np.nansum(logprobs) / m)
    squares = sum(np.sum(np.square(parameters[k])) for k in ("W1", "W2", "W3"))
    return cross_entropy + lambd / (2 * m) * squares


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = np.dot(W1, X) + b1
    D1 = (np.random.rand(*Z1.shape) < keep_prob).astype(int)
    A1 = np.maximum(0, Z1) * D1 / keep_prob
    Z2 = np.dot(W2, A1) + b2
    D2 = (np.random.rand(*Z2.shape) < keep_prob).astype(int)
    A2 = np.maximum(0, Z2) * D2 / keep_prob
    Z3 = np.dot(W3, A2) + b3
    with np.errstate(over="ignore"):
        A3 = 1 / (1 + np.exp(-Z3))
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    m = X.shape[1]
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T)
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3) * D2 / keep_prob
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T)
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2) * D1 / keep_prob
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T)
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
