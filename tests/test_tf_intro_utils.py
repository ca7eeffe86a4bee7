"""Tests of the student-side helpers of the Introduction to TensorFlow assignment, and of its
reference where the helpers' drivers run it."""

import importlib.util
import subprocess
import sys

import numpy as np
import pytest

import assignments.tf_intro_utils as U

tf = pytest.importorskip("tensorflow")

PARAMETER_SHAPES = {"W1": (25, 12288), "b1": (25, 1), "W2": (12, 25), "b2": (12, 1),
                    "W3": (6, 12), "b3": (6, 1)}


@pytest.fixture(scope="module")
def S():
    import solutions.tf_intro as reference

    return reference


@pytest.fixture(scope="module")
def raw():
    return U.load_dataset()


@pytest.fixture(scope="module")
def data(raw):
    X_train, y_train, X_test, y_test, _ = raw
    return (U.flatten_normalize(X_train), U.one_hot(y_train),
            U.flatten_normalize(X_test), U.one_hot(y_test))


@pytest.fixture(scope="module")
def initial(S):
    return {k: v.numpy() for k, v in S.initialize_parameters().items()}


# --- import ------------------------------------------------------------------------------------------

def test_import_is_light_and_never_touches_solutions():
    code = ("import sys, assignments.tf_intro_utils as U\n"
            "U.load_dataset()\n"
            "bad = [m for m in sys.modules\n"
            "       if m.split('.')[0] in ('tensorflow', 'keras', 'sklearn', 'matplotlib', 'solutions')]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- data --------------------------------------------------------------------------------------------

def test_load_dataset_shapes_dtypes_and_classes(raw):
    X_train, y_train, X_test, y_test, classes = raw
    assert X_train.shape == (867, 64, 64, 3) and X_test.shape == (216, 64, 64, 3)
    assert X_train.dtype == X_test.dtype == np.uint8
    assert y_train.shape == (867,) and y_test.shape == (216,)
    assert y_train.dtype == y_test.dtype == np.int64
    np.testing.assert_array_equal(classes, np.arange(6))
    for y, low, high in ((y_train, 142, 146), (y_test, 35, 37)):
        counts = np.bincount(y, minlength=6)
        assert counts.size == 6 and counts.min() >= low and counts.max() <= high, counts
    assert X_train.min() == 0 and X_train.max() == 255
    # not sorted by class
    assert np.count_nonzero(np.diff(y_train)) > 500


def test_images_are_grey_enlarged_digits(raw):
    X_train = raw[0]
    np.testing.assert_array_equal(X_train[..., 0], X_train[..., 1])
    np.testing.assert_array_equal(X_train[..., 0], X_train[..., 2])
    blocks = X_train[..., 0].reshape(-1, 8, 8, 8, 8)  # (m, row block, row, column block, column)
    np.testing.assert_array_equal(blocks, blocks[:, :, :1, :, :1].repeat(8, axis=2).repeat(8, axis=4))
    # the grey levels are the digits set's 0..16 scaled to 0..255
    levels = set(np.unique(X_train).tolist())
    assert levels <= {int(round(v * 255 / 16)) for v in range(17)}


def test_load_dataset_is_deterministic_and_ignores_global_seed(raw):
    np.random.seed(123)
    np.random.rand(7)
    again = U.load_dataset()
    for a, b in zip(raw, again):
        np.testing.assert_array_equal(a, b)


def test_bundled_file_and_load_digits_agree(monkeypatch):
    from sklearn.datasets import load_digits

    images, labels = U._digits_0_to_5()
    digits = load_digits(n_class=6)
    np.testing.assert_array_equal(images, digits.images)
    np.testing.assert_array_equal(labels, digits.target)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    images2, labels2 = U._digits_0_to_5()
    np.testing.assert_array_equal(images2, images)
    np.testing.assert_array_equal(labels2, labels)


def test_flatten_normalize(raw):
    X_orig = raw[2]
    X = U.flatten_normalize(X_orig)
    assert X.shape == (12288, 216) and X.dtype == np.float32
    assert X.min() >= 0.0 and X.max() <= 1.0
    np.testing.assert_allclose(X[:, 5], X_orig[5].ravel() / 255.0, rtol=1e-6)


def test_one_hot():
    Y = U.one_hot(np.array([0, 5, 2, 2]))
    assert Y.shape == (6, 4) and Y.dtype == np.float32
    np.testing.assert_array_equal(Y.sum(axis=0), 1.0)
    np.testing.assert_array_equal(np.argmax(Y, axis=0), [0, 5, 2, 2])
    assert U.one_hot([1, 0], depth=3).tolist() == [[0, 1], [1, 0], [0, 0]]
    with pytest.raises(ValueError):
        U.one_hot([6])
    with pytest.raises(ValueError):
        U.one_hot([-1])


def test_numpy_prediction_matches_the_tensorflow_forward_pass(S, data, initial):
    X, Y = data[2], data[3]
    logits = U.forward_logits(X, initial)
    assert logits.shape == (6, X.shape[1])
    np.testing.assert_allclose(logits, S.forward_propagation(tf.constant(X), initial).numpy(),
                               rtol=1e-4, atol=1e-5)
    labels = U.predict(X, initial)
    assert labels.shape == (X.shape[1],) and labels.dtype == np.int64
    acc = U.accuracy(X, Y, initial)
    assert type(acc) is float and acc == U.accuracy(X, np.argmax(Y, axis=0), initial)
    assert acc == pytest.approx(np.mean(labels == np.argmax(Y, axis=0)))


# --- the reference's contracts the drivers rely on ---------------------------------------------------

def test_reference_values_and_types(S):
    Y = S.linear_function()
    assert isinstance(Y, tf.Tensor) and Y.shape == (4, 1)
    np.random.seed(1)
    x, w, b = np.random.randn(3, 1), np.random.randn(4, 3), np.random.randn(4, 1)
    np.testing.assert_allclose(Y.numpy(), w @ x + b)

    a = S.sigmoid(np.array([-1.0, 0.0, 2.0]))
    assert a.dtype == tf.float32
    np.testing.assert_allclose(a.numpy(), 1 / (1 + np.exp(-np.array([-1.0, 0.0, 2.0]))), rtol=1e-6)
    assert S.sigmoid(3).dtype == tf.float32

    for label in (1, tf.constant(1), tf.constant([1])):
        h = S.one_hot_matrix(label, 4)
        assert h.dtype == tf.float32 and h.shape == (4,)
        np.testing.assert_array_equal(h.numpy(), [0, 1, 0, 0])
    assert S.one_hot_matrix(5).shape == (6,)


def test_reference_parameters_and_loss(S, initial):
    p = S.initialize_parameters()
    assert {k: tuple(v.shape) for k, v in p.items()} == PARAMETER_SHAPES
    assert all(isinstance(v, tf.Variable) and v.dtype == tf.float32 for v in p.values())
    for k, v in p.items():  # seeded: the same values on every call
        np.testing.assert_array_equal(v.numpy(), initial[k])
    # Glorot normal: standard deviation sqrt(2 / (fan_in + fan_out))
    assert 0.95 < initial["W1"].std() * np.sqrt((25 + 12288) / 2) < 1.05

    rng = np.random.default_rng(0)
    logits = rng.standard_normal((6, 5)).astype(np.float32)
    labels = U.one_hot([0, 1, 2, 3, 5])
    shifted = logits - logits.max(axis=0)
    expected = -np.sum(labels * (shifted - np.log(np.exp(shifted).sum(axis=0))))
    loss = S.compute_total_loss(tf.constant(logits), tf.constant(labels))
    assert loss.shape == () and loss.dtype == tf.float32
    assert float(loss) == pytest.approx(expected, rel=1e-5)


def test_known_mistakes_differ_from_the_reference(S, data, initial):
    X = tf.constant(data[0][:, :10])
    Y = tf.constant(data[1][:, :10])
    logits = S.forward_propagation(X, initial)
    right_loss = float(S.compute_total_loss(logits, Y))
    for mistake in S.MISTAKES["compute_total_loss"]:
        wrong = mistake.fn(logits, Y)
        assert wrong.shape == (), mistake
        assert abs(float(wrong) - right_loss) > 1e-3 * right_loss, mistake
    for mistake in S.MISTAKES["forward_propagation"]:
        wrong = mistake.fn(X, initial)
        assert wrong.shape == logits.shape
        assert not np.allclose(wrong.numpy(), logits.numpy()), mistake
    (not_cast,) = S.MISTAKES["sigmoid"]
    z = np.array([0.5, -2.0])
    assert not_cast.fn(z).dtype == tf.float64 and S.sigmoid(z).dtype == tf.float32
    np.testing.assert_allclose(not_cast.fn(z).numpy(), S.sigmoid(z).numpy(), rtol=1e-6)


# --- drivers -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("use_function", [False, True])
def test_run_train_steps_lowers_the_loss(S, data, initial, use_function):
    X, Y = data[0][:, :64], data[1][:, :64]
    losses, trained = U.run_train_steps(X, Y, initial, 5, 0.0001, use_function, "adam", vars(S))
    assert len(losses) == 5 and all(type(v) is float for v in losses)
    assert all(b < a for a, b in zip(losses, losses[1:])), losses
    assert set(trained) == set(PARAMETER_SHAPES)
    for k, v in trained.items():
        assert type(v) is np.ndarray and v.dtype == np.float32 and v.shape == PARAMETER_SHAPES[k]
        assert not np.array_equal(v, initial[k])
    # the first loss is the total loss at the given parameters, before any update
    assert losses[0] == pytest.approx(
        float(S.compute_total_loss(S.forward_propagation(tf.constant(X), initial), tf.constant(Y))), rel=1e-5)


def test_run_train_steps_is_the_same_eager_and_in_tf_function(S, data, initial):
    X, Y = data[0][:, :40], data[1][:, :40]
    eager = U.run_train_steps(X, Y, initial, 3, 0.0001, False, "adam", vars(S))
    graph = U.run_train_steps(X, Y, initial, 3, 0.0001, True, "adam", vars(S))
    np.testing.assert_allclose(eager[0], graph[0], rtol=1e-5)
    for k in PARAMETER_SHAPES:
        np.testing.assert_allclose(eager[1][k], graph[1][k], rtol=1e-4, atol=1e-6)


def test_run_train_steps_compiles_a_step_that_needs_autograph_the_same(S, data, initial):
    # tried without AutoGraph first, a step whose Python `if` tests a tensor cannot be traced; it
    # is then traced with AutoGraph, as tf.function does by default, and trains the same
    traces = []

    def branching_step(X, Y, parameters, optimizer):
        traces.append(1)
        with tf.GradientTape() as tape:
            loss = S.compute_total_loss(S.forward_propagation(X, parameters), Y)
        if loss > 0:  # a tensor: under tf.function only AutoGraph can turn this into a tf.cond
            variables = list(parameters.values())
            optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    X, Y = data[0][:, :40], data[1][:, :40]
    functions = {"train_step": branching_step}
    eager = U.run_train_steps(X, Y, initial, 3, 0.0001, False, "sgd", functions)
    traces.clear()
    graph = U.run_train_steps(X, Y, initial, 3, 0.0001, True, "sgd", functions)
    assert len(traces) >= 2  # the trace without AutoGraph failed, then one with it
    np.testing.assert_allclose(eager[0], graph[0], rtol=1e-5)
    for k in PARAMETER_SHAPES:
        np.testing.assert_allclose(eager[1][k], graph[1][k], rtol=1e-4, atol=1e-6)
        assert not np.array_equal(graph[1][k], initial[k])


def test_run_train_steps_returns_the_variables_it_made(S, data, initial):
    def replaces_entries(X, Y, parameters, optimizer):
        for name in list(parameters):
            parameters[name] = parameters[name] + 1.0
        return tf.constant(0.0)

    _, trained = U.run_train_steps(data[0][:, :4], data[1][:, :4], initial, 2, 0.01, False, "sgd",
                                   {"train_step": replaces_entries})
    for k in PARAMETER_SHAPES:
        np.testing.assert_array_equal(trained[k], initial[k])


def test_gradients_of_the_reference(S, data, initial):
    X, Y = data[0][:, :20], data[1][:, :20]
    grads = U.gradients_of(X, Y, initial, vars(S))
    assert set(grads) == set(PARAMETER_SHAPES)
    for k, g in grads.items():
        assert isinstance(g, np.ndarray) and g.shape == PARAMETER_SHAPES[k], k
        assert np.all(np.isfinite(g)) and np.any(g != 0), k
    # d(total loss)/d b3 = sum over the examples of softmax(Z3) - Y
    z = U.forward_logits(X, initial)
    soft = np.exp(z - z.max(axis=0)) / np.exp(z - z.max(axis=0)).sum(axis=0)
    np.testing.assert_allclose(grads["b3"], (soft - Y).sum(axis=1, keepdims=True), rtol=1e-4, atol=1e-5)


def test_gradients_of_reports_none_as_data(S, data, initial):
    def forward_without_b3(X, parameters):
        return S.forward_propagation(X, {**parameters, "b3": tf.zeros((6, 1))})

    grads = U.gradients_of(data[0][:, :3], data[1][:, :3], initial,
                           {"forward_propagation": forward_without_b3,
                            "compute_total_loss": S.compute_total_loss})
    assert grads["b3"] == "none"
    assert all(isinstance(grads[k], np.ndarray) for k in PARAMETER_SHAPES if k != "b3")


@pytest.fixture(scope="module")
def short_run(S, data):
    """The experiment as the grader may run it: 3 epochs at the course's learning rate (about 2 s)."""
    return U.train_model(*data, 3, 0.0001, 32, vars(S))


def test_train_model_reaches_the_measured_accuracy(data, short_run):
    parameters, costs, train_acc, test_acc = short_run
    assert set(parameters) == set(PARAMETER_SHAPES)
    assert all(type(v) is np.ndarray and v.shape == PARAMETER_SHAPES[k] for k, v in parameters.items())
    assert len(costs) == len(train_acc) == len(test_acc) == 1  # epoch 0 only
    assert all(type(v) is float for v in costs + train_acc + test_acc)
    # measured: 0.931 on the test set, 0.911 on the training set, cost 1.338 at epoch 0
    assert U.accuracy(data[2], data[3], parameters) >= 0.88
    assert U.accuracy(data[0], data[1], parameters) >= 0.88
    assert 1.2 < costs[0] < 1.5


def test_fit_is_deterministic_and_accepts_both_input_formats(S, data, capsys):
    X, Y = data[0][:, :100], data[1][:, :100]
    Xt, Yt = data[2][:, :30], data[3][:, :30]
    p1, c1, tr1, te1 = U.fit(X, Y, Xt, Yt, vars(S), 0.001, 3, 16, record_every=1)
    assert len(c1) == len(tr1) == len(te1) == 3 and c1[2] < c1[0]
    x_ds, y_ds = U.make_datasets(X, Y)
    assert x_ds.element_spec.shape == (12288,) and y_ds.element_spec.shape == (6,)
    p2, c2, tr2, te2 = U.fit(x_ds, y_ds, *U.make_datasets(Xt, Yt), vars(S), 0.001, 3, 16,
                             record_every=1, use_function=True)
    np.testing.assert_allclose(c1, c2, rtol=1e-5)
    assert tr1 == tr2 and te1 == te2
    for k in PARAMETER_SHAPES:
        np.testing.assert_allclose(p1[k].numpy(), p2[k].numpy(), rtol=1e-4, atol=1e-6)
    # the recorded accuracies are those of the parameters at the end of the epoch
    assert te1[-1] == pytest.approx(U.accuracy(Xt, Yt, {k: v.numpy() for k, v in p1.items()}))
    assert capsys.readouterr().out == ""
    with pytest.raises(TypeError):
        U.fit(x_ds, Y, Xt, Yt, vars(S), 0.001, 1, 16)
    with pytest.raises(KeyError):
        U.fit(X, Y, Xt, Yt, {}, 0.001, 1, 16)


def test_fit_without_training_examples_says_so(S):
    X, Y = np.zeros((12288, 0), np.float32), np.zeros((6, 0), np.float32)
    with pytest.raises(ValueError, match="no training examples"):
        U.fit(X, Y, X, Y, vars(S), 0.001, 1, 16)


def test_fit_runs_a_train_step_that_cannot_be_compiled_eagerly_and_the_same(S, data):
    # a train_step reading a tensor's value with .numpy() cannot run in tf.function: fit's default
    # falls back to plain Python for it, with the same training as the compiled course step
    X, Y = data[0][:, :100], data[1][:, :100]
    Xt, Yt = data[2][:, :30], data[3][:, :30]
    calls = []

    def eager_only_step(X, Y, parameters, optimizer):
        loss = S.train_step(X, Y, parameters, optimizer)
        calls.append(float(loss.numpy()))
        return loss

    functions = {**vars(S), "train_step": eager_only_step}
    _, costs, _, test_acc = U.fit(X, Y, Xt, Yt, functions, 0.001, 2, 16, record_every=1)
    _, compiled_costs, _, compiled_acc = U.fit(X, Y, Xt, Yt, vars(S), 0.001, 2, 16, record_every=1)
    assert len(calls) == 2 * 7  # every mini-batch ran once, eagerly (the failed trace ran none)
    np.testing.assert_allclose(costs, compiled_costs, rtol=1e-5)
    assert test_acc == compiled_acc
    with pytest.raises(Exception):
        U.fit(X, Y, Xt, Yt, functions, 0.001, 1, 16, use_function=True)


def test_model_prints_every_ten_epochs(S, data, capsys):
    X, Y = data[0][:, :40], data[1][:, :40]
    x_ds, y_ds = U.make_datasets(X, Y)
    parameters, costs, train_acc, test_acc = S.model(x_ds, y_ds, *U.make_datasets(X, Y), num_epochs=11,
                                                     minibatch_size=20)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Cost after epoch 0", "Train accuracy", "Test accuracy",
        "Cost after epoch 10", "Train accuracy", "Test accuracy"]
    assert len(costs) == len(train_acc) == len(test_acc) == 2
    assert train_acc == test_acc  # the same 40 examples
    assert all(isinstance(v, tf.Variable) for v in parameters.values())
    S.model(X, Y, X, Y, num_epochs=1, print_cost=False)
    assert capsys.readouterr().out == ""


