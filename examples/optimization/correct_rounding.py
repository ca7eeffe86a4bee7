# Same formulas, rearranged: every step is computed in a different order than the course's, so the
# results differ from the reference in the last bits only.
import numpy as np


def update_parameters_with_gd(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in "Wb":
            parameters[p + str(l)] = parameters[p + str(l)] + (-learning_rate) * grads["d" + p + str(l)]
    return parameters


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    perm = np.random.permutation(m)
    cuts = list(range(mini_batch_size, m, mini_batch_size))
    return list(zip(np.split(X[:, perm], cuts, axis=1), np.split(Y[:, perm], cuts, axis=1)))


def initialize_velocity(parameters):
    return {"d" + k: 0.0 * p for k, p in parameters.items()}


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in "Wb":
            g = grads["d" + p + str(l)]
            v["d" + p + str(l)] = beta * (v["d" + p + str(l)] - g) + g
            parameters[p + str(l)] = parameters[p + str(l)] - v["d" + p + str(l)] * learning_rate
    return parameters, v


def initialize_rmsprop(parameters):
    return {"d" + k: 0.0 * p for k, p in parameters.items()}


def update_parameters_with_rmsprop(parameters, grads, s, t=None, learning_rate=0.01, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    root = 1.0 if t is None else np.sqrt(1 - beta2 ** t)
    for l in range(1, L + 1):
        for p in "Wb":
            g = grads["d" + p + str(l)]
            s["d" + p + str(l)] = beta2 * (s["d" + p + str(l)] - g * g) + g * g
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * g / (np.sqrt(s["d" + p + str(l)]) / root + epsilon)
    return parameters, s


def initialize_adam(parameters):
    return initialize_velocity(parameters), initialize_rmsprop(parameters)


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    L = len(parameters) // 2
    v_corrected, s_corrected = {}, {}
    for l in range(1, L + 1):
        for p in "Wb":
            k = "d" + p + str(l)
            g = grads[k]
            v[k] = beta1 * (v[k] - g) + g
            s[k] = beta2 * (s[k] - g ** 2) + g ** 2
            v_corrected[k] = v[k] * (1 / (1 - beta1 ** t))
            s_corrected[k] = s[k] * (1 / (1 - beta2 ** t))
            parameters[p + str(l)] = parameters[p + str(l)] - (learning_rate * v_corrected[k]) / (s_corrected[k] ** 0.5 + epsilon)
    return parameters, v, s, v_corrected, s_corrected


def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 * (1 + decay_rate * epoch_num) ** -1


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 * (1 + decay_rate * (epoch_num - epoch_num % time_interval) / time_interval) ** -1
