# %% [markdown]
# # Optimization: mini-batches, momentum, RMSprop, Adam and learning-rate decay
#
# Until now every network in this course learned with plain gradient descent on the whole training
# set. This assignment builds the tools that make training faster and steadier:
#
# 1. **Mini-batch gradient descent**: shuffle the training set, cut it into small batches, and take
#    one step per batch.
# 2. **Momentum**: step along an exponentially weighted average of past gradients (a "velocity").
# 3. **RMSprop**: divide each step by the root of a running average of squared gradients.
# 4. **Adam**: momentum and RMSprop together, with bias correction for the first steps.
# 5. **Learning-rate decay**: shrink the step size as the epochs go by.
#
# Throughout, `parameters` is a dict `{"W1", "b1", ..., "WL", "bL"}` with `Wl` of shape
# `(n_l, n_{l-1})` and `bl` of shape `(n_l, 1)`, and `grads` holds `"dW1", "db1", ..., "dWL", "dbL"`
# of the same shapes (it may hold other keys too, such as `"dz3"`; ignore them). The number of
# layers is `L = len(parameters) // 2`. `X` has shape `(n_x, m)` and `Y` has shape `(1, m)`.

# %%
import math

import numpy as np

# %% [markdown]
# ## Exercise 1: a gradient-descent step
#
# For every layer $l = 1, \dots, L$:
# $W^{[l]} = W^{[l]} - \alpha\, dW^{[l]}$ and $b^{[l]} = b^{[l]} - \alpha\, db^{[l]}$.


# %%
def update_parameters_with_gd(parameters, grads, learning_rate):
    """One step of gradient descent on every layer.

    Arguments:
    parameters -- dict "W1", "b1", ..., "WL", "bL"; Wl of shape (n_l, n_{l-1}), bl of shape (n_l, 1)
    grads -- dict holding "dW1", "db1", ..., "dWL", "dbL", each shaped like its parameter
    learning_rate -- the step size alpha, a float

    Returns:
    parameters -- dict with the same keys and shapes: Wl - learning_rate * dWl, bl - learning_rate * dbl
                  (updating the given dict in place or returning a new one are both fine)
    """
    ### BEGIN SOLUTION
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters
    ### END SOLUTION


# %% [markdown]
# ## Exercise 2: random mini-batches
#
# Two steps. **Shuffle**: draw one random permutation of the `m` column indices and apply the same
# permutation to the columns of `X` and of `Y`, so each example keeps its label. **Partition**: cut
# the shuffled columns into consecutive batches of `mini_batch_size`; when `m` is not a multiple of
# it, the last batch is shorter and holds the `m % mini_batch_size` remaining examples.
#
# Seed numpy's generator with `np.random.seed(seed)` and use `np.random.permutation(m)` if you want
# the batches printed in this notebook; any shuffle that depends only on `seed` is accepted.


# %%
def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """Shuffle the examples and cut them into mini-batches.

    Arguments:
    X -- input data, shape (n_x, m)
    Y -- labels, shape (1, m)
    mini_batch_size -- the number of examples per batch, a positive int
    seed -- the seed of the shuffle: the same seed gives the same batches

    Returns:
    mini_batches -- list of (mini_batch_X, mini_batch_Y) tuples, mini_batch_X of shape
                    (n_x, mini_batch_size) and mini_batch_Y of shape (1, mini_batch_size), except
                    the last batch, which holds the remaining m % mini_batch_size examples when m is
                    not a multiple of mini_batch_size. Together the batches hold every example once.
    """
    ### BEGIN SOLUTION
    np.random.seed(seed)
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation].reshape((1, m))

    mini_batches = []
    num_complete_minibatches = math.floor(m / mini_batch_size)
    for k in range(num_complete_minibatches):
        mini_batch_X = shuffled_X[:, k * mini_batch_size:(k + 1) * mini_batch_size]
        mini_batch_Y = shuffled_Y[:, k * mini_batch_size:(k + 1) * mini_batch_size]
        mini_batches.append((mini_batch_X, mini_batch_Y))

    if m % mini_batch_size != 0:
        mini_batch_X = shuffled_X[:, num_complete_minibatches * mini_batch_size:]
        mini_batch_Y = shuffled_Y[:, num_complete_minibatches * mini_batch_size:]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    return mini_batches
    ### END SOLUTION


