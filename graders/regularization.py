"""Grader suite of the Regularization assignment (L2 and dropout on a 3-layer network).

Randomized outputs (the dropout masks) are judged through what the student returns: the cache's
masks must be binary, keep about ``keep_prob`` of the units, differ across examples, and explain the
cached activations; any way of drawing them passes. Backward passes are judged against the
reference on the same cache, and against finite differences of the cost.
"""
from __future__ import annotations

import base64
import functools
from dataclasses import dataclass
from math import erf, sqrt

import numpy as np

from assignments.regularization_utils import (
    accuracy,
    compute_cost,
    cost_curve_figure,
    decision_boundaries_figure,
    figure_png,
    forward_propagation,
    load_dataset,
    relu,
    sigmoid,
)
from graders.engine.grading import judge, tolerances
from graders.engine.grading.judge import CheckFailed
from graders.engine.grading.runner import StudentProblem
from graders.engine.grading.suite import Calls, Suite, Trial
from graders.engine.reports import pictures, render
from graders.engine.reports.records import Evidence, Hint, Plot

suite = Suite("regularization", preload=("assignments.regularization_utils",),
              drivers=("assignments.regularization_utils:train",), warm=("matplotlib.pyplot",))

GRADIENTS = ("dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1")
DROPOUT_CACHE = ("Z1", "D1", "A1", "W1", "b1", "Z2", "D2", "A2", "W2", "b2", "Z3", "A3", "W3", "b3")
PARAMETERS = ("W1", "b1", "W2", "b2", "W3", "b3")
SMALL = (3, 2, 3, 1)  # layer sizes of the public cases (the course's test networks)


# ------------------------------------------------------------------------------------------ inputs


