"""Calling functions in the current process, for the two places where there is nothing to guard:
freezing the reference's public expectations (``dlgrade build``), and a student's own notebook
kernel (``graders.notebook``). Answers still round-trip through the wire format, so they are
judged exactly as a worker's would be."""
from __future__ import annotations

import importlib
from typing import Any, Mapping

from graders.engine.grading.runner import Session
from graders.engine.sandbox import protocol, worker


class LocalCalls:
    """The :class:`graders.engine.grading.suite.Calls` of functions found in ``namespace``."""

    def __init__(self, namespace: Mapping[str, Any], drivers: frozenset[str] = frozenset()):
        self.namespace, self.drivers = namespace, drivers
        self.check = ""

    def renew(self) -> None:
        """Nothing to renew in-process."""

    def call(self, function: str, args: tuple, kwargs: dict, seconds: float | None) -> Any:
        return self._answer(function, self.namespace.get(function), args, kwargs)

    def drive(self, driver: str, args: tuple, kwargs: dict, seconds: float | None) -> Any:
        module, _, name = driver.partition(":")
        target = getattr(importlib.import_module(module), name) if driver in self.drivers else None
        return self._answer(driver, target, args, kwargs, {"functions": self.namespace})

    @staticmethod
    def _answer(name: str, function: Any, args: tuple, kwargs: dict, extra: dict | None = None) -> Any:
        args, kwargs = protocol.decode(*protocol.encode([list(args), kwargs]), materialize=worker.materialize)
        answer = worker.call(function, args, {**kwargs, **(extra or {})})
        return Session.value(protocol.decode(*protocol.encode(answer)), name)
