"""The generated notebooks, executed for real in a Jupyter kernel."""
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from graders.engine.authoring import derive

ROOT = Path(__file__).resolve().parents[1]


def execute(notebook: nbformat.NotebookNode, folder: Path) -> list[dict]:
    """Run every cell (stopping at the first error); per code cell, what it showed: printed text
    ("stream"), and the displayed result's text ("text") and HTML ("html")."""
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    shown = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        results = [o for o in outputs if o.get("output_type") in ("execute_result", "display_data")]
        shown.append({
            "stream": "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream"),
            "text": "".join(o.get("data", {}).get("text/plain", "") for o in results),
            "html": "".join(o.get("data", {}).get("text/html", "") for o in results),
        })
    return shown


@pytest.fixture(scope="module")
def source() -> str:
    return (ROOT / "solutions" / "regularization.py").read_text()


def checks_of(shown: list[dict]) -> list[dict]:
    return [s for s in shown if "Public checks" in s["text"]]


def test_the_student_notebook_shows_compact_verdicts(source):
    shown = execute(derive.derive_notebook(source, "regularization"), ROOT)
    checks = checks_of(shown)
    assert len(checks) == 4
    for verdict in checks:
        assert "not implemented" in verdict["text"] and "not implemented" in verdict["html"]
        assert "Report(" not in verdict["text"] + verdict["stream"] and "CheckResult(" not in verdict["text"]
        assert verdict["html"].lstrip().startswith("<div") and "hidden" in verdict["text"]
        assert len(verdict["text"].splitlines()) < 20
    assert "could not run" in shown[-1]["text"] and "Run(" not in shown[-1]["text"]


def test_the_notebook_with_the_reference_passes_its_checks_and_runs_the_experiment(source):
    shown = execute(derive.derive_source_notebook(source, "regularization"), ROOT)
    checks = checks_of(shown)
    assert len(checks) == 4 and all("FAIL" not in c["text"] and "not implemented" not in c["text"] for c in checks)
    assert "hidden" in checks[0]["text"]
    experiment = shown[-1]["text"]
    assert "L2 regularization" in experiment and "%" in experiment and "Run(" not in experiment


def test_under_nbgrader_the_experiment_does_not_train(source, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")  # what nbgrader validate sets; the kernel inherits it
    nb = derive.derive_source_notebook(source, "regularization")
    shown = execute(nb, ROOT)
    assert "not run under nbgrader validate" in shown[-1]["text"]
    assert len(checks_of(shown)) == 4
