"""Inside Gradescope's container: grade ``<root>/submission`` and write ``<root>/results/results.json``.

``run_autograder`` (written by :mod:`graders.engine.authoring.gradescope`) calls
``python -m graders.engine.grading.autograder ROOT``. The upload may be one ``.py``, one notebook or
several files in folders: the assignment's file is found by its name, else as the only candidate,
else as the file that defines most of the graded functions (read as text, never run). An upload
without one scores 0 with the reason. The results follow Gradescope's schema (``gradebook.results_json``
plus the execution time, the isolation level in force, and the chosen visibility of hidden checks).
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any, Sequence

from graders.engine.files import write_atomic
from graders.engine.grading import classrun, runner, submission
from graders.engine.grading.oracle import LiveOracle
from graders.engine.reports import gradebook, render
from graders.engine.reports.records import Evidence, Report
from graders.engine.sandbox.parent import ROOT, Zygote

CONFIG = ROOT / "dlgrade-autograder.json"
_SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints", "__MACOSX"}


def _candidates(folder: Path) -> list[Path]:
    """Every .py and .ipynb file of the upload, shallowest first, without caches and dot-files."""
    found = [p for p in folder.rglob("*") if p.suffix in (".py", ".ipynb") and p.is_file()
             and not any(part.startswith(".") or part in _SKIP_PARTS for part in p.relative_to(folder).parts)]
    return sorted(found, key=lambda p: (len(p.relative_to(folder).parts), p.suffix != ".py", str(p)))


def _defines(path: Path, functions: Sequence[str]) -> int:
    """How many of the graded functions the file's text defines (``def name(``)."""
    try:
        if path.stat().st_size > submission.MAX_SOURCE_BYTES:
            return 0
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    return sum(1 for name in functions if re.search(rf"\bdef\s+{re.escape(name)}\s*\(", text))


def find_upload(folder: Path, assignment: str, functions: Sequence[str]) -> Path | Evidence:
    """The assignment's file in an upload, or why there is none (an Evidence of a problem kind)."""
    candidates = _candidates(folder)
    if not candidates:
        return Evidence("file_missing", {"path": str(folder)})
    named = [p for p in candidates if p.stem == assignment]
    if named:
        return named[0]
    if len(candidates) == 1:
        return candidates[0]
    scores = {p: _defines(p, functions) for p in candidates}
    best = max(scores.values())
    top = [p for p in candidates if scores[p] == best]
    if best > 0 and (len(top) == 1 or len({p.stem for p in top}) == 1):
        return top[0]  # one file, or a .py and its notebook (the .py is first)
    return Evidence("ambiguous_folder" if best else "file_missing",
                    {"path": str(folder), "candidates": [str(p.relative_to(folder)) for p in top]})


def _config() -> dict[str, Any]:
    return json.loads(CONFIG.read_text(encoding="utf-8"))


def grade_upload(assignment: str, folder: Path, results: Path, seed: int = 0) -> tuple[Report, str]:
    """Grade the upload in ``folder`` in the sandbox; returns the report and the isolation level."""
    suite = classrun.load_suite(assignment)
    found = find_upload(folder, assignment, [e.function for e in suite.exercises])
    if isinstance(found, Evidence):
        sub = submission.Submission("submission", str(folder), problem=found)
    else:
        sub = submission.read(found, assignment, "submission")
    with Zygote.for_suite(suite, hidden=[folder.resolve(), results.parent.resolve()]) as zygote:
        report = runner.grade(suite, sub, zygote, LiveOracle(assignment), "grade", seed, False)
        return report, zygote.isolation


def results_for(report: Report, isolation: str, seconds: float, hidden_visibility: str,
                shown: str = "") -> dict[str, Any]:
    """Gradescope's results.json for a graded upload (``shown``: the graded file within the upload)."""
    results = gradebook.results_json(report)
    for test in results["tests"]:
        if test["visibility"] != "visible":
            test["visibility"] = hidden_visibility
    lines = [render.message("gradescope.j2", "graded_file", path=shown), render.render_isolation(isolation)]
    results["output"] = results["output"] + "\n\n" + "\n".join(line for line in lines if line)
    results["execution_time"] = round(seconds, 3)
    results["extra_data"] = {"isolation": isolation, "graded_file": report.submission, "dlgrade": "1"}
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Grade ``ROOT/submission`` into ``ROOT/results/results.json`` (ROOT: the first argument)."""
    args = list(sys.argv[1:] if argv is None else argv)
    root = Path(args[0] if args else os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    results_path = root / "results" / "results.json"
    results_path.parent.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    try:
        config = _config()
        upload = root / "submission"
        report, isolation = grade_upload(config["assignment"], upload, results_path, config.get("seed", 0))
        shown = os.path.relpath(report.submission, upload) if Path(report.submission).is_file() else ""
        results = results_for(report, isolation, time.perf_counter() - began,
                              config.get("hidden_visibility", "after_published"), shown)
        status = 0
    except Exception as error:  # the grader's own failure: the student still gets a results.json
        reason = f"{type(error).__name__}: {error}"[:300]
        results = {"score": 0.0, "execution_time": round(time.perf_counter() - began, 3), "output_format": "text",
                   "output": render.message("gradescope.j2", "grader_failed", reason=reason), "tests": [],
                   "visibility": "visible", "stdout_visibility": "hidden"}
        status = 1
    write_atomic(results_path, json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
