# %% [markdown]
# # Gradient checking
#
# Backpropagation is easy to get subtly wrong: a factor of two, a transposed matrix, a sum over the
# wrong axis, and the network still trains, only worse. Gradient checking catches such bugs by
# comparing the gradient your backward pass computes with a numerical estimate obtained from the
# forward pass alone:
#
# $$\frac{\partial J}{\partial \theta} \approx \frac{J(\theta + \varepsilon) - J(\theta - \varepsilon)}{2 \varepsilon}.$$
#
# The two-sided ("centred") difference is accurate to $O(\varepsilon^2)$; the one-sided
# $\frac{J(\theta + \varepsilon) - J(\theta)}{\varepsilon}$ only to $O(\varepsilon)$. The gradient
# `grad` and its estimate `gradapprox` are compared through the relative difference
#
# $$\text{difference} = \frac{\lVert grad - gradapprox \rVert_2}{\lVert grad \rVert_2 + \lVert gradapprox \rVert_2},$$
#
# which is close to zero when they agree (about $10^{-7}$ or less with $\varepsilon = 10^{-7}$) and of
# order one when they do not.

# %%
import numpy as np

from assignments.gradient_checking_utils import (  # noqa: F401 - relu and sigmoid: the course's imports
    dictionary_to_vector,
    forward_propagation_n,
    gradients_to_vector,
    relu,
    sigmoid,
    vector_to_dictionary,
)

# %% [markdown]
# ## Part 1: a single parameter
#
# Start with a cost that has one real parameter: $J(\theta) = \theta x$, for a real input $x$.
#
# ### Exercise 1: forward_propagation


# %%
def forward_propagation(x, theta):
    """The cost J(theta) = theta * x of the one-parameter model.

    Arguments:
    x -- a real number, the input
    theta -- a real number, the parameter

    Returns:
    J -- a real number, theta times x
    """
    ### BEGIN SOLUTION
    J = theta * x
    return J
    ### END SOLUTION


# %% [markdown]
# ### Exercise 2: backward_propagation
#
# The derivative of $J(\theta) = \theta x$ with respect to $\theta$.


# %%
def backward_propagation(x, theta):
    """dJ/dtheta for J(theta) = theta * x.

    Arguments:
    x -- a real number, the input
    theta -- a real number, the parameter

    Returns:
    dtheta -- a real number, the derivative of J with respect to theta
    """
    ### BEGIN SOLUTION
    dtheta = x
    return dtheta
    ### END SOLUTION


# %% [markdown]
# ### Exercise 3: gradient_check
#
# Estimate the derivative with the two-sided difference of `forward_propagation` at
# `theta + epsilon` and `theta - epsilon`, take the derivative from `backward_propagation`, and return
# their relative difference (use `np.linalg.norm` for the norms). When `print_msg` is true, also
# print whether the difference is below `2e-7`.


# %%
def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    """Compare backward_propagation with the two-sided difference of forward_propagation.

    Arguments:
    x -- a real number, the input
    theta -- a real number, the parameter
    epsilon -- the step of the two-sided difference, a small positive float
    print_msg -- if True, print whether the difference is below 2e-7

    Returns:
    difference -- a real number: ||grad - gradapprox|| / (||grad|| + ||gradapprox||)
    """
    ### BEGIN SOLUTION
    J_plus = forward_propagation(x, theta + epsilon)
    J_minus = forward_propagation(x, theta - epsilon)
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    difference = numerator / denominator
    if print_msg:
        verdict = "looks right" if difference < 2e-7 else "has a mistake"
        print(f"The backward propagation {verdict}: difference = {difference}")
    return difference
    ### END SOLUTION


# %% [markdown]
# ## Part 2: a whole network
#
# The network is LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID with layer sizes 4-5-3-1,
# and its cost is the mean logistic loss. `forward_propagation_n(X, Y, parameters)` (in
# `assignments/gradient_checking_utils.py`) returns `(cost, cache)`, where `cache` is
# `(Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)`.
#
# To check many parameters at once, they are stacked into one column vector:
# `dictionary_to_vector(parameters)` returns `(theta, keys)` with `theta` of shape `(47, 1)` (W1, b1,
# W2, b2, W3, b3, each flattened row by row), `vector_to_dictionary(theta)` goes back, and
# `gradients_to_vector(gradients)` stacks `dW1, db1, ..., db3` in the same order.
#
# ### Exercise 4: backward_propagation_n
#
# The backward pass below was handed to you as it is, **with mistakes in it**. Run your
# `gradient_check_n` on it (Exercise 5), find the gradients that disagree with the numerical
# estimate, and correct them.


