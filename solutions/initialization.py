# %% [markdown]
# # Initialization: zeros, large random values, He
#
# Gradient descent starts from the weights you give it, and that starting point decides a lot: how
# fast the cost falls, and whether it falls at all. In this assignment you write three ways of
# initializing the parameters of a fully connected network and then train the same three-layer
# network (LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID, layers `[2, 10, 5, 1]`) from each
# of them on a two-class "circles" data set:
#
# 1. **zeros**: every weight and bias 0;
# 2. **large random values**: standard normal weights multiplied by 10;
# 3. **He initialization**: standard normal weights multiplied by $\sqrt{2 / n^{[l-1]}}$, the spread
#    He et al. (2015) recommend in front of ReLU units.
#
# `layers_dims` is the list `[n^{[0]}, n^{[1]}, ..., n^{[L]}]` of layer sizes, input layer first. Every
# function returns the dict `{"W1", "b1", ..., "WL", "bL"}` where `Wl` has shape
# `(layers_dims[l], layers_dims[l-1])` and `bl` has shape `(layers_dims[l], 1)`; the biases are
# always zero.

# %%
import numpy as np

# %% [markdown]
# ## Exercise 1: zeros
#
# Fill every weight matrix and every bias vector with zeros (`np.zeros`, mind the double
# parentheses of the shape tuple).


# %%
def initialize_parameters_zeros(layers_dims):
    """All weights and biases zero.

    Arguments:
    layers_dims -- list of L + 1 layer sizes [n_0, n_1, ..., n_L] (n_0: number of input features)

    Returns:
    parameters -- dict with, for l = 1..L, "Wl" of shape (n_l, n_{l-1}) and "bl" of shape (n_l, 1),
                  float arrays of zeros
    """
    ### BEGIN SOLUTION
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
    ### END SOLUTION


# %% [markdown]
# ## Exercise 2: large random values
#
# Draw every weight from a standard normal distribution and multiply it by 10; keep the biases at
# zero. To get the course's printed numbers (for `[3, 2, 1]`, `W1[0]` is
# `[17.88628473, 4.36509851, 0.96497468]`), call `np.random.seed(3)` once at the start and draw one
# `np.random.randn(layers_dims[l], layers_dims[l-1])` per layer, first layer first. Any other correct
# way of drawing (another seed, another order, `np.random.normal`, a `Generator`) gets full marks:
# your weights are judged by their statistics.


# %%
def initialize_parameters_random(layers_dims):
    """Weights drawn from a normal distribution with mean 0 and standard deviation 10; zero biases.

    Arguments:
    layers_dims -- list of L + 1 layer sizes [n_0, n_1, ..., n_L]

    Returns:
    parameters -- dict with, for l = 1..L, "Wl" of shape (n_l, n_{l-1}) (entries ~ N(0, 10^2)) and
                  "bl" of shape (n_l, 1) (zeros)
    """
    ### BEGIN SOLUTION
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
    ### END SOLUTION


# %% [markdown]
# ## Exercise 3: He initialization
#
# As in Exercise 2, but scale the standard normal draws of layer `l` by
# $\sqrt{2 / n^{[l-1]}}$, where $n^{[l-1]}$ = `layers_dims[l-1]` is the number of inputs of each unit
# of the layer. (Xavier initialization would use $\sqrt{1 / n^{[l-1]}}$.) The same seeding
# suggestion holds: `np.random.seed(3)` once, then one `randn` per layer in order, gives the course's
# numbers (for `[3, 1, 2]`, `W1 = [[1.46040903, 0.3564088, 0.07878985]]`).


# %%
def initialize_parameters_he(layers_dims):
    """He initialization: weights ~ N(0, 2 / n_{l-1}); zero biases.

    Arguments:
    layers_dims -- list of L + 1 layer sizes [n_0, n_1, ..., n_L]

    Returns:
    parameters -- dict with, for l = 1..L, "Wl" of shape (n_l, n_{l-1}) (entries with standard
                  deviation sqrt(2 / n_{l-1})) and "bl" of shape (n_l, 1) (zeros)
    """
    ### BEGIN SOLUTION
    np.random.seed(3)
    parameters = {}
    L = len(layers_dims) - 1
    for l in range(1, L + 1):
        scale = np.sqrt(2.0 / layers_dims[l - 1])
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * scale
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters
    ### END SOLUTION


