"""Grader suite of the Initialization assignment (zeros, random x10, He).

Random initializers are judged through what any correct draw has, never through one random stream:
on large layers, every layer's weights must have mean 0 and the intended standard deviation (10, or
sqrt(2 / n_{l-1}) for He) within a tolerance derived from the layer's size, follow a normal (not a
uniform) distribution, and be independent (no value repeated, no draws shared between layers). So
another seed, numpy's Generator, ``np.random.normal``, another order of the layers or a transposed
draw all pass. When a student's numbers also equal the course's stream (``np.random.seed(3)`` and
one ``randn`` per layer), the report says so as information. Known mistakes are recognised from the
shapes and statistics of the answer, so they are named whatever the draw.
"""
from __future__ import annotations

import base64
import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assignments.initialization_utils import (LAYERS_DIMS, accuracy, cost_curve_figure, decision_boundaries_figure,
                                              figure_png, load_dataset)
from graders.engine.grading import judge, tolerances
from graders.engine.grading.judge import CheckFailed
from graders.engine.grading.runner import StudentProblem
from graders.engine.grading.suite import Calls, Exercise, Suite, Trial
from graders.engine.reports import pictures, render
from graders.engine.reports.records import Evidence, Hint, Plot

TRAIN = "assignments.initialization_utils:train"
suite = Suite("initialization", preload=("assignments.initialization_utils",), drivers=(TRAIN,),
              warm=("matplotlib.pyplot",))

#: Layer lists of the structure checks: the course's, one layer, deep, wide.
STRUCTURE_CASES = ((3, 2, 1), (3, 1, 2), (2, 4, 1), (7, 1), (5, 4, 3, 3, 2, 1), (2, 64, 1))
#: The course's own inputs, whose values a learner following the course sees printed.
COURSE_CASE = {"initialize_parameters_random": (3, 2, 1), "initialize_parameters_he": (3, 1, 2)}
#: Large layers for the statistics (60k, 30k and 150 weights: small enough to send quickly, large
#: enough that six standard errors of a spread are 2.4% on the second layer, where Xavier's is 29%
#: off He's and sqrt(2 / n_l) 15%).
STATS_DIMS = (300, 200, 150, 1)

Scale = Callable[[int, int], float]  # (n_l, n_{l-1}) -> the standard deviation of layer l's weights


def ten(n: int, n_prev: int) -> float:
    return 10.0


def he(n: int, n_prev: int) -> float:
    return float(np.sqrt(2.0 / n_prev))


#: Known wrong spreads (hint key -> spread), recognised when every layer fits them.
WRONG_SCALES: dict[str, dict[str, Scale]] = {
    "initialize_parameters_random": {"random_without_ten": lambda n, p: 1.0},
    "initialize_parameters_he": {"xavier_instead_of_he": lambda n, p: float(np.sqrt(1.0 / p)),
                                 "he_wrong_layer": lambda n, p: float(np.sqrt(2.0 / n)),
                                 "he_times_ten": lambda n, p: float(10 * np.sqrt(2.0 / p))},
}


# ------------------------------------------------------------------------------------ structure


def keys(dims) -> list[str]:
    """["W1", "b1", ..., "WL", "bL"] for the layer list ``dims`` (L = len(dims) - 1)."""
    return [f"{kind}{l}" for l in range(1, len(dims)) for kind in "Wb"]


def structural_mistake(got: dict, dims) -> Hint | None:
    """Name a known structural mistake from the keys and shapes of ``got`` (a dict), if any."""
    L = len(dims) - 1
    if all(k in got for k in keys(dims[:-1])) and f"W{L}" not in got and f"b{L}" not in got:
        return Hint("loop_one_layer_short")
    for l in range(1, L + 1):
        n, n_prev = dims[l], dims[l - 1]
        W, b = got.get(f"W{l}"), got.get(f"b{l}")
        if isinstance(W, np.ndarray) and W.shape == (n_prev, n) and n != n_prev:
            return Hint("weights_transposed")
        if isinstance(W, np.ndarray) and W.shape == (n, 10 * n_prev):
            return Hint("scale_inside_shape")
        if isinstance(b, np.ndarray) and b.shape == (n,):
            return Hint("biases_one_dimensional")
    return None