# %%
def backward_propagation_n(X, Y, cache):
    """Gradients of the mean logistic loss of the 4-5-3-1 network.

    Arguments:
    X -- input data, shape (n_x, m)
    Y -- labels (0 or 1), shape (1, m) or (m,)
    cache -- the tuple returned by forward_propagation_n:
             (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)

    Returns:
    gradients -- dict with the keys "dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1",
                 "dW1", "db1"; each value has the shape of the quantity it is the gradient of
                 (dWl like Wl, dbl like bl, dZl and dAl of shape (n_l, m))
    """
    ### BEGIN SOLUTION
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache

    dZ3 = A3 - Y
    dW3 = (1. / m) * np.dot(dZ3, A2.T)
    db3 = (1. / m) * np.sum(dZ3, axis=1, keepdims=True)

    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = (1. / m) * np.dot(dZ2, A1.T)
    db2 = (1. / m) * np.sum(dZ2, axis=1, keepdims=True)

    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = (1. / m) * np.dot(dZ1, X.T)
    db1 = (1. / m) * np.sum(dZ1, axis=1, keepdims=True)

    gradients = {"dZ3": dZ3, "dW3": dW3, "db3": db3,
                 "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
                 "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
    return gradients
    ### BEGIN STUB
    # m = X.shape[1]
    # (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    #
    # dZ3 = A3 - Y
    # dW3 = (1. / m) * np.dot(dZ3, A2.T)
    # db3 = (1. / m) * np.sum(dZ3, axis=1, keepdims=True)
    #
    # dA2 = np.dot(W3.T, dZ3)
    # dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    # dW2 = (1. / m) * np.dot(dZ2, A1.T) * 2
    # db2 = (1. / m) * np.sum(dZ2, axis=1, keepdims=True)
    #
    # dA1 = np.dot(W2.T, dZ2)
    # dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    # dW1 = (1. / m) * np.dot(dZ1, X.T)
    # db1 = (4. / m) * np.sum(dZ1, axis=1, keepdims=True)
    #
    # gradients = {"dZ3": dZ3, "dW3": dW3, "db3": db3,
    #              "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
    #              "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
    # return gradients
    ### END STUB
    ### END SOLUTION


# %% [markdown]
# ### Exercise 5: gradient_check_n
#
# For every entry `i` of the parameter vector: copy the vector, add `epsilon` to entry `i` and
# compute the cost with `forward_propagation_n(X, Y, vector_to_dictionary(...))`; do the same with
# `-epsilon`; the two-sided difference of the two costs estimates entry `i` of the gradient. Then
# compare the whole estimate `gradapprox` with `gradients_to_vector(gradients)` through the
# relative difference. Leave `parameters` unchanged, and use the `gradients` you are given (do not
# call `backward_propagation_n` here: the point is to check whichever gradients you are handed).
# When `print_msg` is true, print whether the difference is below `2e-7`.


# %%
def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    """Compare the gradients of the network's cost with two-sided differences of forward_propagation_n.

    Arguments:
    parameters -- dict "W1" (5, 4), "b1" (5, 1), "W2" (3, 5), "b2" (3, 1), "W3" (1, 3), "b3" (1, 1)
    gradients -- dict holding at least "dW1", "db1", ..., "db3", shaped like the parameters (for
                 example the output of backward_propagation_n)
    X -- input data, shape (4, m)
    Y -- labels (0 or 1), shape (1, m) or (m,)
    epsilon -- the step of the two-sided difference, a small positive float
    print_msg -- if True, print whether the difference is below 2e-7

    Returns:
    difference -- a real number: ||grad - gradapprox|| / (||grad|| + ||gradapprox||) over the
                  vector of all parameters
    """
    ### BEGIN SOLUTION
    parameters_values, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    num_parameters = parameters_values.shape[0]
    J_plus = np.zeros((num_parameters, 1))
    J_minus = np.zeros((num_parameters, 1))
    gradapprox = np.zeros((num_parameters, 1))

    for i in range(num_parameters):
        theta_plus = np.copy(parameters_values)
        theta_plus[i][0] = theta_plus[i][0] + epsilon
        J_plus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus))

        theta_minus = np.copy(parameters_values)
        theta_minus[i][0] = theta_minus[i][0] - epsilon
        J_minus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus))

        gradapprox[i] = (J_plus[i] - J_minus[i]) / (2 * epsilon)

    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    difference = numerator / denominator
    if print_msg:
        verdict = "looks right" if difference < 2e-7 else "has a mistake"
        print(f"The backward propagation {verdict}: difference = {difference}")
    return difference
    ### END SOLUTION


