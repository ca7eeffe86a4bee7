"""Grader suite of the Gradient Checking assignment, graded by the method it teaches.

A gradient check is judged by what it returns on inputs whose answer is known: correct and
deliberately wrong gradients, several epsilons (at the default 1e-7 the difference of correct
gradients is rounding noise, a one-sided difference hides there), and, in the hidden checks, other
networks and costs than the course's. Those run through the worker drivers of
assignments/gradient_checking_utils.py, which bind the helpers of the network being checked under
the course's names in the student's namespace, so a value that is hard-coded or computed from the
wrong vector is caught. The functions are called positionally, so the course's signature with
``print_msg`` and the older one without it are graded alike. Returned differences are compared with
the reference's with a tolerance that allows for rounding (tolerances.GC_*).
"""
from __future__ import annotations

import base64
import functools
from dataclasses import dataclass

import numpy as np

from assignments.gradient_checking_utils import (
    COSTS_1D,
    NETWORKS,
    dictionary_to_vector,
    entry_errors_figure,
    epsilon_curve_figure,
    gradients_to_vector,
    unstack,
)
from assignments.plots import figure_png
from graders.engine.grading import judge, tolerances
from graders.engine.grading.judge import CheckFailed
from graders.engine.grading.suite import Calls, Suite, Trial
from graders.engine.grading.tolerances import Tolerance
from graders.engine.reports import pictures, render
from graders.engine.reports.records import Hint, Plot

UTILS = "assignments.gradient_checking_utils"
DRIVER_1D, DRIVER_N = f"{UTILS}:run_gradient_check", f"{UTILS}:run_gradient_check_n"
suite = Suite("gradient_checking", preload=(UTILS,), drivers=(DRIVER_1D, DRIVER_N))

COURSE_SIZES = (4, 5, 3, 1)
UNIT_ROUNDOFF = 2.0 ** -52


# ------------------------------------------------------------------------------------------ inputs


def seed1_case():
    """The course's seed-1 case: X (4, 3), Y = [1, 1, 0] of shape (3,), parameters of the 4-5-3-1
    network, all drawn from numpy's legacy generator seeded with 1 in the course's order."""
    draw = np.random.RandomState(1).randn
    X, Y = draw(4, 3), np.array([1, 1, 0])
    parameters = {}
    for name, shape in (("W1", (5, 4)), ("b1", (5, 1)), ("W2", (3, 5)), ("b2", (3, 1)), ("W3", (1, 3)),
                        ("b3", (1, 1))):
        parameters[name] = draw(*shape)
    return X, Y, parameters


