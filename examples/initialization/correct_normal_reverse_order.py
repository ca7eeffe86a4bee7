import numpy as np


def initialize_parameters_zeros(layers_dims):
    return {name: np.zeros(shape)
            for l in range(1, len(layers_dims))
            for name, shape in ((f"W{l}", (layers_dims[l], layers_dims[l - 1])), (f"b{l}", (layers_dims[l], 1)))}


def initialize_parameters_random(layers_dims):
    # no seed; the last layer is drawn first; np.random.normal instead of randn * 10
    parameters = {}
    for l in reversed(range(1, len(layers_dims))):
        parameters["W" + str(l)] = np.random.normal(0, 10, (layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


def initialize_parameters_he(layers_dims):
    np.random.seed(1)
    parameters = {}
    for l in reversed(range(1, len(layers_dims))):
        std = (2.0 / layers_dims[l - 1]) ** 0.5
        parameters["W" + str(l)] = np.random.normal(loc=0.0, scale=std, size=(layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
