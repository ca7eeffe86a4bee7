"""``nbgrader autograde`` with dlgrade inside: two nbgrader preprocessors and the library behind them.

nbgrader's autograde runs two lists of preprocessors (``c.Autograde.sanitize_preprocessors`` and
``c.Autograde.autograde_preprocessors``). The course written by ``dlgrade nbgrader init`` changes them:

* :class:`InspectSubmission` runs in the sanitize list *before* nbgrader's ``OverwriteCells`` (which
  silently restores edited read-only cells). It compares the submitted cells with the source cells in
  the gradebook, records what a student changed (an edited, deleted or moved test cell, changed
  nbgrader metadata, a notebook of another assignment) in the notebook's metadata, and restores each
  test cell's nbgrader metadata so that nbgrader's own checks cannot fail on it.
* :func:`expect_assignment_notebook` (``c.Autograde.pre_convert_hook``) and :class:`ReadingExporter`
  (``c.Autograde.exporter_class``) make sure each student's folder yields the assignment's notebook:
  an unreadable file becomes a refused stand-in with the reason; a notebook saved under another name
  is graded as the assignment's when it is the only one (or the only one of this assignment), and the
  feedback says so; otherwise a refused stand-in names the expected file and the files found.
* :class:`DlgradeGrade` replaces nbgrader's ``Execute``: no kernel is started and no cell runs. The
  notebook's code cells go to dlgrade's sandbox (:func:`graders.engine.grading.runner.grade`, the same
  call ``dlgrade grade`` makes), and each exercise's test cell ``check_<function>`` gets dlgrade's
  feedback for that exercise as a stdout stream and dlgrade's score as an ``execute_result``. nbgrader
  0.9's ``determine_grade`` reads that result as partial credit (a number between 0 and the cell's
  points; an ``error`` or ``stderr`` output would mean 0, so none is written), and ``SaveAutoGrades``
  stores it in ``gradebook.db``. The test cells' source never decides anything.

Wording lives in ``templates/nbgrader_cell.txt`` and ``templates/nbgrader.j2``.
"""
from __future__ import annotations

import atexit
import dataclasses
import functools
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from graders.engine.grading import classrun, runner, submission
from graders.engine.grading.oracle import LiveOracle
from graders.engine.reports import render
from graders.engine.reports.records import CheckResult, ExerciseResult, Report
from graders.engine.sandbox.parent import ROOT, Zygote

#: Prefix of the grade id of an exercise's test cell (``check_<function>``).
TEST_CELL_PREFIX = "check_"
#: Notebook metadata key where :class:`InspectSubmission` leaves its findings for :class:`DlgradeGrade`.
FINDINGS_KEY = "dlgrade_findings"
#: Notebook metadata key where :class:`ReadingExporter` leaves what it found reading the file (an
#: unreadable file, a renamed or missing notebook) for :class:`InspectSubmission`.
READ_KEY = "dlgrade_read"


@dataclass(frozen=True)
class Finding:
    """Something about the submitted notebook itself (not the student's code), rendered by the macro
    ``kind`` of ``templates/nbgrader.j2``: ``edited_test_cell``, ``deleted_test_cell``,
    ``moved_test_cell``, ``changed_metadata``, ``other_assignment``, ``extra_cells``, ``not_from_release``,
    ``unreadable_notebook``, ``renamed_notebook``, ``missing_notebook``."""

    kind: str
    data: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def fatal(self) -> bool:
        """True when the notebook cannot be graded as this assignment at all."""
        return self.kind in ("other_assignment", "unreadable_notebook", "missing_notebook")

    def as_dict(self) -> dict:
        """The finding as notebook metadata holds it."""
        return {"kind": self.kind, "data": dict(self.data)}

    @classmethod
    def from_dicts(cls, items: Any) -> tuple["Finding", ...]:
        """Findings back from notebook metadata (anything malformed is left out)."""
        if not isinstance(items, list):
            return ()
        return tuple(cls(f["kind"], f.get("data") or {}) for f in items
                     if isinstance(f, dict) and f.get("kind") in FINDING_KINDS and isinstance(f.get("data", {}), dict))


#: Every kind of :class:`Finding` (a macro of ``templates/nbgrader.j2`` each).
FINDING_KINDS = ("edited_test_cell", "deleted_test_cell", "moved_test_cell", "changed_metadata", "other_assignment",
                 "extra_cells", "not_from_release", "unreadable_notebook", "renamed_notebook", "missing_notebook")


