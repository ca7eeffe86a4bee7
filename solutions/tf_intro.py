# %% [markdown]
# # Introduction to TensorFlow
#
# So far you wrote every gradient by hand. TensorFlow records the operations of a forward pass on a
# `tf.GradientTape` and differentiates them for you; an optimizer such as Adam then updates the
# `tf.Variable`s that hold the parameters. In this assignment you build a small classifier of
# hand-written digits (0 to 5) that way:
#
# 1. warm-ups with tensors: a linear function, the sigmoid, a one-hot encoding;
# 2. the network LINEAR -> RELU -> LINEAR -> RELU -> LINEAR: its parameters, its forward pass and
#    its loss;
# 3. one training step with `tf.GradientTape`, which the model loop repeats over mini-batches.
#
# Examples are columns, as in the rest of the course: a batch `X` has shape `(12288, m)` (a 64x64
# RGB image flattened, values in [0, 1]) and one-hot labels `Y` have shape `(6, m)`.

# %%
import numpy as np
import tensorflow as tf

from assignments.tf_intro_utils import fit

# %% [markdown]
# ## Exercise 1: a linear function
#
# Compute $Y = WX + b$ with TensorFlow operations (`tf.matmul`, `tf.add`). Seed numpy with
# `np.random.seed(1)` and draw, in this order, `X` of shape (3, 1), `W` of shape (4, 3) and `b` of
# shape (4, 1) with `np.random.randn`.


# %%
def linear_function():
    """W X + b for random W (4, 3), X (3, 1) and b (4, 1), as a TensorFlow tensor.

    numpy's generator is seeded with 1, then X, W and b are drawn with np.random.randn in that order.

    Returns:
    Y -- a tf.Tensor of shape (4, 1), float64 (the dtype of the numpy draws), equal to W X + b
    """
    ### BEGIN SOLUTION
    np.random.seed(1)
    X = tf.constant(np.random.randn(3, 1), name="X")
    W = tf.constant(np.random.randn(4, 3), name="W")
    b = tf.constant(np.random.randn(4, 1), name="b")
    Y = tf.add(tf.matmul(W, X), b)
    return Y
    ### END SOLUTION


# %% [markdown]
# ## Exercise 2: the sigmoid
#
# Cast the input to `tf.float32` first (`tf.cast`), then apply `tf.keras.activations.sigmoid`
# (or `tf.math.sigmoid`). Without the cast an integer input fails and a float64 one stays float64.


# %%
def sigmoid(z):
    """The logistic function 1 / (1 + exp(-z)), elementwise, in float32.

    Arguments:
    z -- a number, a numpy array or a tensor, of any shape and numeric dtype

    Returns:
    a -- a float32 tf.Tensor of the shape of z
    """
    ### BEGIN SOLUTION
    z = tf.cast(z, tf.float32)
    a = tf.keras.activations.sigmoid(z)
    return a
    ### END SOLUTION


# %% [markdown]
# ## Exercise 3: one-hot encoding
#
# Turn one label into a vector of length `depth` holding a 1 at the label's index and 0 elsewhere,
# with `tf.one_hot`. Reshape the result so that it is one-dimensional, whatever the shape of the
# label (a scalar or a tensor of shape (1,)).


# %%
def one_hot_matrix(label, depth=6):
    """The one-hot encoding of one label.

    Arguments:
    label -- an integer in 0..depth-1: a Python int, a scalar tensor or a tensor of shape (1,)
    depth -- number of classes (the course also called it C; it may be passed by position)

    Returns:
    one_hot -- a float32 tf.Tensor of shape (depth,)
    """
    ### BEGIN SOLUTION
    one_hot = tf.reshape(tf.one_hot(label, depth, axis=0), shape=[-1])
    return one_hot
    ### END SOLUTION


# %% [markdown]
# ## Exercise 4: the parameters
#
# Make each parameter a `tf.Variable`, so that the tape watches it and the optimizer can update it.
# Create one initializer `tf.keras.initializers.GlorotNormal(seed=1)` and draw every parameter with
# it: `W1` (25, 12288), `b1` (25, 1), `W2` (12, 25), `b2` (12, 1), `W3` (6, 12), `b3` (6, 1).