# %% [markdown]
# ## Exercise 3: the velocity of momentum
#
# Momentum keeps, for every gradient, a velocity `v` that starts at zero.


# %%
def initialize_velocity(parameters):
    """Zero velocities, one per gradient.

    Arguments:
    parameters -- dict "W1", "b1", ..., "WL", "bL"

    Returns:
    v -- dict with keys "dW1", "db1", ..., "dWL", "dbL"; v["dWl"] is an array of zeros shaped like
         Wl and v["dbl"] one shaped like bl
    """
    ### BEGIN SOLUTION
    L = len(parameters) // 2
    v = {}
    for l in range(1, L + 1):
        v["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        v["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
    return v
    ### END SOLUTION


# %% [markdown]
# ## Exercise 4: a momentum step
#
# $v_{dW^{[l]}} = \beta\, v_{dW^{[l]}} + (1 - \beta)\, dW^{[l]}$, then
# $W^{[l]} = W^{[l]} - \alpha\, v_{dW^{[l]}}$; the same for the biases.


# %%
def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """One step of gradient descent with momentum.

    Arguments:
    parameters -- dict "W1", "b1", ..., "WL", "bL"
    grads -- dict holding "dW1", "db1", ..., "dWL", "dbL", each shaped like its parameter
    v -- dict of velocities "dW1", "db1", ..., shaped like the gradients
    beta -- the momentum coefficient, a float in [0, 1)
    learning_rate -- the step size, a float

    Returns:
    parameters -- dict of the updated parameters (same keys and shapes)
    v -- dict of the updated velocities (same keys and shapes)
    """
    ### BEGIN SOLUTION
    L = len(parameters) // 2
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = p + str(l)
            v["d" + key] = beta * v["d" + key] + (1 - beta) * grads["d" + key]
            parameters[key] = parameters[key] - learning_rate * v["d" + key]
    return parameters, v
    ### END SOLUTION


# %% [markdown]
# ## Exercise 5: the running average of RMSprop
#
# RMSprop (taught in the lectures; this exercise is not in the course's notebook) keeps, for every
# gradient, a running average `s` of its square, starting at zero.


# %%
def initialize_rmsprop(parameters):
    """Zero running averages of the squared gradients.

    Arguments:
    parameters -- dict "W1", "b1", ..., "WL", "bL"

    Returns:
    s -- dict with keys "dW1", "db1", ..., "dWL", "dbL"; s["dWl"] is an array of zeros shaped like
         Wl and s["dbl"] one shaped like bl
    """
    ### BEGIN SOLUTION
    L = len(parameters) // 2
    s = {}
    for l in range(1, L + 1):
        s["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)], dtype=float)
        s["db" + str(l)] = np.zeros_like(parameters["b" + str(l)], dtype=float)
    return s
    ### END SOLUTION


# %% [markdown]
# ## Exercise 6: an RMSprop step
#
# $s_{dW^{[l]}} = \beta_2\, s_{dW^{[l]}} + (1 - \beta_2)\, (dW^{[l]})^2$ (elementwise square), then
# $W^{[l]} = W^{[l]} - \alpha\, \dfrac{dW^{[l]}}{\sqrt{s_{dW^{[l]}}} + \varepsilon}$; the same for the
# biases. Its arguments follow Adam's. When a step counter `t` is given, divide `s` by
# $1 - \beta_2^t$ before taking the root, as Adam does (bias correction); with `t=None`, do not.


# %%
def update_parameters_with_rmsprop(parameters, grads, s, t=None, learning_rate=0.01, beta2=0.999, epsilon=1e-8):
    """One step of RMSprop, optionally bias-corrected.

    Arguments:
    parameters -- dict "W1", "b1", ..., "WL", "bL"
    grads -- dict holding "dW1", "db1", ..., "dWL", "dbL", each shaped like its parameter
    s -- dict of running averages of the squared gradients "dW1", "db1", ..., shaped like the gradients
    t -- the number of steps taken including this one (1 for the first), or None: with t, the step
         uses s / (1 - beta2**t); without, it uses s itself
    learning_rate -- the step size, a float
    beta2 -- the decay of the running average, a float in [0, 1)
    epsilon -- added to the square root so that nothing is divided by zero

    Returns:
    parameters -- dict of the updated parameters (same keys and shapes)
    s -- dict of the updated running averages (same keys and shapes)
    """
    ### BEGIN SOLUTION
    L = len(parameters) // 2
    correction = 1.0 if t is None else 1 - beta2 ** t
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = p + str(l)
            s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * np.square(grads["d" + key])
            scale = np.sqrt(s["d" + key] / correction) + epsilon
            parameters[key] = parameters[key] - learning_rate * grads["d" + key] / scale
    return parameters, s
    ### END SOLUTION


# %% [markdown]
# ## Exercise 7: Adam's state
#
# Adam keeps both a velocity `v` (as momentum) and a running average `s` of squared gradients (as
# RMSprop), all starting at zero.


# %%
def initialize_adam(parameters):
    """Zero first and second moment estimates.

    Arguments:
    parameters -- dict "W1", "b1", ..., "WL", "bL"

    Returns:
    v -- dict "dW1", "db1", ..., "dWL", "dbL" of zeros shaped like the parameters
    s -- dict "dW1", "db1", ..., "dWL", "dbL" of zeros shaped like the parameters
    """
    ### BEGIN SOLUTION
    L = len(parameters) // 2
    v, s = {}, {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            v["d" + p + str(l)] = np.zeros(parameters[p + str(l)].shape)
            s["d" + p + str(l)] = np.zeros(parameters[p + str(l)].shape)
    return v, s
    ### END SOLUTION


# %% [markdown]
# ## Exercise 8: an Adam step
#
# For every gradient $g$ (each $dW^{[l]}$ and $db^{[l]}$), with $t$ the number of steps taken
# including this one:
#
# $v = \beta_1 v + (1 - \beta_1) g$, $\quad v^{corrected} = \dfrac{v}{1 - \beta_1^t}$,
# $\quad s = \beta_2 s + (1 - \beta_2) g^2$, $\quad s^{corrected} = \dfrac{s}{1 - \beta_2^t}$,
# and the parameter moves by $-\alpha\, \dfrac{v^{corrected}}{\sqrt{s^{corrected}} + \varepsilon}$.


# %%
def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
                                epsilon=1e-8):
    """One step of Adam.

    Arguments:
    parameters -- dict "W1", "b1", ..., "WL", "bL"
    grads -- dict holding "dW1", "db1", ..., "dWL", "dbL", each shaped like its parameter
    v -- dict of first moment estimates "dW1", "db1", ..., shaped like the gradients
    s -- dict of second moment estimates "dW1", "db1", ..., shaped like the gradients
    t -- the number of Adam steps taken including this one (1 for the first), an int
    learning_rate -- the step size, a float
    beta1 -- the decay of the first moment estimates, a float in [0, 1)
    beta2 -- the decay of the second moment estimates, a float in [0, 1)
    epsilon -- added to the square root so that nothing is divided by zero

    Returns:
    parameters -- dict of the updated parameters (same keys and shapes)
    v -- dict of the updated first moment estimates
    s -- dict of the updated second moment estimates
    v_corrected -- dict of the bias-corrected first moment estimates, v / (1 - beta1**t)
    s_corrected -- dict of the bias-corrected second moment estimates, s / (1 - beta2**t)
    """
    ### BEGIN SOLUTION
    L = len(parameters) // 2
    v_corrected, s_corrected = {}, {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            g = "d" + p + str(l)
            v[g] = beta1 * v[g] + (1 - beta1) * grads[g]
            v_corrected[g] = v[g] / (1 - beta1 ** t)
            s[g] = beta2 * s[g] + (1 - beta2) * np.square(grads[g])
            s_corrected[g] = s[g] / (1 - beta2 ** t)
            step = v_corrected[g] / (np.sqrt(s_corrected[g]) + epsilon)
            parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * step
    return parameters, v, s, v_corrected, s_corrected
    ### END SOLUTION


# %% [markdown]
# ## Exercise 9: learning-rate decay
#
# The learning rate of epoch `epoch_num` is $\alpha = \dfrac{\alpha_0}{1 + \text{decay\_rate} \cdot
# \text{epoch\_num}}$.


# %%
def update_lr(learning_rate0, epoch_num, decay_rate):
    """The learning rate after decaying for epoch_num epochs.

    Arguments:
    learning_rate0 -- the initial learning rate, a float
    epoch_num -- the epoch number, an int >= 0
    decay_rate -- how fast the rate decays, a float >= 0

    Returns:
    learning_rate -- learning_rate0 / (1 + decay_rate * epoch_num), a real number
    """
    ### BEGIN SOLUTION
    learning_rate = learning_rate0 / (1 + decay_rate * epoch_num)
    return learning_rate
    ### END SOLUTION


# %% [markdown]
# ## Exercise 10: scheduled decay
#
# Decaying every epoch shrinks the rate too fast. Instead, decay it once every `time_interval`
# epochs: $\alpha = \dfrac{\alpha_0}{1 + \text{decay\_rate} \cdot \lfloor \text{epoch\_num} /
# \text{time\_interval} \rfloor}$, a step function of the epoch.


# %%
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    """The learning rate after decaying once every time_interval epochs.

    Arguments:
    learning_rate0 -- the initial learning rate, a float
    epoch_num -- the epoch number, an int >= 0
    decay_rate -- how fast the rate decays, a float >= 0
    time_interval -- the number of epochs between two decays, a positive int

    Returns:
    learning_rate -- learning_rate0 / (1 + decay_rate * floor(epoch_num / time_interval)), a real number
    """
    ### BEGIN SOLUTION
    learning_rate = learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))
    return learning_rate
    ### END SOLUTION


# %% [markdown]
# ## The experiment
#
# The course's moons (300 points) and a network `[2, 5, 2, 1]` trained for 5,000 epochs on
# mini-batches of 64, once per optimizer, then with decay. Run `dlgrade experiment optimization` to
# train them all with your functions and save the cost curves and decision boundaries; or train one
# here with the course's loop from `assignments.optimization_utils`:
# `train_X, train_Y = load_dataset()`, then
# `parameters = model(train_X, train_Y, [2, 5, 2, 1], "adam", functions=globals())`.


### BEGIN HIDDEN
# Known wrong variants, graded as hints (templates/hints/optimization.j2). Never released.
from graders.engine.grading.oracle import Misconception  # noqa: E402


def _layers(parameters):
    return [(p + str(l), "d" + p + str(l)) for l in range(1, len(parameters) // 2 + 1) for p in ("W", "b")]


def _gd(sign=1.0, skip_last=False):
    def update(parameters, grads, learning_rate):
        layers = _layers(parameters)[:-2] if skip_last else _layers(parameters)
        updated = dict(parameters)
        for key, g in layers:
            updated[key] = parameters[key] - sign * learning_rate * grads[g]
        return updated
    return update


def _momentum(keep=lambda beta: 1 - beta, by_gradient=False, sign=1.0):
    def update(parameters, grads, v, beta, learning_rate):
        parameters, v = dict(parameters), dict(v)
        for key, g in _layers(parameters):
            v[g] = beta * v[g] + keep(beta) * grads[g]
            parameters[key] = parameters[key] - sign * learning_rate * (grads[g] if by_gradient else v[g])
        return parameters, v
    return update


def _rmsprop(correct=True, eps_inside=False, sign=1.0, root=True):
    def update(parameters, grads, s, t=None, learning_rate=0.01, beta2=0.999, epsilon=1e-8):
        parameters, s = dict(parameters), dict(s)
        correction = 1.0 if t is None or not correct else 1 - beta2 ** t
        for key, g in _layers(parameters):
            s[g] = beta2 * s[g] + (1 - beta2) * np.square(grads[g])
            sc = s[g] / correction
            scale = np.sqrt(sc + epsilon) if eps_inside else (np.sqrt(sc) if root else sc) + epsilon
            parameters[key] = parameters[key] - sign * learning_rate * grads[g] / scale
        return parameters, s
    return update


def _adam(power=lambda t: t, s_power=None, eps_inside=False, swap=False, sign=1.0, root=True, raw_v=False):
    """Adam with one mistake: ``power(t)`` in the bias corrections (None: no correction; ``s_power``
    for the second moment's alone), epsilon inside the root, beta1/beta2 swapped, ``+`` instead of
    ``-``, no root, or v returned as v_corrected."""
    s_power = s_power or power

    def update(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
        if swap:
            beta1, beta2 = beta2, beta1
        parameters, v, s = dict(parameters), dict(v), dict(s)
        v_corrected, s_corrected = {}, {}
        n, n_s = power(t), s_power(t)
        with np.errstate(divide="ignore", invalid="ignore"):
            for key, g in _layers(parameters):
                v[g] = beta1 * v[g] + (1 - beta1) * grads[g]
                s[g] = beta2 * s[g] + (1 - beta2) * np.square(grads[g])
                v_corrected[g] = v[g] if n is None else v[g] / (1 - beta1 ** n)
                s_corrected[g] = s[g] if n_s is None else s[g] / (1 - beta2 ** n_s)
                if eps_inside:
                    scale = np.sqrt(s_corrected[g] + epsilon)
                else:
                    scale = (np.sqrt(s_corrected[g]) if root else s_corrected[g]) + epsilon
                parameters[key] = parameters[key] - sign * learning_rate * v_corrected[g] / scale
                if raw_v:
                    v_corrected[g] = v[g]
        return parameters, v, s, v_corrected, s_corrected
    return update


def _schedule_without_floor(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * epoch_num / time_interval)


MISTAKES = {
    "update_parameters_with_gd": [
        Misconception("update_adds_step", _gd(sign=-1.0)),
        Misconception("update_skips_last_layer", _gd(skip_last=True)),
    ],
    "update_parameters_with_momentum": [
        Misconception("momentum_without_one_minus_beta", _momentum(keep=lambda beta: 1.0)),
        Misconception("momentum_moves_by_gradient", _momentum(by_gradient=True)),
        Misconception("update_adds_step", _momentum(sign=-1.0)),
    ],
    "update_parameters_with_rmsprop": [
        Misconception("rmsprop_without_bias_correction", _rmsprop(correct=False)),
        Misconception("epsilon_inside_sqrt", _rmsprop(eps_inside=True)),
        Misconception("missing_sqrt", _rmsprop(root=False)),
        Misconception("update_adds_step", _rmsprop(sign=-1.0)),
    ],
    "update_parameters_with_adam": [
        Misconception("bias_correction_t_minus_1", _adam(power=lambda t: t - 1)),
        *[Misconception("bias_correction_fixed_power", _adam(power=lambda t, n=n: n), {"power": n, "moments": "both"})
          for n in (1, 2)],
        Misconception("bias_correction_fixed_power", _adam(s_power=lambda t: 2), {"power": 2, "moments": "s"}),
        Misconception("no_bias_correction", _adam(power=lambda t: None)),
        Misconception("epsilon_inside_sqrt", _adam(eps_inside=True)),
        Misconception("betas_swapped", _adam(swap=True)),
        Misconception("missing_sqrt", _adam(root=False)),
        Misconception("v_corrected_uncorrected", _adam(raw_v=True)),
        Misconception("update_adds_step", _adam(sign=-1.0)),
    ],
    "schedule_lr_decay": [
        Misconception("schedule_without_floor", _schedule_without_floor),
    ],
}
### END HIDDEN