@dataclass(frozen=True)
class SourceCell:
    """What the gradebook knows of one cell of the source notebook."""

    grade_id: str
    checksum: str
    locked: bool
    points: float | None  # set for grade cells
    text: str = ""


# ------------------------------------------------------------------------------------------ inspect


def inspect_cells(cells: Sequence[Any], source: Sequence[SourceCell], assignment: str,
                  notebook_assignment: str | None) -> tuple[Finding, ...]:
    """Compare submitted cells (nbformat cells) with the source cells; return what changed.

    ``notebook_assignment`` is the dlgrade assignment named in the notebook's metadata (None when
    the notebook carries none, e.g. one a student rebuilt by hand: not a problem in itself)."""
    from nbgrader import utils

    findings: list[Finding] = []
    if notebook_assignment is not None and notebook_assignment != assignment:
        findings.append(Finding("other_assignment", {"found": notebook_assignment, "expected": assignment}))
    if not any("nbgrader" in cell.get("metadata", {}) for cell in cells):
        return tuple(findings) + (Finding("not_from_release", {}),)
    known = {c.grade_id: c for c in source}
    tests = [c.grade_id for c in source if c.grade_id.startswith(TEST_CELL_PREFIX)]
    seen: list[str] = []
    extra = 0
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if grade_id not in known:
            extra += 1
            continue
        seen.append(grade_id)
        wanted = known[grade_id]
        if grade_id in tests:
            if bool(meta.get("grade")) is not True or float(meta.get("points", -1)) != wanted.points:
                findings.append(Finding("changed_metadata", {"cell": grade_id}))
            if utils.compute_checksum(_as_graded(cell, wanted)) != wanted.checksum:
                findings.append(Finding("edited_test_cell", {"cell": grade_id}))
    findings += [Finding("deleted_test_cell", {"cell": t}) for t in tests if t not in seen]
    order = [g for g in seen if g in known]
    expected_order = [c.grade_id for c in source if c.grade_id in order]
    for grade_id in tests:
        if grade_id in order and _neighbours(order, grade_id) != _neighbours(expected_order, grade_id):
            findings.append(Finding("moved_test_cell", {"cell": grade_id}))
    if extra:
        findings.append(Finding("extra_cells", {"count": extra}))
    return tuple(findings)


def _neighbours(order: Sequence[str], grade_id: str) -> tuple[str | None, str | None]:
    index = order.index(grade_id)
    return (order[index - 1] if index else None, order[index + 1] if index + 1 < len(order) else None)


def _as_graded(cell: Any, wanted: SourceCell) -> Any:
    """A copy of a test cell with the source's nbgrader flags, so only its text decides the checksum."""
    import copy

    clone = copy.deepcopy(cell)
    meta = clone.setdefault("metadata", {}).setdefault("nbgrader", {})
    meta.update(grade=True, solution=False, locked=True, points=wanted.points)
    return clone


def add_missing_test_cells(nb: Any, source: Sequence[SourceCell]) -> list[str]:
    """Append a test cell (the source's text and nbgrader metadata) for each one the notebook lacks,
    so that every exercise gets its grade. Returns the grade ids added. (nbgrader's own
    ``OverwriteCells.add_missing_cells`` fails on a notebook whose solution cells are gone too.)"""
    import nbformat

    present = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells}
    added = []
    for cell in source:
        if cell.grade_id.startswith(TEST_CELL_PREFIX) and cell.grade_id not in present:
            meta = {"grade": True, "grade_id": cell.grade_id, "locked": True, "points": cell.points,
                    "schema_version": 3, "solution": False, "task": False, "checksum": cell.checksum}
            nb.cells.append(nbformat.v4.new_code_cell(cell.text,
                                                      metadata={"nbgrader": meta, "editable": False,
                                                                "deletable": False}))
            added.append(cell.grade_id)
    return added


def restore_test_metadata(cells: Sequence[Any], source: Sequence[SourceCell]) -> None:
    """Give every test cell back its source nbgrader flags and points (in place)."""
    known = {c.grade_id: c for c in source if c.grade_id.startswith(TEST_CELL_PREFIX)}
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader")
        if meta is not None and meta.get("grade_id") in known:
            meta.update(grade=True, solution=False, locked=True, task=False,
                        points=known[meta["grade_id"]].points)


