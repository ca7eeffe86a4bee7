"""Helpers of the Introduction to TensorFlow assignment (student side).

What the assignment needs besides the graded functions: the dataset (hand-written digits 0 to 5),
its preprocessing, a numpy-only prediction and accuracy, the mini-batch training loop of the model,
and the drivers that the grader runs with a submission's functions.

Conventions, as in the course: examples are columns. A batch of flattened images ``X`` has shape
``(12288, m)`` (64 x 64 pixels x 3 channels, float32 in [0, 1]), one-hot labels ``Y`` have shape
``(6, m)``, and the network LINEAR -> RELU -> LINEAR -> RELU -> LINEAR has the parameters
``{"W1": (25, 12288), "b1": (25, 1), "W2": (12, 25), "b2": (12, 1), "W3": (6, 12), "b3": (6, 1)}``.
Its output, the logits ``Z3``, has shape ``(6, m)``.

This module ships to students and is imported by the grader's trusted process and preloaded by the
sandboxed workers, so it imports only numpy at import time: TensorFlow and scikit-learn are imported
inside the functions that need them. It never imports ``solutions``.
"""

import functools
import gzip
import importlib.util
import weakref
from pathlib import Path

import numpy as np

from assignments.network import lookup

#: Number of classes (the digits 0 to 5) and side of the enlarged square images.
N_CLASSES = 6
IMAGE_SIZE = 64
N_FEATURES = IMAGE_SIZE * IMAGE_SIZE * 3  # 12288

#: Sizes of the layers after the input layer: [12288, 25, 12, 6].
LAYER_SIZES = (25, 12, N_CLASSES)

#: The parameter names, in the order the optimizer updates them.
PARAMETER_NAMES = ("W1", "b1", "W2", "b2", "W3", "b3")

#: Graded functions the training loop looks up in its ``functions`` argument.
TRAIN_FUNCTION_NAMES = ("initialize_parameters", "forward_propagation", "train_step")

#: The model loop records the cost and the accuracies at every epoch e with e % RECORD_EVERY == 0.
RECORD_EVERY = 10

_DIGITS_MAX = 16.0  # the digits set holds grey levels 0..16
_SPLIT_SEED = 2     # fixed seed of the train/test split
_TEST_FRACTION = 0.2
_SHUFFLE_SEED = 1   # fixed seed of the mini-batch shuffling in the model loop
_EVAL_BATCH = 512   # batch size of the accuracy passes (does not change any result)


# ---------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------

def _digits_0_to_5():
    """The 8x8 grey images (n, 8, 8) float64 in 0..16 and labels (n,) int64 of the digits 0 to 5.

    Read straight from the CSV file bundled with scikit-learn (importing sklearn.datasets takes more
    than a second); when that file is not where expected, ``sklearn.datasets.load_digits`` is used.
    """
    spec = importlib.util.find_spec("sklearn")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        path = Path(location) / "datasets" / "data" / "digits.csv.gz"
        if path.is_file():
            with gzip.open(path, "rt") as handle:
                data = np.loadtxt(handle, delimiter=",")
            images, target = data[:, :-1].reshape(-1, 8, 8), data[:, -1].astype(np.int64)
            break
    else:
        from sklearn.datasets import load_digits

        digits = load_digits()
        images, target = digits.images.astype(np.float64), digits.target.astype(np.int64)
    keep = target < N_CLASSES
    return images[keep], target[keep]


def _enlarge(images):
    """Grey 8x8 images (n, 8, 8) in 0..16 -> RGB 64x64 uint8 images (n, 64, 64, 3) in 0..255.

    Nearest-neighbour upscaling (each pixel becomes an 8x8 block); the grey level is copied to the
    three channels.
    """
    factor = IMAGE_SIZE // images.shape[1]
    grey = np.rint(images * (255.0 / _DIGITS_MAX)).astype(np.uint8)
    big = grey.repeat(factor, axis=1).repeat(factor, axis=2)
    return np.repeat(big[..., np.newaxis], 3, axis=3)


