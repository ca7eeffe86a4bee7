import numpy as np


def initialize_parameters_zeros(layers_dims):
    params = {}
    for l in range(1, len(layers_dims)):
        params[f"W{l}"] = np.zeros(shape=(layers_dims[l], layers_dims[l-1]))
        params[f"b{l}"] = np.zeros(shape=(layers_dims[l], 1))
    return params


def initialize_parameters_random(layers_dims):
    np.random.seed(3)
    params = {}
    for l in range(1, len(layers_dims)):
        params[f"W{l}"] = np.multiply(np.random.randn(layers_dims[l], layers_dims[l-1]), 10)
        params[f"b{l}"] = np.zeros([layers_dims[l], 1])
    return params


def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    params = {}
    for l in range(1, len(layers_dims)):
        he_factor = np.sqrt(2 / layers_dims[l-1])
        params[f"W{l}"] = np.multiply(np.random.randn(layers_dims[l], layers_dims[l-1]), he_factor)
        params[f"b{l}"] = np.zeros([layers_dims[l], 1])
    return params
