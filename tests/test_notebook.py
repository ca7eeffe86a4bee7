"""The generated notebooks, executed for real in a Jupyter kernel."""
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from graders.engine.authoring import derive

ROOT = Path(__file__).resolve().parents[1]


def execute(notebook: nbformat.NotebookNode, folder: Path) -> list[str]:
    """Run every cell (stopping at the first error) and return each code cell's printed text."""
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    return ["".join(o.get("text", "") for o in c.get("outputs", []) if o.get("output_type") == "stream")
            for c in notebook.cells if c.cell_type == "code"]


@pytest.fixture(scope="module")
def source() -> str:
    return (ROOT / "solutions" / "regularization.py").read_text()


def test_the_student_notebook_runs_and_reports_not_implemented(source, tmp_path):
    outputs = execute(derive.derive_notebook(source, "regularization"), ROOT)
    checks = [o for o in outputs if "Public checks" in o]
    assert len(checks) == 4
    assert all("not implemented" in o for o in checks)
    assert "could not run" in outputs[-1]


def test_the_notebook_with_the_reference_passes_its_checks_and_runs_the_experiment(source):
    outputs = execute(derive.derive_source_notebook(source, "regularization"), ROOT)
    checks = [o for o in outputs if "Public checks" in o]
    assert len(checks) == 4 and all("FAIL" not in o and "not implemented" not in o for o in checks)
    assert "hidden" in checks[0]
    experiment = outputs[-1]
    assert "L2 regularization" in experiment and "%" in experiment