def network(rng: np.random.Generator, sizes=SMALL, m: int = 5):
    """Random inputs: X (n_x, m), Y (1, m) of 0/1, and parameters for layer ``sizes``."""
    X = rng.standard_normal((sizes[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    parameters = {}
    for layer in (1, 2, 3):
        parameters[f"W{layer}"] = rng.standard_normal((sizes[layer], sizes[layer - 1]))
        parameters[f"b{layer}"] = 0.5 * rng.standard_normal((sizes[layer], 1))
    return X, Y, parameters


def public_case():
    """The fixed case of the public checks."""
    return network(np.random.default_rng(2024))


def masks(rng: np.random.Generator, parameters: dict, m: int, keep_prob: float):
    """Binary masks D1 (n1, m), D2 (n2, m) keeping each unit with probability keep_prob."""
    return tuple((rng.random((parameters[f"W{l}"].shape[0], m)) < keep_prob).astype(float) for l in (1, 2))


def forward_with_masks(X, parameters, D1, D2, keep_prob):
    """The dropout forward pass with given masks; returns the 14-entry cache."""
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in PARAMETERS)
    Z1 = W1 @ X + b1
    A1 = relu(Z1) * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2) * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    return (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def finite_differences(cost, parameters: dict) -> dict:
    """Central differences of ``cost(parameters)`` for every parameter entry: {"dW1": ...}."""
    gradients = {}
    for name in PARAMETERS:
        gradient = np.zeros_like(parameters[name])
        for index in np.ndindex(gradient.shape):
            shifted = {k: v.copy() for k, v in parameters.items()}
            shifted[name][index] += tolerances.FD_STEP
            plus = cost(shifted)
            shifted[name][index] -= 2 * tolerances.FD_STEP
            gradient[index] = (plus - cost(shifted)) / (2 * tolerances.FD_STEP)
        gradients[f"d{name}"] = gradient
    return gradients


def expect_gradients_match(got: dict, numeric: dict) -> None:
    """Fail with gradient_check evidence for each parameter gradient far from finite differences."""
    found = judge.mapping("gradients", got, list(numeric))
    failures = []
    for name, expected in numeric.items():
        value = judge.array(name, found[name], expected.shape)
        error = judge.relative_error(value.astype(float), expected)
        if not error <= tolerances.GRADIENT_CHECK:
            failures.append(Evidence("gradient_check", {"name": name, "rel_error": error,
                                                        "threshold": tolerances.GRADIENT_CHECK}))
    if failures:
        raise CheckFailed(*failures)


def expect_gradient_shapes(got, shapes: dict) -> None:
    """The 11 gradients are present, each an array of the given shape."""
    try:
        found = judge.mapping("gradients", got, GRADIENTS)
    except CheckFailed as failure:
        missing = [e.data["missing"] for e in failure.evidence if e.kind == "missing_keys"]
        hint = Hint("gradients_missing_keys", {"missing": missing[0]}) if missing else None
        raise CheckFailed(*failure.evidence, hint=hint) from None
    for key in GRADIENTS:
        judge.array(key, found[key], shapes[key])


def gradient_shapes(X, parameters) -> dict:
    m = X.shape[1]
    shapes = {f"d{k}": parameters[k].shape for k in PARAMETERS}
    for layer in (1, 2, 3):
        shapes[f"dZ{layer}"] = (parameters[f"W{layer}"].shape[0], m)
    shapes["dA1"], shapes["dA2"] = shapes["dZ1"], shapes["dZ2"]
    return shapes


# ------------------------------------------------------------- Exercise 1: regularized cost

cost = suite.exercise("compute_cost_with_regularization")


@cost.check(points=1, kind="structure", public=True)
def returns_a_number(t: Trial):
    """Returns one real number"""
    X, Y, parameters = public_case()
    A3, _ = forward_propagation(X, parameters)
    judge.scalar("cost", t.call(A3, Y, parameters, 0.1))


@cost.check(points=2, kind="value", public=True)
def small_network(t: Trial):
    """Matches the reference on a small network (lambd = 0.1)"""
    X, Y, parameters = public_case()
    A3, _ = forward_propagation(X, parameters)
    t.matches_reference(A3, Y, parameters, 0.1, name="cost")


@cost.check(points=2, kind="value")
def random_networks(t: Trial):
    """Matches the reference on random networks and strengths"""
    for sizes, m, lambd in (((4, 5, 3, 1), 7, 0.7), ((2, 20, 3, 1), 12, 0.03), ((5, 3, 2, 1), 1, 2.5)):
        X, Y, parameters = network(t.rng, sizes, m)
        A3, _ = forward_propagation(X, parameters)
        t.matches_reference(A3, Y, parameters, lambd, name="cost")


@cost.check(points=1, kind="property")
def zero_strength_is_cross_entropy(t: Trial):
    """With lambd = 0 the cost is the plain cross-entropy"""
    X, Y, parameters = network(t.rng, (4, 6, 3, 1), 9)
    A3, _ = forward_propagation(X, parameters)
    judge.close("cost", t.call(A3, Y, parameters, 0.0), compute_cost(A3, Y))


# ----------------------------------------------------------- Exercise 2: backward with L2

l2_backward = suite.exercise("backward_propagation_with_regularization")


@l2_backward.check(points=1, kind="structure", public=True)
def returns_eleven_gradients(t: Trial):
    """Returns a dict of the 11 gradients, each shaped like its variable"""
    X, Y, parameters = public_case()
    _, cache = forward_propagation(X, parameters)
    expect_gradient_shapes(t.call(X, Y, cache, 0.7), gradient_shapes(X, parameters))


@l2_backward.check(points=2, kind="value", public=True)
def small_network(t: Trial):
    """Matches the reference on a small network (lambd = 0.7)"""
    X, Y, parameters = public_case()
    _, cache = forward_propagation(X, parameters)
    t.matches_reference(X, Y, cache, 0.7, name="gradients")


@l2_backward.check(points=2, kind="value")
def random_networks(t: Trial):
    """Matches the reference on random networks and strengths"""
    for sizes, m, lambd in (((4, 5, 3, 1), 7, 0.3), ((2, 20, 3, 1), 30, 1.5)):
        X, Y, parameters = network(t.rng, sizes, m)
        _, cache = forward_propagation(X, parameters)
        t.matches_reference(X, Y, cache, lambd, name="gradients")


@l2_backward.check(points=2, kind="consistency")
def matches_finite_differences(t: Trial):
    """Agrees with finite differences of the regularized cost"""
    X, Y, parameters = network(t.rng, (3, 4, 3, 1), 6)
    lambd = 0.6
    _, cache = forward_propagation(X, parameters)
    got = t.call(X, Y, cache, lambd)

    def regularized_cost(params):
        A3, _ = forward_propagation(X, params)
        return float(t.reference(A3, Y, params, lambd, function="compute_cost_with_regularization"))

    expect_gradients_match(got, finite_differences(regularized_cost, parameters))


# ------------------------------------------------------------ Exercise 3: dropout forward

dropout_forward = suite.exercise("forward_propagation_with_dropout")


def dropout_answer(got, X, parameters, t: Trial | None = None) -> tuple[np.ndarray, tuple]:
    """Unpack and shape-check ``(A3, cache)``; returns them, with masks kept as nested Python
    lists (the course's value checks accept them) turned into arrays, and noted on ``t``."""
    A3, cache = judge.sequence("result", got, 2)
    m = X.shape[1]
    n1, n2 = parameters["W1"].shape[0], parameters["W2"].shape[0]
    judge.array("A3", A3, (1, m))
    cache = list(judge.sequence("cache", cache, len(DROPOUT_CACHE)))
    shapes = {"Z1": (n1, m), "D1": (n1, m), "A1": (n1, m), "Z2": (n2, m), "D2": (n2, m), "A2": (n2, m),
              "Z3": (1, m), "A3": (1, m), **{k: parameters[k].shape for k in PARAMETERS}}
    listed = []
    for i, (name, value) in enumerate(zip(DROPOUT_CACHE, cache)):
        if name in ("D1", "D2"):
            cache[i], was_list = judge.array_or_nested_list(name, value, shapes[name])
            listed += [name] if was_list else []
        else:
            judge.array(name, value, shapes[name])
    if listed and t is not None:
        t.note(Hint("masks_as_lists", {"names": listed}))
    return A3, tuple(cache)


def expect_binary_masks(cache: tuple) -> None:
    for name, mask in (("D1", cache[1]), ("D2", cache[6])):
        wrong = int(np.count_nonzero((mask != 0) & (mask != 1)))
        if wrong:
            raise CheckFailed(Evidence("property", {"name": "mask_binary", "measured": wrong, "expected": 0,
                                                    "tolerance": 0}))


@dropout_forward.check(points=1, kind="structure", public=True)
def returns_output_and_cache(t: Trial):
    """Returns (A3, cache) with the 14 cache entries in the course's order and shapes"""
    X, _, parameters = public_case()
    dropout_answer(t.call(X, parameters, 0.7), X, parameters, t)


@dropout_forward.check(points=1, kind="property", public=True)
def masks_are_binary(t: Trial):
    """The masks D1 and D2 hold only zeros and ones"""
    X, _, parameters = public_case()
    _, cache = dropout_answer(t.call(X, parameters, 0.7), X, parameters)
    expect_binary_masks(cache)


@dropout_forward.check(points=2, kind="consistency", public=True)
def cache_follows_the_masks(t: Trial):
    """Each cached activation follows from the one before it, through your masks, scaled by 1/keep_prob"""
    X, _, parameters = network(np.random.default_rng(7), (3, 4, 3, 1), 8)
    keep_prob = 0.7
    _, cache = dropout_answer(t.call(X, parameters, keep_prob), X, parameters)
    expect_binary_masks(cache)
    found = judge.differences("cache", cache, layer_by_layer(cache, X, parameters, keep_prob),
                              tolerances.CONSISTENCY, labels=DROPOUT_CACHE)
    if found:
        hint = None
        for key, factor in (("dropout_missing_scaling_forward", keep_prob),
                            ("dropout_multiplies_keep_prob_forward", keep_prob ** 2)):
            variant = layer_by_layer(cache, X, parameters, keep_prob / factor)
            if not judge.differences("cache", cache, variant, tolerances.CONSISTENCY, labels=DROPOUT_CACHE):
                hint = Hint(key)
        raise CheckFailed(*found, hint=hint)


def layer_by_layer(cache: tuple, X, parameters: dict, keep_prob: float) -> tuple:
    """What each cache entry should be given the entries before it (the student's own masks and
    activations), so that a mistake shows where it is made and not in every later layer."""
    Z1, D1, A1, _, _, Z2, D2, A2, _, _, Z3 = (np.asarray(v, dtype=float) for v in cache[:11])
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in PARAMETERS)
    return (W1 @ X + b1, D1, relu(Z1) * D1 / keep_prob, W1, b1,
            W2 @ A1 + b2, D2, relu(Z2) * D2 / keep_prob, W2, b2,
            W3 @ A2 + b3, sigmoid(Z3), W3, b3)


def keep_fraction(cache: tuple) -> float:
    return float(np.mean(np.concatenate([cache[1].ravel(), cache[6].ravel()]) != 0))


@dropout_forward.check(points=2, kind="property", seconds=20)
def keeps_keep_prob_of_the_units(t: Trial):
    """The masks keep about keep_prob of the units, and differ from example to example"""
    X, _, parameters = network(t.rng, (4, 250, 200, 1), 250)
    for keep_prob in (0.86, 0.3, None):
        got = t.call(X, parameters) if keep_prob is None else t.call(X, parameters, keep_prob)
        _, cache = dropout_answer(got, X, parameters)
        expect_binary_masks(cache)
        target = 0.5 if keep_prob is None else keep_prob
        measured = keep_fraction(cache)
        if abs(measured - target) > tolerances.KEEP_FRACTION:
            name = "default_keep_prob" if keep_prob is None else "keep_fraction"
            raise CheckFailed(Evidence("property", {"name": name, "measured": measured, "expected": target,
                                                    "tolerance": tolerances.KEEP_FRACTION}),
                              hint=_mask_mistake(measured, target))
        identical = float(np.mean(np.all(cache[1] == cache[1][:, :1], axis=0)))
        if identical > 0.5:
            raise CheckFailed(Evidence("property", {"name": "mask_varies_across_examples", "measured": identical,
                                                    "expected": 0.0, "tolerance": 0.5}),
                              hint=Hint("mask_shared_across_examples"))


def _mask_mistake(measured: float, keep_prob: float) -> Hint | None:
    """Name a mask drawn the wrong way round, or from a Gaussian, from the fraction it keeps."""
    gaussian = 0.5 * (1 + erf(keep_prob / sqrt(2)))
    for key, fraction in (("mask_keeps_complement", 1 - keep_prob), ("mask_gaussian", gaussian)):
        if abs(measured - fraction) <= tolerances.KEEP_FRACTION:
            return Hint(key)
    return None


@dropout_forward.check(points=1, kind="property")
def keep_prob_one_is_the_plain_forward_pass(t: Trial):
    """With keep_prob = 1 the output equals the plain forward pass"""
    X, _, parameters = network(t.rng, (5, 6, 4, 1), 10)
    A3, _ = dropout_answer(t.call(X, parameters, 1.0), X, parameters)
    judge.close("A3", A3, forward_propagation(X, parameters)[0], tolerances.CONSISTENCY)


# ----------------------------------------------------------- Exercise 4: dropout backward

dropout_backward = suite.exercise("backward_propagation_with_dropout")


def dropout_case(rng: np.random.Generator, sizes=SMALL, m: int = 5, keep_prob: float = 0.8):
    X, Y, parameters = network(rng, sizes, m)
    return X, Y, parameters, forward_with_masks(X, parameters, *masks(rng, parameters, m, keep_prob), keep_prob)


@dropout_backward.check(points=1, kind="structure", public=True)
def returns_eleven_gradients(t: Trial):
    """Returns a dict of the 11 gradients, each shaped like its variable"""
    X, Y, parameters, cache = dropout_case(np.random.default_rng(11))
    expect_gradient_shapes(t.call(X, Y, cache, 0.8), gradient_shapes(X, parameters))


@dropout_backward.check(points=2, kind="value", public=True)
def small_network(t: Trial):
    """Matches the reference on a small network with fixed masks (keep_prob = 0.8)"""
    X, Y, _, cache = dropout_case(np.random.default_rng(11))
    t.matches_reference(X, Y, cache, 0.8, name="gradients")


@dropout_backward.check(points=2, kind="value")
def random_networks(t: Trial):
    """Matches the reference on random networks, masks and keep_prob"""
    for sizes, m, keep_prob in (((4, 5, 3, 1), 9, 0.6), ((2, 20, 3, 1), 25, 0.86), ((3, 4, 4, 1), 6, 1.0)):
        X, Y, _, cache = dropout_case(t.rng, sizes, m, keep_prob)
        t.matches_reference(X, Y, cache, keep_prob, name="gradients")


@dropout_backward.check(points=1, kind="value")
def your_own_cache(t: Trial):
    """Matches the reference on the cache your forward pass returns"""
    X, Y, parameters = network(t.rng, (4, 6, 5, 1), 8)
    keep_prob = 0.75
    cache = forward_with_masks(X, parameters, *masks(t.rng, parameters, 8, keep_prob), keep_prob)
    try:
        _, own = dropout_answer(t.call_function("forward_propagation_with_dropout", X, parameters, keep_prob),
                                X, parameters)
        cache = own
    except (CheckFailed, StudentProblem):  # a broken forward pass costs nothing here: use ours
        pass
    t.matches_reference(X, Y, cache, keep_prob, name="gradients")


@dropout_backward.check(points=2, kind="consistency")
def matches_finite_differences(t: Trial):
    """Agrees with finite differences of the cost through the same masks"""
    keep_prob = 0.7
    X, Y, parameters = network(t.rng, (3, 4, 3, 1), 6)
    D1, D2 = masks(t.rng, parameters, 6, keep_prob)
    got = t.call(X, Y, forward_with_masks(X, parameters, D1, D2, keep_prob), keep_prob)
    numeric = finite_differences(lambda p: compute_cost(forward_with_masks(X, p, D1, D2, keep_prob)[11], Y),
                                 parameters)
    expect_gradients_match(got, numeric)


# ------------------------------------------------------------------------- experiment and figures

TRAIN = "assignments.regularization_utils:train"
RUNS = (("no regularization", {}), ("L2 regularization, lambd = 0.7", {"lambd": 0.7}),
        ("dropout, keep_prob = 0.86", {"keep_prob": 0.86}))
REPORT_ITERATIONS = 300  #: the short L2 run whose decision boundary the report shows (the reference's cost
#: is 0.323 after it, 0.307 after 1,500 iterations; the boundary looks the same)


@dataclass(frozen=True)
class Run:
    """One training run of the experiment, judged on the trusted side."""

    title: str
    parameters: dict
    costs: tuple[float, ...]
    train_accuracy: float
    test_accuracy: float


def train_run(calls: Calls, title: str, settings: dict, iterations: int) -> Run:
    """Train in the worker with the student's functions; validate what comes back and measure
    accuracy here (never trust an accuracy computed beside student code)."""
    train_X, train_Y, test_X, test_Y = load_dataset()
    got = calls.drive(TRAIN, (train_X, train_Y), {"num_iterations": iterations, **settings}, None)
    parameters, costs = judge.sequence("result", got, 2)
    sizes = (train_X.shape[0], 20, 3, 1)
    found = judge.mapping("parameters", parameters, PARAMETERS)
    for layer in (1, 2, 3):
        judge.array(f"W{layer}", found[f"W{layer}"], (sizes[layer], sizes[layer - 1]))
        judge.array(f"b{layer}", found[f"b{layer}"], (sizes[layer], 1))
    costs = tuple(judge.scalar("cost", c) for c in judge.sequence("costs", costs))
    clean = {k: np.asarray(found[k], dtype=float) for k in PARAMETERS}
    return Run(title, clean, costs, accuracy(train_X, train_Y, clean), accuracy(test_X, test_Y, clean))


def experiment(calls: Calls, iterations: int = 30000) -> list[Run]:
    """The course's experiment: the same network trained without regularization, with L2 and
    with dropout (each run uses the student's functions where it needs them)."""
    return [train_run(calls, title, settings, iterations) for title, settings in RUNS]


@functools.cache
def _reference_run() -> Run:
    from graders.engine.grading.inprocess import LocalCalls
    from graders.engine.grading.oracle import LiveOracle

    calls = LocalCalls(vars(LiveOracle("regularization").module), frozenset(suite.drivers))
    return train_run(calls, "reference", RUNS[1][1], REPORT_ITERATIONS)


def report_figures(calls: Calls) -> tuple[Plot, ...]:
    """The report's picture: the decision boundary learned with the student's L2 functions beside
    the reference's, after a short run (the runner drops it when the student's code fails)."""
    student = train_run(calls, "yours", RUNS[1][1], REPORT_ITERATIONS)
    train_X, train_Y, _, _ = load_dataset()
    reference = _reference_run()
    png = pictures.boundaries_png([("yours", student.parameters), ("reference", reference.parameters)],
                                 train_X, train_Y)
    title = render.message("figures.j2", "regularization_boundary", iterations=REPORT_ITERATIONS,
                           lambd=RUNS[1][1]["lambd"])
    return (Plot(title, base64.b64encode(png).decode()),)


def experiment_figures(runs: list[Run]) -> dict[str, object]:
    """The experiment's figures by file stem: a decision boundary and a cost curve per run."""
    train_X, train_Y, _, _ = load_dataset()
    figures = {}
    for number, run in enumerate(runs, 1):
        figures[f"{number}_boundary"] = decision_boundaries_figure([(run.title, run.parameters)], train_X, train_Y)
        figures[f"{number}_cost"] = cost_curve_figure(run.costs, run.title)
    return figures


def show_experiment(runs: list[Run]) -> None:
    """In a notebook: display the experiment's figures."""
    from IPython.display import Image, display

    for figure in experiment_figures(runs).values():
        display(Image(figure_png(figure)))


suite.figures = report_figures
