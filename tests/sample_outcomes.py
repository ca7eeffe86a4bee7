"""Shared by the sample-class tests: compare a graded Report with its recorded expectation
(examples/<assignment>/expected.json)."""


def assert_graded_as_expected(report, want: dict, check_keys: list, max_points: float) -> None:
    """Problem, every check's outcome (hint, hint args, first evidence kind, exception type where
    recorded), total and maximum points all as recorded in ``want``."""
    found = {f"{c.exercise}/{c.name}": c for e in report.exercises for c in e.checks}
    assert list(found) == check_keys
    problem = want["problem"]
    if problem is None:
        assert report.problem is None, f"unexpected problem {report.problem}"
    else:
        assert report.problem is not None and report.problem.kind == problem["kind"], report.problem
        for key, value in problem.items():
            if key != "kind":
                assert report.problem.data.get(key) == value, (key, report.problem.data)
    mismatches = []
    for key, check in found.items():
        expected = want.get("all_checks") or want["checks"].get(key) or {"outcome": "passed"}
        got = {"outcome": check.outcome, "hint": check.hint.key if check.hint else None,
               "hint_args": dict(check.hint.args) if check.hint else {},
               "evidence": check.evidence[0].kind if check.evidence else None,
               "error_type": check.evidence[0].data.get("type") if check.evidence else None}
        wanted = {"outcome": expected["outcome"], "hint": expected.get("hint"),
                  "hint_args": expected.get("hint_args", {})}
        wanted.update({k: expected[k] for k in ("evidence", "error_type") if k in expected})
        if {k: got[k] for k in wanted} != wanted:
            mismatches.append(f"{key}: got {got}, expected {wanted}")
    assert not mismatches, "\n".join(mismatches)
    assert report.points == want["points"]
    assert report.max_points == max_points