# -------------------------------------------------------------------------------------------- grade


@functools.lru_cache(maxsize=None)
def _grader(assignment: str, hidden: tuple[Path, ...], isolation: str | None) -> tuple[Any, Zygote, LiveOracle]:
    """The suite, a started zygote (isolated at most at ``isolation``) and the reference oracle of
    ``assignment``, made once per process: ``nbgrader autograde`` grades the whole class in one
    process, so the class shares one zygote and each reference output is computed once, as in
    ``dlgrade grade``. Closed when the process exits."""
    suite = classrun.load_suite(assignment)
    # its imports overlap the zygote's
    oracle_loading = classrun.loading(LiveOracle, assignment, classrun.lean_packages(suite))
    zygote = Zygote.for_suite(suite, hidden=list(hidden), isolation=isolation)
    zygote.__enter__()
    atexit.register(zygote.close)
    classrun.one_blas_thread()  # for the rest of the process, which grades the class (see there)
    return suite, zygote, oracle_loading.result()


def grade_cells(nb: Any, assignment: str, student: str, name: str,
                hidden: Sequence[Path] = (), seed: int = 0, isolation: str | None = None) -> tuple[Report, str]:
    """Grade the code cells of notebook ``nb`` (an nbformat node) in dlgrade's sandbox exactly as
    ``dlgrade grade`` grades that notebook file, isolated at most at ``isolation`` (default: the
    strongest level the machine allows). Returns the report and the isolation level in force."""
    import nbformat

    suite, zygote, oracle = _grader(assignment, tuple(hidden_paths(hidden)), isolation)
    with tempfile.TemporaryDirectory(prefix="dlgrade-nbgrader-") as folder:
        path = Path(folder) / f"{assignment}.ipynb"
        path.write_text(nbformat.writes(nb), encoding="utf-8")
        sub = dataclasses.replace(submission.read(path, assignment, student), path=name)
    report = runner.grade(suite, sub, zygote, oracle, "grade", seed, False)
    return report, zygote.isolation


def refused(assignment: str, student: str, name: str) -> Report:
    """The report of a notebook that is not graded at all (every check failed, nothing run)."""
    suite = classrun.load_suite(assignment)
    exercises = tuple(ExerciseResult(e.function, tuple(
        _failed(spec) for spec in suite.checks() if spec.exercise == e.function))
        for e in suite.exercises)
    return Report(assignment, student, name, "grade", exercises)


def _failed(spec: Any) -> CheckResult:
    """A check scored as failed without running (the cell's text says why)."""
    return CheckResult(spec.exercise, spec.name, spec.title, spec.kind, spec.public, spec.points,
                       "failed")


def hidden_paths(extra: Sequence[Path]) -> list[Path]:
    """Folders workers must not see (the course: submissions, gradebook), except any holding the
    code the workers run."""
    needed = (ROOT, Path(sys.prefix).resolve())
    folders = {Path(p).resolve() for p in extra if Path(p).exists()}
    return sorted(f for f in folders if not any(n == f or n.is_relative_to(f) for n in needed))


def cell_outputs(report: Report, exercise: ExerciseResult, points: float, findings: Sequence[Finding],
                 isolation: str, first: bool) -> list[dict]:
    """The outputs written into one test cell: dlgrade's feedback text, then the score (scaled to the
    cell's ``points`` when the instructor changed them) as the result nbgrader reads."""
    import nbformat

    text = _render_cell(report, exercise, findings, isolation, first)
    score = 0.0 if not exercise.max_points else points * exercise.points / exercise.max_points
    score = min(points, max(0.0, round(score, 6)))
    return [nbformat.v4.new_output("stream", name="stdout", text=text),
            nbformat.v4.new_output("execute_result", data={"text/plain": render.format_points(score)},
                                   execution_count=None)]


def _render_cell(report: Report, exercise: ExerciseResult, findings: Sequence[Finding], isolation: str,
                 first: bool) -> str:
    """``templates/nbgrader_cell.txt``: the exercise's checks, and in the first test cell what
    concerns the whole notebook (findings, load notes, isolation level)."""
    template = render.environment().get_template("nbgrader_cell.txt")
    text = template.render(report=report, exercise=exercise, findings=list(findings), isolation=isolation,
                           first=first)
    return render.printable(text).strip() + "\n"


