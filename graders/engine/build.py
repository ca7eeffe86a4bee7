"""Derive the student files, the nbgrader source notebook and the release bundle from the reference.

``solutions/<name>.py`` is the single source of an assignment. It is written in the "percent" cell
format:

* a line ``# %% [markdown]`` starts a markdown cell whose lines are ``# ``-prefixed comments;
* a line ``# %%`` starts a code cell;
* inside graded functions the body sits between nbgrader's solution markers, the comment lines
  "BEGIN SOLUTION" and "END SOLUTION" each written after three hash signs;
* an optional region between two such comment lines "BEGIN HIDDEN" and "END HIDDEN" holds hidden
  grading helpers (wrong variants and the like). It never reaches a student file, a notebook or a
  release.

(The markers are never written out literally in this module, which ships in the student release,
where they are scanned for.)

Everything here is a pure function of the source text except :func:`build`, :func:`stale_files`,
:func:`release` and :func:`nbgrader_source`, which read and write files.

nbgrader metadata (checked against nbgrader 0.9.6, schema version 3):

* a cell holding a solution region is an "autograded answer" cell: ``solution: true``,
  ``grade: false``, ``locked: false``, ``grade_id`` = the graded function's name;
* every other cell is "read-only": ``locked: true``; nbgrader restores it from the source at autograde
  time when a student edits it;
* the check cell after each graded function is read-only by default, not an nbgrader grade cell:
  nbgrader awards a grade cell's points whenever the cell raises no error, while ``check`` runs the
  *public* checks only and prints a verdict; the grade comes from ``dlgrade grade`` with the hidden
  checks. Passing ``check_points`` turns chosen check cells into "autograder tests" cells
  (``grade: true`` with those points; nbgrader accepts any number >= 0), which makes sense only if
  ``check`` raises when a public check fails.
"""
from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal, Mapping, Sequence

import nbformat

# Assembled from parts: see the module docstring.
_HASHES = "###"
BEGIN_SOLUTION = f"{_HASHES} BEGIN SOLUTION"
END_SOLUTION = f"{_HASHES} END SOLUTION"
BEGIN_HIDDEN = f"{_HASHES} BEGIN HIDDEN"
END_HIDDEN = f"{_HASHES} END HIDDEN"

#: What replaces a solution region, line by line, at the region's indentation (nbgrader's stub).
CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")

_CELL_MARKER = re.compile(r"^# %%(?P<rest>(\s.*)?)$")
_NB_KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
_NBGRADER_SCHEMA = 3
_RELEASE_README_TEMPLATE = "release_readme.md.j2"
_SKIP_NAMES = {"__pycache__", ".pytest_cache", ".ipynb_checkpoints", ".mypy_cache", ".ruff_cache"}


class BuildError(ValueError):
    """The reference source is malformed (unbalanced markers, a marker in a markdown cell...)."""


class ReleaseError(RuntimeError):
    """The release cannot be written safely (dest not empty, hidden material would leak...)."""


@dataclass(frozen=True)
class Cell:
    """One cell of the percent-format source: its kind and its text (markdown without ``# ``)."""

    kind: Literal["markdown", "code"]
    text: str


# --------------------------------------------------------------------------------------------------
# Parsing the source
# --------------------------------------------------------------------------------------------------


def strip_hidden(source: str) -> str:
    """Return ``source`` without its hidden regions (marker lines included).

    Raises :class:`BuildError` on an unterminated or nested region, or a stray end marker, so that a
    typo never lets hidden code through.
    """
    kept: list[str] = []
    inside = False
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        if BEGIN_HIDDEN in line:
            if inside:
                raise BuildError(f"line {number}: nested hidden region")
            inside = True
        elif END_HIDDEN in line:
            if not inside:
                raise BuildError(f"line {number}: end of a hidden region that was never begun")
            inside = False
        elif not inside:
            kept.append(line)
    if inside:
        raise BuildError("a hidden region is never closed")
    return "".join(kept)