def load_dataset():
    """The images of the assignment: the hand-written digits 0 to 5 of scikit-learn's digits set.

    Each 8x8 grey image is enlarged to 64x64 and copied to 3 channels. The split is stratified (20% of
    each digit goes to the test set) and fixed: every call returns the same arrays, whatever the state
    of numpy's global generator. The training examples are in a fixed random order, not sorted by
    class. Nothing is downloaded.

    Returns:
    X_train_orig -- training images, shape (867, 64, 64, 3), uint8 in 0..255
    Y_train_orig -- their labels, shape (867,), int64 in 0..5 (142 to 146 of each digit)
    X_test_orig -- test images, shape (216, 64, 64, 3), uint8 in 0..255
    Y_test_orig -- their labels, shape (216,), int64 in 0..5 (35 to 37 of each digit)
    classes -- the class labels, np.arange(6)
    """
    images, labels = _digits_0_to_5()
    rng = np.random.default_rng(_SPLIT_SEED)
    train_idx, test_idx = [], []
    for digit in range(N_CLASSES):
        members = rng.permutation(np.flatnonzero(labels == digit))
        n_test = int(round(_TEST_FRACTION * members.size))
        test_idx.append(members[:n_test])
        train_idx.append(members[n_test:])
    train_idx = rng.permutation(np.concatenate(train_idx))
    test_idx = rng.permutation(np.concatenate(test_idx))
    X = _enlarge(images)
    return X[train_idx], labels[train_idx], X[test_idx], labels[test_idx], np.arange(N_CLASSES)


def flatten_normalize(X_orig):
    """Images (m, 64, 64, 3) with values 0..255 -> columns (12288, m), float32 in [0, 1].

    Column j is image j flattened in row-major order (row, column, channel), divided by 255.

    Arguments:
    X_orig -- images, shape (m, 64, 64, 3), any numeric dtype

    Returns:
    X -- float32 array of shape (12288, m)
    """
    X_orig = np.asarray(X_orig)
    return (X_orig.reshape(X_orig.shape[0], -1).T / 255.0).astype(np.float32)


def one_hot(labels, depth=N_CLASSES):
    """Integer labels (m,) -> one-hot columns (depth, m), float32 (numpy; the graded
    ``one_hot_matrix`` does the same for one label in TensorFlow).

    Arguments:
    labels -- integers in 0..depth-1, any shape holding m values (flattened)
    depth -- number of classes

    Returns:
    Y -- float32 array of shape (depth, m), Y[c, j] = 1 where labels[j] == c, 0 elsewhere
    """
    labels = np.asarray(labels).reshape(-1).astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= depth):
        raise ValueError(f"labels must lie in 0..{depth - 1}")
    Y = np.zeros((depth, labels.size), dtype=np.float32)
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def make_datasets(X, Y):
    """The course's input format: two tf.data datasets, of examples (12288,) and of labels (6,).

    Arguments:
    X -- flattened images, shape (12288, m) (see flatten_normalize)
    Y -- one-hot labels, shape (6, m) (see one_hot)

    Returns:
    x_dataset -- tf.data.Dataset of m float32 tensors of shape (12288,)
    y_dataset -- tf.data.Dataset of m float32 tensors of shape (6,)
    """
    import tensorflow as tf

    X, Y = _columns(X, Y)
    return _row_datasets(X.T, Y.T)


def _row_datasets(X_rows, Y_rows):
    """make_datasets of the examples as rows: X_rows (m, 12288), Y_rows (m, 6) (C-ordered rows
    are read without the transposing copy that columns cost). fit reads the examples of datasets
    made here straight from the tensors they slice (see _examples)."""
    import tensorflow as tf

    datasets = []
    for rows in (X_rows, Y_rows):
        tensor = tf.convert_to_tensor(rows)
        dataset = tf.data.Dataset.from_tensor_slices(tensor)
        _SLICED[dataset] = tensor
        datasets.append(dataset)
    return tuple(datasets)


#: dataset made by _row_datasets -> the tensor of rows it slices, while the dataset lives
_SLICED = weakref.WeakKeyDictionary()


