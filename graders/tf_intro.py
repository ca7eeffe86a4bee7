"""Grader suite of the Introduction to TensorFlow assignment.

The grading process never imports TensorFlow for the student: tensors travel as tagged numpy data
(``AsTF`` in requests, ``TFValue`` in answers), training runs through trusted drivers inside the
worker, and accuracy is recomputed here in numpy. The reference is run in the grading process
(TensorFlow is imported there once, for the reference only).
"""
from __future__ import annotations

import ast
import re

import numpy as np

from assignments.tf_intro_utils import accuracy, check_digits, one_hot
from graders.engine.grading import judge
from graders.engine.grading.judge import CheckFailed
from graders.engine.grading.runner import StudentProblem
from graders.engine.grading.suite import Suite, Trial
from graders.engine.grading.tolerances import ASCENT_COSINE, FLOAT32, GLOROT_STD, TRAINED_TEST_ACCURACY
from graders.engine.reports.records import Evidence, Hint, LoadNote
from graders.engine.sandbox.confine import Limits
from graders.engine.sandbox.protocol import AsTF, TFValue

DRIVERS = "assignments.tf_intro_utils"
suite = Suite("tf_intro", preload=(), drivers=(f"{DRIVERS}:run_train_steps", f"{DRIVERS}:gradients_of",
                                                f"{DRIVERS}:run_model"),
              warm=("tensorflow", "assignments.tf_intro_utils", "assignments.tf_intro_utils:check_digit_rows"),
              limits=Limits(call_seconds=30.0, load_seconds=30.0, address_space=4 << 30, processes=256))

SHAPES = {"W1": (25, 12288), "b1": (25, 1), "W2": (12, 25), "b2": (12, 1), "W3": (6, 12), "b3": (6, 1)}
NAMES = tuple(SHAPES)


def small_parameters(rng: np.random.Generator, n_x: int = SHAPES["W1"][1]) -> dict:
    """Random float32 parameters of the course's shapes (W1 of shape (25, n_x)), scaled like a
    Glorot initialisation."""
    shapes = {**SHAPES, "W1": (SHAPES["W1"][0], n_x)}
    return {k: (rng.standard_normal(s) * np.sqrt(2.0 / sum(s))).astype(np.float32) for k, s in shapes.items()}


def batch(rng: np.random.Generator, m: int, n_x: int = SHAPES["W1"][1]):
    """Random inputs X (n_x, m) in [0, 1] and one-hot labels Y (6, m), float32."""
    X = rng.random((n_x, m), dtype=np.float32)
    Y = one_hot(rng.integers(0, 6, m), 6)
    return X, Y


def expect_tensor(name: str, got, shape=None, dtype: str | None = "float32", variable: bool = False) -> np.ndarray:
    """judge.tensor, naming the type mistakes its evidence proves: a numpy array where a tensor is
    asked for, a tf.constant where a tf.Variable must be trained, float64 where float32 is."""
    try:
        return judge.tensor(name, got, shape, dtype=dtype, variable=variable)
    except CheckFailed as failure:
        hint = None
        if isinstance(got, np.ndarray):
            hint = Hint("numpy_not_tensor")
        elif isinstance(got, TFValue) and variable and not got.is_variable:
            hint = Hint("constant_not_variable")
        elif isinstance(got, TFValue) and dtype == "float32" and got.array.dtype == np.float64:
            hint = Hint("float64_not_float32")
        raise CheckFailed(*failure.evidence, hint=hint) from None


def as_variables(parameters: dict) -> dict:
    return {k: AsTF("variable", v) for k, v in parameters.items()}


# ----------------------------------------------------------------------------- TensorFlow 1 code

#: TensorFlow 1 names that TensorFlow 2 no longer has at its top level.
TF1_API = re.compile(r"\btf\.(placeholder|Session|InteractiveSession|global_variables_initializer|get_variable"
                     r"|variable_scope|contrib|train\.[A-Za-z]*Optimizer)\b")