def solution_regions(source: str) -> list[tuple[int, int]]:
    """Return the (begin, end) line indices (0-based, marker lines) of every solution region.

    Raises :class:`BuildError` on unbalanced or nested markers.
    """
    regions: list[tuple[int, int]] = []
    begin: int | None = None
    for index, line in enumerate(source.splitlines()):
        if BEGIN_SOLUTION in line:
            if begin is not None:
                raise BuildError(f"line {index + 1}: nested solution region")
            begin = index
        elif END_SOLUTION in line:
            if begin is None:
                raise BuildError(f"line {index + 1}: end of a solution region that was never begun")
            regions.append((begin, index))
            begin = None
    if begin is not None:
        raise BuildError(f"line {begin + 1}: a solution region is never closed")
    return regions


def replace_solutions(text: str) -> str:
    """Replace every solution region of ``text`` by :data:`CODE_STUB` at the region's indentation."""
    lines = text.splitlines()
    regions = solution_regions(text)
    out: list[str] = []
    position = 0
    for begin, end in regions:
        out.extend(lines[position:begin])
        indent = re.match(r"\s*", lines[begin]).group(0)  # type: ignore[union-attr]
        out.extend(indent + stub for stub in CODE_STUB)
        position = end + 1
    out.extend(lines[position:])
    result = "\n".join(out)
    return result + "\n" if text.endswith("\n") else result


def _trim_blank(lines: list[str]) -> list[str]:
    start, stop = 0, len(lines)
    while start < stop and not lines[start].strip():
        start += 1
    while stop > start and not lines[stop - 1].strip():
        stop -= 1
    return lines[start:stop]


def _markdown_text(lines: list[str], first_line: int) -> str:
    out: list[str] = []
    for offset, line in enumerate(lines):
        if line.startswith("# "):
            out.append(line[2:])
        elif line.rstrip() == "#" or not line.strip():
            out.append("")
        else:
            raise BuildError(
                f"line {first_line + offset}: a markdown cell line must start with '# ': {line!r}")
    return "\n".join(out)


def split_cells(source: str) -> list[Cell]:
    """Split a percent-format source into cells, after dropping its hidden regions.

    Text before the first cell marker becomes a code cell if it is not blank. Leading and trailing
    blank lines of each cell are dropped; empty cells are skipped. A solution marker inside a
    markdown cell is an error.
    """
    lines = strip_hidden(source).splitlines()
    cells: list[Cell] = []
    kind: Literal["markdown", "code"] = "code"
    body: list[str] = []
    body_start = 1

    def flush() -> None:
        trimmed = _trim_blank(body)
        if not trimmed:
            return
        if kind == "markdown":
            text = _markdown_text(trimmed, body_start)
            if BEGIN_SOLUTION in text or END_SOLUTION in text:
                raise BuildError(f"line {body_start}: solution marker inside a markdown cell")
            cells.append(Cell("markdown", text))
        else:
            cells.append(Cell("code", "\n".join(trimmed)))

    for number, line in enumerate(lines, start=1):
        match = _CELL_MARKER.match(line)
        if match:
            flush()
            kind = "markdown" if "[markdown]" in match.group("rest") else "code"
            body = []
            body_start = number + 1
        else:
            body.append(line)
    flush()
    for cell in cells:
        solution_regions(cell.text)  # a region must not straddle two cells
    return cells


def graded_functions(code: str) -> list[str]:
    """Names of the top-level functions of ``code`` that contain a solution region, in order."""
    regions = solution_regions(code)
    if not regions:
        return []
    tree = ast.parse(code)
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first, last = node.lineno, node.end_lineno or node.lineno
            if any(first <= begin + 1 <= last for begin, _ in regions):
                names.append(node.name)
    return names


# --------------------------------------------------------------------------------------------------
# Derived texts
# --------------------------------------------------------------------------------------------------


def stub_header(assignment: str | None = None) -> str:
    """The comment block opening every generated student module."""
    reference = f"solutions/{assignment}.py" if assignment else "the reference solution"
    return (
        f"# Generated by `dlgrade build` from {reference}: do not edit this file by hand in the\n"
        "# course repository (edit the reference and rebuild). Students: this is your copy; replace\n"
        "# each \"YOUR CODE HERE\" block with your implementation.\n"
    )


