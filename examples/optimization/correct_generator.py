# Optimization, my version: new dicts instead of in-place updates, numpy's Generator for the shuffle,
# renamed arguments in the decay functions, and the older course's habit of L = len(parameters) // 2.
import numpy as np


def _layers(parameters):
    return range(1, len(parameters) // 2 + 1)


def update_parameters_with_gd(parameters, grads, learning_rate):
    new = {}
    for l in _layers(parameters):
        new[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        new[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return new


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    perm = rng.permutation(m)
    n_batches = int(np.ceil(m / mini_batch_size))
    batches = []
    for k in range(n_batches):
        idx = perm[k * mini_batch_size:min(m, (k + 1) * mini_batch_size)]
        batches.append((X[:, idx], Y[:, idx].reshape(1, -1)))
    return batches


def initialize_velocity(parameters):
    v = {}
    for l in _layers(parameters):
        v[f"dW{l}"] = np.zeros_like(parameters[f"W{l}"])
        v[f"db{l}"] = np.zeros_like(parameters[f"b{l}"])
    return v


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    new_v = {k: beta * v[k] + (1 - beta) * grads[k] for k in v}
    new_p = {k: parameters[k] - learning_rate * new_v["d" + k] for k in parameters}
    return new_p, new_v


def initialize_rmsprop(parameters):
    return initialize_velocity(parameters)


def update_parameters_with_rmsprop(parameters, grads, s, t=None, learning_rate=0.01, beta2=0.999, epsilon=1e-8):
    new_s = {k: beta2 * s[k] + (1 - beta2) * grads[k] * grads[k] for k in s}
    bias = 1.0 if t is None else 1.0 - beta2 ** t
    new_p = {k: parameters[k] - learning_rate * grads["d" + k] / (np.sqrt(new_s["d" + k] / bias) + epsilon)
             for k in parameters}
    return new_p, new_s


def initialize_adam(parameters):
    return initialize_velocity(parameters), initialize_velocity(parameters)


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    v = {k: beta1 * v[k] + (1 - beta1) * grads[k] for k in v}
    s = {k: beta2 * s[k] + (1 - beta2) * grads[k] ** 2 for k in s}
    v_corrected = {k: v[k] / (1 - beta1 ** t) for k in v}
    s_corrected = {k: s[k] / (1 - beta2 ** t) for k in s}
    parameters = {k: parameters[k] - learning_rate * v_corrected["d" + k] / (np.sqrt(s_corrected["d" + k]) + epsilon)
                  for k in parameters}
    return parameters, v, s, v_corrected, s_corrected


def update_lr(learning_rate, epoch_num, decay_rate):
    return learning_rate * (1.0 / (1.0 + decay_rate * epoch_num))


def schedule_lr_decay(lr0, epcho_num, decay_rate, time_interval=1000):
    return lr0 / (1 + decay_rate * int(epcho_num / time_interval))
