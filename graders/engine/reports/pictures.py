"""Report figures on the trusted side: one lock around matplotlib, and rendered PNGs kept by what
they show.

matplotlib's state is global, so every suite draws under :data:`LOCK`. Rendering a two-panel
figure costs about 0.2 s, most of it axes and text; in a class most students' figures are the same
picture (every correct L2 network predicts the same class at every pixel of the plot), so
:func:`png` renders each distinct picture once, keyed by a fingerprint of everything the picture is drawn
from (for a decision boundary: the predicted class at every grid point, the points, the titles),
so a cached PNG is byte for byte the one a fresh drawing would give.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Iterable

import numpy as np

from graders.engine.sandbox.protocol import fingerprint

LOCK = threading.Lock()  #: held while drawing: figures are drawn from several grading threads
MAX_CACHED = 64  #: distinct pictures kept (a two-panel boundary PNG is about 45 KB)

_cache: OrderedDict[str, bytes] = OrderedDict()
_grids: OrderedDict[str, np.ndarray] = OrderedDict()  # a network's classes on its plot's grid


def png(picture: str, draw: Callable[[], Any], dpi: int = 60) -> bytes:
    """The PNG of the figure ``draw()`` builds, rendered once per distinct ``picture`` key."""
    from assignments.plots import figure_png

    with LOCK:
        if picture in _cache:
            _cache.move_to_end(picture)
            return _cache[picture]
        data = figure_png(draw(), dpi=dpi)
        _cache[picture] = data
        if len(_cache) > MAX_CACHED:
            _cache.popitem(last=False)
        return data


def boundaries_png(panels: Iterable[tuple[str, dict]], X: np.ndarray, Y: np.ndarray, dpi: int = 60) -> bytes:
    """PNG of :func:`assignments.plots.decision_boundaries_figure` for (title, parameters) panels,
    keyed by each panel's title and predicted classes on the plot's grid and by the points."""
    from assignments.plots import decision_boundaries_figure, decision_grid

    panels = list(panels)
    grids = [(title, _classes_on_grid(parameters, X, decision_grid)) for title, parameters in panels]
    picture = fingerprint(["boundaries", dpi, X, Y, grids])
    return png(picture, lambda: decision_boundaries_figure(panels, X, Y), dpi)


def _classes_on_grid(parameters: dict, X: np.ndarray, decision_grid: Callable) -> np.ndarray:
    """``decision_grid(parameters, X)``'s classes, computed once per distinct network and points
    (the reference's panel is the same for every student of a class: about 10 ms each time)."""
    key = fingerprint([parameters, X])
    with LOCK:
        if key in _grids:
            _grids.move_to_end(key)
            return _grids[key]
    classes = decision_grid(parameters, X)[2]
    with LOCK:
        _grids[key] = classes
        if len(_grids) > MAX_CACHED:
            _grids.popitem(last=False)
    return classes