def derive_stub(source: str, assignment: str | None = None) -> str:
    """The student module: ``source`` without hidden regions, each solution region replaced by the stub.

    Signatures, docstrings, markdown comments and cell markers are kept. The result always parses
    as Python and ends with exactly one newline.
    """
    body = replace_solutions(strip_hidden(source)).rstrip()
    text = stub_header(assignment) + "\n" + body + "\n"
    ast.parse(text)
    return text


def _nbgrader_meta(*, grade_id: str, grade: bool = False, solution: bool = False,
                   locked: bool = False, points: float | None = None) -> dict:
    meta: dict = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": _NBGRADER_SCHEMA,
        "solution": solution,
        "task": False,
    }
    if grade:
        if points is None or points < 0:
            raise BuildError(f"grade cell {grade_id!r} needs points >= 0")
        meta["points"] = points
    return meta


def _check_code(assignment: str, function: str) -> str:
    return f'from graders.notebook import check\ncheck("{assignment}", {function})'


def _experiment_code(assignment: str) -> str:
    return f'from graders.notebook import experiment\nexperiment("{assignment}", globals())'


_EXPERIMENT_MARKDOWN = (
    "## Experiment\n"
    "\n"
    "The cell below trains the network of this assignment with *your* functions and plots what it "
    "learns. Run it once your functions pass their checks."
)


def _notebook(source: str, assignment: str, *, keep_solutions: bool,
              check_points: Mapping[str, float] | None) -> nbformat.NotebookNode:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", assignment):
        raise BuildError(f"assignment name {assignment!r} is not a Python identifier")
    v4 = nbformat.v4
    points = dict(check_points or {})
    specs: list[tuple[str, str, dict]] = []  # (cell_type, text, nbgrader metadata)
    for index, cell in enumerate(split_cells(source)):
        if cell.kind == "markdown":
            specs.append(("markdown", cell.text,
                          _nbgrader_meta(grade_id=f"md_{index:02d}", locked=True)))
            continue
        functions = graded_functions(cell.text)
        if not solution_regions(cell.text):
            specs.append(("code", cell.text,
                          _nbgrader_meta(grade_id=f"code_{index:02d}", locked=True)))
            continue
        text = cell.text if keep_solutions else replace_solutions(cell.text)
        grade_id = functions[0] if functions else f"solution_{index:02d}"
        specs.append(("code", text, _nbgrader_meta(grade_id=grade_id, solution=True)))
        for function in functions:
            check_id = f"check_{function}"
            if function in points:
                meta = _nbgrader_meta(grade_id=check_id, grade=True, locked=True,
                                      points=float(points[function]))
            else:
                meta = _nbgrader_meta(grade_id=check_id, locked=True)
            specs.append(("code", _check_code(assignment, function), meta))
    unknown = set(points) - {t[2]["grade_id"][len("check_"):] for t in specs
                             if t[2]["grade_id"].startswith("check_")}
    if unknown:
        raise BuildError(f"check_points names functions that are not graded: {sorted(unknown)}")
    specs.append(("markdown", _EXPERIMENT_MARKDOWN,
                  _nbgrader_meta(grade_id="experiment_intro", locked=True)))
    specs.append(("code", _experiment_code(assignment),
                  _nbgrader_meta(grade_id="experiment", locked=True)))

    cells = []
    for position, (cell_type, text, meta) in enumerate(specs):
        digest = hashlib.sha256(f"{cell_type}\n{text}".encode()).hexdigest()[:10]
        cell_id = f"c{position:02d}-{digest}"
        make = v4.new_markdown_cell if cell_type == "markdown" else v4.new_code_cell
        cells.append(make(text, id=cell_id, metadata={"nbgrader": meta}))
    nb = v4.new_notebook(cells=cells)
    nb.metadata = nbformat.from_dict({
        "kernelspec": dict(_NB_KERNELSPEC),
        "language_info": {"name": "python"},
        "dlgrade": {"assignment": assignment, "generated_by": "dlgrade build"},
    })
    nbformat.validate(nb)
    return nb


