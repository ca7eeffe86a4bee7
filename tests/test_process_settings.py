"""How the grading process sets itself up: a package imported without the companion it pulls in
only for an integration no grading uses (sandbox.imports), and one BLAS thread while a class is
graded."""
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split()


@pytest.mark.skipif(importlib.util.find_spec("rfc3987_syntax") is None, reason="needs nbgrader's jsonschema extras")
def test_reading_a_notebook_imports_nbformat_without_rfc3987_syntax_which_still_imports_after():
    notebook = next(ROOT.glob("examples/regularization/*.ipynb"))
    got = run("import sys; from pathlib import Path; from graders.engine.grading import submission; "
              f"s = submission.read(Path({str(notebook)!r}), 'regularization'); "
              "print(s.problem is None and len(s.cells) > 0, 'nbformat' in sys.modules, "
              "'rfc3987_syntax' in sys.modules); "
              "import rfc3987_syntax; print(rfc3987_syntax.is_valid_syntax('iri', 'https://example.org/a'))")
    assert got == ["True", "True", "False", "True"]


def test_a_companion_already_imported_is_left_as_it_is():
    got = run("import sys, json; sys.modules['json_companion_probe'] = json; "
              "from graders.engine.sandbox import imports; imports.LEAN['csv'] = 'json_companion_probe'; "
              "imports.import_module('csv'); print(sys.modules['json_companion_probe'] is json)")
    assert got == ["True"]


def test_a_package_without_a_companion_imports_as_usual():
    got = run("import sys; from graders.engine.sandbox import imports; m = imports.import_module('email.parser'); "
              "print(m is sys.modules['email.parser'])")
    assert got == ["True"]


def test_a_class_is_graded_with_one_blas_thread_then_the_setting_is_restored(monkeypatch):
    from threadpoolctl import threadpool_info

    from graders.engine.grading import classrun, runner

    def blas_threads():
        return {info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"}

    seen, grade = [], runner.grade

    def counting_grade(*args, **kwargs):
        seen.append(blas_threads())
        return grade(*args, **kwargs)

    before = blas_threads()
    monkeypatch.setattr(runner, "grade", counting_grade)
    sample = ROOT / "examples" / "regularization" / "correct_course_style.py"
    run = classrun.grade_class("regularization", [sample], None, figures=False)
    assert run.reports[0].points == 28 and seen == [{1}]
    assert blas_threads() == before
