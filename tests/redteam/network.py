# Network access: TCP connections to 127.0.0.1 and ::1 (common ports), to public addresses (1.1.1.1,
# 8.8.8.8, a documentation address that would hang until timeout on a real network), UDP sends,
# a DNS lookup. Each attempt allows itself 5 s. The L2 cost raises if any connection or send worked
# or if any attempt took more than half a second (no route: everything fails at once); otherwise it
# computes correctly.
import socket
import time

import numpy as np

_TCP = [("127.0.0.1", 22), ("127.0.0.1", 80), ("127.0.0.1", 8000), ("127.0.0.1", 8888), ("::1", 80),
        ("1.1.1.1", 443), ("8.8.8.8", 53), ("93.184.216.34", 80), ("192.0.2.1", 80)]


def _probe():
    problems = []
    for host, port in _TCP:
        start = time.monotonic()
        try:
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            with socket.socket(family, socket.SOCK_STREAM) as sock:
                sock.settimeout(5)
                sock.connect((host, port))
            problems.append(f"connected to {host}:{port}")
        except OSError:
            pass
        if time.monotonic() - start > 0.5:
            problems.append(f"{host}:{port} took {time.monotonic() - start:.1f} s")
    for host in ("8.8.8.8", "1.1.1.1", "127.0.0.1"):
        start = time.monotonic()
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.settimeout(5)
                sock.sendto(b"hello", (host, 53))
            problems.append(f"sent UDP to {host}")
        except OSError:
            pass
        if time.monotonic() - start > 0.5:
            problems.append(f"UDP {host} took {time.monotonic() - start:.1f} s")
    start = time.monotonic()
    try:
        socket.getaddrinfo("example.com", 80)
        problems.append("resolved example.com")
    except OSError:
        pass
    if time.monotonic() - start > 0.5:
        problems.append(f"DNS took {time.monotonic() - start:.1f} s")
    return problems


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    problems = _probe()
    if problems:
        raise RuntimeError("; ".join(problems))
    m = Y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
    squares = sum(np.sum(np.square(parameters[k])) for k in ("W1", "W2", "W3"))
    return float(np.nansum(logprobs) / m) + lambd / (2 * m) * squares


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