def derive_notebook(source: str, assignment: str, *,
                    check_points: Mapping[str, float] | None = None) -> nbformat.NotebookNode:
    """The student notebook: narrative, stubbed functions, one check cell per graded function, and
    the experiment at the end. Cell ids are derived from position and content (deterministic).

    ``check_points`` (function name -> points) makes those check cells nbgrader grade cells; by
    default every check cell is read-only and ungraded (see the module docstring).
    """
    return _notebook(source, assignment, keep_solutions=False, check_points=check_points)


def derive_source_notebook(source: str, assignment: str, *,
                           check_points: Mapping[str, float] | None = None
                           ) -> nbformat.NotebookNode:
    """The notebook for nbgrader's ``source/`` folder: as :func:`derive_notebook` but the solution
    regions are kept, since ``nbgrader generate_assignment`` replaces them itself. Hidden regions are
    still dropped."""
    return _notebook(source, assignment, keep_solutions=True, check_points=check_points)


def notebook_text(nb: nbformat.NotebookNode) -> str:
    """Serialise a notebook deterministically (sorted keys, one trailing newline)."""
    return nbformat.writes(nb, version=4).rstrip("\n") + "\n"


# --------------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------------


def _write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def source_path(root: Path, assignment: str) -> Path:
    """Where the reference of ``assignment`` lives."""
    return Path(root) / "solutions" / f"{assignment}.py"


def _read_source(root: Path, assignment: str) -> str:
    path = source_path(root, assignment)
    if not path.is_file():
        raise FileNotFoundError(f"no reference for assignment {assignment!r}: {path} is missing")
    return path.read_text(encoding="utf-8")


def derived_files(root: Path, assignment: str) -> dict[Path, bytes]:
    """The student files of ``assignment`` and the bytes :func:`build` writes into them."""
    source = _read_source(root, assignment)
    folder = Path(root) / "assignments"
    return {
        folder / f"{assignment}.py": derive_stub(source, assignment).encode("utf-8"),
        folder / f"{assignment}.ipynb":
            notebook_text(derive_notebook(source, assignment)).encode("utf-8"),
    }


def build(root: Path, assignment: str, *, freeze: bool = True) -> list[Path]:
    """Write ``assignments/<assignment>.py`` and ``.ipynb`` from the reference and return their paths.

    Files whose bytes would not change are left untouched; the output is deterministic, so running
    this twice gives identical files. With ``freeze`` (the default), also writes the frozen public
    expectations (``graders.engine.expectations``), which need the reference importable.
    """
    written: list[Path] = []
    for path, data in derived_files(root, assignment).items():
        if not path.is_file() or path.read_bytes() != data:
            _write_atomic(path, data)
        written.append(path)
    if freeze:
        from graders.engine import expectations

        target = expectations.path(assignment)
        text = expectations.frozen_text(assignment)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            _write_atomic(target, text.encode("utf-8"))
        written.append(target)
    return written


def stale_files(root: Path, assignment: str) -> list[Path]:
    """Derived student files that are missing or differ from what :func:`build` would write."""
    return [path for path, data in derived_files(root, assignment).items()
            if not path.is_file() or path.read_bytes() != data]


def assignment_names(root: Path) -> list[str]:
    """Every assignment with a reference in ``solutions/``, sorted."""
    return sorted(p.stem for p in (Path(root) / "solutions").glob("*.py")
                  if not p.name.startswith("_"))


# --------------------------------------------------------------------------------------------------
# Release bundle
# --------------------------------------------------------------------------------------------------


def is_hidden_path(relative: Path) -> bool:
    """True for paths that never ship: any part named like ``*hidden*``, caches, compiled files,
    dot-files and ``solutions/``."""
    for part in relative.parts:
        lowered = part.lower()
        if "hidden" in lowered or part in _SKIP_NAMES or part.startswith("."):
            return True
        if part.endswith(".egg-info"):
            return True
    return relative.parts[:1] == ("solutions",) or relative.suffix in {".pyc", ".pyo"}