def test_gradients_of_needs_only_the_forward_pass(S, data, initial):
    """forward_propagation's gradient check must not depend on the student's loss (older releases
    have none under that name)."""
    X, Y = data[0][:, :6], data[1][:, :6]
    alone = U.gradients_of(X, Y, initial, {"forward_propagation": S.forward_propagation})
    with_loss = U.gradients_of(X, Y, initial, vars(S))
    for k in PARAMETER_SHAPES:
        np.testing.assert_allclose(alone[k], with_loss[k], rtol=1e-5, atol=1e-7)


def test_a_missing_function_is_a_missing_function_error(S, data, initial):
    from assignments.network import MissingFunction

    with pytest.raises(MissingFunction) as raised:
        U.run_train_steps(data[0][:, :2], data[1][:, :2], initial, 1, 0.01, False, "sgd", {})
    assert raised.value.function == "train_step"
    assert isinstance(raised.value, KeyError) and isinstance(raised.value, NotImplementedError)


def test_fit_traces_a_compiled_train_step_once(S, data):
    # Adam's slots are built before the trace, so the step is traced once (not a first trace that
    # creates them and a second one that runs) for every mini-batch size
    X, Y = data[0][:, :50], data[1][:, :50]
    traces = []

    def counted_step(X, Y, parameters, optimizer):
        traces.append(1)  # Python runs only while tracing
        return S.train_step(X, Y, parameters, optimizer)

    U.fit(X, Y, X, Y, {**vars(S), "train_step": counted_step}, 0.001, 2, 16, record_every=1)
    assert len(traces) == 1