def expect_parameters(got, dims, names: str = "Wb") -> dict[str, np.ndarray]:
    """``got`` as {"Wl": (n_l, n_{l-1}), "bl": (n_l, 1)} float arrays (only the kinds in ``names``),
    as float64 copies; CheckFailed naming a known structural mistake otherwise."""
    wanted = [k for k in keys(dims) if k[0] in names]
    try:
        found = judge.mapping("parameters", got, wanted)
        return {k: floats(k, judge.array(k, found[k], shape(k, dims))) for k in wanted}
    except CheckFailed as failure:
        hint = structural_mistake(got, dims) if isinstance(got, dict) else None
        raise CheckFailed(*failure.evidence, hint=hint) from None


def floats(name: str, value: np.ndarray) -> np.ndarray:
    """A float64 copy of ``value``, which must hold floats (float64 or float32, as np.zeros and the
    random generators give; integer weights cannot take a gradient step made in place)."""
    if value.dtype.kind != "f":
        raise CheckFailed(Evidence("wrong_type", {"name": name, "expected": "an array of floats (np.zeros and "
                                                  "np.random.randn give float64)", "got": judge.type_name(value)}))
    return value.astype(np.float64)


def shape(key: str, dims) -> tuple[int, int]:
    """The shape of parameter ``key`` ("W3", "b1"...) for the layer list ``dims``."""
    l = int(key[1:])
    return (dims[l], dims[l - 1]) if key[0] == "W" else (dims[l], 1)


def statistic(name: str, measured: float, expected: float, tolerance: float, layer: int | None = None) -> Evidence:
    """Evidence that a statistic of the weights is off: ``measured`` against ``expected`` within
    ``tolerance`` (numbers in units of the intended standard deviation where that applies)."""
    return Evidence("weight_statistic", {"statistic": name, "layer": layer, "measured": float(measured),
                                         "expected": float(expected), "tolerance": float(tolerance)})


def expect_zero_biases(parameters: dict[str, np.ndarray], dims) -> None:
    """Every bias exactly 0."""
    nonzero = sum(int(np.count_nonzero(parameters[f"b{l}"])) for l in range(1, len(dims)))
    if nonzero:
        raise CheckFailed(statistic("nonzero_biases", nonzero, 0, 0), hint=Hint("nonzero_biases"))


def structure_check(function: str) -> Callable[[Trial], None]:
    """Keys, shapes and float type on every case of STRUCTURE_CASES; for the random initializers,
    a note when the course's own input gives the course's exact numbers."""
    def check(t: Trial):
        for dims in STRUCTURE_CASES:
            expect_parameters(t.call(list(dims)), dims)
        if function in COURSE_CASE:
            dims = list(COURSE_CASE[function])
            if not judge.differences("parameters", t.call(dims), t.reference(dims)):
                t.note(Hint("course_stream", {"dims": dims}))
    return check


# ------------------------------------------------------------------------------------ statistics


@dataclass(frozen=True)
class LayerSpread:
    """One layer's weights measured against the spread they should have."""

    layer: int
    size: int
    mean: float  # in units of the intended standard deviation
    spread: float  # standard deviation / intended standard deviation

    @property
    def mean_tolerance(self) -> float:
        """INIT_SIGMAS standard errors of the mean of ``size`` normal draws (in the same units)."""
        return tolerances.INIT_SIGMAS / np.sqrt(self.size)

    @property
    def spread_tolerance(self) -> float:
        """INIT_SIGMAS standard errors of the relative standard deviation of ``size`` normal draws."""
        return tolerances.INIT_SIGMAS / np.sqrt(2 * self.size)

    def problems(self) -> list[Evidence]:
        found = []
        if abs(self.mean) > self.mean_tolerance:
            found.append(statistic("mean", self.mean, 0.0, self.mean_tolerance, self.layer))
        if abs(self.spread - 1) > self.spread_tolerance:
            found.append(statistic("spread", self.spread, 1.0, self.spread_tolerance, self.layer))
        return found


def spreads(parameters: dict[str, np.ndarray], dims, scale: Scale) -> list[LayerSpread]:
    """Mean and spread of every layer's weights in units of ``scale(n_l, n_{l-1})``."""
    found = []
    for l in range(1, len(dims)):
        W, intended = parameters[f"W{l}"], scale(dims[l], dims[l - 1])
        found.append(LayerSpread(l, W.size, float(W.mean() / intended), float(W.std() / intended)))
    return found


def spread_mistake(parameters: dict[str, np.ndarray], dims, function: str) -> Hint | None:
    """Name the known mistake whose weights look like these: one constant, a uniform draw, or a
    known wrong spread that every layer fits."""
    weights = [parameters[f"W{l}"] for l in range(1, len(dims))]
    if all(np.ptp(W) == 0 for W in weights):
        return Hint("constant_weights")
    if all(W.min() >= 0 for W in weights):
        return Hint("uniform_draw")
    for key, scale in WRONG_SCALES[function].items():
        if not any(s.problems() for s in spreads(parameters, dims, scale)):
            return Hint(key)
    return None


