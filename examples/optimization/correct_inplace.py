"""Optimization assignment: in-place updates everywhere (-=, *=, +=), one loop over the keys of
parameters, np.square / np.power / np.divide, and a shuffle with np.random.shuffle."""
import numpy as np


def update_parameters_with_gd(parameters, grads, learning_rate):
    for name in parameters:
        parameters[name] -= learning_rate * grads["d" + name]
    return parameters


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    order = np.arange(m)
    np.random.shuffle(order)
    X_s, Y_s = X[:, order], Y[:, order]
    starts = range(0, m, mini_batch_size)
    return [(X_s[:, i:i + mini_batch_size], Y_s[:, i:i + mini_batch_size]) for i in starts]


def initialize_velocity(parameters):
    return {"d" + name: np.zeros_like(value, dtype=float) for name, value in parameters.items()}


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    for name in parameters:
        g = "d" + name
        v[g] *= beta
        v[g] += (1 - beta) * grads[g]
        parameters[name] -= learning_rate * v[g]
    return parameters, v


def initialize_rmsprop(parameters):
    return {"d" + name: np.zeros(np.shape(value)) for name, value in parameters.items()}


def update_parameters_with_rmsprop(parameters, grads, s, t=None, learning_rate=0.01, beta2=0.999, epsilon=1e-8):
    for name in parameters:
        g = "d" + name
        s[g] = beta2 * s[g] + (1 - beta2) * np.power(grads[g], 2)
        denominator = np.sqrt(s[g] if t is None else np.divide(s[g], 1 - np.power(beta2, t))) + epsilon
        parameters[name] -= learning_rate * np.divide(grads[g], denominator)
    return parameters, s


def initialize_adam(parameters):
    v = {"d" + name: np.zeros_like(value, dtype=float) for name, value in parameters.items()}
    s = {"d" + name: np.zeros_like(value, dtype=float) for name, value in parameters.items()}
    return v, s


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                beta1=0.9, beta2=0.999, epsilon=1e-8):
    v_corrected, s_corrected = {}, {}
    for name in parameters:
        g = "d" + name
        v[g] *= beta1
        v[g] += (1 - beta1) * grads[g]
        s[g] *= beta2
        s[g] += (1 - beta2) * np.square(grads[g])
        v_corrected[g] = np.divide(v[g], 1 - np.power(beta1, t))
        s_corrected[g] = np.divide(s[g], 1 - np.power(beta2, t))
        parameters[name] += (-learning_rate) * (v_corrected[g] / (np.sqrt(s_corrected[g]) + epsilon))
    return parameters, v, s, v_corrected, s_corrected


def update_lr(learning_rate0, epoch_num, decay_rate):
    return learning_rate0 / (1 + decay_rate * epoch_num)


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * (epoch_num // time_interval))
