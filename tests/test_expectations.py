"""Frozen public expectations: up to date, replayed by `check`, and stale ones are caught."""
import importlib
import json
from pathlib import Path

import pytest

import solutions.regularization as reference
from graders.engine.grading import expectations, runner
from graders.engine.grading.classrun import ASSIGNMENTS, load_suite
from graders.engine.grading.inprocess import LocalCalls
from graders.engine.grading.oracle import FrozenOracle
from graders.regularization import suite


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_frozen_file_is_what_build_would_write(assignment):
    assert expectations.path(assignment).read_text() == expectations.frozen_text(assignment), \
        f"run `dlgrade build {assignment}`: the frozen public expectations are stale"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_public_checks_pass_on_the_reference_from_frozen_values_alone(assignment):
    module = load_suite(assignment)
    solution = importlib.import_module(f"solutions.{assignment}")
    oracle = FrozenOracle(assignment)
    calls = LocalCalls(vars(solution), frozenset(module.drivers))
    results = {spec.key: runner.run_check(spec, calls, oracle, 0) for spec in module.checks(public_only=True)}
    assert {k: r.outcome for k, r in results.items() if r.outcome != "passed"} == {}


def test_inputs_that_changed_since_the_freeze_are_reported_as_stale(tmp_path):
    data = json.loads(expectations.path("regularization").read_text())
    data["checks"] = {check: {f"{key}-changed": r for key, r in records.items()} for check, records in data["checks"].items()}
    frozen = tmp_path / "frozen.json"
    frozen.write_text(json.dumps(data))
    spec = next(s for s in suite.checks(public_only=True) if s.kind == "value")
    result = runner.run_check(spec, LocalCalls(vars(reference)), FrozenOracle("regularization", frozen), 0)
    assert result.outcome == "error" and result.evidence[0].kind == "stale_expectations"


def test_a_known_mistake_is_named_from_frozen_values_alone():
    from solutions.regularization import MISTAKES

    wrong = next(m for m in MISTAKES["compute_cost_with_regularization"] if m.hint == "l2_without_half")
    calls = LocalCalls({"compute_cost_with_regularization": wrong.fn})
    spec = next(s for s in suite.checks(public_only=True) if s.key == "compute_cost_with_regularization/small_network")
    result = runner.run_check(spec, calls, FrozenOracle("regularization"), 0)
    assert result.outcome == "failed" and result.hint.key == "l2_without_half"


FROZEN_LIMIT = 200_000  #: bytes; the frozen files ship in every student release


def test_every_frozen_file_is_small():
    sizes = {p.name: p.stat().st_size for p in expectations.path("regularization").parent.glob("*.json")}
    assert sizes and all(size <= FROZEN_LIMIT for size in sizes.values()), sizes
