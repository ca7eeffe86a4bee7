"""The Gradescope autograder bundle: ``dlgrade gradescope ASSIGNMENT --out autograder.zip``.

Gradescope unpacks the zip into ``/autograder/source``, runs ``setup.sh`` once when it builds the
image, then ``run_autograder`` per submission (the upload in ``/autograder/submission``, the verdict
in ``/autograder/results/results.json``). The zip holds what grading one assignment needs: the
engine, that assignment's suite, references and frozen expectations, the student-side helpers and
the templates; nothing of the other assignments, no tests, no history. Gradescope's container is the
trusted side; the sandbox still confines the student's code inside it at the best level available.
Both scripts take the root from ``AUTOGRADER_ROOT`` (``/autograder`` by default).
"""
from __future__ import annotations

import json
import re
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Iterator

from graders.engine.reports.render import environment

#: The hidden checks' visibility choices Gradescope knows.
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
#: Written into the bundle's root; read by ``graders.engine.grading.autograder``.
CONFIG_NAME = "dlgrade-autograder.json"
_SKIP = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
_COURSE = ("initialization", "regularization", "gradient_checking", "optimization", "tf_intro")
_EXECUTABLE = 0o100755 << 16
_FILE = 0o100644 << 16
_TIMESTAMP = (2024, 1, 1, 0, 0, 0)  # fixed, so the same sources give the same zip


def _tree(root: Path, folder: str) -> Iterator[Path]:
    """Files below ``root/folder`` (relative to root), without caches or compiled files."""
    for path in sorted((root / folder).rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not (_SKIP & set(relative.parts)) and path.suffix not in (".pyc", ".pyo"):
            yield relative


def _belongs_to_another(stem: str, assignment: str) -> bool:
    """True for ``<other>`` or ``<other>_utils`` of another assignment of the course."""
    return any(stem in (other, f"{other}_utils") for other in _COURSE if other != assignment)


def bundled_files(root: Path, assignment: str) -> list[Path]:
    """The project files the autograder needs (relative to ``root``)."""
    files = [Path("pyproject.toml"), Path("graders/__init__.py"), Path("graders/cli.py"),
             Path(f"graders/{assignment}.py"), Path(f"graders/expected/{assignment}.json"),
             Path("solutions/__init__.py"), Path(f"solutions/{assignment}.py")]
    files += _tree(root, "graders/engine")
    files += _tree(root, "templates")
    files += [p for p in _tree(root, "assignments") if p.suffix == ".py" and not _belongs_to_another(p.stem, assignment)]
    return [p for p in files if (root / p).is_file()]


def _dependencies(root: Path, assignment: str) -> list[str]:
    """The project's dependencies (pyproject.toml), without TensorFlow unless the assignment uses it."""
    declared = tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"]
    keep = [d for d in declared if assignment == "tf_intro" or not d.lower().startswith("tensorflow")]
    return [d.split("#")[0].strip() for d in keep]


def _name_of(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement, maxsplit=1)[0]


def requirements(root: Path, assignment: str) -> tuple[str, str]:
    """(pinned, loose) requirements texts: the versions installed here, so Gradescope computes the
    same numbers; and the project's own ranges, the fallback where a pin has no wheel."""
    loose = _dependencies(root, assignment)
    pinned = []
    for requirement in loose:
        name = _name_of(requirement)
        try:
            pinned.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pinned.append(requirement)
    return "\n".join(pinned) + "\n", "\n".join(loose) + "\n"


def _script(name: str, **values: object) -> str:
    return environment().get_template(f"gradescope/{name}.j2").render(**values)


def build_autograder(root: Path, assignment: str, out: Path, hidden_visibility: str = "after_published",
                     seed: int = 0) -> Path:
    """Write the autograder zip for ``assignment`` to ``out`` and return it."""
    if hidden_visibility not in VISIBILITIES:
        raise ValueError(f"hidden_visibility must be one of {', '.join(VISIBILITIES)}")
    pinned, loose = requirements(root, assignment)
    config = {"assignment": assignment, "hidden_visibility": hidden_visibility, "seed": seed}
    generated = {
        "setup.sh": (_script("setup.sh", assignment=assignment), _EXECUTABLE),
        "run_autograder": (_script("run_autograder", assignment=assignment), _EXECUTABLE),
        "requirements.txt": (pinned, _FILE),
        "requirements-loose.txt": (loose, _FILE),
        CONFIG_NAME: (json.dumps(config, indent=1) + "\n", _FILE),
    }
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, (text, mode) in generated.items():
            _add(bundle, name, text.encode("utf-8"), mode)
        for relative in bundled_files(root, assignment):
            _add(bundle, relative.as_posix(), (root / relative).read_bytes(), _FILE)
    partial.replace(out)
    return out


def _add(bundle: zipfile.ZipFile, name: str, data: bytes, mode: int) -> None:
    info = zipfile.ZipInfo(name, date_time=_TIMESTAMP)
    info.external_attr = mode
    info.compress_type = zipfile.ZIP_DEFLATED
    bundle.writestr(info, data)