# ---------------------------------------------------------------------------------------------------
# Prediction in numpy (no TensorFlow: usable by the grader's trusted process)
# ---------------------------------------------------------------------------------------------------

def forward_logits(X, parameters):
    """The network's logits in numpy (float64): LINEAR -> RELU -> LINEAR -> RELU -> LINEAR.

    Arguments:
    X -- inputs, shape (12288, m)
    parameters -- dict "W1".."b3" of arrays (or anything np.asarray accepts), shapes as documented
                  at the top of this module

    Returns:
    Z3 -- logits, float64 array of shape (6, m)
    """
    A = np.asarray(X, dtype=np.float64)
    for layer in (1, 2, 3):
        W = np.asarray(parameters[f"W{layer}"], dtype=np.float64)
        b = np.asarray(parameters[f"b{layer}"], dtype=np.float64)
        Z = W @ A + b
        A = np.maximum(Z, 0.0) if layer < 3 else Z
    return A


def predict(X, parameters):
    """Predicted classes, the index of the largest logit of each example.

    Arguments:
    X -- inputs, shape (12288, m)
    parameters -- dict "W1".."b3" (see forward_logits)

    Returns:
    labels -- int64 array of shape (m,)
    """
    return np.argmax(forward_logits(X, parameters), axis=0).astype(np.int64)


def accuracy(X, Y, parameters):
    """Fraction of the examples whose predicted class is the true one.

    Arguments:
    X -- inputs, shape (12288, m)
    Y -- one-hot labels of shape (6, m), or integer labels of shape (m,)
    parameters -- dict "W1".."b3" (see forward_logits)

    Returns:
    acc -- a Python float in [0, 1]
    """
    Y = np.asarray(Y)
    labels = np.argmax(Y, axis=0) if Y.ndim == 2 else Y.reshape(-1)
    return float(np.mean(predict(X, parameters) == labels))


# ---------------------------------------------------------------------------------------------------
# The model loop
# ---------------------------------------------------------------------------------------------------

def _columns(X, Y):
    """X (n_x, m) and Y (6, m) as float32 arrays, with their shapes checked."""
    X = np.asarray(X, dtype=np.float32)
    Y = np.asarray(Y, dtype=np.float32)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1]:
        raise ValueError(f"expected X of shape (n_x, m) and Y of shape (6, m), got {X.shape} and {Y.shape}")
    return X, Y


def _mini_batch_step(train_step, parameters, make_optimizer, use_function, X_rows, Y_rows):
    """How fit runs ``train_step``: a function of one mini-batch's example indices (an int64
    vector into the rows of X_rows (m, n_x) and Y_rows (m, 6)) returning its loss (see fit's
    ``use_function``), with an optimizer from ``make_optimizer()``; train_step gets the batch as
    columns. Compiled, the gathering is part of the graph, which is traced once, for any number of
    examples (see _first_that_runs for the order in which the ways to run it are tried)."""
    import tensorflow as tf

    def stepping():
        optimizer = make_optimizer()

        def step(indices):
            X = tf.transpose(tf.gather(X_rows, indices))
            Y = tf.transpose(tf.gather(Y_rows, indices))
            return train_step(X, Y, parameters, optimizer)
        return step

    def compiled(autograph):
        signature = (tf.TensorSpec([None], tf.int64),)
        return lambda: tf.function(stepping(), input_signature=signature, autograph=autograph)

    if use_function is False:
        return stepping()
    return _first_that_runs([compiled(False), compiled(True)] + ([] if use_function else [stepping]))


def _first_that_runs(makers):
    """A function that runs, from its first call on, the first function made by ``makers`` (tried in
    order, each made only when the ones before failed) whose first call raises nothing; the last
    one's exception propagates.

    For a train_step: under tf.function without AutoGraph first (converting a student's functions
    costs about 0.1 s; a trace without it that raises nothing had no tensor-dependent Python
    control flow, so AutoGraph would have built the same graph), then with AutoGraph, then (in
    fit's default) eagerly. Each maker makes its own optimizer: a failed trace may leave one's slot
    variables half built."""
    chosen = []

    def run(*args):
        if chosen:
            return chosen[0](*args)
        for position, make in enumerate(makers):
            function = make()
            try:
                result = function(*args)
            except Exception:  # noqa: BLE001 - this way cannot run train_step (.numpy(), Python control flow...)
                if position == len(makers) - 1:
                    raise
                continue
            chosen.append(function)
            return result

    return run