def tensorflow1_notes(cells) -> tuple[LoadNote, ...]:
    """One note, read off the text (never run), when a submission is TensorFlow 1 code: which TF 1
    names it uses and which graded functions use them."""
    apis, functions = set(), set()
    graded = {e.function for e in suite.exercises}
    for _, code in cells:
        found = {f"tf.{m.group(1)}" for m in TF1_API.finditer(code)}
        if not found:
            continue
        apis |= found
        try:
            tree = ast.parse(code)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in graded \
                    and TF1_API.search(ast.get_source_segment(code, node) or ""):
                functions.add(node.name)
    if not apis:
        return ()
    order = [e.function for e in suite.exercises]
    return (LoadNote("tensorflow1", {"apis": sorted(apis), "functions": sorted(functions, key=order.index)}),)


suite.source_notes = tensorflow1_notes


# -------------------------------------------------------------------------------- linear_function

linear = suite.exercise("linear_function")


@linear.check(points=1, kind="structure", public=True)
def returns_a_tensor(t: Trial):
    """Returns a TensorFlow tensor of shape (4, 1)"""
    expect_tensor("Y", t.call(), (4, 1), dtype=None)


@linear.check(points=2, kind="value", public=True)
def computes_wx_plus_b(t: Trial):
    """Computes W X + b from the seeded draws X, W, b"""
    t.matches_reference(name="Y", tol=FLOAT32)


# ---------------------------------------------------------------------------------------- sigmoid

sigmoid = suite.exercise("sigmoid")


@sigmoid.check(points=1, kind="structure", public=True)
def returns_float32(t: Trial):
    """Returns a float32 tensor, also for a Python number and for float64 or integer input"""
    judge.tensor("sigmoid(-1)", t.call(-1.0), (), dtype="float32")
    got = t.call(AsTF("constant", np.array([0.0, 2.0])))
    try:
        judge.tensor("sigmoid(z)", got, (2,), dtype="float32")
    except CheckFailed as failure:
        cast_missing = getattr(got, "array", np.zeros(0)).dtype == np.float64
        raise CheckFailed(*failure.evidence, hint=Hint("sigmoid_not_cast") if cast_missing else None) from None
    judge.tensor("sigmoid(z)", t.call(AsTF("constant", np.array([1, -3], dtype=np.int32))), (2,), dtype="float32")


@sigmoid.check(points=2, kind="value", public=True)
def values(t: Trial):
    """Matches the logistic function on a few values"""
    z = AsTF("constant", np.array([-3.0, -1.0, 0.0, 0.5, 4.0], dtype=np.float32))
    t.matches_reference(z, name="sigmoid(z)", tol=FLOAT32)


# -------------------------------------------------------------------------------- one_hot_matrix

one_hot_matrix = suite.exercise("one_hot_matrix")

#: dtypes the course's own check accepts for a one-hot vector (it compares values and shape; the
#: loss casts the labels): float32 asked for, the others noted.
ONE_HOT_DTYPES = ("float32", "float64", "int32", "int64")


def one_hot_answer(t: Trial, label: int, depth: int | None = None) -> TFValue:
    """The student's one-hot vector of ``label`` (default depth when None) as a (depth,) tensor.

    Course-correct variants pass with a note: the first TensorFlow 2 release's (depth, 1) column,
    and an integer or float64 one-hot (``tf.one_hot(label, depth, 1)`` is int32)."""
    args = (AsTF("constant", np.array(label)),) + (() if depth is None else (depth,))
    got = t.call(*args)
    size = 6 if depth is None else depth
    if not isinstance(got, TFValue) or str(got.array.dtype) not in ONE_HOT_DTYPES:
        judge.tensor("one_hot", got, (size,), dtype="float32")  # fails, saying what was expected
    if got.array.shape == (size, 1):
        t.note(Hint("one_hot_column"))
        got = TFValue(got.kind, got.array.reshape(size))
    judge.tensor("one_hot", got, (size,), dtype=None)
    if got.array.dtype != np.float32:
        t.note(Hint("one_hot_dtype", {"dtype": str(got.array.dtype)}))
        got = TFValue(got.kind, got.array.astype(np.float32))
    return got