### BEGIN HIDDEN
# Known wrong variants, graded as hints (templates/hints/initialization.j2). Never released. Each
# draws in the course's order after np.random.seed(3), so that a learner who follows the course and
# makes the mistake sees it named on the course's own inputs; on other inputs the grader recognises
# the same mistakes by the statistics and shapes of the answer, whatever the draw.
from graders.engine.grading.oracle import Misconception  # noqa: E402


def _drawn(weight, bias=lambda n_l: np.zeros((n_l, 1)), layers=lambda L: range(1, L), reseed=False):
    """An initializer that seeds with 3 (before every layer with ``reseed``), then sets
    Wl = weight(n_l, n_prev) and bl = bias(n_l)."""
    def initialize(layers_dims):
        np.random.seed(3)
        parameters = {}
        for l in layers(len(layers_dims)):
            if reseed:
                np.random.seed(3)
            parameters["W" + str(l)] = weight(layers_dims[l], layers_dims[l - 1])
            parameters["b" + str(l)] = bias(layers_dims[l])
        return parameters
    return initialize


def _shared_mistakes(scale):
    """Mistakes either random initializer can make, for the intended spread ``scale(n_prev)``."""
    return [
        Misconception("nonzero_biases", _drawn(lambda n, p: np.random.randn(n, p) * scale(p),
                                               bias=lambda n: np.random.randn(n, 1))),
        Misconception("weights_transposed", _drawn(lambda n, p: np.random.randn(p, n) * scale(p))),
        Misconception("uniform_draw", _drawn(lambda n, p: np.random.rand(n, p) * scale(p))),
        Misconception("loop_one_layer_short", _drawn(lambda n, p: np.random.randn(n, p) * scale(p),
                                                     layers=lambda L: range(1, L - 1))),
        Misconception("constant_weights", _drawn(lambda n, p: np.full((n, p), np.random.randn() * scale(p)))),
        Misconception("biases_one_dimensional", _drawn(lambda n, p: np.random.randn(n, p) * scale(p),
                                                       bias=lambda n: np.zeros(n))),
        Misconception("layers_reuse_draws", _drawn(lambda n, p: np.random.randn(n, p) * scale(p), reseed=True)),
    ]


MISTAKES = {
    "initialize_parameters_zeros": [
        Misconception("weights_transposed", _drawn(lambda n, p: np.zeros((p, n)))),
        Misconception("loop_one_layer_short", _drawn(lambda n, p: np.zeros((n, p)), layers=lambda L: range(1, L - 1))),
        Misconception("biases_one_dimensional", _drawn(lambda n, p: np.zeros((n, p)), bias=lambda n: np.zeros(n))),
        Misconception("nonzero_biases", _drawn(lambda n, p: np.zeros((n, p)), bias=lambda n: np.ones((n, 1)))),
    ],
    "initialize_parameters_random": [
        Misconception("random_without_ten", _drawn(lambda n, p: np.random.randn(n, p))),
        Misconception("scale_inside_shape", _drawn(lambda n, p: np.random.randn(n, p * 10))),
        *_shared_mistakes(lambda p: 10.0),
    ],
    "initialize_parameters_he": [
        Misconception("xavier_instead_of_he", _drawn(lambda n, p: np.random.randn(n, p) * np.sqrt(1 / p))),
        Misconception("he_wrong_layer", _drawn(lambda n, p: np.random.randn(n, p) * np.sqrt(2 / n))),
        Misconception("he_times_ten", _drawn(lambda n, p: np.random.randn(n, p) * np.sqrt(2 / p) * 10)),
        *_shared_mistakes(lambda p: np.sqrt(2 / p)),
    ],
}
### END HIDDEN