### BEGIN HIDDEN
# Grading helpers and known wrong variants (templates/hints/gradient_checking.j2). Never released.
# The grader runs every gradient check through the worker drivers of gradient_checking_utils, which
# bind the helpers of the network (or 1-D cost) being checked under the course's names. The
# reference answers and the wrong variants below are computed the same way, in this module's
# namespace, so that every value is the one a correct function returns on those inputs.
from assignments.gradient_checking_utils import run_gradient_check, run_gradient_check_n
from graders.engine.grading.oracle import Misconception


def checked_1d(cost, x, theta, epsilon=None):
    """The reference gradient_check on the 1-D ``cost`` (see run_gradient_check)."""
    return run_gradient_check(cost, x, theta, epsilon, functions=globals())


def checked_n(network, parameters, gradients, X, Y, epsilon=None):
    """The reference gradient_check_n's difference on ``network`` (see run_gradient_check_n)."""
    return run_gradient_check_n(network, parameters, gradients, X, Y, epsilon, functions=globals())[0]


def checked_1d_mistakes(cost, x, theta, epsilon=None):
    """[hint, hint args, output] of each known wrong gradient_check, run as checked_1d runs."""
    return [[m.hint, dict(m.args), run_gradient_check(cost, x, theta, epsilon, functions={"gradient_check": m.fn})]
            for m in MISTAKES["gradient_check"]]


def checked_n_mistakes(network, parameters, gradients, X, Y, epsilon=None):
    """[hint, hint args, output] of each known wrong gradient_check_n, run as checked_n runs."""
    return [[m.hint, dict(m.args), run_gradient_check_n(network, parameters, gradients, X, Y, epsilon,
                                                        functions={"gradient_check_n": m.fn})[0]]
            for m in MISTAKES["gradient_check_n"]]


def _difference_1d(combine):
    """A 1-D gradient check whose final value is ``combine(grad, gradapprox)``."""
    def check(x, theta, epsilon=1e-7):
        gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
        return combine(backward_propagation(x, theta), gradapprox)
    return check


def _approximation_1d(approximate):
    """A 1-D gradient check with another estimate ``approximate(J, x, theta, epsilon)`` of dJ/dtheta."""
    def check(x, theta, epsilon=1e-7):
        grad = backward_propagation(x, theta)
        gradapprox = approximate(forward_propagation, x, theta, epsilon)
        return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    return check


def _one_sided(J, x, theta, epsilon):
    return (J(x, theta + epsilon) - J(x, theta)) / epsilon


def _over_epsilon(J, x, theta, epsilon):
    return (J(x, theta + epsilon) - J(x, theta - epsilon)) / epsilon


def _numerator_only(grad, gradapprox):
    return np.linalg.norm(grad - gradapprox)


def _grad_norm_only(grad, gradapprox):
    return np.linalg.norm(grad - gradapprox) / np.linalg.norm(grad)


def _approx_norm_only(grad, gradapprox):
    return np.linalg.norm(grad - gradapprox) / np.linalg.norm(gradapprox)


def _returns_gradapprox(grad, gradapprox):
    return gradapprox


def _inlines_the_cost(x, theta, epsilon=1e-7):
    """Computes the course's theta * x and its derivative x itself, so it checks no backward pass."""
    gradapprox = ((theta + epsilon) * x - (theta - epsilon) * x) / (2 * epsilon)
    return np.linalg.norm(x - gradapprox) / (np.linalg.norm(x) + np.linalg.norm(gradapprox))


def _estimate_n(theta, X, Y, epsilon, step):
    """Column (n, 1) of estimates step(J_of, i, epsilon) for every entry i of ``theta``, where
    J_of(vector) is the cost at that parameter vector."""
    def J_of(vector):
        return forward_propagation_n(X, Y, vector_to_dictionary(vector))[0]
    return np.array([[step(J_of, theta, i, epsilon)] for i in range(theta.shape[0])])


def _shifted(theta, i, delta):
    copy = np.copy(theta)
    copy[i, 0] += delta
    return copy


def _two_sided_step(J_of, theta, i, epsilon):
    return (J_of(_shifted(theta, i, epsilon)) - J_of(_shifted(theta, i, -epsilon))) / (2 * epsilon)


def _one_sided_step(J_of, theta, i, epsilon):
    return (J_of(_shifted(theta, i, epsilon)) - J_of(theta)) / epsilon


