"""Grader suite of the Optimization assignment (mini-batches, momentum, RMSprop, Adam, decay).

Update rules are judged one step at a time against the reference on the same inputs (each step of
a sequence starts from the reference's state after the step before), so rounding never piles up:
an in-place update and one returning new arrays, ``-=`` and ``p - lr * x``, ``** 2`` and ``np.square``
all pass. Mini-batches are judged as a partition of the examples through what the student returns
(every column of a batch identifies its example), so any shuffle that depends on the seed passes;
matching the course's exact stream is reported as information only. The experiment check trains
with the student's Adam in the worker and measures the cost here.
"""
from __future__ import annotations

import base64
import functools
from dataclasses import dataclass

import numpy as np

from assignments.optimization_utils import (LAYERS_DIMS, accuracy, decision_boundaries_figure, figure_png,
                                            forward_propagation, load_dataset, logistic_cost)
from graders.engine.grading import judge, tolerances
from graders.engine.grading.judge import CheckFailed
from graders.engine.grading.runner import StudentProblem
from graders.engine.grading.suite import Calls, Suite, Trial
from graders.engine.reports import pictures, render
from graders.engine.sandbox.protocol import fingerprint
from graders.engine.reports.records import Evidence, Hint, Plot

TRAIN = "assignments.optimization_utils:train"
suite = Suite("optimization", preload=("assignments.optimization_utils",), drivers=(TRAIN,),
              warm=("matplotlib.pyplot",))

COURSE_SIZES = (3, 2, 3)  # the course's test network: W1 (2, 3), W2 (3, 2)
DEPTHS = ((4, 5, 3, 1), (2, 1), (6, 4, 4, 3, 2), (3, 7, 1))  # random networks of 1 to 4 layers
MOMENTUM_LABELS = ("parameters", "v")
RMSPROP_LABELS = ("parameters", "s")
ADAM_LABELS = ("parameters", "v", "s", "v_corrected", "s_corrected")


# ------------------------------------------------------------------------------------------ inputs


def parameter_names(sizes) -> list[str]:
    """["W1", "b1", ..., "WL", "bL"] for layer ``sizes`` (n_0, ..., n_L)."""
    return [f"{p}{l}" for l in range(1, len(sizes)) for p in ("W", "b")]


def shapes(sizes) -> dict[str, tuple[int, int]]:
    """Shape of each parameter for layer ``sizes``."""
    return {name: ((sizes[int(name[1:])], sizes[int(name[1:]) - 1]) if name[0] == "W" else (sizes[int(name[1:])], 1))
            for name in parameter_names(sizes)}


def course_case() -> tuple[dict, dict]:
    """The course's public inputs (parameters, grads): load_params_and_grads's draws after seed 1,
    drawn from a private generator (the global one belongs to the references)."""
    rng = np.random.RandomState(1)
    names = parameter_names(COURSE_SIZES)
    parameters = {k: rng.randn(*s) for k, s in shapes(COURSE_SIZES).items()}
    grads = {"d" + k: rng.randn(*shapes(COURSE_SIZES)[k]) for k in names}
    return parameters, grads


def network(rng: np.random.Generator, sizes, extra_keys: bool = False) -> tuple[dict, dict]:
    """Random (parameters, grads) of layer ``sizes``; with ``extra_keys`` the grads also hold the
    course backward pass's other entries (dz, da), which an update must ignore."""
    parameters = {k: rng.standard_normal(s) for k, s in shapes(sizes).items()}
    grads = {"d" + k: 0.5 * rng.standard_normal(s) for k, s in shapes(sizes).items()}
    if extra_keys:
        for l in range(1, len(sizes)):
            grads[f"dz{l}"] = grads[f"da{l}"] = rng.standard_normal((sizes[l], 4))
    return parameters, grads


def moments(rng: np.random.Generator, sizes, second: bool = False) -> dict:
    """A random optimizer state (v, or s >= 0 when ``second``) shaped like the gradients."""
    state = {"d" + k: 0.1 * rng.standard_normal(s) for k, s in shapes(sizes).items()}
    return {k: np.square(v) for k, v in state.items()} if second else state


def zeros(sizes) -> dict:
    """A zero optimizer state "dW1", "db1", ... shaped like the parameters of layer ``sizes``."""
    return {"d" + k: np.zeros(s) for k, s in shapes(sizes).items()}