def _adam_for(parameters, learning_rate):
    """A Keras Adam whose slots are already built for the variables of ``parameters`` (when they are
    all variables), so that a compiled train_step is traced once, not twice (a first trace that
    creates the slots, then the one that runs)."""
    import tensorflow as tf

    optimizer = tf.keras.optimizers.Adam(learning_rate)
    variables = list(parameters.values()) if isinstance(parameters, dict) else []
    if variables and all(isinstance(v, tf.Variable) for v in variables):
        optimizer.build(variables)
    return optimizer


def _examples(X, Y):
    """Every example of either input format (see fit) as two float32 tensors of rows: X of shape
    (m, n_x) and Y of shape (m, 6); and m."""
    import tensorflow as tf

    rows = [_SLICED.get(d) if isinstance(d, tf.data.Dataset) else None for d in (X, Y)]
    if all(r is not None for r in rows) and rows[0].shape[0] == rows[1].shape[0]:  # see _row_datasets
        X_rows, Y_rows = (tf.cast(r, tf.float32) for r in rows)
        return X_rows, Y_rows, int(X_rows.shape[0])
    if isinstance(X, tf.data.Dataset) or isinstance(Y, tf.data.Dataset):
        if not (isinstance(X, tf.data.Dataset) and isinstance(Y, tf.data.Dataset)):
            raise TypeError("give both the examples and the labels as tf.data datasets, or neither")
        dataset = tf.data.Dataset.zip((X, Y))
        m = int(dataset.cardinality().numpy())
        if m == int(tf.data.INFINITE_CARDINALITY):
            raise ValueError("the dataset is infinite")
        batches = list(dataset.batch(m if m > 0 else _EVAL_BATCH))  # one batch when the size is known
        if not batches:
            raise ValueError("the dataset is empty")
        X_rows, Y_rows = (tf.cast(parts[0] if len(parts) == 1 else tf.concat(parts, axis=0), tf.float32)
                          for parts in zip(*batches))
        return X_rows, Y_rows, int(X_rows.shape[0])
    X, Y = _columns(X, Y)
    return tf.constant(np.ascontiguousarray(X.T)), tf.constant(np.ascontiguousarray(Y.T)), X.shape[1]


def _epoch_orders(m, num_epochs):
    """The examples' order in each epoch: int64 tensors of shape (m,), a new shuffle each epoch.

    The order tf.data gives a dataset of the examples themselves shuffled with the fixed seed and
    reshuffled each iteration (without copying every example through a shuffle buffer), read from
    one iterator for all the epochs."""
    import tensorflow as tf

    if num_epochs <= 0:
        return iter(())
    return iter(tf.data.Dataset.range(m).shuffle(m, seed=_SHUFFLE_SEED, reshuffle_each_iteration=True)
                .repeat(num_epochs).batch(m))


def _accuracy(X_rows, Y_rows, forward, parameters):
    """Fraction of the examples (rows of X_rows, one-hot rows of Y_rows) whose largest logit is at
    the label's 1, the logits coming from ``forward`` on columns, _EVAL_BATCH examples at a time."""
    import tensorflow as tf

    right, total = 0, int(X_rows.shape[0])
    for start in range(0, total, _EVAL_BATCH):
        logits = forward(tf.transpose(X_rows[start:start + _EVAL_BATCH]), parameters)
        labels = np.argmax(Y_rows[start:start + _EVAL_BATCH].numpy(), axis=1)
        right += int(np.sum(np.argmax(np.asarray(logits), axis=0) == labels))
    return right / total if total else float("nan")