def _over_epsilon_step(J_of, theta, i, epsilon):
    return (J_of(_shifted(theta, i, epsilon)) - J_of(_shifted(theta, i, -epsilon))) / epsilon


def _aliased_step(J_of, theta, i, epsilon):
    """thetaplus and thetaminus are the same array as theta: + epsilon, then - epsilon lands back."""
    return (J_of(_shifted(theta, i, epsilon)) - J_of(theta)) / (2 * epsilon)


def _variant_n(combine=None, step=_two_sided_step, own_gradients=False):
    """A gradient_check_n built from the pieces above: ``step`` estimates one entry, ``combine``
    forms the result from (grad, gradapprox) (the relative difference when None), and
    ``own_gradients`` ignores the given gradients for backward_propagation_n's."""
    def check(parameters, gradients, X, Y, epsilon=1e-7):
        theta, _ = dictionary_to_vector(parameters)
        if own_gradients:
            gradients = backward_propagation_n(X, Y, forward_propagation_n(X, Y, parameters)[1])
        grad = gradients_to_vector(gradients)
        gradapprox = _estimate_n(theta, X, Y, epsilon, step)
        if combine is not None:
            return combine(grad, gradapprox)
        return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    return check


def _never_restored(parameters, gradients, X, Y, epsilon=1e-7):
    """Perturbs the one vector in place (+ epsilon, then - 2 epsilon) and never puts entry i back."""
    theta, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    gradapprox = np.zeros_like(grad)
    for i in range(theta.shape[0]):
        theta[i, 0] += epsilon
        J_plus = forward_propagation_n(X, Y, vector_to_dictionary(theta))[0]
        theta[i, 0] -= 2 * epsilon
        J_minus = forward_propagation_n(X, Y, vector_to_dictionary(theta))[0]
        gradapprox[i, 0] = (J_plus - J_minus) / (2 * epsilon)
    return np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))


def _planted_bugs(dW2_factor, db1_factor):
    def backward(X, Y, cache):
        gradients = backward_propagation_n(X, Y, cache)
        return {**gradients, "dW2": dW2_factor * gradients["dW2"], "db1": db1_factor * gradients["db1"]}
    return backward


#: (hint key, hint args) -> wrong variant; the args tell apart variants that share a hint.
_1D = {
    ("one_sided", ()): _approximation_1d(_one_sided),
    ("divides_by_epsilon", ()): _approximation_1d(_over_epsilon),
    ("missing_denominator", ()): _difference_1d(_numerator_only),
    ("denominator_one_norm", (("norm", "grad"),)): _difference_1d(_grad_norm_only),
    ("denominator_one_norm", (("norm", "gradapprox"),)): _difference_1d(_approx_norm_only),
    ("returns_gradapprox", ()): _difference_1d(_returns_gradapprox),
    ("inlines_the_cost", ()): _inlines_the_cost,
}
_ND = {
    ("one_sided", ()): _variant_n(step=_one_sided_step),
    ("divides_by_epsilon", ()): _variant_n(step=_over_epsilon_step),
    ("missing_denominator", ()): _variant_n(combine=_numerator_only),
    ("denominator_one_norm", (("norm", "grad"),)): _variant_n(combine=_grad_norm_only),
    ("denominator_one_norm", (("norm", "gradapprox"),)): _variant_n(combine=_approx_norm_only),
    ("returns_gradapprox", ()): _variant_n(combine=_returns_gradapprox),
    ("perturbs_in_place", (("how", "never_restored"),)): _never_restored,
    ("perturbs_in_place", (("how", "aliased"),)): _variant_n(step=_aliased_step),
    ("uses_own_gradients", ()): _variant_n(own_gradients=True),
}


#: Keyed by exercise. The hidden checks, which run gradient checks through the worker drivers, get
#: the same variants' outputs from checked_1d_mistakes / checked_n_mistakes.
MISTAKES = {
    "gradient_check": [Misconception(hint, fn, dict(args)) for (hint, args), fn in _1D.items()],
    "gradient_check_n": [Misconception(hint, fn, dict(args)) for (hint, args), fn in _ND.items()],
    "backward_propagation_n": [
        Misconception("planted_bugs_kept", _planted_bugs(2, 4)),
        Misconception("planted_bug_kept", _planted_bugs(2, 1), {"name": "dW2"}),
        Misconception("planted_bug_kept", _planted_bugs(1, 4), {"name": "db1"}),
    ],
}
### END HIDDEN