def spread_check(function: str, scale: Scale) -> Callable[[Trial], None]:
    """Every layer of STATS_DIMS has mean 0 and the intended standard deviation."""
    def check(t: Trial):
        parameters = expect_parameters(t.call(list(STATS_DIMS)), STATS_DIMS, "W")
        found = [e for s in spreads(parameters, STATS_DIMS, scale) for e in s.problems()]
        if found:
            raise CheckFailed(*found, hint=spread_mistake(parameters, STATS_DIMS, function))
    return check


def hidden_dims(rng: np.random.Generator) -> tuple[int, ...]:
    """Large random layer sizes for the hidden statistics checks."""
    return (int(rng.integers(260, 340)), int(rng.integers(180, 240)), int(rng.integers(100, 160)), 1)


def standardized(W: np.ndarray) -> np.ndarray:
    """The entries of W, flattened, minus their mean, over their standard deviation."""
    values = W.ravel()
    return (values - values.mean()) / values.std()


def ks_distance(z: np.ndarray, cdf: Callable[[np.ndarray], np.ndarray]) -> float:
    """Kolmogorov-Smirnov distance between the sample ``z`` and the distribution ``cdf``."""
    z = np.sort(z)
    F = cdf(z)
    n = z.size
    return float(max(np.max(np.arange(1, n + 1) / n - F), np.max(F - np.arange(n) / n)))


def normal_cdf(z: np.ndarray) -> np.ndarray:
    from scipy.special import ndtr

    return ndtr(z)


def standard_uniform_cdf(z: np.ndarray) -> np.ndarray:
    """CDF of the uniform distribution with mean 0 and standard deviation 1 (on [-sqrt 3, sqrt 3])."""
    return np.clip((z + np.sqrt(3)) / (2 * np.sqrt(3)), 0.0, 1.0)


def normal_check(t: Trial):
    """The weights follow a normal distribution (not a uniform one)"""
    dims = hidden_dims(t.rng)
    parameters = expect_parameters(t.call(list(dims)), dims, "W")
    weights = {l: parameters[f"W{l}"] for l in range(1, len(dims)) if parameters[f"W{l}"].size >= 1000}
    for l, W in weights.items():
        if np.ptp(W) == 0:
            raise CheckFailed(statistic("distinct", 1 / W.size, 1.0, 1 - tolerances.INIT_DISTINCT, l),
                              hint=Hint("constant_weights"))
    z = np.concatenate([standardized(W) for W in weights.values()])
    tolerance = tolerances.INIT_KS / np.sqrt(z.size)
    distance = ks_distance(z, normal_cdf)
    if distance > tolerance:
        uniform = ks_distance(z, standard_uniform_cdf) <= tolerance
        raise CheckFailed(statistic("normality", distance, 0.0, tolerance),
                          hint=Hint("uniform_draw") if uniform else None)


def shared_fraction(a: np.ndarray, b: np.ndarray) -> float:
    """Fraction of the smaller array's values (rounded to 9 decimals) that also occur in the other."""
    a, b = np.round(a.ravel(), 9), np.round(b.ravel(), 9)
    small, large = (a, b) if a.size <= b.size else (b, a)
    return float(np.isin(small, large).mean())


def independence_check(scale: Scale) -> Callable[[Trial], None]:
    """Each layer's entries are distinct, and no two layers share their draws."""
    def check(t: Trial):
        dims = hidden_dims(t.rng)
        parameters = expect_parameters(t.call(list(dims)), dims, "W")
        standard = {l: parameters[f"W{l}"] / scale(dims[l], dims[l - 1]) for l in range(1, len(dims))}
        for l, W in standard.items():
            distinct = np.unique(W).size / W.size
            if W.size > 1 and distinct < tolerances.INIT_DISTINCT:
                hint = Hint("constant_weights") if np.ptp(W) == 0 else None
                raise CheckFailed(statistic("distinct", distinct, 1.0, 1 - tolerances.INIT_DISTINCT, l), hint=hint)
        large = [l for l, W in standard.items() if W.size >= 100]
        for i, l in enumerate(large):
            for other in large[i + 1:]:
                shared = shared_fraction(standard[l], standard[other])
                if shared > tolerances.INIT_SHARED:
                    raise CheckFailed(statistic("shared", shared, 0.0, tolerances.INIT_SHARED, other),
                                      hint=Hint("layers_reuse_draws"))
    return check


