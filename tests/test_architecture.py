"""The trust boundary and the house's shape, held in the import graph.

Every import of the project's own modules is read from the source (top-level and inside functions,
and ``importlib.import_module`` of a constant name), so a lazy import cannot hide an edge.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graders", "assignments", "solutions")
#: The modules that run inside a worker, beside student code.
WORKER_SIDE = ("graders.engine.sandbox.zygote", "graders.engine.sandbox.confine", "graders.engine.sandbox.worker",
               "graders.engine.sandbox.protocol", "graders.engine.sandbox.imports")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


MODULES = project_modules()


def resolve(name: str) -> str | None:
    """The project module an imported name refers to (``a.b.c`` may be module ``a.b`` + name ``c``)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str) -> set[str]:
    """Project modules ``module`` imports anywhere in its text."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names.update(f"{base}.{alias.name}" for alias in node.names)
            names.add(base)
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            names.add(node.args[0].value)
    found = {resolve(n) for n in names} - {None, module}
    # "from graders.engine.grading import judge" names the package and the module: keep the module
    return {m for m in found if not any(o != m and o.startswith(m + ".") for o in found) or m == module}


GRAPH = {module: imports_of(module) for module in MODULES}


def reachable(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in GRAPH[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


@pytest.mark.parametrize("module", WORKER_SIDE)
def test_worker_side_modules_import_only_the_sandbox_package(module):
    outside = {m for m in reachable(module) if not m.startswith("graders.engine.sandbox")}
    assert not outside, f"{module} (runs beside student code) imports {sorted(outside)}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("assignments")))
def test_student_side_modules_never_import_graders_or_solutions(module):
    """Student-side helpers are preloaded by workers and ship in the release: no grading code, no
    reference in them."""
    wrong = {m for m in reachable(module) if not m.startswith("assignments")}
    assert not wrong, f"{module} imports {sorted(wrong)}"


def test_nothing_but_the_oracle_and_the_suites_reach_the_solutions():
    """Only the live oracle names ``solutions`` (by a computed name); no engine module imports a
    reference by a constant name."""
    offenders = {m for m in MODULES if m.startswith("graders") and any(d.startswith("solutions") for d in GRAPH[m])}
    assert not offenders, sorted(offenders)


def test_no_import_circles():
    cycles = []
    for module in MODULES:
        if module in reachable(module):
            cycles.append(module)
    assert not cycles, f"modules that import themselves through others: {sorted(cycles)}"


def test_the_graph_sees_lazy_and_dynamic_imports():
    """The reader is not blind to the imports that made the circles of the past."""
    assert "graders.engine.reports.store" in GRAPH["graders.engine.reports.gradebook"]
    assert "assignments.network" in GRAPH["assignments.regularization_utils"]
    assert "graders.engine.sandbox.worker" in GRAPH["graders.engine.sandbox.zygote"]
