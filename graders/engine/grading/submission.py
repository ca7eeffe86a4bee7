"""Reading a submission from disk into code cells (trusted side: reads and parses, never runs).

A submission is a ``.py`` file, a ``.ipynb`` notebook, or a folder holding exactly one of them
(preferring a file named after the assignment). Problems become a one-line ``Evidence`` on the
submission instead of an exception, so the rest of the class is still graded.
"""
from __future__ import annotations

import ast
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from graders.engine.reports.records import Evidence
from graders.engine.sandbox import imports

MAX_SOURCE_BYTES = 2 << 20  #: larger files are refused, not read
_IMPORT_LINE = re.compile(r"^[ \t]*(?:import|from)[ \t]+([A-Za-z_]\w*)", re.M)


@dataclass(frozen=True)
class Submission:
    """``cells`` are (label, code) pairs; ``keep_all`` is false for notebooks, whose cells only
    contribute definitions. ``problem`` is set when nothing could be read."""

    student: str
    path: str
    cells: tuple[tuple[str, str], ...] = ()
    keep_all: bool = True
    problem: Evidence | None = None

    @property
    def imported_packages(self) -> frozenset[str]:
        """The top-level packages the code imports (``matplotlib`` for ``import matplotlib.pyplot
        as plt``), read from its text: a cell that does not parse is searched line by line."""
        found: set[str] = set()
        for _, code in self.cells:
            try:
                nodes = [n for n in ast.walk(ast.parse(code)) if isinstance(n, (ast.Import, ast.ImportFrom))]
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                found.update(_IMPORT_LINE.findall(code))
                continue
            for node in nodes:
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                found.update(name.partition(".")[0] for name in names if name and not getattr(node, "level", 0))
        return frozenset(found)

    @property
    def digest(self) -> str:
        """A fingerprint of what is graded (the code, or the problem)."""
        text = repr((self.cells, self.keep_all, self.problem))
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def read(path: Path, assignment: str, student: str | None = None) -> Submission:
    """Read ``path`` (file or folder) as a submission of ``assignment``."""
    name = student or (path.stem if path.suffix in (".py", ".ipynb") else path.name)
    shown = str(path)
    if not path.exists():
        return Submission(name, shown, problem=Evidence("file_missing", {"path": shown}))
    if path.is_dir():
        chosen = _pick_from_folder(path, assignment)
        if isinstance(chosen, Evidence):
            return Submission(name, shown, problem=chosen)
        path = chosen
    if path.suffix not in (".py", ".ipynb"):
        return Submission(name, shown, problem=Evidence("not_python", {"path": shown}))
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise OSError(f"larger than {MAX_SOURCE_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return Submission(name, shown, problem=Evidence("unreadable", {"path": shown, "reason": _reason(error)}))
    if path.suffix == ".py":
        return Submission(name, shown, cells=(("file", text),))
    nbformat = imports.import_module("nbformat")  # only for notebooks, and leaner (see sandbox.imports)
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as error:  # nbformat raises many kinds on a corrupt file
        return Submission(name, shown, problem=Evidence("corrupt_notebook", {"path": shown, "reason": _reason(error)}))
    cells = tuple((f"cell {i + 1}", _drop_magics(c.source)) for i, c in enumerate(notebook.cells)
                  if c.get("cell_type") == "code")
    return Submission(name, shown, cells=cells, keep_all=False)


def _pick_from_folder(folder: Path, assignment: str) -> Path | Evidence:
    candidates = sorted(p for p in folder.iterdir() if p.suffix in (".py", ".ipynb") and p.is_file()
                        and not p.name.startswith("."))
    named = sorted((p for p in candidates if p.stem == assignment), key=lambda p: p.suffix != ".py")
    if named:  # the assignment's own name wins, the .py before the notebook
        return named[0]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return Evidence("empty_folder", {"path": str(folder)})
    return Evidence("ambiguous_folder", {"path": str(folder), "candidates": [p.name for p in candidates]})


def _drop_magics(source: str) -> str:
    """Blank out IPython magics and shell escapes (lines starting with % or !), keeping line
    numbers."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:300]
