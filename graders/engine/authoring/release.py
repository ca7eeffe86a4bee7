"""The student release bundle: ``dlgrade release DIR``.

The bundle holds the stubs and notebooks derived afresh, the student-side helpers, the engine and
grader suites and the templates without hidden material, and a student README; never
``solutions/``. It is assembled beside the destination, scanned for solution and hidden markers, and
moved into place only when clean.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Sequence

import tomllib

from graders.engine.authoring.derive import derived_files
from graders.engine.authoring.source import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    BuildError,
    assignment_names,
    strip_hidden,
)

_RELEASE_README_TEMPLATE = "release_readme.md.j2"
_SKIP_NAMES = {"__pycache__", ".pytest_cache", ".ipynb_checkpoints", ".mypy_cache", ".ruff_cache"}


class ReleaseError(RuntimeError):
    """The release cannot be written safely (dest not empty, hidden material would leak...)."""


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
