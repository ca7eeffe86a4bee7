"""Loading a submission in the worker runtime: which notebook statements run, and what the notes say."""
import builtins

from graders.engine.sandbox import worker


def load(cells, keep_all=False):
    namespace = {"__name__": "submission", "__builtins__": builtins}
    return namespace, worker.load(namespace, cells, keep_all)


def test_a_notebook_leftover_that_fails_leaves_no_note():
    """A test cell's call-free assignment reading a variable of a skipped cell is not needed by any
    graded function: it is dropped silently (the student could not act on a note about it)."""
    cells = [("cell 1", "A3_t, Y_t = make_test_case()"), ("cell 2", "shape = A3_t.shape"),
             ("cell 3", "def f(x):\n    return 2 * x")]
    namespace, answer = load(cells)
    assert answer["notes"] == [] and answer["functions"] == ["f"]


def test_a_needed_statement_that_fails_names_its_cell():
    cells = [("cell 1", "import numpy as np"), ("cell 2", "scale = missing_name * 2"),
             ("cell 4", "def f(x):\n    return scale * x")]
    _, answer = load(cells)
    assert answer["notes"] == [{"kind": "statement_failed", "type": "NameError",
                                "message": "name 'missing_name' is not defined", "line": 1, "cell": "cell 2"}]


def test_a_python_file_runs_every_statement_and_notes_failures_by_line():
    _, answer = load([("file", "x = 1\ny = undefined + 1\ndef f():\n    return x")], keep_all=True)
    assert [(n["kind"], n["line"], "cell" in n) for n in answer["notes"]] == [("statement_failed", 2, False)]


def test_a_name_a_function_only_uses_locally_is_not_needed():
    """``parameters`` is an argument of the graded function: a test cell assigning it from a call
    is not run (it would fail on the test case's inputs, which are not loaded)."""
    cells = [("cell 1", "parameters = update(parameters, grads, 0.01)"),
             ("cell 2", "def update(parameters, grads, learning_rate):\n    step = learning_rate\n"
                        "    return {k: v - step * grads['d' + k] for k, v in parameters.items()}"),
             ("cell 3", "rate = default_rate()"), ("cell 4", "def g(x):\n    return rate * x")]
    namespace, answer = load(cells)
    assert answer["functions"] == ["g", "update"]
    assert [(n["kind"], n["cell"]) for n in answer["notes"]] == [("statement_failed", "cell 3")]


def test_notes_read_with_and_without_a_cell():
    from graders.engine.reports.records import LoadNote
    from graders.engine.reports.render import environment

    note_text = environment().get_template("common.j2").module.note_text
    with_cell = note_text(LoadNote("statement_failed", {"line": 2, "type": "NameError", "message": "x", "cell": "cell 7"}))
    assert "at line 2 of cell 7 raised NameError" in str(with_cell)
    plain = note_text(LoadNote("missing_module", {"line": 3, "module": "reg_utils"}))
    assert str(plain).startswith("Line 3 imports reg_utils")
