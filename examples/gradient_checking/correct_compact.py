# Compact style: one-line estimates, a comprehension over the parameter vector, Python floats.
import numpy as np


def forward_propagation(x, theta):
    return x * theta


def backward_propagation(x, theta):
    return x


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    approx = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (epsilon * 2)
    exact = backward_propagation(x, theta)
    difference = float(abs(exact - approx) / (abs(exact) + abs(approx)))
    if print_msg:
        print("ok" if difference < 2e-7 else "mistake", difference)
    return difference


def backward_propagation_n(X, Y, cache):
    Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3 = cache
    m = X.shape[1]
    dZ3 = A3 - Y
    dA2 = W3.T @ dZ3
    dZ2 = np.where(A2 > 0, dA2, 0.0)
    dA1 = W2.T @ dZ2
    dZ1 = np.where(A1 > 0, dA1, 0.0)
    return {"dZ3": dZ3, "dW3": dZ3 @ A2.T / m, "db3": dZ3.mean(axis=1, keepdims=True),
            "dA2": dA2, "dZ2": dZ2, "dW2": dZ2 @ A1.T / m, "db2": dZ2.mean(axis=1, keepdims=True),
            "dA1": dA1, "dZ1": dZ1, "dW1": dZ1 @ X.T / m, "db1": dZ1.mean(axis=1, keepdims=True)}


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False):
    theta, _ = dictionary_to_vector(parameters)

    def cost_at(i, step):
        shifted = theta.copy()
        shifted[i, 0] += step
        return forward_propagation_n(X, Y, vector_to_dictionary(shifted))[0]

    gradapprox = np.array([(cost_at(i, epsilon) - cost_at(i, -epsilon)) / (2 * epsilon)
                           for i in range(theta.shape[0])]).reshape(-1, 1)
    grad = gradients_to_vector(gradients)
    difference = float(np.linalg.norm(gradapprox - grad) / (np.linalg.norm(gradapprox) + np.linalg.norm(grad)))
    if print_msg:
        print("ok" if difference < 2e-7 else "mistake", difference)
    return difference
