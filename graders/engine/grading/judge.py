"""Judging on the trusted side: canonical comparisons that produce structured evidence.

Every function takes values decoded by protocol.decode (plain containers, base-class ndarrays,
:class:`Unsupported` markers), so a rigged object can never take part in a comparison.
"""
from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

from graders.engine.grading.tolerances import VALUES, Tolerance
from graders.engine.reports.records import Evidence, Hint
from graders.engine.sandbox.protocol import TFValue, Unsupported

MAX_EVIDENCE = 6  #: a check reports at most this many differing items


class CheckFailed(Exception):
    """Raised by a check (or a judge helper) when the submission's answer is wrong."""

    def __init__(self, *evidence: Evidence, hint: Hint | None = None):
        super().__init__(*(e.kind for e in evidence))
        self.evidence = evidence[:MAX_EVIDENCE]
        self.hint = hint


def type_name(value: Any) -> str:
    """A short, stable name for the type of a decoded value (used in wrong_type evidence)."""
    if isinstance(value, Unsupported):
        return value.type_name
    if isinstance(value, TFValue):
        return f"{'tf.Variable' if value.is_variable else 'tf.Tensor'} of {value.array.dtype.name}"
    if isinstance(value, np.ndarray):
        return f"ndarray of {value.dtype.name}"
    if isinstance(value, np.generic):
        return f"numpy {value.dtype.name}"
    return type(value).__name__