def fit(X_train, Y_train, X_test, Y_test, functions, learning_rate=0.0001, num_epochs=1500,
        minibatch_size=32, print_cost=False, use_function=None, record_every=RECORD_EVERY):
    """The course's model loop: Adam on shuffled mini-batches, built on the graded functions.

    The parameters come from ``functions["initialize_parameters"]()``; a fresh
    ``tf.keras.optimizers.Adam(learning_rate)`` is made; at each epoch the training examples are
    reshuffled (tf.data, fixed seed, so every run is the same) and cut into mini-batches of
    ``minibatch_size`` (the last one smaller), and ``functions["train_step"](X, Y, parameters,
    optimizer)`` runs on each with X of shape (12288, b) and Y of shape (6, b).

    Recorded at epochs 0, record_every, 2 * record_every, ... (the course records every 10 epochs):
    the cost, i.e. the sum of the mini-batch total losses of that epoch (each taken before its update)
    divided by m, the mean cross-entropy per example; and the training and test accuracies of the
    parameters at the end of that epoch, on the whole sets (``functions["forward_propagation"]``, the
    class of the largest logit). The course instead averaged the training accuracy over the epoch's
    mini-batches as the parameters moved; both approach the same value as training converges.

    Input format: either the course's, two tf.data datasets per set (examples of shape (12288,) and
    one-hot labels of shape (6,), see make_datasets; they are read into memory once), or numpy arrays
    in the column convention, X of shape (12288, m) and Y of shape (6, m).

    Arguments:
    X_train, Y_train -- training set, in either format
    X_test, Y_test -- test set, in the same format
    functions -- mapping name -> callable (e.g. ``globals()``) or an object with those attributes,
                 holding initialize_parameters, forward_propagation and train_step
    learning_rate -- Adam's learning rate
    num_epochs -- number of passes over the training set
    minibatch_size -- examples per mini-batch
    print_cost -- if True, print the cost and both accuracies at every recorded epoch
    use_function -- None (the default): train_step runs compiled by tf.function, traced once for
                    every mini-batch size, when it allows that (its first compiled call raises
                    nothing), else as plain Python (eagerly); about twice as fast for the course's
                    Adam, whose eager update runs some 180 operations one by one. True: compiled
                    (an error if train_step cannot be). False: eagerly.
    record_every -- the recording period in epochs

    Returns:
    parameters -- the dict "W1".."b3" of tf.Variable returned by initialize_parameters, trained
    costs -- list of Python floats, one per recorded epoch
    train_acc -- list of Python floats, one per recorded epoch
    test_acc -- list of Python floats, one per recorded epoch
    """
    if minibatch_size < 1 or record_every < 1:
        raise ValueError("minibatch_size and record_every must be positive integers")
    initialize_parameters = lookup(functions, "initialize_parameters")
    forward_propagation = lookup(functions, "forward_propagation")
    train_step = lookup(functions, "train_step")

    train_X, train_Y, m = _examples(X_train, Y_train)
    test_X, test_Y, _ = _examples(X_test, Y_test)
    if m == 0:
        raise ValueError("there are no training examples")
    parameters = initialize_parameters()
    step = _mini_batch_step(train_step, parameters, lambda: _adam_for(parameters, learning_rate), use_function,
                            train_X, train_Y)

    costs, train_acc, test_acc = [], [], []
    for epoch, order in enumerate(_epoch_orders(m, num_epochs)):
        epoch_total_loss = 0.0
        for start in range(0, m, minibatch_size):
            loss = step(order[start:start + minibatch_size])
            epoch_total_loss += float(loss)
        if epoch % record_every == 0:
            cost = epoch_total_loss / m
            costs.append(cost)
            train_acc.append(_accuracy(train_X, train_Y, forward_propagation, parameters))
            test_acc.append(_accuracy(test_X, test_Y, forward_propagation, parameters))
            if print_cost:
                print(f"Cost after epoch {epoch}: {cost:f}")
                print(f"Train accuracy: {train_acc[-1]:.4f}")
                print(f"Test accuracy: {test_acc[-1]:.4f}")
    return parameters, costs, train_acc, test_acc