def write_results(nb: Any, report: Report, findings: Sequence[Finding], isolation: str) -> None:
    """Put each exercise's feedback and score into its test cell; clear every other output (nothing
    of the notebook was executed)."""
    by_id = {f"{TEST_CELL_PREFIX}{e.name}": e for e in report.exercises}
    first = True
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        meta = cell.metadata.get("nbgrader", {})
        exercise = by_id.get(meta.get("grade_id"))
        if exercise is not None and meta.get("grade"):
            cell.outputs = cell_outputs(report, exercise, float(meta.get("points", exercise.max_points)),
                                        findings, isolation, first)
            first = False


# ------------------------------------------------------------------------------ nbgrader preprocessors

try:  # nbgrader is needed only inside ``nbgrader autograde``
    from nbconvert.exporters import NotebookExporter
    from nbgrader.preprocessors import NbGraderPreprocessor
    from traitlets import Enum, Int, Unicode

    from graders.engine.sandbox.confine import LEVELS
except ImportError:  # pragma: no cover - dlgrade without nbgrader installed
    NbGraderPreprocessor = None  # type: ignore[assignment,misc]


def expect_assignment_notebook(assignment: str, student: str, notebooks: list[str]) -> None:
    """``c.Autograde.pre_convert_hook``: when a student's folder lacks ``<assignment>.ipynb`` (the
    notebook ``dlgrade nbgrader init`` writes), add that path to the folder's list of notebooks (in
    place), so that nbgrader autogrades it instead of skipping the renamed file as unknown;
    :class:`ReadingExporter` then reads the file that stands for it. nbgrader passes the assignment
    and student as given on its command line (``student`` may be a pattern; unused). Other notebooks
    are left in the list, so a course whose notebooks have other names is unaffected."""
    if not notebooks:
        return
    folder = os.path.dirname(notebooks[0])
    name = os.path.basename(folder) if set("*?[") & set(assignment) else assignment
    expected = os.path.join(folder, f"{name}.ipynb")
    if expected not in notebooks and not os.path.exists(expected):
        notebooks.append(expected)


def pick_notebook(folder: Path, expected: str, assignment: str) -> tuple[Path | None, list[str]]:
    """The notebook of ``folder`` that stands for the missing ``expected`` one: the only other
    notebook there, else the only one whose metadata names ``assignment``; None when no file or
    several fit. Also returns the names of the notebooks found (sorted)."""
    others = sorted(p for p in Path(folder).glob("*.ipynb") if p.is_file() and p.name != expected)
    if len(others) == 1:
        return others[0], [others[0].name]
    ours = [p for p in others if _names_assignment(p, assignment)]
    return (ours[0] if len(ours) == 1 else None), [p.name for p in others]


def _names_assignment(path: Path, assignment: str) -> bool:
    """True when the notebook file at ``path`` says (in its dlgrade metadata) it is ``assignment``'s."""
    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        return isinstance(meta, dict) and isinstance(meta.get("dlgrade"), dict) and \
            meta["dlgrade"].get("assignment") == assignment
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        return False


def read_notebook(text: str, findings: Sequence[Finding] = ()) -> Any:
    """The notebook in ``text`` carrying ``findings`` in its metadata (and none a student wrote
    there); an empty stand-in, refused with the reason, when ``text`` is not a notebook (empty,
    truncated, not JSON)."""
    import nbformat

    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as error:  # nbformat raises many kinds on a corrupt file
        nb = nbformat.v4.new_notebook()
        findings = (*findings, Finding("unreadable_notebook", {"reason": f"{type(error).__name__}: {error}"[:300]}))
    nb.metadata.pop(READ_KEY, None)
    if findings:
        nb.metadata[READ_KEY] = [f.as_dict() for f in findings]
    return nb


def read_missing(path: Path, assignment: str) -> Any:
    """The notebook standing for ``path``, which the student did not submit under that name (see
    :func:`expect_assignment_notebook`): the file :func:`pick_notebook` finds, noted as renamed, or
    an empty stand-in refused with the expected and the found names."""
    chosen, found = pick_notebook(path.parent, path.name, assignment)
    if chosen is None:
        return _refused_stand_in(path.name, found)
    text = chosen.read_text(encoding="utf-8", errors="replace")
    return read_notebook(text, (Finding("renamed_notebook", {"found": chosen.name, "expected": path.name}),))


