"""Importing a package without what it pulls in only for an integration no grading uses.

Keras, imported by TensorFlow, imports scikit-learn when it is installed (for its scikit-learn
wrappers, which no assignment uses): about 1 s of TensorFlow's 4-5 s import, paid by the zygote and
by the grading process of every TensorFlow class. nbformat's jsonschema imports rfc3987_syntax
where nbgrader's dependencies installed it (for the "iri" format, which no notebook schema uses),
which builds a grammar at import: 1.35 s of nbformat's 1.5 s, paid by a grading of notebooks.
``import_module`` imports such a package with the other hidden; the hidden package imports normally
afterwards (only what was bound at that import, Keras's wrappers and jsonschema's "iri" checker,
then acts as if it were not installed).
"""
from __future__ import annotations

import importlib
import sys
from types import ModuleType

#: package -> a package it imports only for an optional integration (hidden while it is imported)
LEAN = {"tensorflow": "sklearn", "nbformat": "rfc3987_syntax"}


def import_module(name: str) -> ModuleType:
    """importlib.import_module(name), with LEAN's companion of its top package hidden during a
    first import (a companion already imported stays as it is)."""
    companion = LEAN.get(name.partition(".")[0])
    if companion is None or name in sys.modules or companion in sys.modules:
        return importlib.import_module(name)
    sys.modules[companion] = None  # importing it raises ImportError, which both integrations expect
    try:
        return importlib.import_module(name)
    finally:
        if sys.modules.get(companion, 0) is None:
            del sys.modules[companion]