# ---------------------------------------------------------------------------------------------------
# Drivers: run by the grader inside a sandboxed worker, with the submission's functions.
# Plain numpy in, plain numpy / floats / strings out; every TensorFlow object is made here.
# ---------------------------------------------------------------------------------------------------

def _variables(parameters):
    """A dict name -> float32 tf.Variable from a dict name -> array, in PARAMETER_NAMES order first."""
    import tensorflow as tf

    names = [n for n in PARAMETER_NAMES if n in parameters] + [n for n in parameters if n not in PARAMETER_NAMES]
    return {name: tf.Variable(np.asarray(parameters[name], dtype=np.float32), name=name) for name in names}


def _to_numpy(parameters):
    """A dict name -> numpy array from a dict of variables or tensors."""
    return {name: np.asarray(value.numpy() if hasattr(value, "numpy") else value)
            for name, value in parameters.items()}


#: The optimizers a driver can hand to train_step, by name.
OPTIMIZERS = {"adam": "Adam", "sgd": "SGD"}


def run_train_steps(X, Y, parameters, steps, learning_rate, use_function, optimizer, functions):
    """Call the submission's train_step ``steps`` times on one batch, from given parameters.

    Arguments:
    X -- inputs, numpy array of shape (n_x, m) (made a float32 tf.constant)
    Y -- one-hot labels, numpy array of shape (6, m) (made a float32 tf.constant)
    parameters -- dict "W1".."b3" of numpy arrays, W1 of shape (25, n_x) (made float32 tf.Variables)
    steps -- number of calls
    learning_rate -- learning rate of the fresh optimizer
    use_function -- if True, train_step is wrapped in tf.function (tried without AutoGraph first,
                    then with it: see _first_that_runs)
    optimizer -- "sgd" (tf.keras.optimizers.SGD) or "adam" (tf.keras.optimizers.Adam)
    functions -- mapping name -> callable holding "train_step"

    Returns:
    losses -- list of ``steps`` Python floats, what each call returned
    parameters -- dict name -> numpy array, the variables made here, after the last call (a
                  train_step that puts new objects in the dict instead of updating the variables
                  leaves them unchanged)
    """
    import tensorflow as tf

    train_step = lookup(functions, "train_step")
    X_tf = tf.constant(np.asarray(X, dtype=np.float32))
    Y_tf = tf.constant(np.asarray(Y, dtype=np.float32))
    variables = _variables(parameters)
    originals = dict(variables)  # what is returned: a train_step must update these in place

    def stepping(wrap):
        def make():
            step, made = wrap(train_step), getattr(tf.keras.optimizers, OPTIMIZERS[optimizer])(learning_rate)
            return lambda: step(X_tf, Y_tf, variables, made)
        return make

    if use_function:  # tf.function as the course uses it, tried without AutoGraph first (see _first_that_runs)
        step = _first_that_runs([stepping(functools.partial(tf.function, autograph=False)), stepping(tf.function)])
    else:
        step = stepping(lambda function: function)()
    losses = [float(step()) for _ in range(int(steps))]
    return losses, _to_numpy(originals)


def gradients_of(X, Y, parameters, functions):
    """Gradients, by GradientTape, of a fixed loss of the submission's forward pass.

    The loss is computed here, not with the submission's compute_total_loss, so that this judges
    forward_propagation alone: the summed softmax cross-entropy of its logits (any loss that uses
    every logit would do).

    Arguments:
    X -- inputs, numpy array of shape (12288, m) (or any n_x matching W1)
    Y -- one-hot labels, numpy array of shape (6, m)
    parameters -- dict "W1".."b3" of numpy arrays
    functions -- mapping name -> callable holding "forward_propagation"

    Returns:
    gradients -- dict name -> numpy array shaped like the parameter, or the string "none" where the
                 loss does not depend on that variable (TensorFlow's gradient is None)
    """
    import tensorflow as tf

    forward_propagation = lookup(functions, "forward_propagation")
    X_tf = tf.constant(np.asarray(X, dtype=np.float32))
    Y_tf = tf.constant(np.asarray(Y, dtype=np.float32))
    variables = _variables(parameters)
    with tf.GradientTape() as tape:
        logits = forward_propagation(X_tf, variables)
        loss = tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits(labels=tf.transpose(Y_tf),
                                                                     logits=tf.transpose(logits)))
    names = list(variables)
    grads = tape.gradient(loss, [variables[n] for n in names])
    return {n: "none" if g is None else np.asarray(tf.convert_to_tensor(g).numpy())
            for n, g in zip(names, grads)}