def _copy_public(src: Path, dst: Path) -> None:
    """Copy a file into the bundle; text files lose their hidden regions."""
    data = src.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and (BEGIN_HIDDEN in text or END_HIDDEN in text):
        try:
            data = strip_hidden(text).encode("utf-8")
        except BuildError as exc:
            raise ReleaseError(f"{src}: {exc}; refusing to release") from exc
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(data)
    shutil.copymode(src, dst)


def _copy_tree(src: Path, dst: Path) -> None:
    if not src.is_dir():
        return
    for path in sorted(src.rglob("*")):
        relative = path.relative_to(src)
        if path.is_file() and not is_hidden_path(relative):
            _copy_public(path, dst / relative)


def student_pyproject(text: str) -> str:
    """Rewrite ``pyproject.toml`` for the bundle: the package list no longer names ``solutions``.

    Only ``[tool.setuptools.packages.find] include`` is rewritten (keeping every other byte); a
    ``solutions`` mention anywhere else in the setuptools configuration raises :class:`ReleaseError`.
    """
    config = tomllib.loads(text)
    find = config.get("tool", {}).get("setuptools", {}).get("packages", {})
    include = find.get("find", {}).get("include") if isinstance(find, dict) else None
    if include is not None and any(p.startswith("solutions") for p in include):
        kept = [p for p in include if not p.startswith("solutions")]
        section = re.search(r"^\[tool\.setuptools\.packages\.find\][ \t]*\n(?:(?!\[).*\n?)*",
                            text, re.M)
        if section is None:
            raise ReleaseError("cannot locate [tool.setuptools.packages.find] in pyproject.toml")
        rewritten = re.sub(r"^include\s*=\s*\[[^\]]*\]", "include = " + json.dumps(kept),
                           section.group(0), count=1, flags=re.M)
        text = text[:section.start()] + rewritten + text[section.end():]
        config = tomllib.loads(text)
    setuptools_config = json.dumps(config.get("tool", {}).get("setuptools", {}))
    if "solutions" in setuptools_config:
        raise ReleaseError("pyproject.toml still refers to 'solutions' after the rewrite: "
                           f"{setuptools_config}")
    return text


def render_release_readme(root: Path, assignments: Sequence[str]) -> str:
    """The student README, rendered from ``templates/release_readme.md.j2``."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(root) / "templates")),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    project = tomllib.loads((Path(root) / "pyproject.toml").read_text(encoding="utf-8"))
    return env.get_template(_RELEASE_README_TEMPLATE).render(
        assignments=list(assignments),
        project=project.get("project", {}),
    )


def _scan_for_markers(bundle: Path) -> None:
    for path in sorted(bundle.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        for marker in (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN):
            if marker.encode() in data:
                raise ReleaseError(
                    f"{path.relative_to(bundle)} contains the marker {marker!r}; refusing to release")


def release(root: Path, dest: Path, assignments: Sequence[str]) -> list[Path]:
    """Write the student bundle for ``assignments`` into ``dest`` and return the files written.

    The bundle holds ``assignments/`` (stubs and notebooks derived afresh from the references, the
    helper modules and ``__init__.py``; derived files of other assignments are left out),
    ``graders/`` and ``templates/`` without hidden material (see :func:`is_hidden_path`; hidden
    regions of text files are stripped), ``pyproject.toml`` without ``solutions`` in its package list,
    and a student ``README.md``. Nothing from ``solutions/`` is included.

    The bundle is assembled in a temporary folder beside ``dest``, scanned for solution and hidden
    markers, then moved into place. Raises :class:`ReleaseError` when ``dest`` exists and is not an
    empty folder, or when a marker is found.
    """
    root, dest = Path(root), Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ReleaseError(f"release destination {dest} exists and is not empty")
    if not assignments:
        raise ReleaseError("no assignment to release")
    references = set(assignment_names(root))
    missing = [a for a in assignments if a not in references]
    if missing:
        raise ReleaseError(f"no reference in solutions/ for {missing}")

    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.staging-"))
    try:
        other_derived = {f"{a}{ext}" for a in references - set(assignments)
                         for ext in (".py", ".ipynb")}
        own_derived = {f"{a}{ext}" for a in assignments for ext in (".py", ".ipynb")}
        folder = root / "assignments"
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            relative = path.relative_to(folder)
            if (not path.is_file() or is_hidden_path(relative)
                    or str(relative) in other_derived | own_derived):
                continue
            _copy_public(path, staging / "assignments" / relative)
        for assignment in assignments:
            for path, data in derived_files(root, assignment).items():
                target = staging / "assignments" / path.name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        init = staging / "assignments" / "__init__.py"
        if not init.exists():
            init.write_text("", encoding="utf-8")

        _copy_tree(root / "graders", staging / "graders")
        _copy_tree(root / "templates", staging / "templates")
        pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
        (staging / "pyproject.toml").write_text(student_pyproject(pyproject), encoding="utf-8")
        (staging / "README.md").write_text(render_release_readme(root, assignments),
                                           encoding="utf-8")

        _scan_for_markers(staging)
        os.chmod(staging, 0o755)
        if dest.exists():
            dest.rmdir()  # empty, checked above
        os.replace(staging, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(p for p in dest.rglob("*") if p.is_file())


# --------------------------------------------------------------------------------------------------
# nbgrader
# --------------------------------------------------------------------------------------------------


def imported_modules(code: str) -> list[str]:
    """Absolute module names imported by ``code`` (``import a.b`` and ``from a.b import c``)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return list(dict.fromkeys(names))