def he_parameters(layers_dims=LAYERS_DIMS) -> dict:
    """initialize_parameters(layers_dims)'s values (He, seed 3), drawn from a private generator."""
    rng = np.random.RandomState(3)
    return {name: (rng.randn(*s) * np.sqrt(2 / s[1]) if name[0] == "W" else np.zeros(s))
            for name, s in shapes(layers_dims).items()}


# ----------------------------------------------------------------------------------------- judging


def expect_state(got, sizes, name: str, zero: bool = True) -> None:
    """``got`` is a dict "dW1", "db1", ... of arrays shaped like the parameters (of zeros when ``zero``)."""
    found = judge.mapping(name, got, ["d" + k for k in parameter_names(sizes)])
    for key, shape in shapes(sizes).items():
        value = judge.array(f"{name}['d{key}']", found["d" + key], shape)
        if zero:
            judge.close(f"{name}['d{key}']", value, np.zeros(shape))


def expect_parameters_shaped(got, sizes, name: str = "parameters") -> None:
    """``got`` is a dict "W1", "b1", ... of arrays, Wl of shape (n_l, n_{l-1}) and bl of shape (n_l, 1)."""
    found = judge.mapping(name, got, parameter_names(sizes))
    for key, shape in shapes(sizes).items():
        judge.array(key, found[key], shape)


def flat(items: tuple, labels) -> dict:
    """An update's answer as one dict named as the report names it: "W1", ..., "v['dW1']", ..."""
    named = {}
    for label, item in zip(labels, items):
        for key, value in judge.mapping(label, item, []).items():
            named[key if label == "parameters" else f"{label}['{key}']"] = value
    return named


def answer_items(got, labels: tuple, older: int | None = None) -> tuple:
    """The items of an update's answer: one per label, or the first ``older`` of them."""
    items = judge.sequence("result", got)
    if len(items) not in {len(labels), older}:
        raise CheckFailed(Evidence("wrong_length", {"name": "result", "expected": len(labels), "got": len(items)}))
    return items


def expect_update(t: Trial, got, args: tuple, labels: tuple, older: int | None = None) -> tuple:
    """An update's answer (a tuple of dicts named by ``labels``; or the first ``older`` of them, the
    return of an earlier course release, accepted with a note) matches the reference on ``args``;
    a failure names the first known mistake it matches. Returns the reference's full answer."""
    items = answer_items(got, labels, older)
    n, want = len(items), t.reference(*args)
    found = judge.differences("result", flat(items, labels[:n]), flat(want[:n], labels[:n]))
    if found:
        hint = t.known_mistake(items, args, {}, "result", view=lambda answer: flat(tuple(answer)[:n], labels[:n]))
        raise CheckFailed(*found, hint=hint)
    if n == older and older != len(labels):
        t.note(Hint("adam_older_return"))
    return want


def expect_adam(t: Trial, got, args: tuple) -> tuple:
    """Adam's five items, or the older three (full marks, with a note), match the reference."""
    return expect_update(t, got, args, ADAM_LABELS, older=3)


# ----------------------------------------------------------------- Exercise 1: gradient descent

gd = suite.exercise("update_parameters_with_gd")


@gd.check(points=1, kind="structure", public=True)
def returns_the_parameters(t: Trial):
    """Returns the dict of parameters, each shaped as before"""
    parameters, grads = course_case()
    expect_parameters_shaped(t.call(parameters, grads, 0.01), COURSE_SIZES)


@gd.check(points=1, kind="value", public=True)
def course_case_step(t: Trial):
    """Matches the reference on the course's test case (learning_rate = 0.01)"""
    parameters, grads = course_case()
    t.matches_reference(parameters, grads, 0.01, name="parameters")


@gd.check(points=2, kind="value")
def random_networks(t: Trial):
    """Matches the reference on networks of 1 to 4 layers (gradients with extra keys)"""
    for sizes, learning_rate in zip(DEPTHS, (0.3, 0.05, 1.0, 0.007)):
        parameters, grads = network(t.rng, sizes, extra_keys=True)
        t.matches_reference(parameters, grads, learning_rate, name="parameters")


