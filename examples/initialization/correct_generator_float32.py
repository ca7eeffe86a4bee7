"""Initializers on numpy's Generator API, another seed, float32 weights."""
import numpy as np

_rng = np.random.default_rng(2024)


def _layers(layers_dims):
    return [(l, layers_dims[l], layers_dims[l - 1]) for l in range(1, len(layers_dims))]


def initialize_parameters_zeros(layers_dims):
    out = {}
    for l, n, n_prev in _layers(layers_dims):
        out["W%d" % l] = np.zeros((n, n_prev), dtype=np.float32)
        out["b%d" % l] = np.zeros((n, 1), dtype=np.float32)
    return out


def initialize_parameters_random(layers_dims):
    out = {}
    for l, n, n_prev in _layers(layers_dims):
        out["W%d" % l] = (_rng.standard_normal((n, n_prev)) * 10).astype(np.float32)
        out["b%d" % l] = np.zeros((n, 1), dtype=np.float32)
    return out


def initialize_parameters_he(layers_dims):
    out = {}
    for l, n, n_prev in _layers(layers_dims):
        out["W%d" % l] = _rng.normal(0.0, np.sqrt(2.0 / n_prev), size=(n, n_prev)).astype(np.float32)
        out["b%d" % l] = np.zeros((n, 1), dtype=np.float32)
    return out