# %%
def initialize_parameters():
    """The parameters of the network [12288, 25, 12, 6], Glorot-normal with seed 1.

    Returns:
    parameters -- dict of float32 tf.Variable: "W1" (25, 12288), "b1" (25, 1), "W2" (12, 25),
                  "b2" (12, 1), "W3" (6, 12), "b3" (6, 1)
    """
    ### BEGIN SOLUTION
    initializer = tf.keras.initializers.GlorotNormal(seed=1)
    W1 = tf.Variable(initializer(shape=(25, 12288)))
    b1 = tf.Variable(initializer(shape=(25, 1)))
    W2 = tf.Variable(initializer(shape=(12, 25)))
    b2 = tf.Variable(initializer(shape=(12, 1)))
    W3 = tf.Variable(initializer(shape=(6, 12)))
    b3 = tf.Variable(initializer(shape=(6, 1)))
    parameters = {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}
    return parameters
    ### END SOLUTION


# %% [markdown]
# ## Exercise 5: forward propagation
#
# LINEAR -> RELU -> LINEAR -> RELU -> LINEAR, with `tf.matmul`, `tf.add` and
# `tf.keras.activations.relu`. Stop at the last linear step: the output `Z3` are the *logits*. The
# softmax belongs to the loss, which is more accurate when it sees the logits.


# %%
def forward_propagation(X, parameters):
    """The network's forward pass, up to the logits.

    Arguments:
    X -- float32 tensor of shape (12288, m)
    parameters -- dict "W1" (25, 12288), "b1" (25, 1), "W2" (12, 25), "b2" (12, 1), "W3" (6, 12),
                  "b3" (6, 1) (variables or tensors)

    Returns:
    Z3 -- float32 tensor of shape (6, m), the output of the last LINEAR unit (no activation)
    """
    ### BEGIN SOLUTION
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
    Z1 = tf.add(tf.matmul(W1, X), b1)
    A1 = tf.keras.activations.relu(Z1)
    Z2 = tf.add(tf.matmul(W2, A1), b2)
    A2 = tf.keras.activations.relu(Z2)
    Z3 = tf.add(tf.matmul(W3, A2), b3)
    return Z3
    ### END SOLUTION


# %% [markdown]
# ## Exercise 6: the total loss
#
# The loss of a mini-batch is the **sum** over its examples of the categorical cross-entropy of the
# softmax of the logits. The model loop adds these sums over an epoch and divides by the number of
# examples once, which gives the exact mean even when the last mini-batch is smaller. Keras expects
# one example per row, so transpose both arguments, and say `from_logits=True`.


# %%
def compute_total_loss(logits, labels):
    """Sum over the examples of the softmax cross-entropy.

    Arguments:
    logits -- tensor of shape (6, m), the output of forward_propagation
    labels -- one-hot tensor of shape (6, m)

    Returns:
    total_loss -- a float32 scalar tensor
    """
    ### BEGIN SOLUTION
    per_example = tf.keras.losses.categorical_crossentropy(
        tf.transpose(labels), tf.transpose(logits), from_logits=True)
    total_loss = tf.reduce_sum(per_example)
    return total_loss
    ### END SOLUTION


# %% [markdown]
# ## Exercise 7: one training step
#
# Run the forward pass and the loss inside `with tf.GradientTape() as tape:`, ask the tape for the
# gradients of the loss with respect to the six variables (in the order W1, b1, W2, b2, W3, b3), and
# let the optimizer apply them (`optimizer.apply_gradients(zip(grads, variables))`). Use only
# TensorFlow operations, so that the step also works when wrapped in `tf.function`.


# %%
def train_step(X, Y, parameters, optimizer):
    """One optimizer update of the parameters on the total loss of a mini-batch.

    Arguments:
    X -- float32 tensor of shape (12288, m)
    Y -- one-hot float32 tensor of shape (6, m)
    parameters -- dict of tf.Variable "W1".."b3" (see initialize_parameters), updated in place
    optimizer -- a tf.keras optimizer, e.g. tf.keras.optimizers.Adam(learning_rate)

    Returns:
    total_loss -- float32 scalar tensor, the total loss of the mini-batch before the update
    """
    ### BEGIN SOLUTION
    variables = [parameters[name] for name in ("W1", "b1", "W2", "b2", "W3", "b3")]
    with tf.GradientTape() as tape:
        Z3 = forward_propagation(X, parameters)
        total_loss = compute_total_loss(Z3, Y)
    grads = tape.gradient(total_loss, variables)
    optimizer.apply_gradients(zip(grads, variables))
    return total_loss
    ### END SOLUTION