def _course_loop(functions):
    """A model in the course's released style: its own eager loop, its own Keras Adam."""
    def model(X_train, Y_train, X_test, Y_test, learning_rate=0.0001, num_epochs=1500,
              minibatch_size=32, print_cost=True):
        parameters = functions["initialize_parameters"]()
        variables = [parameters[name] for name in U.PARAMETER_NAMES]
        optimizer = tf.keras.optimizers.Adam(learning_rate)
        minibatches = tf.data.Dataset.zip((X_train, Y_train)).batch(minibatch_size)
        for _ in range(num_epochs):
            for X, Y in minibatches:
                with tf.GradientTape() as tape:
                    loss = functions["compute_total_loss"](
                        functions["forward_propagation"](tf.transpose(X), parameters), tf.transpose(Y))
                optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return parameters, [], [], []
    return model


def test_run_model_compiles_adam_for_an_eager_loop_with_the_same_training(S, data):
    original = tf.keras.optimizers.Adam
    X, Y = data[0][:, :64], data[1][:, :64]
    functions = {**vars(S), "model": _course_loop(vars(S))}
    compiled = U.train_with_model(X, Y, X, Y, 2, 0.001, 16, functions)
    assert tf.keras.optimizers.Adam is original and tf.optimizers.Adam is original  # restored
    eager = _course_loop(vars(S))(*U.make_datasets(X, Y), *U.make_datasets(X, Y), 0.001, 2, 16)[0]
    for name in U.PARAMETER_NAMES:
        np.testing.assert_allclose(compiled[name], eager[name].numpy(), rtol=1e-4, atol=1e-6)
        assert not np.allclose(compiled[name], S.initialize_parameters()[name].numpy())  # it trained


