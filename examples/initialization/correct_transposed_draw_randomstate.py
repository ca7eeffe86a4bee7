import numpy as np


def initialize_parameters_zeros(layers_dims):
    parameters = dict()
    for l, (n_prev, n) in enumerate(zip(layers_dims[:-1], layers_dims[1:]), start=1):
        parameters["W" + str(l)] = np.zeros((n_prev, n)).T
        parameters["b" + str(l)] = np.zeros((n, 1))
    return parameters


def initialize_parameters_random(layers_dims):
    state = np.random.RandomState(7)
    parameters = dict()
    for l, (n_prev, n) in enumerate(zip(layers_dims[:-1], layers_dims[1:]), start=1):
        parameters["W" + str(l)] = 10 * state.randn(n_prev, n).T   # drawn transposed, then flipped
        parameters["b" + str(l)] = np.zeros((n, 1))
    return parameters


def initialize_parameters_he(layers_dims):
    state = np.random.RandomState(7)
    parameters = dict()
    for l, (n_prev, n) in enumerate(zip(layers_dims[:-1], layers_dims[1:]), start=1):
        W = state.standard_normal(size=(n_prev, n)) / np.sqrt(n_prev / 2)
        parameters["W" + str(l)] = np.ascontiguousarray(W.T)
        parameters["b" + str(l)] = np.zeros((n, 1))
    return parameters