def nbgrader_source(root: Path, dest: Path, assignment: str, *,
                    check_points: Mapping[str, float] | None = None) -> list[Path]:
    """Write ``dest/source/<assignment>/<assignment>.ipynb`` (an nbgrader course layout) and the
    student-side helper modules it imports (``assignments/<module>.py`` and
    ``assignments/__init__.py`` beside the notebook). Return the written paths.

    ``graders`` itself is not copied: it must be importable in the kernel (install the release
    bundle), because ``check`` needs the engine, the suite and the frozen expectations.
    """
    root, dest = Path(root), Path(dest)
    source = _read_source(root, assignment)
    folder = dest / "source" / assignment
    nb = derive_source_notebook(source, assignment, check_points=check_points)
    written = [folder / f"{assignment}.ipynb"]
    _write_atomic(written[0], notebook_text(nb).encode("utf-8"))

    code = "\n".join(c.text for c in split_cells(source) if c.kind == "code")
    helpers = [name.split(".", 1)[1] for name in imported_modules(code)
               if name.startswith("assignments.")]
    if helpers:
        init = root / "assignments" / "__init__.py"
        target = folder / "assignments" / "__init__.py"
        _write_atomic(target, init.read_bytes() if init.is_file() else b"")
        written.append(target)
    for helper in helpers:
        relative = Path(*helper.split(".")).with_suffix(".py")
        src = root / "assignments" / relative
        if not src.is_file():
            raise FileNotFoundError(f"{source_path(root, assignment)} imports assignments.{helper}, "
                                    f"but {src} does not exist")
        target = folder / "assignments" / relative
        _write_atomic(target, strip_hidden(src.read_text(encoding="utf-8")).encode("utf-8"))
        written.append(target)
    return written


def iter_region_lines(source: str) -> Iterable[str]:
    """Every line (stripped, non-blank) inside a solution or hidden region of ``source``."""
    lines = source.splitlines()
    inside_hidden = False
    for line in lines:
        if BEGIN_HIDDEN in line:
            inside_hidden = True
        elif END_HIDDEN in line:
            inside_hidden = False
        elif inside_hidden and line.strip():
            yield line.strip()
    visible = strip_hidden(source).splitlines()
    for begin, end in solution_regions(strip_hidden(source)):
        for line in visible[begin + 1:end]:
            if line.strip():
                yield line.strip()