def train_model(X_train, Y_train, X_test, Y_test, num_epochs, learning_rate, minibatch_size, functions,
                use_function=True):
    """The model loop (see fit) with the submission's functions, on numpy data.

    Arguments:
    X_train, Y_train -- numpy arrays of shapes (12288, m_train) and (6, m_train)
    X_test, Y_test -- numpy arrays of shapes (12288, m_test) and (6, m_test)
    num_epochs, learning_rate, minibatch_size -- as in fit
    functions -- mapping name -> callable holding initialize_parameters, forward_propagation and
                 train_step
    use_function -- wrap train_step in tf.function (default True: measured 5x faster on 2 cores)

    Returns:
    parameters -- dict name -> numpy array, the trained parameters
    costs -- list of Python floats, one per recorded epoch (epochs 0, 10, 20, ...)
    train_acc, test_acc -- lists of Python floats, the accuracies at the same epochs, computed in
                           the worker with the submission's forward_propagation (for display: a grade
                           should recompute them from parameters with ``accuracy``)
    """
    parameters, costs, train_acc, test_acc = fit(
        X_train, Y_train, X_test, Y_test, functions, learning_rate=learning_rate, num_epochs=num_epochs,
        minibatch_size=minibatch_size, print_cost=False, use_function=use_function)
    return _to_numpy(parameters), costs, train_acc, test_acc


@functools.cache
def check_digit_rows():
    """The digits of check_digits with the examples as rows: X (867, 12288), Y (867, 6), X_test
    (216, 12288), Y_test (216, 6), float32, C-ordered, read-only (what the model check's datasets
    are made of), computed once per process."""
    X_train_orig, Y_train_orig, X_test_orig, Y_test_orig, _ = load_dataset()
    # flatten_normalize's columns come out Fortran-ordered: their transpose is C-ordered rows, no copy
    rows = tuple(np.ascontiguousarray(columns.T) for columns in (
        flatten_normalize(X_train_orig), one_hot(Y_train_orig), flatten_normalize(X_test_orig), one_hot(Y_test_orig)))
    for array in rows:
        array.flags.writeable = False
    return rows


def check_digits():
    """The digits as the grader's model check trains and tests on them, computed once per process.

    The zygote computes them before it forks (see the suite's ``warm`` and check_digit_rows), so a
    worker shares these arrays instead of receiving some 50 MB with every model check; the grading
    process computes the same arrays to judge the test accuracy.

    Returns (transposed views of check_digit_rows' arrays):
    X_train -- float32 array (12288, 867), read-only
    Y_train -- float32 one-hot array (6, 867), read-only
    X_test -- float32 array (12288, 216), read-only
    Y_test -- float32 one-hot array (6, 216), read-only
    """
    return tuple(rows.T for rows in check_digit_rows())