@one_hot_matrix.check(points=1, kind="structure", public=True)
def returns_a_vector(t: Trial):
    """Returns a tensor of shape (depth,), float32 (an integer one-hot or the older (depth, 1) column is accepted)"""
    one_hot_answer(t, 2, 6)
    one_hot_answer(t, 0)


@one_hot_matrix.check(points=1, kind="value", public=True)
def encodes_a_label(t: Trial):
    """Puts a single 1 at the label's position (label 1, depth 4)"""
    t.expect_reference(one_hot_answer(t, 1, 4), AsTF("constant", np.array(1)), 4, name="one_hot", tol=FLOAT32)


@one_hot_matrix.check(points=1, kind="value")
def encodes_every_label(t: Trial):
    """Encodes every label for several depths"""
    for depth in (3, 6, 10):
        for label in range(depth):
            t.expect_reference(one_hot_answer(t, label, depth), AsTF("constant", np.array(label)), depth,
                               name="one_hot", tol=FLOAT32)


# ------------------------------------------------------------------------- initialize_parameters

initialize = suite.exercise("initialize_parameters")


@initialize.check(points=1, kind="structure", public=True)
def six_variables(t: Trial):
    """Returns a dict of six float32 tf.Variables with the course's shapes"""
    found = judge.mapping("parameters", t.call(), NAMES)
    for name, shape in SHAPES.items():
        expect_tensor(name, found[name], shape, variable=True)


@initialize.check(points=2, kind="property")
def glorot_statistics(t: Trial):
    """Weights have mean 0 and the Glorot-normal spread sqrt(2 / (fan_in + fan_out))"""
    found = judge.mapping("parameters", t.call(), NAMES)
    standardized = []
    for name, shape in SHAPES.items():
        values = expect_tensor(name, found[name], shape, variable=True).astype(np.float64)
        standardized.append((values / np.sqrt(2.0 / sum(shape))).ravel())
    pooled = np.concatenate(standardized)
    mean, spread = float(pooled.mean()), float(pooled.std())
    if abs(mean) > 5 / np.sqrt(pooled.size) or abs(spread - 1) > GLOROT_STD:
        raise CheckFailed(Evidence("property", {"name": "glorot_spread", "measured": spread, "expected": 1.0,
                                                "tolerance": GLOROT_STD}))


# --------------------------------------------------------------------------- forward_propagation

forward = suite.exercise("forward_propagation")


@forward.check(points=1, kind="structure", public=True)
def returns_logits(t: Trial):
    """Returns a float32 tensor of logits, shape (6, m)"""
    rng = np.random.default_rng(3)
    X, _ = batch(rng, 4)
    expect_tensor("Z3", t.call(AsTF("constant", X), as_variables(small_parameters(rng))), (6, 4))


@forward.check(points=2, kind="value", public=True)
def matches_reference(t: Trial):
    """Matches the reference logits (no softmax at the output)"""
    rng = np.random.default_rng(4)
    X, _ = batch(rng, 3)
    t.matches_reference(AsTF("constant", X), as_variables(small_parameters(rng)), name="Z3", tol=FLOAT32)


@forward.check(points=1, kind="consistency")
def gradients_reach_every_parameter(t: Trial):
    """Gradients of the loss reach every parameter (no variable re-created in the forward pass)"""
    X, Y = batch(t.rng, 5)
    got = judge.mapping("gradients", t.drive(f"{DRIVERS}:gradients_of", X, Y, small_parameters(t.rng)), NAMES)
    dead = [name for name in NAMES if isinstance(got[name], str)]
    if dead:
        raise CheckFailed(Evidence("property", {"name": "gradient_flows", "measured": dead, "expected": [],
                                                "tolerance": 0}))


