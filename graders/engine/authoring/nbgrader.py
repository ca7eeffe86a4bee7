"""An nbgrader course for dlgrade's assignments: ``nbgrader_config.py`` (autograde graded by dlgrade's
sandbox, see :mod:`graders.engine.grading.nbgrader_autograde`) and, per assignment, the ``source/``
folder: the source notebook (solutions kept, as nbgrader expects them; one autograder test cell per
exercise carrying its points) and the student-side helper modules it imports."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from graders.engine.authoring.derive import derive_source_notebook, notebook_text
from graders.engine.authoring.source import (
    graded_functions,
    imported_modules,
    read_source,
    source_path,
    split_cells,
    strip_hidden,
)
from graders.engine.files import write_atomic


def nbgrader_source(root: Path, dest: Path, assignment: str, *,
                    check_points: Mapping[str, float] | None = None) -> list[Path]:
    """Write ``dest/source/<assignment>/<assignment>.ipynb`` (an nbgrader course layout) and the
    student-side helper modules it imports, directly or through each other (``assignments/<module>.py`` and
    ``assignments/__init__.py`` beside the notebook). Return the written paths.

    ``graders`` itself is not copied: it must be importable in the kernel (install the release
    bundle), because ``check`` needs the engine, the suite and the frozen expectations.
    """
    root, dest = Path(root), Path(dest)
    source = read_source(root, assignment)
    folder = dest / "source" / assignment
    nb = derive_source_notebook(source, assignment, check_points=check_points)
    written = [folder / f"{assignment}.ipynb"]
    write_atomic(written[0], notebook_text(nb).encode("utf-8"))
    for relative, data in _helper_files(root, source, assignment).items():
        write_atomic(folder / relative, data)
        written.append(folder / relative)
    return written


#: The course's ``nbgrader_config.py``: nbgrader's own autograde steps, with ``Execute`` (a kernel
#: running the notebook) replaced by dlgrade's sandbox, a sanitize step noting tampered cells, a
#: pre-convert hook and an exporter for renamed and unreadable notebooks, and validate's note.
CONFIG_TEXT = """\
# Written by `dlgrade nbgrader init`. nbgrader autograde grades with dlgrade's sandbox: no cell of a
# submitted notebook is executed; each exercise's test cell gets dlgrade's feedback and score (a
# deleted test cell is added back by dlgrade's InspectSubmission step).
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput, DeduplicateIds,
                                    IgnorePattern, LimitOutput, OverwriteCells, OverwriteKernelspec,
                                    SaveAutoGrades)

from graders.engine.grading.nbgrader_autograde import (DlgradeGrade, InspectSubmission, ReadingExporter,
                                                       expect_assignment_notebook)
from graders.notebook import validate_note

c = get_config()  # noqa: F821 (nbgrader defines it)
# an unreadable notebook gets a reason, not a traceback; a renamed one is graded (and named) or refused with a reason
c.Autograde.exporter_class = ReadingExporter
c.Autograde.pre_convert_hook = expect_assignment_notebook
# `nbgrader validate` ends with nbgrader's own fixed "Success!" line: first say that hidden checks run at grading
c.Execute.on_notebook_start = validate_note
# c.DlgradeGrade.isolation = "user"  # cap the sandbox's isolation level (default: the strongest this machine allows)
c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec, InspectSubmission,
                                      OverwriteCells, CheckCellMetadata]
c.Autograde.autograde_preprocessors = [DlgradeGrade, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
"""


@dataclass(frozen=True)
class Written:
    """What ``dlgrade nbgrader init`` did with one file: "wrote" (new), "same" (already identical),
    "kept" (differs: the instructor's edit is kept) or "replaced" (differs, overwritten by --force)."""

    path: Path
    action: str


def exercise_points(assignment: str) -> dict[str, float]:
    """Points of each exercise of ``assignment``, from its grader suite."""
    from graders.engine.grading import classrun

    return {e.function: float(e.max_points) for e in classrun.load_suite(assignment).exercises}


def course_files(root: Path, assignment: str) -> dict[Path, bytes]:
    """The files of ``source/<assignment>/`` (paths relative to the course) and their bytes: the
    source notebook with a test cell per exercise worth that exercise's points, and the helpers."""
    source = read_source(root, assignment)
    points = exercise_points(assignment)
    in_cells = {name for cell in split_cells(source) if cell.kind == "code" for name in graded_functions(cell.text)}
    nb = derive_source_notebook(source, assignment, check_points=points,
                                trailing_checks=[name for name in points if name not in in_cells])
    folder = Path("source") / assignment
    files = {folder / f"{assignment}.ipynb": notebook_text(nb).encode("utf-8")}
    files.update({folder / rel: data for rel, data in _helper_files(root, source, assignment).items()})
    return files


def init_course(root: Path, course: Path, assignments: Sequence[str], force: bool = False) -> list[Written]:
    """Write (or complete) an nbgrader course in ``course``: ``nbgrader_config.py`` and each
    assignment's ``source/`` folder. A file that exists with other bytes is kept unless ``force``."""
    wanted: dict[Path, bytes] = {Path("nbgrader_config.py"): CONFIG_TEXT.encode("utf-8")}
    for assignment in assignments:
        wanted.update(course_files(root, assignment))
    done = []
    for relative, data in wanted.items():
        target = Path(course) / relative
        if not target.is_file():
            action = "wrote"
        elif target.read_bytes() == data:
            action = "same"
        else:
            action = "replaced" if force else "kept"
        if action in ("wrote", "replaced"):
            write_atomic(target, data)
        done.append(Written(target, action))
    return done


def _helper_files(root: Path, source: str, assignment: str) -> dict[Path, bytes]:
    """``assignments/__init__.py`` and the student-side helpers the source imports (relative paths)."""
    code = "\n".join(c.text for c in split_cells(source) if c.kind == "code")
    helpers = _helper_modules(root, code)
    files: dict[Path, bytes] = {}
    if helpers:
        init = root / "assignments" / "__init__.py"
        files[Path("assignments") / "__init__.py"] = init.read_bytes() if init.is_file() else b""
    for helper in helpers:
        relative = Path(*helper.split(".")).with_suffix(".py")
        src = root / "assignments" / relative
        if not src.is_file():
            raise FileNotFoundError(f"{source_path(root, assignment)} imports assignments.{helper}, "
                                    f"but {src} does not exist")
        files[Path("assignments") / relative] = strip_hidden(src.read_text(encoding="utf-8")).encode("utf-8")
    return files


def _helper_modules(root: Path, code: str) -> list[str]:
    """Names (without ``assignments.``) of the student-side modules ``code`` needs: those it imports
    and, transitively, those they import (e.g. a ``<name>_utils`` built on the shared network)."""
    found: list[str] = []
    pending = [code]
    while pending:
        for name in imported_modules(pending.pop()):
            helper = name.split(".", 1)[1] if name.startswith("assignments.") else None
            if helper is None or helper in found:
                continue
            found.append(helper)
            path = Path(root) / "assignments" / Path(*helper.split(".")).with_suffix(".py")
            if path.is_file():
                pending.append(path.read_text(encoding="utf-8"))
    return found