# -------------------------------------------------------------------------------------- exercises


def register(exercise: Exercise, name: str, title: str, run: Callable[[Trial], None], **options) -> None:
    """Register ``run`` on ``exercise`` as the check ``name`` whose title is ``title``."""
    run.__name__, run.__doc__ = name, title
    exercise.check(**options)(run)


STRUCTURE_TITLE = ("Returns W1..WL, b1..bL as float arrays of shapes (n_l, n_{l-1}) and (n_l, 1), for several "
                   "layer lists")

zeros = suite.exercise("initialize_parameters_zeros")
register(zeros, "returns_the_parameters", STRUCTURE_TITLE, structure_check("initialize_parameters_zeros"),
         points=1, kind="structure", public=True)


@zeros.check(points=2, kind="value", public=True)
def all_zero(t: Trial):
    """Every weight and every bias is exactly 0"""
    for dims in ((3, 2, 1), (4, 1), (5, 4, 3, 3, 2, 1), (2, 64, 1)):
        parameters = expect_parameters(t.call(list(dims)), dims)
        expect_zero_biases(parameters, dims)
        nonzero = sum(int(np.count_nonzero(parameters[f"W{l}"])) for l in range(1, len(dims)))
        if nonzero:
            raise CheckFailed(statistic("nonzero_weights", nonzero, 0, 0))


def biases_are_zero(t: Trial):
    for dims in STRUCTURE_CASES:
        expect_zero_biases(expect_parameters(t.call(list(dims)), dims, "b"), dims)


def random_exercise(function: str, scale: Scale, intended: str) -> Exercise:
    """The checks the two random initializers share (``intended``: the spread, as the title says it)."""
    exercise = suite.exercise(function)
    register(exercise, "returns_the_parameters", STRUCTURE_TITLE, structure_check(function),
             points=1, kind="structure", public=True)
    register(exercise, "biases_are_zero", "Every bias is exactly 0", biases_are_zero,
             points=1, kind="property", public=True)
    register(exercise, "spread_on_large_layers",
             f"On large layers, every layer's weights have mean 0 and standard deviation {intended}",
             spread_check(function, scale), points=2, kind="property", public=True, seconds=20)
    register(exercise, "normal_distribution", "The weights follow a normal distribution (not a uniform one)",
             normal_check, points=1, kind="property", seconds=20)
    register(exercise, "independent_entries", "Each layer's entries are distinct, and no two layers share "
             "their draws", independence_check(scale), points=1, kind="property", seconds=20)
    return exercise


random_init = random_exercise("initialize_parameters_random", ten, "10")
he_init = random_exercise("initialize_parameters_he", he, "sqrt(2 / n_{l-1})")


# ------------------------------------------------------------------------- training with He weights


@dataclass(frozen=True)
class Run:
    """One training run, judged on the trusted side."""

    title: str
    parameters: dict
    costs: tuple[float, ...]  # inf where the output saturated (log 0), as in the course
    train_accuracy: float
    test_accuracy: float


def cost_value(got) -> float:
    """A recorded cost: a real number, possibly inf (a saturated network's log 0) but not nan."""
    if not judge.is_real_scalar(got):
        raise CheckFailed(Evidence("wrong_type", {"name": "cost", "expected": "a real number",
                                                  "got": judge.type_name(got)}))
    value = float(np.asarray(got, dtype=np.float64).reshape(()))
    if np.isnan(value):
        raise CheckFailed(Evidence("not_finite", {"name": "cost", "count": 1, "n_total": 1}))
    return value


def train_run(calls: Calls, title: str, initialization: str, iterations: int, learning_rate: float,
              record_every: int = 1000, start: dict | None = None) -> Run:
    """Train the course's network in the worker from the student's ``initialization`` (or on from
    the parameters ``start``); validate what comes back and measure the accuracies here (never
    trust one computed beside student code)."""
    train_X, train_Y, test_X, test_Y = load_dataset()
    got = calls.drive(TRAIN, (train_X, train_Y), {"initialization": initialization, "num_iterations": iterations,
                                                   "learning_rate": learning_rate, "record_every": record_every,
                                                   "parameters": start}, None)
    parameters, costs = judge.sequence("result", got, 2)
    dims = (train_X.shape[0], *LAYERS_DIMS[1:])
    clean = expect_parameters(parameters, dims)
    costs = tuple(cost_value(c) for c in judge.sequence("costs", costs))
    return Run(title, clean, costs, accuracy(train_X, train_Y, clean), accuracy(test_X, test_Y, clean))


