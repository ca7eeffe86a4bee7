"""Where expected values come from.

* :class:`LiveOracle` (grading, trusted process only): calls the hidden reference in
  ``solutions/<assignment>.py`` and its known wrong variants (``MISTAKES``), computing each output
  once per distinct input for the whole class.
* :class:`RecordingOracle` (``dlgrade build``): a live oracle that also records what the public
  checks asked for, to freeze into ``graders/expected/<assignment>.json``.
* :class:`FrozenOracle` (``dlgrade check``, student side): replays the frozen values; needs no
  solution code. A public check whose inputs changed since the freeze fails as "stale".
"""
from __future__ import annotations

import importlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from graders.engine.sandbox import imports, protocol
from graders.engine.sandbox.worker import materialize

EXPECTED_DIR = Path(__file__).resolve().parents[2] / "expected"


@dataclass(frozen=True)
class Misconception:
    """A known wrong variant of a graded function: when a failing answer matches ``fn``'s output,
    feedback names the mistake through the hint template macro ``hint`` (with ``args``)."""

    hint: str
    fn: Callable[..., Any]
    args: Mapping[str, Any] = field(default_factory=dict)


class StaleExpectations(Exception):
    """Frozen public values do not match the inputs a check now uses."""


def digest(args: tuple, kwargs: dict) -> str:
    """A stable fingerprint of call arguments (a check with finite differences asks for about a
    hundred references, so array bytes are hashed directly, not encoded first)."""
    return protocol.fingerprint([list(args), kwargs])[:20]


class LiveOracle:
    """Reference outputs and wrong-variant outputs from the hidden solution module."""

    def __init__(self, assignment: str, packages: Sequence[str] = ()):
        """``packages``: imported first, by sandbox.imports (TensorFlow without the scikit-learn
        Keras would import: see classrun.lean_packages)."""
        for package in packages:
            imports.import_module(package)
        self.module = importlib.import_module(f"solutions.{assignment}")
        self.mistakes: Mapping[str, list[Misconception]] = getattr(self.module, "MISTAKES", {})
        self._cache: dict[tuple, Any] = {}
        self._lock = threading.Lock()

    def reference(self, check: str, function: str, args: tuple, kwargs: dict) -> Any:
        return self._cached(("ref", function, digest(args, kwargs)), getattr(self.module, function), args, kwargs)

    def variants(self, check: str, function: str, args: tuple, kwargs: dict) -> list[tuple[Misconception, Any]]:
        """(mistake, its output) for each known wrong variant of ``function`` on these inputs."""
        key = digest(args, kwargs)
        return [(m, self._cached(("bad", function, index, key), m.fn, args, kwargs))
                for index, m in enumerate(self.mistakes.get(function, []))]

    def _cached(self, key: tuple, fn: Callable, args: tuple, kwargs: dict) -> Any:
        # One at a time: references seed numpy's global generator (np.random.seed(1) then draws),
        # and two grading threads interleaving those calls would cache a wrong value for the class.
        with self._lock:
            if key not in self._cache:
                args, kwargs = protocol.decode(*protocol.encode([list(args), kwargs]), materialize=materialize)
                self._cache[key] = _canonical(fn(*args, **kwargs))
            return self._cache[key]


class RecordingOracle(LiveOracle):
    """A live oracle that remembers, per public check, every reference value it handed out,
    together with the known wrong variants' outputs on the same inputs (needed to name a
    student's mistake where no solution code is shipped)."""

    def __init__(self, assignment: str):
        super().__init__(assignment)
        self.records: dict[str, dict[str, dict]] = {}

    def reference(self, check, function, args, kwargs):
        value = super().reference(check, function, args, kwargs)
        found = super().variants(check, function, args, kwargs)
        self.records.setdefault(check, {})[f"{function}:{digest(args, kwargs)}"] = {
            "reference": protocol.to_jsonable(value),
            "variants": [{"hint": m.hint, "args": dict(m.args), "output": protocol.to_jsonable(v)} for m, v in found]}
        return value

    def dump(self) -> str:
        """The frozen file's text (sorted, stable)."""
        return json.dumps({"checks": self.records}, sort_keys=True, indent=1) + "\n"


class FrozenOracle:
    """Replays recorded values, found by check, function and a digest of the inputs."""

    def __init__(self, assignment: str, path: Path | None = None):
        path = path or EXPECTED_DIR / f"{assignment}.json"
        self.records: dict[str, dict[str, dict]] = json.loads(path.read_text())["checks"]

    def reference(self, check, function, args, kwargs):
        return protocol.from_jsonable(self._record(check, function, args, kwargs)["reference"])

    def variants(self, check, function, args, kwargs):
        return [(Misconception(v["hint"], _frozen, v["args"]), protocol.from_jsonable(v["output"]))
                for v in self._record(check, function, args, kwargs)["variants"]]

    def _record(self, check: str, function: str, args: tuple, kwargs: dict) -> dict:
        record = self.records.get(check, {}).get(f"{function}:{digest(args, kwargs)}")
        if record is None:
            raise StaleExpectations(check)
        return record


def _frozen(*args: Any, **kwargs: Any) -> None:
    """Stands for a wrong variant whose outputs were frozen (its code is not shipped)."""
    raise RuntimeError("frozen variant")


def _canonical(value: Any) -> Any:
    """Round-trip a reference output through the wire format, so that it has exactly the types
    a student's decoded answer has (tuples stay tuples, numpy scalars stay numpy scalars)."""
    return protocol.decode(*protocol.encode(value))
