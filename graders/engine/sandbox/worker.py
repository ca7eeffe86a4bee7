"""The worker runtime: runs inside an untrusted, confined process, beside the student's code.

It loads the submission's code (sent as text by the trusted side), then answers requests on its
socket until the socket closes:

    {"op": "load", "cells": [[label, code], ...], "keep_all": bool}
        -> {"ok": True, "functions": [...], "notes": [...]}
    {"op": "call", "fn": name, "args": [...], "kwargs": {...}}
        -> {"ok": True, "value": ...} | {"ok": False, "error": {...}}
    {"op": "drive", "driver": "module:function", "args": [...], "kwargs": {...}}
        a trusted driver (a training loop...) from the student side package, called with the
        student's namespace as ``functions=``; same answers as "call".

Everything it sends is data (see protocol.py). Nothing here is trusted by the grader: a student can
replace any of it, and all the trusted side ever does with the answers is decode and judge them.
"""
from __future__ import annotations

import ast
import builtins
import importlib
import linecache
import sys
import traceback
from typing import Any

from graders.engine.sandbox import protocol

SUBMISSION_FILE = "<submission>"
MAX_MESSAGE_CHARS = 2000  #: exception messages are cut to this length in the worker already


def serve(sock, preload: dict[str, Any], drivers: frozenset[str]) -> None:
    """Answer requests on ``sock`` until it closes. ``preload`` seeds the module namespace (the
    assignment's helpers, so course code that relies on them runs unchanged); each "load" starts
    from a new namespace, so loading again gives new function objects (no tf.function trace, no
    global of the earlier load survives)."""
    namespace: dict[str, Any] = {}
    while True:
        try:
            request = protocol.receive(sock, materialize=materialize)
        except protocol.ChannelClosed:
            return
        op = request.get("op")
        if op == "load":
            namespace = {"__name__": "submission", "__builtins__": builtins, **preload}
            answer = load(namespace, request["cells"], request["keep_all"])
        elif op == "call":
            answer = call(namespace.get(request["fn"]), request["args"], request["kwargs"])
        elif op == "drive" and request["driver"] in drivers:
            module, _, name = request["driver"].partition(":")
            driver = getattr(importlib.import_module(module), name)
            answer = call(driver, request["args"], {**request["kwargs"], "functions": namespace})
        else:
            answer = {"ok": False, "error": {"type": "ProtocolError", "message": f"bad op {op!r}", "line": None}}
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            frame = protocol.frame_parts(*protocol.encode_checked(answer))
        except protocol.TooLarge as error:  # say so, rather than send what the grader must refuse
            frame = protocol.frame_parts(*protocol.encode({"ok": False, "unsendable": error.reason}))
        protocol.send_parts(sock, frame)


def materialize(kind: str, array: Any) -> Any:
    """Turn a request's tensor argument into a real tf.constant or tf.Variable (in a worker, or
    in the trusted process when it runs the reference)."""
    import tensorflow as tf  # imported by the zygote of an assignment that needs it

    return tf.Variable(array) if kind == "variable" else tf.constant(array)


# -------------------------------------------------------------------------------------- loading


def load(namespace: dict, cells: list, keep_all: bool) -> dict:
    """Execute the submission's top-level statements one at a time, so that one failing import or
    statement does not sink the functions defined around it. For notebooks (``keep_all`` false)
    only what the graded code can need runs: imports, definitions, call-free assignments, and any
    assignment to a name a function reads; experiments and plotting cells do not run."""
    notes: list[dict] = []
    parsed = []
    for label, code in cells:
        filename = SUBMISSION_FILE if keep_all else f"<submission {label}>"
        lines = code.splitlines(keepends=True) or ["\n"]
        linecache.cache[filename] = (len(code), None, lines, filename)
        try:
            parsed.append((filename, ast.parse(code, filename)))
        except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
            message = error.msg if isinstance(error, SyntaxError) else _message(error)
            notes.append({"kind": "syntax_error", "cell": label, "line": getattr(error, "lineno", None),
                          "message": str(message)[:MAX_MESSAGE_CHARS]})
    needed = set() if keep_all else _names_read_by_functions([tree for _, tree in parsed])
    for filename, tree in parsed:
        cell = None if keep_all else filename[len(SUBMISSION_FILE):-1]
        for statement in tree.body:
            if keep_all or _is_definition(statement, needed):
                # in a notebook, a failing statement the graded functions do not need (a test
                # cell's leftover) is dropped without a note: the student could not act on it
                quiet = not keep_all and not _is_needed(statement, needed)
                _execute(statement, filename, namespace, [] if quiet else notes, cell)
    functions = sorted(k for k, v in namespace.items() if callable(v) and getattr(v, "__module__", None) == "submission")
    return {"ok": True, "functions": functions, "notes": notes}


