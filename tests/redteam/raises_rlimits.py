# Raising the resource limits back: at import every limit is set to unlimited (with setrlimit and
# with prlimit on itself); the dropout forward pass then needs 3 GB of memory, which only a raised
# address-space limit would allow.
import resource

import numpy as np

_raised = []
for _name in ("RLIMIT_AS", "RLIMIT_DATA", "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_NPROC"):
    _limit = getattr(resource, _name)
    for _attempt in (lambda: resource.setrlimit(_limit, (resource.RLIM_INFINITY, resource.RLIM_INFINITY)),
                     lambda: resource.prlimit(0, _limit, (resource.RLIM_INFINITY, resource.RLIM_INFINITY)),
                     lambda: resource.setrlimit(_limit, (resource.getrlimit(_limit)[1], resource.getrlimit(_limit)[1]))):
        try:
            _attempt()
        except (OSError, ValueError):
            pass
print("address space now:", resource.getrlimit(resource.RLIMIT_AS))


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    scratch = np.ones(3 << 27)  # 3 GB of float64
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1 + scratch[0] - 1
    D1 = (np.random.rand(*Z1.shape) < keep_prob).astype(int)
    A1 = np.maximum(0, Z1) * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    D2 = (np.random.rand(*Z2.shape) < keep_prob).astype(int)
    A2 = np.maximum(0, Z2) * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    with np.errstate(over="ignore"):
        A3 = 1 / (1 + np.exp(-Z3))
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


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
