"""Reading an assignment's single source, ``solutions/<name>.py``.

The source is written in the "percent" cell format:

* a line ``# %% [markdown]`` starts a markdown cell whose lines are ``# ``-prefixed comments;
* a line ``# %%`` starts a code cell;
* inside graded functions the body sits between nbgrader's solution markers, the comment lines
  "BEGIN SOLUTION" and "END SOLUTION" each written after three hash signs;
* an optional region between two such comment lines "BEGIN HIDDEN" and "END HIDDEN" holds hidden
  grading helpers (wrong variants and the like). It never reaches a student file, a notebook or a
  release;
* a solution region may end with its own stub text, between the comment lines "BEGIN STUB" and
  "END STUB" (also after three hash signs), each stub line commented out with ``# `` at the
  region's indentation: the student files show those lines, uncommented, in place of the region
  (code handed out for the student to fix) instead of the "YOUR CODE HERE" stub. nbgrader knows no
  such block: its own release replaces the whole region with its stub.

(The markers are never written out literally in this package, which ships in the student release,
where they are scanned for.) Everything here is a pure function of the source text except
:func:`read_source` and :func:`assignment_names`, which read the project's files.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

# Assembled from parts: see the module docstring.
_HASHES = "###"
BEGIN_SOLUTION = f"{_HASHES} BEGIN SOLUTION"
END_SOLUTION = f"{_HASHES} END SOLUTION"
BEGIN_HIDDEN = f"{_HASHES} BEGIN HIDDEN"
END_HIDDEN = f"{_HASHES} END HIDDEN"
BEGIN_STUB = f"{_HASHES} BEGIN STUB"
END_STUB = f"{_HASHES} END STUB"

#: What replaces a solution region, line by line, at the region's indentation (nbgrader's stub).
CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")

_CELL_MARKER = re.compile(r"^# %%(?P<rest>(\s.*)?)$")


class BuildError(ValueError):
    """The reference source is malformed (unbalanced markers, a marker in a markdown cell...)."""


@dataclass(frozen=True)
class Cell:
    """One cell of the percent-format source: its kind and its text (markdown without ``# ``)."""

    kind: Literal["markdown", "code"]
    text: str


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


def region_stub(lines: list[str], begin: int, end: int) -> tuple[int, list[str]] | None:
    """The explicit stub of the solution region ``lines[begin..end]`` (marker lines included): the
    index of its "BEGIN STUB" line and the stub lines uncommented, without indentation. None when
    the region has no stub block.

    Raises :class:`BuildError` unless the block is closed and is the last thing in the region, and
    every line in it is a comment at the region's indentation.
    """
    starts = [i for i in range(begin + 1, end) if BEGIN_STUB in lines[i]]
    stops = [i for i in range(begin + 1, end) if END_STUB in lines[i]]
    if not starts and not stops:
        return None
    if len(starts) != 1 or stops != [end - 1] or starts[0] > stops[0]:
        raise BuildError(f"line {begin + 1}: a stub block must be one closed block ending its solution region")
    indent = re.match(r"\s*", lines[begin]).group(0)  # type: ignore[union-attr]
    stub = []
    for index in range(starts[0] + 1, end - 1):
        line = lines[index]
        if line.strip() == "#":
            stub.append("")
        elif line.startswith(indent + "# "):
            stub.append(line[len(indent) + 2:])
        else:
            raise BuildError(f"line {index + 1}: a stub line must be a comment '# ' at the region's indentation")
    return starts[0], stub


def _check_stub_markers(lines: list[str], regions: list[tuple[int, int]]) -> None:
    """A stub marker outside every solution region is an error (it would reach a student file)."""
    for index, line in enumerate(lines):
        if (BEGIN_STUB in line or END_STUB in line) and not any(b < index < e for b, e in regions):
            raise BuildError(f"line {index + 1}: stub marker outside a solution region")


def replace_solutions(text: str) -> str:
    """Replace every solution region of ``text`` by its stub at the region's indentation: the
    region's own stub block when it has one, :data:`CODE_STUB` otherwise."""
    lines = text.splitlines()
    regions = solution_regions(text)
    _check_stub_markers(lines, regions)
    out: list[str] = []
    position = 0
    for begin, end in regions:
        out.extend(lines[position:begin])
        indent = re.match(r"\s*", lines[begin]).group(0)  # type: ignore[union-attr]
        explicit = region_stub(lines, begin, end)
        stub = CODE_STUB if explicit is None else explicit[1]
        out.extend(indent + line if line else "" for line in stub)
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


def source_path(root: Path, assignment: str) -> Path:
    """Where the reference of ``assignment`` lives."""
    return Path(root) / "solutions" / f"{assignment}.py"


def read_source(root: Path, assignment: str) -> str:
    """The text of ``assignment``'s single source; FileNotFoundError when there is none."""
    path = source_path(root, assignment)
    if not path.is_file():
        raise FileNotFoundError(f"no reference for assignment {assignment!r}: {path} is missing")
    return path.read_text(encoding="utf-8")





def assignment_names(root: Path) -> list[str]:
    """Every assignment with a reference in ``solutions/``, sorted."""
    return sorted(p.stem for p in (Path(root) / "solutions").glob("*.py")
                  if not p.name.startswith("_"))


def imported_modules(code: str) -> list[str]:
    """Absolute module names imported by ``code`` (``import a.b`` and ``from a.b import c``)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return list(dict.fromkeys(names))


def iter_region_lines(source: str) -> Iterable[str]:
    """Every line (stripped, non-blank) inside a solution or hidden region of ``source``, except
    what a region's own stub hands out (its stub block, and solution lines equal to a stub line)."""
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
        explicit = region_stub(visible, begin, end)
        stop, public = (end, set()) if explicit is None else (explicit[0], {s.strip() for s in explicit[1]})
        for line in visible[begin + 1:stop]:
            if line.strip() and line.strip() not in public:
                yield line.strip()