def _names_read_by_functions(trees: list[ast.Module]) -> set[str]:
    """Global names read inside the notebook's function bodies (their arguments and the names they
    assign are local, unless declared ``global``)."""
    names = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                arguments = node.args
                local = {a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs}
                local |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
                declared = {n for g in ast.walk(node) if isinstance(g, ast.Global) for n in g.names}
                local |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
                reads = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
                names |= {n for n in reads if n not in local or n in declared}
    return names


def _is_definition(statement: ast.stmt, needed: set[str]) -> bool:
    """Statements a notebook contributes to the graded module: imports, def/class, and
    assignments to plain names, either of call-free expressions (``layers_dims = [2, 20, 3, 1]``)
    or of a name some function reads (``rng = np.random.default_rng(1)``)."""
    if isinstance(statement, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        if not all(isinstance(t, ast.Name) for t in targets):
            return False
        calls = any(isinstance(n, ast.Call) for n in ast.walk(statement.value))
        return not calls or any(t.id in needed for t in targets)
    return False


def _is_needed(statement: ast.stmt, needed: set[str]) -> bool:
    """Imports and definitions, and assignments to a name some graded function reads."""
    if not isinstance(statement, (ast.Assign, ast.AnnAssign)):
        return True
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    return any(isinstance(t, ast.Name) and t.id in needed for t in targets)


def _execute(statement: ast.stmt, filename: str, namespace: dict, notes: list[dict], cell: str | None = None) -> None:
    code = compile(ast.Module([statement], type_ignores=[]), filename, "exec")
    where = {"line": statement.lineno, **({"cell": cell} if cell else {})}
    try:
        exec(code, namespace)
    except ImportError as error:
        notes.append({"kind": "missing_module", "module": str(error.name or _message(error))[:200], **where})
    except SystemExit as error:
        notes.append({"kind": "exited", "code": str(error.code)[:100], **where})
    except BaseException as error:  # noqa: BLE001 - student code may raise anything
        notes.append({"kind": "statement_failed", "type": _type_name(error), "message": _message(error), **where})


# -------------------------------------------------------------------------------------- calling


def call(function: Any, args: list, kwargs: dict) -> dict:
    """Call ``function`` and describe the outcome as data."""
    if function is None or not callable(function):
        return {"ok": False, "missing": True}
    try:
        value = function(*args, **kwargs)
    except NotImplementedError as error:
        missing = getattr(error, "function", None)  # a driver's lookup of a function never defined
        if type(missing) is str:
            return {"ok": False, "missing": True, "where": missing}
        return {"ok": False, "not_implemented": True, "where": _student_frame(error)[0]}
    except BaseException as error:  # noqa: BLE001 - SystemExit, KeyboardInterrupt included
        where, line, cell = _student_frame(error)
        return {"ok": False, "error": {"type": _type_name(error), "message": _message(error),
                                       "line": line, "cell": cell, "where": where}}
    return {"ok": True, "value": value}


def _type_name(error: BaseException) -> str:
    try:
        return str(type(error).__name__)[:100]
    except Exception:
        return "Exception"


def _message(error: BaseException) -> str:
    try:
        return str(error)[:MAX_MESSAGE_CHARS]
    except BaseException:  # noqa: BLE001 - a rigged __str__
        return "(the exception's message could not be read)"


def _student_frame(error: BaseException) -> tuple[str | None, int | None, str | None]:
    """The innermost function of the student's code in the traceback, its line and, in a
    notebook, its cell ("cell 4"), if any."""
    where, line, cell = None, None, None
    try:
        for frame, lineno in traceback.walk_tb(error.__traceback__):
            filename = frame.f_code.co_filename
            if filename.startswith(SUBMISSION_FILE[:-1]):
                where, line = frame.f_code.co_name, lineno
                cell = filename[len(SUBMISSION_FILE):-1] or None
    except Exception:
        pass
    return where, line, cell
