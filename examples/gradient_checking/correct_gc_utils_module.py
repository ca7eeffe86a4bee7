# Calls the helpers through the course's module (import gc_utils; gc_utils.vector_to_dictionary),
# lower-case names, and divides by 2 and then by epsilon.
import numpy as np
import gc_utils


def forward_propagation(x, theta):
    return np.dot(theta, x)


def backward_propagation(x, theta):
    return x


def gradient_check(x, theta, epsilon=1e-7):
    j_plus = forward_propagation(x, theta + epsilon)
    j_minus = forward_propagation(x, theta - epsilon)
    grad_approx = (j_plus - j_minus) / 2 / epsilon
    grad = backward_propagation(x, theta)
    difference = np.linalg.norm(grad - grad_approx) / (np.linalg.norm(grad_approx) + np.linalg.norm(grad))
    print("Correct" if difference < 1e-7 else "Wrong")
    return difference


def backward_propagation_n(x, y, cache):
    m = x.shape[1]
    (z1, a1, w1, b1, z2, a2, w2, b2, z3, a3, w3, b3) = cache
    dz3 = a3 - y
    dw3 = np.dot(dz3, a2.T) / m
    db3 = np.sum(dz3, axis=1, keepdims=True) / m
    da2 = np.dot(w3.T, dz3)
    dz2 = np.multiply(da2, np.int64(a2 > 0))
    dw2 = np.dot(dz2, a1.T) / m
    db2 = np.sum(dz2, axis=1, keepdims=True) / m
    da1 = np.dot(w2.T, dz2)
    dz1 = np.multiply(da1, np.int64(a1 > 0))
    dw1 = np.dot(dz1, x.T) / m
    db1 = np.sum(dz1, axis=1, keepdims=True) / m
    return {"dZ3": dz3, "dW3": dw3, "db3": db3, "dA2": da2, "dZ2": dz2, "dW2": dw2, "db2": db2,
            "dA1": da1, "dZ1": dz1, "dW1": dw1, "db1": db1}


def gradient_check_n(parameters, gradients, x, y, epsilon=1e-7):
    parameters_values, keys = gc_utils.dictionary_to_vector(parameters)
    grad = gc_utils.gradients_to_vector(gradients)
    num_parameters = parameters_values.shape[0]
    j_plus = np.zeros((num_parameters, 1))
    j_minus = np.zeros((num_parameters, 1))
    grad_approx = np.zeros((num_parameters, 1))
    for i in range(num_parameters):
        theta_plus = np.copy(parameters_values)
        theta_plus[i][0] += epsilon
        j_plus[i], cache = forward_propagation_n(x, y, gc_utils.vector_to_dictionary(theta_plus))
        theta_minus = np.copy(parameters_values)
        theta_minus[i][0] -= epsilon
        j_minus[i], cache = forward_propagation_n(x, y, gc_utils.vector_to_dictionary(theta_minus))
        grad_approx[i] = (j_plus[i] - j_minus[i]) / 2 / epsilon
    numerator = np.linalg.norm(grad - grad_approx)
    denominator = np.linalg.norm(grad_approx) + np.linalg.norm(grad)
    difference = numerator / denominator
    print("Correct" if difference < epsilon else "Wrong")
    return difference