# -------------------------------------------------------------------- Exercise 2: mini-batches

batches = suite.exercise("random_mini_batches")


@dataclass(frozen=True)
class Partition:
    """What a student's mini-batches are made of: the example each column holds, per batch."""

    x_ids: tuple[tuple[int, ...], ...]  # the example of each column of each mini_batch_X
    y_ids: tuple[tuple[int, ...], ...]  # the example whose label each column of mini_batch_Y holds

    @property
    def order(self) -> tuple[int, ...]:
        return tuple(i for batch in self.x_ids for i in batch)


def labelled_examples(rng: np.random.Generator, n_x: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """X (n_x, m) and Y (1, m) whose columns all differ, so that every column of a batch tells
    which example it is: X[0, j] = j and Y[0, j] = 0.5 + j (the other rows random)."""
    X = rng.standard_normal((n_x, m))
    X[0] = np.arange(m)
    return X, (0.5 + np.arange(m, dtype=float)).reshape(1, m)


def partition(got, X: np.ndarray, Y: np.ndarray) -> Partition:
    """Decode a student's mini-batches into the examples they hold (shapes checked; a column that
    is not one of the examples fails)."""
    n_x, m = X.shape
    x_ids, y_ids, foreign = [], [], 0
    for k, pair in enumerate(judge.sequence("mini_batches", got)):
        bx, by = judge.sequence(f"mini_batches[{k}]", pair, 2)
        bx = judge.array(f"mini_batch_X of batch {k}", bx)
        size = bx.shape[-1] if bx.ndim else 1
        judge.array(f"mini_batch_X of batch {k}", bx, (n_x, size))
        by = judge.array(f"mini_batch_Y of batch {k}", by, (1, size))
        with np.errstate(invalid="ignore"):
            xs = np.nan_to_num(np.rint(bx[0].astype(float)), nan=-1, posinf=-1, neginf=-1).astype(int)
            ys = np.nan_to_num(np.rint(by[0].astype(float) - 0.5), nan=-1, posinf=-1, neginf=-1).astype(int)
        ok_x = (xs >= 0) & (xs < m)
        ok_y = (ys >= 0) & (ys < m)
        ok_x[ok_x] = np.all(bx[:, ok_x] == X[:, xs[ok_x]], axis=0)
        ok_y[ok_y] = by[0, ok_y] == Y[0, ys[ok_y]]
        foreign += int(np.count_nonzero(~ok_x) + np.count_nonzero(~ok_y))
        x_ids.append(tuple(int(i) for i in xs))
        y_ids.append(tuple(int(i) for i in ys))
    if foreign:
        raise CheckFailed(_property("columns_are_examples", foreign, 0))
    return Partition(tuple(x_ids), tuple(y_ids))


def _property(name: str, measured, expected, **extra) -> Evidence:
    """Evidence that the property ``name`` does not hold (exact properties: tolerance 0)."""
    return Evidence("property", {"name": name, "measured": measured, "expected": expected, "tolerance": 0, **extra})


def expect_partition(found: Partition, m: int, size: int) -> None:
    """Every example exactly once, labels with their examples, full batches but a last one of m % size."""
    counts = np.bincount(np.asarray(found.order, dtype=int), minlength=m)
    sizes = [len(b) for b in found.x_ids]
    if np.any(counts > 1):
        raise CheckFailed(_property("examples_repeated", int(np.count_nonzero(counts > 1)), 0),
                          hint=Hint("batches_overlap"))
    if np.any(counts == 0):
        missing = int(np.count_nonzero(counts == 0))
        dropped = missing == m % size and all(s == size for s in sizes)
        raise CheckFailed(_property("examples_covered", m - missing, m), hint=Hint("last_batch_dropped") if dropped else None)
    wrong_labels = sum(int(np.count_nonzero(np.asarray(x) != np.asarray(y))) for x, y in zip(found.x_ids, found.y_ids))
    if wrong_labels:
        together = sorted(i for b in found.y_ids for i in b) == list(range(m))
        raise CheckFailed(_property("labels_follow_examples", wrong_labels, 0),
                          hint=Hint("xy_different_permutations") if together else None)
    expected = [size] * (m // size) + ([m % size] if m % size else [])
    if sizes != expected:
        raise CheckFailed(_property("batch_sizes", sizes, expected))


def course_stream(t: Trial, found: Partition, X, Y, size: int, seed: int) -> None:
    """Information only: say so when the batches are exactly the course's (np.random.seed(seed),
    np.random.permutation(m))."""
    reference = partition(t.reference(X, Y, size, seed), X, Y)
    if reference.x_ids == found.x_ids:
        t.note(Hint("course_stream"))


@batches.check(points=1, kind="structure", public=True)
def returns_a_list_of_pairs(t: Trial):
    """Returns a list of (mini_batch_X, mini_batch_Y) pairs shaped (n_x, size) and (1, size)"""
    X, Y = labelled_examples(np.random.default_rng(148), 5, 148)
    partition(t.call(X, Y, 64, 0), X, Y)


@batches.check(points=3, kind="property", public=True)
def partitions_the_examples(t: Trial):
    """Holds every example exactly once with its own label, in batches of 64 but a last one of 148 % 64"""
    X, Y = labelled_examples(np.random.default_rng(148), 5, 148)
    found = partition(t.call(X, Y, 64, 0), X, Y)
    expect_partition(found, 148, 64)
    course_stream(t, found, X, Y, 64, 0)


@batches.check(points=2, kind="property")
def other_sizes(t: Trial):
    """Partitions the examples for m divisible by the batch size, a batch size larger than m, and size 1"""
    for m, size in ((128, 32), (10, 64), (7, 1), (300, 64)):
        X, Y = labelled_examples(t.rng, 3, m)
        expect_partition(partition(t.call(X, Y, size, 2), X, Y), m, size)


@batches.check(points=1, kind="property")
def default_batch_size(t: Trial):
    """Called without mini_batch_size, the batches hold 64 examples"""
    X, Y = labelled_examples(t.rng, 2, 150)
    expect_partition(partition(t.call(X, Y), X, Y), 150, 64)


@batches.check(points=2, kind="property")
def shuffle_follows_the_seed(t: Trial):
    """The same seed gives the same batches, different seeds shuffle differently"""
    X, Y = labelled_examples(t.rng, 3, 90)
    first, again, other = (partition(t.call(X, Y, 32, seed), X, Y) for seed in (5, 5, 6))
    if first.order != again.order:
        raise CheckFailed(_property("same_seed_same_batches", _moved(first, again), 0), hint=Hint("seed_not_used"))
    if first.order == other.order:
        hint = Hint("not_shuffled") if first.order == tuple(range(90)) else Hint("seed_ignored")
        raise CheckFailed(_property("seeds_shuffle_differently", 0, 90), hint=hint)


def _moved(a: Partition, b: Partition) -> int:
    """How many positions of the example order differ between two partitions."""
    return sum(int(i != j) for i, j in zip(a.order, b.order)) + abs(len(a.order) - len(b.order))


# ---------------------------------------------------------------- Exercises 3 and 5: zero states

for _function, _name in (("initialize_velocity", "v"), ("initialize_rmsprop", "s")):
    _state = suite.exercise(_function)

    @_state.check(points=1, kind="value", public=True)
    def zeros_shaped_like_the_parameters(t: Trial, _name=_name):
        """Returns a dict "dW1", "db1", ... of zeros shaped like the parameters"""
        parameters, _ = course_case()
        expect_state(t.call(parameters), COURSE_SIZES, _name)

    @_state.check(points=1, kind="value")
    def any_depth(t: Trial, _name=_name):
        """Works for networks of 1 to 4 layers"""
        for sizes in DEPTHS:
            expect_state(t.call(network(t.rng, sizes)[0]), sizes, _name)


# ------------------------------------------------------------------------ Exercise 4: momentum

momentum = suite.exercise("update_parameters_with_momentum")


@momentum.check(points=1, kind="structure", public=True)
def returns_parameters_and_velocity(t: Trial):
    """Returns (parameters, v) with the keys and shapes of the inputs"""
    parameters, grads = course_case()
    new, v = judge.sequence("result", t.call(parameters, grads, zeros(COURSE_SIZES), 0.9, 0.01), 2)
    expect_parameters_shaped(new, COURSE_SIZES)
    expect_state(v, COURSE_SIZES, "v", zero=False)


@momentum.check(points=1, kind="value", public=True)
def course_case_step(t: Trial):
    """Matches the reference on the course's test case (v = 0, beta = 0.9, learning_rate = 0.01)"""
    parameters, grads = course_case()
    args = (parameters, grads, zeros(COURSE_SIZES), 0.9, 0.01)
    expect_update(t, t.call(*args), args, MOMENTUM_LABELS)


@momentum.check(points=2, kind="value")
def random_networks(t: Trial):
    """Matches the reference on networks of 1 to 4 layers with a nonzero velocity"""
    for sizes, beta, learning_rate in zip(DEPTHS, (0.9, 0.5, 0.99, 0.0), (0.01, 0.3, 0.1, 0.05)):
        parameters, grads = network(t.rng, sizes, extra_keys=True)
        args = (parameters, grads, moments(t.rng, sizes), beta, learning_rate)
        expect_update(t, t.call(*args), args, MOMENTUM_LABELS)


@momentum.check(points=1, kind="value")
def steps_in_a_row(t: Trial):
    """Matches the reference over four steps in a row from v = 0"""
    sizes = (4, 5, 3, 1)
    parameters, v = network(t.rng, sizes)[0], zeros(sizes)
    for _ in range(4):
        grads = network(t.rng, sizes)[1]
        args = (parameters, grads, v, 0.8, 0.1)
        parameters, v = expect_update(t, t.call(*args), args, MOMENTUM_LABELS)


# ------------------------------------------------------------------------- Exercise 6: RMSprop

rmsprop = suite.exercise("update_parameters_with_rmsprop")


@rmsprop.check(points=1, kind="structure", public=True)
def returns_parameters_and_s(t: Trial):
    """Returns (parameters, s) with the keys and shapes of the inputs"""
    parameters, grads = course_case()
    new, s = judge.sequence("result", t.call(parameters, grads, zeros(COURSE_SIZES)), 2)
    expect_parameters_shaped(new, COURSE_SIZES)
    expect_state(s, COURSE_SIZES, "s", zero=False)


@rmsprop.check(points=1, kind="value", public=True)
def course_case_step(t: Trial):
    """Matches the reference on the course's test case (s = 0, no t, learning_rate = 0.02, beta2 = 0.888)"""
    parameters, grads = course_case()
    args = (parameters, grads, zeros(COURSE_SIZES), None, 0.02, 0.888, 1e-2)
    expect_update(t, t.call(*args), args, RMSPROP_LABELS)


@rmsprop.check(points=1, kind="value")
def random_networks(t: Trial):
    """Matches the reference on networks of 1 to 4 layers, with the default hyperparameters"""
    for sizes in DEPTHS:
        parameters, grads = network(t.rng, sizes, extra_keys=True)
        args = (parameters, grads, moments(t.rng, sizes, second=True))
        expect_update(t, t.call(*args), args, RMSPROP_LABELS)


@rmsprop.check(points=1, kind="value")
def bias_corrected_steps(t: Trial):
    """With t given, matches the reference's bias-corrected steps for t = 1, 2, 3, 4"""
    sizes = (3, 4, 2)
    parameters, s = network(t.rng, sizes)[0], zeros(sizes)
    for step in range(1, 5):
        args = (parameters, network(t.rng, sizes)[1], s, step, 0.01, 0.9, 1e-8)
        parameters, s = expect_update(t, t.call(*args), args, RMSPROP_LABELS)


# ---------------------------------------------------------------------- Exercise 7: Adam's state

adam_state = suite.exercise("initialize_adam")


@adam_state.check(points=1, kind="value", public=True)
def two_zero_states(t: Trial):
    """Returns (v, s), two dicts "dW1", "db1", ... of zeros shaped like the parameters"""
    v, s = judge.sequence("result", t.call(course_case()[0]), 2)
    expect_state(v, COURSE_SIZES, "v")
    expect_state(s, COURSE_SIZES, "s")


@adam_state.check(points=1, kind="value")
def any_depth(t: Trial):
    """Works for networks of 1 to 4 layers"""
    for sizes in DEPTHS:
        v, s = judge.sequence("result", t.call(network(t.rng, sizes)[0]), 2)
        expect_state(v, sizes, "v")
        expect_state(s, sizes, "s")


# ---------------------------------------------------------------------------- Exercise 8: Adam

adam = suite.exercise("update_parameters_with_adam")


@adam.check(points=1, kind="structure", public=True)
def returns_five_dicts(t: Trial):
    """Returns (parameters, v, s, v_corrected, s_corrected) with the keys and shapes of the inputs"""
    parameters, grads = course_case()
    items = answer_items(t.call(parameters, grads, zeros(COURSE_SIZES), zeros(COURSE_SIZES), 2), ADAM_LABELS, older=3)
    expect_parameters_shaped(items[0], COURSE_SIZES)
    for name, state in zip(ADAM_LABELS[1:], items[1:]):
        expect_state(state, COURSE_SIZES, name, zero=False)
    if len(items) == 3:
        t.note(Hint("adam_older_return"))


@adam.check(points=2, kind="value", public=True)
def course_case_step(t: Trial):
    """Matches the reference on the course's test case (t = 2, learning_rate = 0.02, beta1 = 0.8, beta2 = 0.888, epsilon = 0.01)"""
    parameters, grads = course_case()
    args = (parameters, grads, zeros(COURSE_SIZES), zeros(COURSE_SIZES), 2, 0.02, 0.8, 0.888, 1e-2)
    expect_adam(t, t.call(*args), args)


@adam.check(points=2, kind="value")
def random_networks(t: Trial):
    """Matches the reference on networks of 1 to 4 layers, nonzero moments and t = 1, 3, 7, 50 (default hyperparameters)"""
    for sizes, step in zip(DEPTHS, (1, 3, 7, 50)):
        parameters, grads = network(t.rng, sizes, extra_keys=True)
        args = (parameters, grads, moments(t.rng, sizes), moments(t.rng, sizes, second=True), step)
        expect_adam(t, t.call(*args), args)


@adam.check(points=2, kind="value")
def steps_in_a_row(t: Trial):
    """Matches the reference over five steps in a row from zero moments, t = 1 to 5 (bias correction matters most there)"""
    sizes = (4, 3, 2, 1)
    parameters, v, s = network(t.rng, sizes)[0], zeros(sizes), zeros(sizes)
    for step in range(1, 6):
        args = (parameters, network(t.rng, sizes)[1], v, s, step, 0.05, 0.85, 0.95, 1e-6)
        parameters, v, s = expect_adam(t, t.call(*args), args)[:3]


EXPERIMENT_RUN = {"learning_rate": tolerances.ADAM_EXPERIMENT_LEARNING_RATE, "mini_batch_size": None,
                  "num_epochs": tolerances.ADAM_EXPERIMENT_STEPS, "record_every": 10}


@adam.check(points=2, kind="experiment")
def trains_faster_than_gradient_descent(t: Trial):
    """A short training run with your Adam reaches a much lower cost than gradient descent"""
    parameters, grads = course_case()
    t.call(parameters, grads, zeros(COURSE_SIZES), zeros(COURSE_SIZES), 1)  # a missing function: "not implemented"
    X, Y = load_dataset()
    sizes = LAYERS_DIMS
    got = t.drive(TRAIN, X, Y, optimizer="adam", state=(zeros(sizes), zeros(sizes)),
                  initial_parameters=he_parameters(), **EXPERIMENT_RUN)
    run = trained("yours", got, X, Y)
    if not run.cost <= tolerances.ADAM_EXPERIMENT_COST:
        raise CheckFailed(_property("adam_experiment_cost", run.cost, tolerances.ADAM_EXPERIMENT_COST,
                                    steps=tolerances.ADAM_EXPERIMENT_STEPS, gd=tolerances.ADAM_EXPERIMENT_GD_COST))


# ------------------------------------------------------------------------ Exercises 9 and 10: decay

update_lr = suite.exercise("update_lr")


@update_lr.check(points=1, kind="value", public=True)
def course_value(t: Trial):
    """update_lr(0.5, 2, 1) matches the reference"""
    t.matches_reference(0.5, 2, 1, name="learning_rate")


@update_lr.check(points=1, kind="value")
def decays_with_the_epoch(t: Trial):
    """Matches the reference over epochs 0 to 5000 and several rates (arguments by position)"""
    for learning_rate0, decay_rate in ((0.1, 1.0), (0.0007, 0.3), (2.0, 0.0)):
        for epoch in (0, 1, 7, 100, 4999):
            t.matches_reference(learning_rate0, epoch, decay_rate, name="learning_rate")


schedule = suite.exercise("schedule_lr_decay")


@schedule.check(points=1, kind="value", public=True)
def course_value(t: Trial):
    """schedule_lr_decay(0.3, 1000, 0.25, 100) matches the reference"""
    t.matches_reference(0.3, 1000, 0.25, 100, name="learning_rate")


@schedule.check(points=1, kind="value")
def values_and_default_interval(t: Trial):
    """Matches the reference for several epochs and rates, and with the default time_interval"""
    for epoch in (0, 999, 1000, 2500, 4999):
        t.matches_reference(0.1, epoch, 1.0, name="learning_rate")
    for epoch, interval in ((7, 3), (30, 10), (0, 5), (44, 45)):
        t.matches_reference(0.02, epoch, 0.5, interval, name="learning_rate")


@schedule.check(points=1, kind="property")
def steps_at_multiples_of_the_interval(t: Trial):
    """Is a step function: constant inside each interval of time_interval epochs, lower after each"""
    interval, epochs = 40, (0, 1, 20, 39, 40, 41, 79, 80, 99, 119, 120, 159, 160)
    rates = {e: judge.scalar("learning_rate", t.call(0.2, e, 0.5, interval)) for e in epochs}
    inside = sum(int(not np.isclose(rates[e], rates[e - e % interval])) for e in epochs)
    drops = sum(int(not rates[e] < rates[e - 1]) for e in epochs if e and e % interval == 0)
    if inside or drops:
        continuous = all(np.isclose(rate, 0.2 / (1 + 0.5 * e / interval)) for e, rate in rates.items())
        raise CheckFailed(_property("step_function", inside + drops, 0),
                          hint=Hint("schedule_without_floor") if continuous else None)


# ------------------------------------------------------------------------- experiment and figures


@dataclass(frozen=True)
class Run:
    """One training run, judged on the trusted side."""

    title: str
    parameters: dict
    costs: tuple[float, ...]
    cost: float  #: the mean cost of the trained network on the whole training set, computed here
    train_accuracy: float
    test_accuracy: float  #: the course has no test set: accuracy on a second draw of moons


def trained(title: str, got, X: np.ndarray, Y: np.ndarray, layers_dims=LAYERS_DIMS) -> Run:
    """Validate a driver's (parameters, costs) and measure the network here."""
    parameters, costs = judge.sequence("result", got, 2)
    found = judge.mapping("parameters", parameters, parameter_names(layers_dims))
    clean = {k: np.asarray(judge.array(k, found[k], s), dtype=float) for k, s in shapes(layers_dims).items()}
    bad = sum(int(np.count_nonzero(~np.isfinite(v))) for v in clean.values())
    if bad:
        raise CheckFailed(Evidence("not_finite", {"name": "trained parameters", "count": bad,
                                                  "n_total": sum(v.size for v in clean.values())}))
    costs = tuple(judge.scalar("cost", c) for c in judge.sequence("costs", costs))
    a3, _ = forward_propagation(X, clean)
    test_X, test_Y = _test_set()
    return Run(title, clean, costs, logistic_cost(a3, Y), accuracy(X, Y, clean), accuracy(test_X, test_Y, clean))


@functools.cache
def _test_set() -> tuple[np.ndarray, np.ndarray]:
    from assignments.datasets import moons

    return moons(n_samples=300, noise=0.2, seed=4)


#: The course's experiment (5,000 epochs, mini-batches of 64): title and the driver's settings.
RUNS = (("gradient descent", {"optimizer": "gd"}),
        ("momentum", {"optimizer": "momentum"}),
        ("RMSprop", {"optimizer": "rmsprop"}),
        ("Adam", {"optimizer": "adam"}),
        ("gradient descent, scheduled decay", {"optimizer": "gd", "learning_rate": 0.1, "decay": "schedule_lr_decay"}),
        ("momentum, scheduled decay", {"optimizer": "momentum", "learning_rate": 0.1, "decay": "schedule_lr_decay"}),
        ("Adam, scheduled decay", {"optimizer": "adam", "learning_rate": 0.01, "decay": "schedule_lr_decay"}),
        ("gradient descent, update_lr every epoch", {"optimizer": "gd", "learning_rate": 0.1, "decay": "update_lr"}))


def experiment(calls: Calls, iterations: int = 5000) -> list[Run]:
    """The course's experiment with the student's functions: every optimizer, then with decay
    (``iterations`` is the number of epochs of each run). A run whose functions raise or are not
    implemented (a course notebook has no RMSprop) is left out; a hang or crash stops the experiment."""
    X, Y = load_dataset()
    runs, first_problem = [], None
    for title, settings in RUNS:
        try:
            got = calls.drive(TRAIN, (X, Y), {"num_epochs": iterations, **settings}, None)
        except StudentProblem as problem:
            if problem.outcome not in ("error", "not_implemented"):
                raise
            first_problem = first_problem or problem
            continue
        runs.append(trained(title, got, X, Y))
    if not runs and first_problem is not None:
        raise first_problem
    return runs


REPORT_RUN = {"optimizer": "adam", "learning_rate": 0.01, "mini_batch_size": None, "num_epochs": 600,
              "record_every": 10}


@functools.cache
def _reference_run() -> Run:
    """The reference's short Adam run of the report figure (full batch: no global random state)."""
    from graders.engine.grading.inprocess import LocalCalls
    from graders.engine.grading.oracle import LiveOracle

    X, Y = load_dataset()
    calls = LocalCalls(vars(LiveOracle("optimization").module), frozenset(suite.drivers))
    sizes = LAYERS_DIMS
    got = calls.drive(TRAIN, (X, Y), {**REPORT_RUN, "state": (zeros(sizes), zeros(sizes)),
                                      "initial_parameters": he_parameters()}, None)
    return trained("reference", got, X, Y)


def report_figures(calls: Calls) -> tuple[Plot, ...]:
    """The report's pictures: the decision boundary and cost curve of a short Adam run with the
    student's functions beside the reference's (the runner drops them when the student's code fails)."""
    X, Y = load_dataset()
    sizes = LAYERS_DIMS
    got = calls.drive(TRAIN, (X, Y), {**REPORT_RUN, "state": (zeros(sizes), zeros(sizes)),
                                      "initial_parameters": he_parameters()}, None)
    student, reference = trained("yours", got, X, Y), _reference_run()
    boundary = pictures.boundaries_png([("yours", student.parameters), ("reference", reference.parameters)], X, Y)
    title = render.message("figures.j2", "optimization_costs_axes", learning_rate=REPORT_RUN["learning_rate"])
    curves = pictures.png(fingerprint(["costs", title, student.costs, reference.costs]),
                         lambda: cost_curves_figure([student, reference], title, REPORT_RUN["record_every"]))
    epochs = REPORT_RUN["num_epochs"]
    return (Plot(render.message("figures.j2", "optimization_boundary", epochs=epochs), base64.b64encode(boundary).decode()),
            Plot(render.message("figures.j2", "optimization_costs", epochs=epochs), base64.b64encode(curves).decode()))


def cost_curves_figure(runs, title: str, record_every: int):
    """One figure with the cost curve of every run (its title as the legend)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 3.8))
    ax = fig.add_subplot(1, 1, 1)
    for run in runs:
        ax.plot(np.arange(len(run.costs)) * record_every, run.costs, label=run.title)
    ax.set_xlabel("epoch")
    ax.set_ylabel("cost")
    ax.set_title(title)
    ax.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    return fig


def experiment_figures(runs: list[Run]) -> dict[str, object]:
    """The experiment's figures by file stem: every cost curve on one figure, and a decision
    boundary per run."""
    X, Y = load_dataset()
    figures = {"0_costs": cost_curves_figure(runs, "Cost of the course's experiment (mini-batches of 64)", 100)}
    for number, run in enumerate(runs, 1):
        figures[f"{number}_boundary"] = decision_boundaries_figure([(run.title, run.parameters)], X, Y)
    return figures


def show_experiment(runs: list[Run]) -> None:
    """In a notebook: display the experiment's figures."""
    from IPython.display import Image, display

    for figure in experiment_figures(runs).values():
        display(Image(figure_png(figure)))


suite.figures = report_figures
