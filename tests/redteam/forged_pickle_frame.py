# Sends the grader a hand-made answer frame whose array is a pickled object array: unpickling it
# would create /var/tmp/dlgrade-redteam-unpickled (os.makedirs) in the grader's process. Arrays
# are loaded without pickle: the frame must be refused as malformed and the folder never created.
import io
import json
import os
import pickle
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


MARKER = "/var/tmp/dlgrade-redteam-unpickled"


class _Payload:
    def __reduce__(self):
        return (os.makedirs, (MARKER, 0o755, True))


def _npy_with_pickle():
    header = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + pickle.dumps([_Payload()])


def _frame(value_tree, blobs):
    head = json.dumps({"t": "dict", "k": ["ok", "value"], "v": [True, value_tree]}).encode()
    sizes = json.dumps([len(head)] + [len(b) for b in blobs]).encode()
    body = b"".join([sizes, b"\0", head, *blobs])
    return struct.pack(">Q", len(body)) + body


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    os.write(_channel_fd(), _frame({"t": "nd", "i": 0}, [_npy_with_pickle()]))
    return None


# ---- the functions this attack leaves alone: a correct implementation ----

def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
    cross_entropy = float(np.nansum(logprobs) / m)
    squares = sum(np.sum(np.square(parameters[k])) for k in ("W1", "W2", "W3"))
    return cross_entropy + lambd / (2 * m) * squares


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
