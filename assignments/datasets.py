"""2-D datasets of the numpy assignments (student side), generated, never downloaded.

Each loader returns the course's layout: ``X`` of shape ``(2, m)`` (float64, one example per
column) and ``Y`` of shape ``(1, m)`` holding 0 or 1. The points come from scikit-learn's generators
with the course's seeds; scikit-learn is imported inside the loaders, so importing this module costs
only numpy, and a loader never touches numpy's global random state.
"""

import numpy as np


def _columns(X, y):
    """(m, 2) points and (m,) labels -> X of shape (2, m), Y of shape (1, m)."""
    return np.asarray(X, dtype=float).T, np.asarray(y).reshape(1, -1)


def circles(n_train=300, n_test=100, noise=0.05):
    """Two concentric circles, as the Initialization assignment draws them: the training set as
    after ``np.random.seed(1)``, the test set as after ``np.random.seed(2)``.

    Returns:
    train_X -- shape (2, n_train)
    train_Y -- shape (1, n_train), int labels 0 or 1
    test_X -- shape (2, n_test)
    test_Y -- shape (1, n_test), int labels 0 or 1
    """
    from sklearn.datasets import make_circles

    train = make_circles(n_samples=n_train, noise=noise, random_state=np.random.RandomState(1))
    test = make_circles(n_samples=n_test, noise=noise, random_state=np.random.RandomState(2))
    return (*_columns(*train), *_columns(*test))


def moons(n_samples=300, noise=0.2, seed=3):
    """Two interleaved half-moons, as the Optimization assignment draws them (after
    ``np.random.seed(3)``).

    Returns:
    train_X -- shape (2, n_samples)
    train_Y -- shape (1, n_samples), int labels 0 or 1
    """
    from sklearn.datasets import make_moons

    return _columns(*make_moons(n_samples=n_samples, noise=noise, random_state=np.random.RandomState(seed)))