def trains_the_network(t: Trial) -> None:
    """Train from the student's He weights in rounds of HE_TRAIN_ITERATIONS steps, at most
    HE_TRAIN_ROUNDS of them, until the training accuracy reaches HE_TRAIN_ACCURACY: a correct draw
    that starts slowly (a few hidden units idle at first) gets the time it needs, while the
    saturated and symmetric starts stay behind."""
    run = None
    for _ in range(tolerances.HE_TRAIN_ROUNDS):
        run = train_run(t.calls, "yours", "he", tolerances.HE_TRAIN_ITERATIONS, tolerances.HE_TRAIN_LEARNING_RATE,
                        record_every=tolerances.HE_TRAIN_ITERATIONS, start=run and run.parameters)
        if run.train_accuracy >= tolerances.HE_TRAIN_ACCURACY:
            return
    raise CheckFailed(statistic("train_accuracy", run.train_accuracy, tolerances.HE_TRAIN_ACCURACY, 0.0))


register(he_init, "trains_the_network",
         f"Trained from your He weights (learning rate {tolerances.HE_TRAIN_LEARNING_RATE}, at most "
         f"{tolerances.HE_TRAIN_ROUNDS * tolerances.HE_TRAIN_ITERATIONS} iterations), the network fits the "
         f"circles to {tolerances.HE_TRAIN_ACCURACY:.0%}",
         trains_the_network, points=2, kind="experiment", seconds=20)


# ------------------------------------------------------------------------- experiment and figures

RUNS = (("zeros", "zeros"), ("large random values (x10)", "random"), ("He", "he"))
REPORT_ITERATIONS = 1000  #: the run (at the training check's learning rate) whose boundary the report shows


def experiment(calls: Calls, iterations: int = 15000) -> list[Run]:
    """The course's experiment: the network [2, 10, 5, 1] trained for ``iterations`` steps of
    learning rate 0.01 from each of the student's three initializations. A run whose initializer
    raises or is not implemented yet is left out; a hang or crash stops the experiment."""
    runs, first_problem = [], None
    for title, setting in RUNS:
        try:
            runs.append(train_run(calls, title, setting, iterations, 0.01))
        except StudentProblem as problem:
            if problem.outcome not in ("error", "not_implemented"):
                raise
            first_problem = first_problem or problem
    if not runs and first_problem is not None:
        raise first_problem
    return runs


@functools.cache
def _reference_run() -> Run:
    from graders.engine.grading.inprocess import LocalCalls
    from graders.engine.grading.oracle import LiveOracle

    calls = LocalCalls(vars(LiveOracle("initialization").module), frozenset(suite.drivers))
    return train_run(calls, "reference", "he", REPORT_ITERATIONS, tolerances.HE_TRAIN_LEARNING_RATE)


def report_figures(calls: Calls) -> tuple[Plot, ...]:
    """The report's picture: the decision boundary trained from the student's He initialization
    beside the reference's, after the short run of the training check."""
    student = train_run(calls, "yours", "he", REPORT_ITERATIONS, tolerances.HE_TRAIN_LEARNING_RATE)
    train_X, train_Y, _, _ = load_dataset()
    reference = _reference_run()
    png = pictures.boundaries_png([("yours", student.parameters), ("reference", reference.parameters)],
                                 train_X, train_Y)
    title = render.message("hints/initialization.j2", "he_boundary_title", iterations=REPORT_ITERATIONS,
                           learning_rate=tolerances.HE_TRAIN_LEARNING_RATE)
    return (Plot(title, base64.b64encode(png).decode()),)


def experiment_figures(runs: list[Run]) -> dict[str, object]:
    """The experiment's figures by file stem: a decision boundary and a cost curve per run (a cost
    of inf, log 0 of a saturated output, is left out of its curve)."""
    train_X, train_Y, _, _ = load_dataset()
    figures = {}
    for number, run in enumerate(runs, 1):
        figures[f"{number}_boundary"] = decision_boundaries_figure([(run.title, run.parameters)], train_X, train_Y)
        costs = np.array(run.costs, dtype=float)
        figures[f"{number}_cost"] = cost_curve_figure(np.where(np.isfinite(costs), costs, np.nan), run.title)
    return figures


def show_experiment(runs: list[Run]) -> None:
    """In a notebook: display the experiment's figures."""
    from IPython.display import Image, display

    for figure in experiment_figures(runs).values():
        display(Image(figure_png(figure)))


suite.figures = report_figures