def _adam_run(make_optimizer, steps=5):
    """Parameters after ``steps`` compiled Adam steps of a small quadratic from fixed values, and the
    compiled step's graph operation types."""
    rng = np.random.default_rng(7)
    variables = [tf.Variable(rng.standard_normal(s).astype(np.float32)) for s in ((5, 3), (5, 1))]
    optimizer = make_optimizer()
    optimizer.build(variables)

    @tf.function
    def step(target):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum((tf.matmul(variables[0], target) + variables[1]) ** 2)
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    target = tf.constant(rng.standard_normal((3, 4)).astype(np.float32))
    for _ in range(steps):
        step(target)
    graph = step.get_concrete_function(target).graph
    return [v.numpy() for v in variables], {op.type for op in graph.get_operations()}


@pytest.mark.parametrize("amsgrad", [False, True])
def test_compiled_adam_fuses_each_update_into_one_operation_with_keras_values(amsgrad):
    keras_values, keras_ops = _adam_run(lambda: tf.keras.optimizers.Adam(0.05, amsgrad=amsgrad))
    with U._CompiledAdam():
        fused_values, fused_ops = _adam_run(lambda: tf.keras.optimizers.Adam(0.05, amsgrad=amsgrad))
    assert "ResourceApplyAdam" not in keras_ops
    assert ("ResourceApplyAdam" in fused_ops) is not amsgrad  # AMSGrad keeps Keras's own update
    for fused, keras in zip(fused_values, keras_values):
        np.testing.assert_allclose(fused, keras, rtol=1e-5, atol=1e-6)