class _CompiledAdam:
    """While active, ``tf.keras.optimizers.Adam`` makes optimizers that run Keras's Adam with each
    variable's update fused into one operation (TensorFlow's ResourceApplyAdam: the same formula,
    m and v moved toward the gradient and its square, the step lr * sqrt(1 - beta_2^t) /
    (1 - beta_1^t) * m / (sqrt(v) + epsilon)), instead of Keras's dozen operations per variable:
    a compiled train_step traces in half the time and each step is about a third cheaper.
    Outside a graph, ``apply_gradients`` runs as one compiled graph per list of variables (the
    eager update ran some 180 operations one by one: about 22 ms a step against 2 ms, measured on
    2 cores). The slots are built before the first trace, so the update is traced once. Clipping,
    weight decay and the iteration count stay Keras's; AMSGrad and sparse gradients keep Keras's
    own update."""

    def __enter__(self):
        import tensorflow as tf

        original = tf.keras.optimizers.Adam

        class Adam(original):
            @tf.autograph.experimental.do_not_convert  # in a graph it is Keras's own: nothing to convert
            def apply_gradients(self, grads_and_vars, *args, **kwargs):
                pairs = list(grads_and_vars)
                if args or kwargs or tf.inside_function() or not all(
                        isinstance(v, tf.Variable) and g is not None for g, v in pairs):
                    return super().apply_gradients(pairs, *args, **kwargs)
                variables = [v for _, v in pairs]
                key = tuple(id(v) for v in variables)
                if key not in self._dlgrade_compiled:
                    if not self.built:
                        self.build(variables)
                    self._dlgrade_compiled[key] = tf.function(
                        lambda grads: original.apply_gradients(self, zip(grads, variables)), autograph=False)
                return self._dlgrade_compiled[key]([tf.convert_to_tensor(g) for g, _ in pairs])

            def update_step(self, gradient, variable, learning_rate):
                if self.amsgrad or not isinstance(gradient, tf.Tensor) or not hasattr(variable, "handle"):
                    return super().update_step(gradient, variable, learning_rate)
                dtype = variable.dtype
                index = self._get_variable_index(variable)
                step = tf.cast(self.iterations + 1, dtype)
                beta_1, beta_2 = tf.cast(self.beta_1, dtype), tf.cast(self.beta_2, dtype)
                tf.raw_ops.ResourceApplyAdam(
                    var=variable.handle, m=self._momentums[index].value.handle,
                    v=self._velocities[index].value.handle, beta1_power=tf.pow(beta_1, step),
                    beta2_power=tf.pow(beta_2, step), lr=tf.cast(learning_rate, dtype), beta1=beta_1,
                    beta2=beta_2, epsilon=tf.cast(self.epsilon, dtype), grad=tf.cast(gradient, dtype))

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self._dlgrade_compiled = {}

        self._patched = [(module, original) for module in {id(m): m for m in
                         (tf.keras.optimizers, tf.optimizers)}.values() if module.Adam is original]
        for module, _ in self._patched:
            module.Adam = Adam
        return self

    def __exit__(self, *exc_info):
        for module, original in self._patched:
            module.Adam = original


def run_model(num_epochs, learning_rate, minibatch_size, functions):
    """Call the submission's own ``model`` briefly, on the check's digits as the course's tf.data
    datasets (see check_digits), with Adam's eager update compiled (see _CompiledAdam).

    Arguments:
    num_epochs, learning_rate, minibatch_size -- passed to model
    functions -- mapping name -> callable holding "model"

    Returns:
    parameters -- dict name -> numpy array, the trained parameters model returned
    """
    X_train, Y_train, X_test, Y_test = check_digit_rows()
    return _trained_by_model(_row_datasets(X_train, Y_train), _row_datasets(X_test, Y_test), num_epochs,
                             learning_rate, minibatch_size, functions)


def train_with_model(X_train, Y_train, X_test, Y_test, num_epochs, learning_rate, minibatch_size, functions):
    """run_model on other data: numpy arrays X (12288, m) and one-hot Y (6, m) of each set."""
    return _trained_by_model(make_datasets(X_train, Y_train), make_datasets(X_test, Y_test), num_epochs,
                             learning_rate, minibatch_size, functions)


def _trained_by_model(train, test, num_epochs, learning_rate, minibatch_size, functions):
    """The parameters (numpy) the submission's ``model`` returns for the (x, y) dataset pairs."""
    model = lookup(functions, "model")
    with _CompiledAdam():
        parameters = model(*train, *test, learning_rate=learning_rate, num_epochs=num_epochs,
                           minibatch_size=minibatch_size, print_cost=False)[0]
    return _to_numpy(parameters)
