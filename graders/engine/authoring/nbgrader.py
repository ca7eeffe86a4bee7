"""An nbgrader course's ``source/`` folder for an assignment: the source notebook (solutions kept,
as nbgrader expects them) and the student-side helper modules it imports."""
from __future__ import annotations

from pathlib import Path
from typing import Mapping

from graders.engine.authoring.derive import derive_source_notebook, notebook_text
from graders.engine.authoring.source import (
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

    code = "\n".join(c.text for c in split_cells(source) if c.kind == "code")
    helpers = _helper_modules(root, code)
    if helpers:
        init = root / "assignments" / "__init__.py"
        target = folder / "assignments" / "__init__.py"
        write_atomic(target, init.read_bytes() if init.is_file() else b"")
        written.append(target)
    for helper in helpers:
        relative = Path(*helper.split(".")).with_suffix(".py")
        src = root / "assignments" / relative
        if not src.is_file():
            raise FileNotFoundError(f"{source_path(root, assignment)} imports assignments.{helper}, "
                                    f"but {src} does not exist")
        target = folder / "assignments" / relative
        write_atomic(target, strip_hidden(src.read_text(encoding="utf-8")).encode("utf-8"))
        written.append(target)
    return written


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
