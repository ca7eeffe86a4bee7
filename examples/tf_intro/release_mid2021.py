# Introduction to TensorFlow - written for the course's mid-2021 release: the loss is called
# compute_cost and is the MEAN over the examples; there is no train_step, the model's loop holds the
# GradientTape itself.
import numpy as np
import tensorflow as tf


def linear_function():
    np.random.seed(1)
    X = tf.constant(np.random.randn(3, 1), name="X")
    W = tf.constant(np.random.randn(4, 3), name="W")
    b = tf.constant(np.random.randn(4, 1), name="b")
    return tf.add(tf.matmul(W, X), b)


def sigmoid(z):
    return tf.keras.activations.sigmoid(tf.cast(z, tf.float32))


def one_hot_matrix(label, depth=6):
    return tf.reshape(tf.one_hot(label, depth, axis=0), (depth,))


def initialize_parameters():
    initializer = tf.keras.initializers.GlorotNormal(seed=1)
    shapes = {"W1": (25, 12288), "b1": (25, 1), "W2": (12, 25), "b2": (12, 1), "W3": (6, 12), "b3": (6, 1)}
    return {name: tf.Variable(initializer(shape=shape)) for name, shape in shapes.items()}


def forward_propagation(X, parameters):
    Z1 = tf.math.add(tf.linalg.matmul(parameters["W1"], X), parameters["b1"])
    A1 = tf.keras.activations.relu(Z1)
    Z2 = tf.math.add(tf.linalg.matmul(parameters["W2"], A1), parameters["b2"])
    A2 = tf.keras.activations.relu(Z2)
    return tf.math.add(tf.linalg.matmul(parameters["W3"], A2), parameters["b3"])


def compute_cost(logits, labels):
    return tf.reduce_mean(tf.keras.losses.categorical_crossentropy(
        tf.transpose(labels), tf.transpose(logits), from_logits=True))


def model(X_train, Y_train, X_test, Y_test, learning_rate=0.0001, num_epochs=1500, minibatch_size=32,
          print_cost=True):
    costs, train_acc, test_acc = [], [], []
    parameters = initialize_parameters()
    variables = [parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3")]
    optimizer = tf.keras.optimizers.Adam(learning_rate)
    dataset = tf.data.Dataset.zip((X_train, Y_train))
    m = dataset.cardinality().numpy()
    minibatches = dataset.batch(minibatch_size).prefetch(8)
    for epoch in range(num_epochs):
        epoch_cost = 0.0
        for minibatch_X, minibatch_Y in minibatches:
            with tf.GradientTape() as tape:
                Z3 = forward_propagation(tf.transpose(minibatch_X), parameters)
                minibatch_cost = compute_cost(Z3, tf.transpose(minibatch_Y))
            grads = tape.gradient(minibatch_cost, variables)
            optimizer.apply_gradients(zip(grads, variables))
            epoch_cost += minibatch_cost * minibatch_X.shape[0]
        epoch_cost /= m
        if epoch % 10 == 0:
            costs.append(float(epoch_cost))
            if print_cost:
                print("Cost after epoch %i: %f" % (epoch, epoch_cost))
    return parameters, costs, train_acc, test_acc
