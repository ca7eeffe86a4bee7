"""tf_intro with raw TensorFlow ops and train_step itself decorated with @tf.function."""
import math

import numpy as np
import tensorflow as tf

from assignments.tf_intro_utils import fit

NAMES = ("W1", "b1", "W2", "b2", "W3", "b3")
SHAPES = [(25, 12288), (25, 1), (12, 25), (12, 1), (6, 12), (6, 1)]


def linear_function():
    np.random.seed(1)
    X, W, b = np.random.randn(3, 1), np.random.randn(4, 3), np.random.randn(4, 1)
    return tf.matmul(tf.convert_to_tensor(W), tf.convert_to_tensor(X)) + b


def sigmoid(z):
    return tf.math.sigmoid(tf.cast(z, dtype=tf.float32))


def one_hot_matrix(label, C=6):
    return tf.reshape(tf.one_hot(indices=tf.reshape(label, [-1]), depth=C, axis=0), [C])


def initialize_parameters():
    # Glorot normal by hand: a truncated normal rescaled to the Glorot standard deviation
    tf.random.set_seed(1)
    params = {}
    for name, shape in zip(NAMES, SHAPES):
        std = math.sqrt(2.0 / (shape[0] + shape[1])) / 0.87962566103423978
        params[name] = tf.Variable(tf.random.truncated_normal(shape, stddev=std, dtype=tf.float32), name=name)
    return params


def forward_propagation(X, parameters):
    A = X
    for layer in (1, 2, 3):
        Z = tf.matmul(parameters["W%d" % layer], A) + parameters["b%d" % layer]
        A = tf.nn.relu(Z) if layer < 3 else Z
    return A


def compute_total_loss(logits, labels):
    # softmax_cross_entropy_with_logits works along an axis: the classes are axis 0 here
    return tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits, axis=0))


@tf.function
def train_step(X, Y, parameters, optimizer):
    variables = [parameters[name] for name in NAMES]
    with tf.GradientTape() as tape:
        loss = compute_total_loss(forward_propagation(X, parameters), Y)
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss


def model(X_train, Y_train, X_test, Y_test, learning_rate=0.0001, num_epochs=1500, minibatch_size=32,
          print_cost=True):
    return fit(X_train, Y_train, X_test, Y_test, globals(), learning_rate=learning_rate,
               num_epochs=num_epochs, minibatch_size=minibatch_size, print_cost=print_cost)