def network(rng: np.random.Generator, sizes=COURSE_SIZES, m: int = 4):
    """Random inputs: X (n_x, m), labels Y (1, m) of 0/1 (not all equal), and parameters."""
    X = rng.standard_normal((sizes[0], m))
    Y = np.zeros((1, m))
    Y[0, rng.permutation(m)[: max(1, m // 2)]] = 1.0
    parameters = {}
    for layer in (1, 2, 3):
        parameters[f"W{layer}"] = rng.standard_normal((sizes[layer], sizes[layer - 1]))
        parameters[f"b{layer}"] = 0.5 * rng.standard_normal((sizes[layer], 1))
    return X, Y, parameters


def exact_gradients(name: str, X, Y, parameters) -> dict:
    """The gradients of ``name``'s cost (a key of NETWORKS), from its exact backward pass."""
    forward, backward = NETWORKS[name]
    return backward(X, Y, forward(X, Y, parameters)[1])


def with_planted_bugs(gradients: dict) -> dict:
    """The gradients the handed-out backward pass computes: dW2 doubled, db1 with 4/m."""
    return {**gradients, "dW2": 2 * gradients["dW2"], "db1": 4 * gradients["db1"]}


def wrong_gradients(gradients: dict) -> list[dict]:
    """Deliberately wrong gradient dicts: one entry off, one parameter scaled by a factor, dW2
    transposed, db2 and db3 with the wrong sign."""
    one_entry = {**gradients, "dW1": gradients["dW1"].copy()}
    one_entry["dW1"][1, 0] += 0.3
    return [one_entry,
            {**gradients, "dW3": 0.5 * gradients["dW3"]},
            {**gradients, "dW2": np.ascontiguousarray(gradients["dW2"].T)},
            {**gradients, "db2": -gradients["db2"], "db3": -gradients["db3"]}]


# ------------------------------------------------------------------------------- judging differences


def allowance_n(name: str, X, Y, parameters, epsilon: float | None) -> float:
    """What rounding can move a two-sided difference by on this network (see tolerances.GC_ROUNDING)."""
    cost = float(NETWORKS[name][0](X, Y, parameters)[0])
    grad = gradients_to_vector(exact_gradients(name, X, Y, parameters))
    n = dictionary_to_vector(parameters)[0].shape[0]
    return _allowance(n, cost, float(np.linalg.norm(grad)), epsilon)


def allowance_1d(cost: str, x: float, theta: float, epsilon: float | None) -> float:
    """The same for a 1-D cost of COSTS_1D."""
    J, exact = COSTS_1D[cost.removeprefix("wrong_")]
    return _allowance(1, float(J(x, theta)), abs(float(exact(x, theta))), epsilon)


def _allowance(n: int, cost: float, grad_norm: float, epsilon: float | None) -> float:
    step = 1e-7 if epsilon is None else epsilon
    return tolerances.GC_ROUNDING * UNIT_ROUNDOFF * np.sqrt(n) * max(1.0, abs(cost)) / (step * max(grad_norm, 1e-12))


def expect_difference(t: Trial, got, args: tuple, allowance: float, function: str | None = None) -> None:
    """Fail unless ``got`` is the reference's difference on ``args`` (reference ``function``, the
    exercise's own by default) within the rounding allowance; a known mistake's output names it."""
    function = function or t.spec.exercise
    want = t.reference(*args, function=function)
    tol = Tolerance(rtol=tolerances.GC_DIFFERENCE_RTOL, atol=allowance)
    found = judge.differences("difference", got, want, tol)
    if found:
        raise CheckFailed(*found, hint=known_mistake(t, got, args, function, tol))


def known_mistake(t: Trial, got, args: tuple, function: str, tol: Tolerance) -> Hint | None:
    """The hint of the wrong variant of ``function`` whose output ``got`` matches, when exactly one
    mistake does (on some inputs two mistakes give the same number: then the hint would guess);
    its args are those shared by every matching variant of that mistake."""
    found = {(hint, tuple(sorted(hint_args.items()))) for hint, hint_args, output in variant_outputs(t, args, function)
             if not judge.differences("difference", got, output, tol)}
    if len({hint for hint, _ in found}) != 1:
        return None
    common = set.intersection(*(set(hint_args) for _, hint_args in found))  # e.g. which norm, when it shows
    return Hint(next(iter(found))[0], dict(common))


def variant_outputs(t: Trial, args: tuple, function: str) -> list[tuple[str, dict, object]]:
    """(hint, hint args, output) of each known wrong variant on ``args``: the exercise's own
    variants, or for a driver wrapper (checked_1d, checked_n) the same variants run through it."""
    if function == t.spec.exercise:
        return [(m.hint, dict(m.args), output) for m, output in t.oracle.variants(t.spec.key, function, args, {})]
    return [(hint, hint_args, output) for hint, hint_args, output in t.reference(*args, function=f"{function}_mistakes")]


def expect_number(t: Trial, got, args: tuple, allowance: float) -> None:
    """Fail unless ``got`` is one real number (a float, a numpy float, a 0-d array); an answer that
    is a known mistake's names it. A number inside a 1-element array passes with a note."""
    try:
        judge.scalar("difference", got)
    except CheckFailed as failure:
        tol = Tolerance(rtol=tolerances.GC_DIFFERENCE_RTOL, atol=allowance)
        raise CheckFailed(*failure.evidence, hint=known_mistake(t, got, args, t.spec.exercise, tol)) from None
    if isinstance(got, np.ndarray) and got.ndim > 0:
        t.note(Hint("one_element_array"))


# ------------------------------------------------------------- Exercises 1 and 2: the 1-D cost

forward_1d = suite.exercise("forward_propagation")
COURSE_1D = ((2, 4), (-1.5, 0.3), (3.0, -2.0))


@forward_1d.check(points=1, kind="value", public=True)
def course_values(t: Trial):
    """Returns theta * x (x = 2, theta = 4 gives 8)"""
    for x, theta in COURSE_1D:
        t.matches_reference(x, theta, name="J")


@forward_1d.check(points=1, kind="value")
def other_values(t: Trial):
    """Returns theta * x for other inputs"""
    for x, theta in t.rng.standard_normal((3, 2)) * 5:
        t.matches_reference(float(x), float(theta), name="J")


backward_1d = suite.exercise("backward_propagation")


@backward_1d.check(points=1, kind="value", public=True)
def course_values(t: Trial):
    """Returns the derivative x (x = 2, theta = 4 gives 2)"""
    for x, theta in COURSE_1D:
        t.matches_reference(x, theta, name="dtheta")


@backward_1d.check(points=1, kind="value")
def other_values(t: Trial):
    """Returns the derivative x for other inputs"""
    for x, theta in t.rng.standard_normal((3, 2)) * 5:
        t.matches_reference(float(x), float(theta), name="dtheta")


# ------------------------------------------------------------------ Exercise 3: gradient_check

check_1d = suite.exercise("gradient_check")


@check_1d.check(points=1, kind="structure", public=True)
def returns_a_number(t: Trial):
    """Returns one real number (x = 2, theta = 4)"""
    expect_number(t, t.call(2, 4), (2, 4), allowance_1d("linear", 2, 4, None))


@check_1d.check(points=1, kind="value", public=True)
def course_case(t: Trial):
    """Returns the reference's difference for x = 2, theta = 4 (up to rounding)"""
    expect_difference(t, t.call(2, 4), (2, 4), allowance_1d("linear", 2, 4, None))


@check_1d.check(points=2, kind="value")
def nonlinear_cost(t: Trial):
    """Returns the two-sided difference for a nonlinear cost, at several epsilons"""
    for x, theta, epsilon in ((1.5, 0.8, 1e-2), (-0.7, 2.0, 1e-4), (2.0, 0.3, None)):
        got = t.drive(DRIVER_1D, "sine", x, theta, epsilon)
        expect_difference(t, got, ("sine", x, theta, epsilon), allowance_1d("sine", x, theta, epsilon), "checked_1d")


@check_1d.check(points=2, kind="value")
def wrong_derivative(t: Trial):
    """Reports a backward pass that is wrong, with its difference"""
    for cost, x, theta, epsilon in (("wrong_linear", 2.5, 4.0, None), ("wrong_sine", 1.5, 0.7, 1e-3),
                                    ("wrong_linear", -3.0, 0.5, 1e-2)):
        got = t.drive(DRIVER_1D, cost, x, theta, epsilon)
        expect_difference(t, got, (cost, x, theta, epsilon), allowance_1d(cost, x, theta, epsilon), "checked_1d")


# ---------------------------------------------------------- Exercise 4: backward_propagation_n

backward_n = suite.exercise("backward_propagation_n")


def course_cache():
    X, Y, parameters = seed1_case()
    return X, Y, parameters, NETWORKS["logistic"][0](X, Y, parameters)[1]


@backward_n.check(points=2, kind="value", public=True)
def course_case(t: Trial):
    """Matches the reference on the course's case (the planted mistakes are fixed)"""
    X, Y, _, cache = course_cache()
    t.matches_reference(X, Y, cache, name="gradients")


@backward_n.check(points=1, kind="value")
def other_networks(t: Trial):
    """Matches the reference on other networks"""
    for sizes, m in (((3, 4, 2, 1), 6), ((5, 6, 3, 1), 9)):
        X, Y, parameters = network(t.rng, sizes, m)
        t.matches_reference(X, Y, NETWORKS["logistic"][0](X, Y, parameters)[1], name="gradients")


# ---------------------------------------------------------------- Exercise 5: gradient_check_n

check_n = suite.exercise("gradient_check_n")


def course_gradients():
    X, Y, parameters = seed1_case()
    return X, Y, parameters, exact_gradients("logistic", X, Y, parameters)


@check_n.check(points=1, kind="structure", public=True)
def returns_a_number(t: Trial):
    """Returns one real number on the course's case"""
    X, Y, parameters, gradients = course_gradients()
    args = (parameters, gradients, X, Y)
    expect_number(t, t.call(*args), args, allowance_n("logistic", X, Y, parameters, None))


@check_n.check(points=2, kind="value", public=True)
def planted_mistakes_are_reported(t: Trial):
    """Returns the reference's difference (0.285) for the handed-out gradients with their two mistakes"""
    X, Y, parameters, gradients = course_gradients()
    args = (parameters, with_planted_bugs(gradients), X, Y)
    expect_difference(t, t.call(*args), args, allowance_n("logistic", X, Y, parameters, None))


@check_n.check(points=1, kind="value", public=True)
def correct_gradients_pass(t: Trial):
    """Returns the reference's tiny difference for correct gradients (epsilon = 1e-7 and 1e-3)"""
    X, Y, parameters, gradients = course_gradients()
    for epsilon in (None, 1e-3):
        args = (parameters, gradients, X, Y) + (() if epsilon is None else (epsilon,))
        expect_difference(t, t.call(*args), args, allowance_n("logistic", X, Y, parameters, epsilon))


def expect_checked_n(t: Trial, name: str, X, Y, parameters, gradients, epsilon) -> None:
    """Run the student's gradient_check_n on network ``name`` and judge its difference."""
    args = (name, parameters, gradients, X, Y, epsilon)
    got, _ = judge.sequence("result", t.drive(DRIVER_N, *args), 2)
    expect_difference(t, got, args, allowance_n(name, X, Y, parameters, epsilon), "checked_n")


@check_n.check(points=2, kind="value")
def several_epsilons(t: Trial):
    """Returns the two-sided difference at several epsilons, for correct and wrong gradients"""
    X, Y, parameters, gradients = course_gradients()
    for epsilon in (1e-2, 1e-3):
        expect_checked_n(t, "logistic", X, Y, parameters, gradients, epsilon)
    expect_checked_n(t, "logistic", X, Y, parameters, with_planted_bugs(gradients), 1e-2)


@check_n.check(points=2, kind="value")
def wrong_gradients_on_other_networks(t: Trial):
    """Reports gradients wrong in one entry, one parameter, by a factor or transposed, on other networks"""
    for sizes, m, which in (((3, 4, 2, 1), 5, slice(None)), ((2, 3, 3, 1), 7, slice(2, 3))):
        X, Y, parameters = network(t.rng, sizes, m)
        for gradients in wrong_gradients(exact_gradients("logistic", X, Y, parameters))[which]:
            expect_checked_n(t, "logistic", X, Y, parameters, gradients, None)


@check_n.check(points=2, kind="value")
def other_cost(t: Trial):
    """Works for another network and cost (tanh layers, squared error), with correct and wrong gradients"""
    X, Y, parameters = network(t.rng, (3, 4, 3, 1), 6)
    gradients = exact_gradients("tanh_squared", X, Y, parameters)
    for grads, epsilon in ((gradients, 1e-3), (gradients, 1e-2), (wrong_gradients(gradients)[1], None)):
        expect_checked_n(t, "tanh_squared", X, Y, parameters, grads, epsilon)


@check_n.check(points=1, kind="property")
def leaves_parameters_unchanged(t: Trial):
    """Leaves the parameters it is given unchanged"""
    X, Y, parameters = network(t.rng, (3, 4, 2, 1), 5)
    gradients = exact_gradients("logistic", X, Y, parameters)
    _, after = judge.sequence("result", t.drive(DRIVER_N, "logistic", parameters, gradients, X, Y, 1e-3), 2)
    found = judge.differences("parameters", after, parameters, tolerances.GC_RESTORED)
    if found:
        raise CheckFailed(*found, hint=Hint("parameters_changed"))


# ------------------------------------------------------------------------- experiment and figures

#: The epsilons of the experiment's curve, from 1e-1 down to 1e-10.
EPSILONS = tuple(10.0 ** -k for k in range(1, 11))
#: The epsilon of the per-entry picture: near the bottom of the V, so that only real disagreements show.
PICTURE_EPSILON = 1e-4
GRADIENT_NAMES = tuple(f"d{name}" for name in ("W1", "b1", "W2", "b2", "W3", "b3"))


@dataclass(frozen=True)
class Experiment:
    """What the experiment measured on the course's case, all judged here: per parameter the
    relative error of each entry of the student's backward pass against the two-sided difference
    (epsilon = PICTURE_EPSILON), and the difference returned by the student's gradient_check_n (on those
    gradients) and by exact gradients, for each epsilon of EPSILONS (None where it failed)."""

    entry_errors: dict
    yours: tuple
    exact: tuple
    picture_epsilon: float = PICTURE_EPSILON
    kind: str = "gradient_check"  #: selects the experiment's text template

    @property
    def rows(self) -> list[tuple[str, int, float, int]]:
        """(gradient, entries, largest error, entries above 1e-6) per parameter."""
        return [(name, int(e.size), float(e.max()), int(np.count_nonzero(e > 1e-6)))
                for name, e in self.entry_errors.items()]

    @property
    def curve(self) -> list[tuple[float, float | None, float]]:
        return list(zip(EPSILONS, self.yours, self.exact))


def numerical_gradient(X, Y, parameters, epsilon: float) -> np.ndarray:
    """Two-sided differences of the course's cost at every parameter entry, shape (n, 1) (trusted)."""
    vector = dictionary_to_vector(parameters)[0]
    shapes = {name: value.shape for name, value in parameters.items()}
    forward = NETWORKS["logistic"][0]
    steps = epsilon * np.eye(vector.shape[0])
    return np.array([[(forward(X, Y, unstack(vector + step[:, None], shapes))[0]
                       - forward(X, Y, unstack(vector - step[:, None], shapes))[0]) / (2 * epsilon)]
                     for step in steps])


def entry_errors(gradients: dict, numeric: np.ndarray, parameters: dict) -> dict:
    """|g - gapprox| / (|g| + |gapprox|) per entry, by gradient name, shaped like the parameters."""
    ours = gradients_to_vector(gradients)
    with np.errstate(divide="ignore", invalid="ignore"):
        errors = np.nan_to_num(np.abs(ours - numeric) / (np.abs(ours) + np.abs(numeric)), nan=0.0)
    shapes = {f"d{name}": value.shape for name, value in parameters.items()}
    return unstack(errors, shapes)


def student_gradients(calls: Calls, X, Y, parameters) -> dict:
    """The student's backward_propagation_n on the course's case, checked and made plain arrays."""
    cache = NETWORKS["logistic"][0](X, Y, parameters)[1]
    found = judge.mapping("gradients", calls.call("backward_propagation_n", (X, Y, cache), {}, None), GRADIENT_NAMES)
    return {name: np.asarray(judge.array(name, found[name], parameters[name[1:]].shape), dtype=float)
            for name in GRADIENT_NAMES}


def student_curve(calls: Calls, X, Y, parameters, gradients) -> tuple:
    """The student's gradient_check_n at each epsilon (None where its answer is not a number)."""
    values = []
    for epsilon in EPSILONS:
        got, _ = judge.sequence("result", calls.drive(DRIVER_N, ("logistic", parameters, gradients, X, Y, epsilon),
                                                      {}, None), 2)
        try:
            values.append(judge.scalar("difference", got))
        except CheckFailed:
            values.append(None)
    return tuple(values)


@functools.cache
def _course_numerics() -> tuple[np.ndarray, tuple]:
    """On the course's case (computed once): the numerical gradient at PICTURE_EPSILON, and the
    difference of exact gradients at each epsilon of EPSILONS."""
    X, Y, parameters = seed1_case()
    exact = gradients_to_vector(exact_gradients("logistic", X, Y, parameters))
    curve = tuple(judge.relative_error(exact, numerical_gradient(X, Y, parameters, e)) for e in EPSILONS)
    return numerical_gradient(X, Y, parameters, PICTURE_EPSILON), curve


def experiment(calls: Calls) -> list[Experiment]:
    """Gradient checking on the course's case with the student's functions: where their backward
    pass disagrees with the numerical gradient, and their gradient_check_n as epsilon varies."""
    X, Y, parameters = seed1_case()
    numeric, exact_curve = _course_numerics()
    gradients = student_gradients(calls, X, Y, parameters)
    errors = entry_errors(gradients, numeric, parameters)
    return [Experiment(errors, student_curve(calls, X, Y, parameters, gradients), exact_curve)]


def experiment_figures(runs: list[Experiment]) -> dict[str, object]:
    """The experiment's figures by file stem."""
    run = runs[0]
    return {"1_entry_errors": entry_errors_figure(run.entry_errors, "Your backward_propagation_n against "
                                                  "the numerical gradient, per entry"),
            "2_epsilon": epsilon_curve_figure(EPSILONS, {"your gradient_check_n, your gradients": run.yours,
                                                         "exact gradients": run.exact},
                                              "The difference as epsilon varies")}


def report_figures(calls: Calls) -> tuple[Plot, ...]:
    """The report's pictures: the experiment's two figures (the runner drops them when the
    student's code fails)."""
    runs = experiment(calls)
    with pictures.LOCK:
        drawn = experiment_figures(runs)
        titles = {"1_entry_errors": render.message("figures.j2", "gradient_checking_entry_errors"),
                  "2_epsilon": render.message("figures.j2", "gradient_checking_epsilon")}
        return tuple(Plot(titles[stem], base64.b64encode(figure_png(figure, dpi=60)).decode())
                     for stem, figure in drawn.items())


def show_experiment(runs: list[Experiment]) -> None:
    """In a notebook: display the experiment's figures."""
    from IPython.display import Image, display

    for figure in experiment_figures(runs).values():
        display(Image(figure_png(figure)))


suite.figures = report_figures
