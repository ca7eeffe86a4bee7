# Norms written out by hand, enumerate over the vector, and 0-d numpy arrays returned.
import numpy as np


def forward_propagation(x, theta):
    J = theta * x
    return J


def backward_propagation(x, theta):
    dtheta = x
    return dtheta


def norm(v):
    return np.sqrt(np.sum(np.square(v)))


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    difference = np.asarray(norm(grad - gradapprox) / (norm(grad) + norm(gradapprox)))
    if print_msg:
        print("difference:", difference)
    return difference


def backward_propagation_n(X, Y, cache):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T)
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T)
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T)
    db1 = 1. / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    parameters_values, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    gradapprox = np.zeros(grad.shape)
    for i, _ in enumerate(parameters_values):
        plus, minus = parameters_values.copy(), parameters_values.copy()
        plus[i, 0] += epsilon
        minus[i, 0] -= epsilon
        J_plus = forward_propagation_n(X, Y, vector_to_dictionary(plus))[0]
        J_minus = forward_propagation_n(X, Y, vector_to_dictionary(minus))[0]
        gradapprox[i, 0] = (J_plus - J_minus) / (2 * epsilon)
    difference = np.asarray(norm(grad - gradapprox) / (norm(grad) + norm(gradapprox)))
    if print_msg:
        print("difference:", difference)
    return difference
