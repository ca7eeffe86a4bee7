"""Frozen public expectations: ``graders/expected/<assignment>.json``.

``dlgrade build`` runs each public check against the reference, in this process, with a recording
oracle; the values the checks asked for (reference outputs and known-mistake outputs, for the
public inputs only) are written down so that ``dlgrade check`` can run the public checks without
any solution code.
"""
from __future__ import annotations

import importlib
from pathlib import Path

from graders.engine.grading.inprocess import LocalCalls
from graders.engine.grading.oracle import EXPECTED_DIR, RecordingOracle
from graders.engine.grading.runner import run_check


class FreezeError(Exception):
    """The reference fails one of its own public checks."""


def path(assignment: str) -> Path:
    return EXPECTED_DIR / f"{assignment}.json"


def frozen_text(assignment: str) -> str:
    """The frozen file's content, computed now from the reference."""
    suite = importlib.import_module(f"graders.{assignment}").suite
    oracle = RecordingOracle(assignment)
    calls = LocalCalls(vars(oracle.module), frozenset(suite.drivers))
    for spec in suite.checks(public_only=True):
        result = run_check(spec, calls, oracle, seed=0)
        if result.outcome != "passed":
            raise FreezeError(f"the reference fails its public check {spec.key}: {result.evidence}")
    return oracle.dump()