# ---------------------------------------------------------------------------- compute_total_loss

loss = suite.exercise("compute_total_loss")

#: The loss of the mid-2021 release: ``compute_cost``, the mean instead of the sum; graded by its
#: own contract (reference function of the same name) when a submission has no compute_total_loss.
OLDER_LOSS = "compute_cost"


def logits_and_labels(rng: np.random.Generator, m: int, classes: int = 6):
    """Random logits (classes, m) and one-hot labels (classes, m), float32 tensors to send."""
    return (AsTF("constant", (2 * rng.standard_normal((classes, m))).astype(np.float32)),
            AsTF("constant", one_hot(rng.integers(0, classes, m), classes)))


def loss_answer(t: Trial, logits: AsTF, labels: AsTF) -> tuple[object, str]:
    """(the student's loss, the reference function whose contract applies): compute_total_loss,
    or, for a submission of the mid-2021 release that defines only compute_cost, that one (with
    a note naming the release). Both references are asked for, so both are frozen for ``check``."""
    for function in (loss.function, OLDER_LOSS):
        t.reference(logits, labels, function=function)
    try:
        return t.call(logits, labels), loss.function
    except StudentProblem as missing:
        if missing.evidence.kind != "missing_function":
            raise
        try:
            got = t.call_function(OLDER_LOSS, logits, labels)
        except StudentProblem as older:
            raise (missing if older.evidence.kind == "missing_function" else older) from None
    t.note(Hint("older_release_loss"))
    return got, OLDER_LOSS


def expect_loss(t: Trial, logits: AsTF, labels: AsTF) -> None:
    """The student's loss equals the reference's of the contract that applies."""
    got, function = loss_answer(t, logits, labels)
    t.expect_reference(got, logits, labels, name="total loss", tol=FLOAT32, function=function)


@loss.check(points=1, kind="structure", public=True)
def returns_a_number(t: Trial):
    """Returns one number (a scalar tensor)"""
    got, _ = loss_answer(t, *logits_and_labels(np.random.default_rng(5), 4))
    judge.scalar("total loss", judge.tensor("total loss", got, None, dtype=None))


@loss.check(points=2, kind="value", public=True)
def sum_of_cross_entropies(t: Trial):
    """Is the sum over the examples of the cross-entropy of the softmax of the logits"""
    expect_loss(t, *logits_and_labels(np.random.default_rng(6), 5))


@loss.check(points=1, kind="value")
def random_batches(t: Trial):
    """Matches the reference on random batches of several sizes, with 6, 3 and 10 classes"""
    for m, classes in ((1, 6), (7, 6), (32, 6), (5, 3), (9, 10)):
        try:
            expect_loss(t, *logits_and_labels(t.rng, m, classes))
        except (CheckFailed, StudentProblem) as failure:
            if classes == 6 or (isinstance(failure, StudentProblem) and failure.outcome != "error"):
                raise
            evidence = failure.evidence if isinstance(failure, CheckFailed) else (failure.evidence,)
            raise CheckFailed(*evidence, hint=Hint("loss_fixed_classes", {"classes": classes})) from None


# ------------------------------------------------------------------------------------ train_step

step = suite.exercise("train_step")


#: Input size of the public training-step case: small, so that its frozen expectations (three Adam
#: steps of every parameter, for the reference and each known mistake) stay small in the release.
PUBLIC_STEP_INPUTS = 48


def steps_case(rng: np.random.Generator, n_x: int):
    """A batch of 8 examples of ``n_x`` inputs and parameters to train from."""
    X, Y = batch(rng, 8, n_x)
    return X, Y, small_parameters(rng, n_x)