def test_epoch_orders_are_the_shuffles_of_a_dataset_of_the_examples():
    m, epochs = 50, 3
    examples = tf.data.Dataset.range(m).map(lambda i: i * 7)  # stand-in examples, i * 7 for example i
    shuffled = examples.shuffle(m, seed=U._SHUFFLE_SEED, reshuffle_each_iteration=True)
    want = [np.array([int(x) // 7 for x in shuffled]) for _ in range(epochs)]
    got = [order.numpy() for order in U._epoch_orders(m, epochs)]
    assert len(got) == epochs and not np.array_equal(got[0], got[1])
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


def test_fit_reads_its_own_datasets_directly_and_any_other_dataset_the_same(S, data):
    X, Y = data[0][:, :60], data[1][:, :60]
    x_ds, y_ds = U.make_datasets(X, Y)
    assert U._SLICED[x_ds].shape == (60, 12288)
    other = [d.map(lambda row: row) for d in U.make_datasets(X, Y)]  # not made by make_datasets
    assert all(d not in U._SLICED for d in other)
    direct = U.fit(x_ds, y_ds, x_ds, y_ds, vars(S), 0.001, 2, 16, record_every=1)
    read = U.fit(*other, *other, vars(S), 0.001, 2, 16, record_every=1)
    np.testing.assert_allclose(direct[1], read[1], rtol=1e-6)
    for name in U.PARAMETER_NAMES:
        np.testing.assert_allclose(direct[0][name].numpy(), read[0][name].numpy(), rtol=1e-6)


def test_run_model_restores_adam_when_the_model_raises(S):
    def broken(*args, **kwargs):
        assert tf.keras.optimizers.Adam is not original
        raise ZeroDivisionError("the student's loop")

    original = tf.keras.optimizers.Adam
    X = np.zeros((12288, 4), np.float32)
    with pytest.raises(ZeroDivisionError):
        U.train_with_model(X, U.one_hot([0, 1, 2, 3]), X, U.one_hot([0, 1, 2, 3]), 1, 0.001, 2,
                           {"model": broken})
    assert tf.keras.optimizers.Adam is original


def test_check_digits_are_the_course_split_read_only():
    X_train, Y_train, X_test, Y_test = U.check_digits()
    assert U.check_digit_rows()[0] is U.check_digit_rows()[0]  # computed once per process
    assert np.shares_memory(X_train, U.check_digit_rows()[0])  # the same digits, as columns
    assert X_train.shape == (12288, 867) and X_test.shape == (12288, 216)
    assert Y_train.dtype == np.float32 and Y_train.sum() == 867
    assert not X_train.flags.writeable
