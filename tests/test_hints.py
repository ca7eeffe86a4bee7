"""Every known mistake of every assignment has its hint wording in templates/hints/, and a hint is
shown only when it is right: each wrong variant, put in place of the reference's function, fails
its exercise with its own hint and no other."""
import importlib

import jinja2
import pytest

from graders.engine.grading.classrun import ASSIGNMENTS, load_suite
from graders.engine.grading.inprocess import LocalCalls
from graders.engine.grading.oracle import LiveOracle
from graders.engine.grading.runner import run_check
from graders.engine.reports.records import Hint
from graders.engine.reports.render import environment

#: Reference functions whose variants stand for an exercise of another name: (assignment, function)
#: -> the exercise they are graded as (the submission then has no function of the exercise's name).
STANDS_FOR = {("tf_intro", "compute_cost"): "compute_total_loss"}


def variants():
    """(assignment, function, index) of every known wrong variant."""
    found = []
    for assignment in ASSIGNMENTS:
        mistakes = importlib.import_module(f"solutions.{assignment}").MISTAKES
        found += [(assignment, function, index) for function, listed in mistakes.items()
                  for index in range(len(listed))]
    return found


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_known_mistake_has_a_hint(assignment):
    mistakes = importlib.import_module(f"solutions.{assignment}").MISTAKES
    module = environment().get_template(f"hints/{assignment}.j2").module
    for variants_of in mistakes.values():
        for mistake in variants_of:
            macro = getattr(module, mistake.hint, None)
            assert isinstance(macro, jinja2.runtime.Macro), f"{assignment}: no hint macro {mistake.hint!r}"
            assert len(str(macro(**Hint(mistake.hint, dict(mistake.args)).args)).strip()) > 40


@pytest.fixture(scope="module")
def oracles():
    return {}


@pytest.mark.parametrize("assignment, function, index", variants())
def test_a_wrong_variant_is_named_by_its_own_hint_and_no_other(assignment, function, index, oracles):
    """In place of the reference's function, the variant fails some check of its exercise with its
    hint, and no failing check of that exercise names another mistake (experiments aside: they
    train for seconds and name nothing)."""
    module = importlib.import_module(f"solutions.{assignment}")
    mistake = module.MISTAKES[function][index]
    exercise = STANDS_FOR.get((assignment, function), function)
    namespace = {k: v for k, v in vars(module).items() if k != exercise}
    namespace[function] = mistake.fn
    suite = load_suite(assignment)
    oracle = oracles.setdefault(assignment, LiveOracle(assignment))
    calls = LocalCalls(namespace, frozenset(suite.drivers))
    results = [run_check(spec, calls, oracle, 0) for spec in suite.checks()
               if spec.exercise == exercise and spec.kind != "experiment"]
    failed = [r for r in results if r.outcome != "passed"]
    assert failed, f"{mistake.hint}: no check of {exercise} fails"
    named = {r.hint.key for r in failed if r.hint is not None}
    assert mistake.hint in named, [(r.name, r.outcome, r.evidence[:1]) for r in failed]
    assert named == {mistake.hint}, named
    assert all(r.outcome == "failed" for r in failed), [(r.name, r.outcome, r.evidence[:1]) for r in failed]


def test_most_wrong_samples_of_every_sample_class_are_named():
    """At least 80% of each sample class's wrong implementations get a hint naming the mistake
    (the sample-class tests prove the recorded hints are what grading gives)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from hint_coverage import GOAL, coverage

    for assignment in ASSIGNMENTS:
        if not (Path(__file__).resolve().parents[1] / "examples" / assignment / "expected.json").is_file():
            continue
        wrong, named = coverage(assignment)
        assert wrong, f"{assignment}: no sample is marked as a mistake"
        assert len(named) >= GOAL * len(wrong), (assignment, sorted(set(wrong) - set(named)))