# %% [markdown]
# ## The model
#
# `model` repeats `train_step` over shuffled mini-batches with Adam, and every 10 epochs records the
# cost (the mean loss per example of that epoch) and the accuracies on the training and test sets.
# It takes the course's tf.data datasets (examples of shape (12288,), one-hot labels of shape (6,);
# see `make_datasets` in `tf_intro_utils`) or numpy arrays of shapes (12288, m) and (6, m).


# %%
def model(X_train, Y_train, X_test, Y_test, learning_rate=0.0001, num_epochs=1500, minibatch_size=32,
          print_cost=True):
    """Train the network with Adam on mini-batches (the loop is fit in tf_intro_utils).

    Arguments:
    X_train, Y_train -- training set: tf.data datasets of examples (12288,) and one-hot labels (6,),
                        or numpy arrays of shapes (12288, m_train) and (6, m_train)
    X_test, Y_test -- test set, in the same format
    learning_rate -- Adam's learning rate
    num_epochs -- number of passes over the training set
    minibatch_size -- examples per mini-batch
    print_cost -- if True, print the cost and the accuracies every 10 epochs

    Returns:
    parameters -- dict of trained tf.Variable "W1".."b3"
    costs -- list of floats, the cost at epochs 0, 10, 20, ...
    train_acc -- list of floats, the training accuracy at the same epochs
    test_acc -- list of floats, the test accuracy at the same epochs
    """
    return fit(X_train, Y_train, X_test, Y_test, globals(), learning_rate=learning_rate,
               num_epochs=num_epochs, minibatch_size=minibatch_size, print_cost=print_cost)


### BEGIN HIDDEN
# Known wrong variants, graded as hints (templates/hints/tf_intro.j2). Never released.
from graders.engine.grading.oracle import Misconception  # noqa: E402


def _sigmoid_not_cast(z):
    """No cast to float32: float64 inputs give a float64 result (integer inputs raise)."""
    return tf.keras.activations.sigmoid(tf.convert_to_tensor(z))


def _forward_with_output(activation):
    def forward(X, parameters):
        return activation(forward_propagation(X, parameters))
    return forward


def _loss(reduce, from_logits=True, softmax_first=False, transpose=True):
    def loss(logits, labels):
        if softmax_first:
            logits = tf.keras.activations.softmax(tf.transpose(logits), axis=-1)
            logits = tf.transpose(logits)
        y_true, y_pred = (tf.transpose(labels), tf.transpose(logits)) if transpose else (labels, logits)
        return reduce(tf.keras.losses.categorical_crossentropy(y_true, y_pred, from_logits=from_logits))
    return loss


def compute_cost(logits, labels):
    """The mid-2021 release's loss: the MEAN softmax cross-entropy over the examples (same
    orientation, (6, m)). Graded in place of compute_total_loss for a submission of that release."""
    return _loss(tf.reduce_mean)(logits, labels)


def reference_train_steps(X, Y, parameters, steps, learning_rate, use_function, optimizer):
    """The reference's train_step through the same driver the student's runs in (trusted side)."""
    from assignments.tf_intro_utils import run_train_steps

    return run_train_steps(X, Y, parameters, steps, learning_rate, use_function, optimizer, globals())


MISTAKES = {
    "sigmoid": [
        Misconception("sigmoid_not_cast", _sigmoid_not_cast),
    ],
    "forward_propagation": [
        Misconception("forward_applies_softmax",
                      _forward_with_output(lambda z: tf.transpose(tf.nn.softmax(tf.transpose(z)))),
                      {"activation": "softmax"}),
        Misconception("forward_applies_softmax", _forward_with_output(tf.keras.activations.relu),
                      {"activation": "relu"}),
    ],
    "compute_total_loss": [
        Misconception("loss_is_mean", _loss(tf.reduce_mean)),
        Misconception("loss_not_from_logits", _loss(tf.reduce_sum, softmax_first=True),
                      {"how": "softmax_then_from_logits"}),
        Misconception("loss_not_from_logits", _loss(tf.reduce_sum, from_logits=False),
                      {"how": "from_logits_false"}),
        Misconception("loss_wrong_orientation", _loss(tf.reduce_sum, transpose=False)),
    ],
    "compute_cost": [
        Misconception("loss_not_from_logits", _loss(tf.reduce_mean, softmax_first=True),
                      {"how": "softmax_then_from_logits"}),
        Misconception("loss_not_from_logits", _loss(tf.reduce_mean, from_logits=False),
                      {"how": "from_logits_false"}),
        Misconception("loss_wrong_orientation", _loss(tf.reduce_mean, transpose=False)),
    ],
}
### END HIDDEN
