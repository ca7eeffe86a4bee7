# Shifts each entry of the parameter arrays in place and restores it by subtraction (rounding may
# leave the last bit changed): walks the entries in the vector's order W1, b1, ..., b3, row-major.
import numpy as np


def forward_propagation(x, theta):
    J = np.multiply(theta, x)
    return J


def backward_propagation(x, theta):
    dtheta = x
    return dtheta


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    plus = forward_propagation(x, theta + epsilon)
    minus = forward_propagation(x, theta - epsilon)
    gradapprox = (plus - minus) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    difference = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    return difference


def backward_propagation_n(X, Y, cache):
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    grads = {}
    dZ = A3 - Y
    grads["dZ3"] = dZ
    for layer, (A_prev, W) in ((3, (A2, W3)), (2, (A1, W2)), (1, (X, W1))):
        grads[f"dW{layer}"] = np.dot(dZ, A_prev.T) / m
        grads[f"db{layer}"] = np.sum(dZ, axis=1, keepdims=True) / m
        if layer > 1:
            dA = np.dot(W.T, dZ)
            grads[f"dA{layer - 1}"] = dA
            dZ = dA * (A_prev > 0).astype(float)
            grads[f"dZ{layer - 1}"] = dZ
    return grads


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    grad = gradients_to_vector(gradients)
    gradapprox = np.zeros_like(grad)
    i = 0
    for key in ("W1", "b1", "W2", "b2", "W3", "b3"):
        array = parameters[key]
        for index in np.ndindex(array.shape):
            array[index] += epsilon
            J_plus, _ = forward_propagation_n(X, Y, parameters)
            array[index] -= 2 * epsilon
            J_minus, _ = forward_propagation_n(X, Y, parameters)
            array[index] += epsilon
            gradapprox[i, 0] = (J_plus - J_minus) / (2 * epsilon)
            i += 1
    difference = np.linalg.norm(grad - gradapprox) / (np.linalg.norm(grad) + np.linalg.norm(gradapprox))
    if print_msg:
        print("difference =", difference)
    return difference
