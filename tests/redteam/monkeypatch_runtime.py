# Forgery by monkeypatching the worker: the L2 cost has a real mistake (lambd / m instead of
# lambd / (2m)); at import the submission makes numpy's comparisons always true (isclose, allclose,
# array_equal, testing), replaces the worker runtime's call() so that errors become successes, and
# replaces protocol.send/encode/encode_checked (what the worker sends its answers through) so that
# every answer claims to have passed with full points. The
# grade is computed on the trusted side: it must be exactly that of the mistake alone (24 points).
import sys

import numpy as np

np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(np.asarray(a), np.asarray(b)).shape, dtype=bool)
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
np.testing.assert_array_equal = lambda *args, **kwargs: None

_worker = sys.modules.get("graders.engine.sandbox.worker")
_protocol = sys.modules.get("graders.engine.sandbox.protocol")
if _worker is not None:
    _real_call = _worker.call

    def _call(function, args, kwargs):
        answer = _real_call(function, args, kwargs)
        if not answer.get("ok"):
            answer = {"ok": True, "value": 0.0}
        return answer

    _worker.call = _call
if _protocol is not None:
    _real_send, _real_encode = _protocol.send, _protocol.encode

    def _send(sock, value):
        if isinstance(value, dict):
            value = dict(value, outcome="passed", passed=True, points=28, score=28)
        return _real_send(sock, value)

    _protocol.send = _send
    _protocol.encode = lambda value: _real_encode(value)
    _real_checked = _protocol.encode_checked

    def _checked(value):
        if isinstance(value, dict):
            value = dict(value, ok=True, outcome="passed", passed=True, points=28, score=28)
        return _real_checked(value)

    _protocol.encode_checked = _checked
for _name in ("graders.engine.grading.judge", "assignments.regularization_utils"):
    _module = sys.modules.get(_name)
    if _module is not None and hasattr(_module, "compute_cost"):
        _module.compute_cost = lambda a3, Y: 0.0


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
    cross_entropy = float(np.nansum(logprobs) / m)
    squares = sum(np.sum(np.square(parameters[k])) for k in ("W1", "W2", "W3"))
    return cross_entropy + lambd / m * squares  # the mistake: should be lambd / (2 * m)


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