#: The optimizer the training-step checks hand to train_step: plain gradient descent, whose update
#: is linear in the gradients, so equivalent losses (log-softmax, another summation order, under
#: tf.function or not) give parameters equal up to float32 rounding. Adam is not: it divides each
#: entry by its own gradient's magnitude, so an entry whose gradient is near zero moves by about the
#: learning rate in whichever direction rounding tips it.
STEP_OPTIMIZER = "sgd"


#: Learning rates of the training-step cases, by input size: small enough that three steps of
#: gradient descent stay in the regime where equivalent steps agree to rounding (on the full-size
#: network the summed loss's gradients are large: 0.01 would let the steps run away).
STEP_RATES = {PUBLIC_STEP_INPUTS: 0.01, SHAPES["W1"][1]: 1e-4}


def expect_same_training(t: Trial, use_function: bool, n_x: int = SHAPES["W1"][1]) -> None:
    X, Y, parameters = steps_case(t.rng, n_x)
    args = (X, Y, parameters, 3, STEP_RATES[n_x], use_function, STEP_OPTIMIZER)
    got = t.drive(f"{DRIVERS}:run_train_steps", *args)
    losses, trained = judge.sequence("result", got, 2)
    want_losses, want_trained = t.reference(*args, function="reference_train_steps")
    found = judge.differences("loss", list(losses), want_losses, FLOAT32)
    found += judge.differences("parameters", trained, want_trained, FLOAT32)
    if found:
        raise CheckFailed(*found, hint=step_mistake(trained, parameters, want_trained))


def step_mistake(trained, start: dict, want_trained: dict) -> Hint | None:
    """The training-step mistake the evidence proves, if one: no update at all, an update of some
    variables only, or steps up the gradient (the parameters move against the reference's way)."""
    if type(trained) is not dict or not all(isinstance(trained.get(k), np.ndarray)
                                            and trained[k].shape == start[k].shape for k in start):
        return None
    unchanged = [k for k in start if np.array_equal(trained[k], start[k])]
    if len(unchanged) == len(start):
        return Hint("step_not_applied")
    if unchanged:
        return Hint("step_some_variables", {"unchanged": unchanged})
    moved = np.concatenate([(trained[k].astype(float) - start[k]).ravel() for k in start])
    wanted = np.concatenate([(want_trained[k].astype(float) - start[k]).ravel() for k in start])
    cosine = float(moved @ wanted / (np.linalg.norm(moved) * np.linalg.norm(wanted) or 1.0))
    return Hint("step_ascends") if cosine < ASCENT_COSINE else None


@step.check(points=2, kind="value", public=True, fresh=True)
def updates_like_the_reference(t: Trial):
    """Three steps give the reference's losses and parameters (gradient descent, same start)"""
    expect_same_training(t, use_function=False, n_x=PUBLIC_STEP_INPUTS)


@step.check(points=1, kind="value", fresh=True)
def works_under_tf_function(t: Trial):
    """Also works, with the same result, when wrapped in tf.function"""
    expect_same_training(t, use_function=True)


# ----------------------------------------------------------------------------------------- model

model = suite.exercise("model")


@model.check(points=2, kind="experiment", seconds=120, fresh=True)
def learns_the_digits(t: Trial):
    """Three epochs of your model (Adam 0.0001, mini-batches of 32) reach the expected test accuracy"""
    got = t.drive(f"{DRIVERS}:run_model", 3, 0.0001, 32)
    parameters = judge.mapping("parameters", got, NAMES)
    for name, shape in SHAPES.items():
        judge.array(name, parameters[name], shape)
    _, _, X_test, Y_test = check_digits()
    measured = accuracy(X_test, Y_test, parameters)
    if measured < TRAINED_TEST_ACCURACY:
        raise CheckFailed(Evidence("property", {"name": "test_accuracy", "measured": measured,
                                                "expected": TRAINED_TEST_ACCURACY, "tolerance": 0}))