def is_real_scalar(value: Any) -> bool:
    """A Python or numpy real number, or a real array with exactly one element."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (numbers.Real, np.integer, np.floating)):
        return True
    return isinstance(value, np.ndarray) and value.size == 1 and value.ndim <= 2 and value.dtype.kind in "iuf"


def scalar(name: str, got: Any) -> float:
    """``got`` as a float, or CheckFailed(wrong_type / not_finite)."""
    if not is_real_scalar(got):
        raise CheckFailed(Evidence("wrong_type", {"name": name, "expected": "a real number", "got": type_name(got)}))
    value = float(np.asarray(got, dtype=np.float64).reshape(()))
    if not np.isfinite(value):
        raise CheckFailed(Evidence("not_finite", {"name": name, "count": 1, "n_total": 1}))
    return value


def array(name: str, got: Any, shape: Sequence[int] | None = None, kinds: str = "biuf") -> np.ndarray:
    """``got`` as an exact ndarray of a numeric kind and the given shape, or CheckFailed."""
    if type(got) is not np.ndarray or got.dtype.kind not in kinds:
        raise CheckFailed(Evidence("wrong_type", {"name": name, "expected": "a numpy array", "got": type_name(got)}))
    if shape is not None and tuple(got.shape) != tuple(shape):
        raise CheckFailed(Evidence("wrong_shape", {"name": name, "expected": list(shape), "got": list(got.shape)}))
    return got


def array_or_nested_list(name: str, got: Any, shape: Sequence[int] | None = None) -> tuple[np.ndarray, bool]:
    """``got`` as an ndarray like :func:`array`, also accepting a rectangular nested list or tuple
    of numbers or booleans (what the course's value comparisons accept). Returns (the array, True
    when ``got`` was a list or tuple)."""
    if type(got) in (list, tuple):
        try:
            converted = np.array(got)
        except (ValueError, TypeError):  # ragged
            converted = None
        if converted is not None and converted.dtype.kind in "biuf" and converted.ndim > 0:
            return array(name, converted, shape), True
    return array(name, got, shape), False


def tensor(name: str, got: Any, shape: Sequence[int] | None = None, dtype: str | None = "float32",
           variable: bool = False) -> np.ndarray:
    """``got`` as the value of a TensorFlow tensor (a tf.Variable when ``variable``) of that dtype
    and shape, or CheckFailed."""
    expected = "a tf.Variable" if variable else "a TensorFlow tensor"
    if not isinstance(got, TFValue) or (variable and not got.is_variable):
        raise CheckFailed(Evidence("wrong_type", {"name": name, "expected": expected, "got": type_name(got)}))
    if dtype is not None and got.array.dtype != np.dtype(dtype):
        raise CheckFailed(Evidence("wrong_type", {"name": name, "expected": f"{expected} of {dtype}",
                                                  "got": type_name(got)}))
    return array(name, got.array, shape, kinds="biufc")


def mapping(name: str, got: Any, keys: Sequence[str]) -> dict:
    """``got`` as a dict holding at least ``keys`` (extra keys are harmless)."""
    if type(got) is not dict:
        raise CheckFailed(Evidence("wrong_type", {"name": name, "expected": "a dict", "got": type_name(got)}))
    missing = [k for k in keys if k not in got]
    if missing:
        raise CheckFailed(Evidence("missing_keys", {"name": name, "missing": missing}))
    return got


def sequence(name: str, got: Any, length: int | None = None) -> tuple:
    """``got`` as a tuple of ``length`` items, or of any length when None (a list is accepted:
    it unpacks the same way)."""
    if type(got) not in (tuple, list):
        raise CheckFailed(Evidence("wrong_type", {"name": name, "expected": "a tuple", "got": type_name(got)}))
    if length is not None and len(got) != length:
        raise CheckFailed(Evidence("wrong_length", {"name": name, "expected": length, "got": len(got)}))
    return tuple(got)


def differences(name: str, got: Any, want: Any, tol: Tolerance = VALUES,
                labels: Sequence[str] | None = None) -> list[Evidence]:
    """Everything that differs between ``got`` and the canonical ``want``, as evidence. Containers
    are compared item by item (``labels`` name tuple items); an empty list means equal."""
    got, want = (v.array if isinstance(v, TFValue) else v for v in (got, want))  # values, not types
    try:
        if type(want) is dict:
            found = mapping(name, got, list(want))
            return [e for k in want for e in differences(k, found[k], want[k], tol)]
        if type(want) in (tuple, list):
            found = sequence(name, got, len(want))
            names = labels or [f"{name}[{i}]" for i in range(len(want))]
            return [e for n, g, w in zip(names, found, want) for e in differences(n, g, w, tol)]
        if isinstance(want, np.ndarray) and want.ndim > 0:
            return _array_differences(name, array(name, got, want.shape), want, tol)
        return _array_differences(name, np.asarray(scalar(name, got)), np.asarray(want, dtype=np.float64), tol)
    except CheckFailed as failure:
        return list(failure.evidence)


def _array_differences(name: str, got: np.ndarray, want: np.ndarray, tol: Tolerance) -> list[Evidence]:
    got64, want64 = got.astype(np.float64), want.astype(np.float64)
    bad_values = ~np.isfinite(got64) & np.isfinite(want64)
    if bad_values.any():
        return [Evidence("not_finite", {"name": name, "count": int(bad_values.sum()), "n_total": int(got.size)})]
    wrong = ~np.isclose(got64, want64, rtol=tol.rtol, atol=tol.atol, equal_nan=True)
    if not wrong.any():
        return []
    error = np.where(wrong, np.abs(got64 - want64), 0.0)
    where = np.unravel_index(int(np.argmax(error)), error.shape)
    return [Evidence("values_differ", {
        "name": name, "n_differ": int(wrong.sum()), "n_total": int(got.size),
        "max_err": float(error[where]), "where": [int(i) for i in where] if got.ndim else None,
        "got": float(got64[where]), "want": float(want64[where]), "rtol": tol.rtol, "atol": tol.atol})]


def close(name: str, got: Any, want: Any, tol: Tolerance = VALUES, labels: Sequence[str] | None = None,
          hint: Hint | None = None) -> None:
    """CheckFailed with every difference unless ``got`` matches ``want``."""
    found = differences(name, got, want, tol, labels)
    if found:
        raise CheckFailed(*found, hint=hint)


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """||a - b|| / (||a|| + ||b||), 0 when both are zero (gradient checking's measure)."""
    with np.errstate(all="ignore"):  # inf and NaN give inf or NaN, which fail the threshold
        denominator = np.linalg.norm(a) + np.linalg.norm(b)
        return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)