def _refused_stand_in(expected: str, found: Sequence[str]) -> Any:
    """An empty notebook refused because no submitted file could stand for ``expected``."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata[READ_KEY] = [Finding("missing_notebook", {"expected": expected, "found": list(found)}).as_dict()]
    return nb


def _source_cells(resources: Mapping[str, Any]) -> list[SourceCell]:
    """The source notebook's cells as the gradebook holds them."""
    from nbgrader.api import Gradebook

    info = resources["nbgrader"]
    with Gradebook(info["db_url"]) as gb:
        notebook = gb.find_notebook(info["notebook"], info["assignment"])
        points = {c.name: float(c.max_score) for c in notebook.grade_cells}
        return [SourceCell(c.name, c.checksum, bool(c.locked), points.get(c.name), c.source)
                for c in notebook.source_cells]


if NbGraderPreprocessor is not None:

    class ReadingExporter(NotebookExporter):
        """nbgrader's notebook exporter, except that a file nbformat cannot read becomes a refused
        stand-in (nbgrader would stop that student's autograde with a traceback in its log and write
        no feedback), and that the assignment's notebook missing under its name (added by
        :func:`expect_assignment_notebook`) is read from the file standing for it."""

        def from_filename(self, filename, resources=None, **kw):
            path = Path(filename)
            if path.exists():
                return super().from_filename(filename, resources=resources, **kw)
            assignment = (resources or {}).get("nbgrader", {}).get("assignment") or path.stem
            return self.from_notebook_node(read_missing(path, assignment), resources=resources, **kw)

        def from_file(self, file_stream, resources=None, **kw):
            return self.from_notebook_node(read_notebook(file_stream.read()), resources=resources, **kw)

    class InspectSubmission(NbGraderPreprocessor):
        """Sanitize step (before ``OverwriteCells``): note what the student changed in the notebook's
        test cells and metadata, and restore the test cells' nbgrader metadata."""

        assignment = Unicode("", help="dlgrade assignment (default: the nbgrader assignment's name)").tag(config=True)

        def preprocess(self, nb, resources):
            info = resources["nbgrader"]
            assignment = self.assignment or info["assignment"]
            source = _source_cells(resources)
            found = nb.metadata.get("dlgrade", {}).get("assignment")
            findings = Finding.from_dicts(nb.metadata.pop(READ_KEY, []))
            if not any(f.fatal for f in findings):
                findings += inspect_cells(nb.cells, source, assignment, found if isinstance(found, str) else None)
            restore_test_metadata(nb.cells, source)
            add_missing_test_cells(nb, source)
            nb.metadata[FINDINGS_KEY] = [f.as_dict() for f in findings]
            for f in findings:
                self.log.warning("%s: %s", info["student"], render.message("nbgrader.j2", f.kind, **f.data))
            return nb, resources

    class DlgradeGrade(NbGraderPreprocessor):
        """Autograde step replacing nbgrader's ``Execute``: grade the notebook's code in dlgrade's
        sandbox and write each exercise's feedback and score into its test cell."""

        assignment = Unicode("", help="dlgrade assignment (default: the nbgrader assignment's name)").tag(config=True)
        seed = Int(0, help="seed of the hidden checks' random inputs").tag(config=True)
        isolation = Enum(["", *LEVELS], "", help="the strongest isolation level the sandbox may use "
                         "(default: the strongest this machine allows)").tag(config=True)

        def preprocess(self, nb, resources):
            info = resources["nbgrader"]
            assignment = self.assignment or info["assignment"]
            student, name = info["student"], f"{info['notebook']}.ipynb"
            findings = Finding.from_dicts(nb.metadata.pop(FINDINGS_KEY, []))
            began = time.perf_counter()
            fatal = next((f for f in findings if f.fatal), None)
            if fatal is not None:
                report, isolation = refused(assignment, student, name), ""
            else:
                db = info["db_url"].removeprefix("sqlite:///")
                report, isolation = grade_cells(nb, assignment, student, name,
                                                hidden=[Path.cwd(), Path(db).parent], seed=self.seed,
                                                isolation=self.isolation or None)
            write_results(nb, report, findings, isolation)
            self.log.info("%s: %s of %s points (dlgrade, isolation %s, %.2f s)", student,
                          render.format_points(report.points), render.format_points(report.max_points),
                          isolation or "-", time.perf_counter() - began)
            return nb, resources
