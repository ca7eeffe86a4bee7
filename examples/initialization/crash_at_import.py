import os

import numpy as np


def initialize_parameters_zeros(layers_dims):
    return {k: np.zeros((layers_dims[int(k[1:])], layers_dims[int(k[1:]) - 1]) if k[0] == "W" else (layers_dims[int(k[1:])], 1))
            for l in range(1, len(layers_dims)) for k in ("W%d" % l, "b%d" % l)}


os._exit(3)   # left over from a debugging session: kills the interpreter at import
