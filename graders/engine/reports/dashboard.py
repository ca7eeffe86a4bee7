"""The class dashboard ``summary.html``: one self-contained page for an instructor of a large class.

The distribution of totals and of each exercise's score, every check's pass rate (worst first), the
named mistakes with their counts and who made them, the submissions that could not be graded and
why, and the grading time per student. Figures are drawn here with matplotlib (Agg, no pyplot) and
embedded as PNG data; every word comes from ``templates/summary.html`` and ``templates/dashboard.j2``.
"""
from __future__ import annotations

import base64
import io
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Sequence

from graders.engine.reports.manifest import RunManifest
from graders.engine.reports.records import Report
from graders.engine.reports.render import environment, message

#: Students named per mistake before "and N more".
NAMES_SHOWN = 30
#: Slowest submissions listed.
SLOWEST_SHOWN = 10


@dataclass(frozen=True)
class CheckRate:
    """One check's pass rate over the graded submissions."""

    exercise: str
    title: str
    public: bool
    passed: int
    total: int

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0


@dataclass(frozen=True)
class Mistake:
    """A named mistake (a hint key of one exercise), how often it was seen, and by whom."""

    exercise: str
    key: str
    args: dict
    students: tuple[str, ...]


def _label(name: str, **values: Any) -> str:
    return message("dashboard.j2", name, **values)


def _png(figure: Any) -> str:
    """A matplotlib figure as base64 PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _bins(maximum: float) -> list[float]:
    """Histogram bins of width 1 point up to 40 points, else 20 equal bins, covering 0..maximum."""
    top = max(float(maximum), 1.0)
    if top <= 40:
        return [x - 0.5 for x in range(int(top) + 2)]
    return [top * i / 20 for i in range(21)]


def totals_figure(totals: Sequence[float], maximum: float) -> str:
    """A histogram of the students' totals."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 3.2))
    axes = figure.add_subplot()
    axes.hist(totals, bins=_bins(maximum), color="#0969da", edgecolor="white")
    axes.set_xlabel(_label("total_axis", maximum=maximum))
    axes.set_ylabel(_label("students_axis"))
    figure.tight_layout()
    return _png(figure)


def exercises_figure(names: Sequence[str], points: Sequence[Sequence[float]], maxima: Sequence[float]) -> str:
    """One small histogram per exercise."""
    from matplotlib.figure import Figure

    columns = min(3, max(1, len(names)))
    rows = (len(names) + columns - 1) // columns
    figure = Figure(figsize=(8, 2.3 * max(rows, 1)))
    for i, (name, values, maximum) in enumerate(zip(names, points, maxima)):
        axes = figure.add_subplot(rows, columns, i + 1)
        axes.hist(values, bins=_bins(maximum), color="#1a7f37", edgecolor="white")
        axes.set_title(name, fontsize=8)
        axes.tick_params(labelsize=7)
    figure.tight_layout()
    return _png(figure)


def times_figure(seconds: Sequence[float]) -> str:
    """A histogram of grading seconds per student."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 2.8))
    axes = figure.add_subplot()
    axes.hist(seconds, bins=30, color="#8250df", edgecolor="white")
    axes.set_xlabel(_label("seconds_axis"))
    axes.set_ylabel(_label("students_axis"))
    figure.tight_layout()
    return _png(figure)


def check_rates(reports: Sequence[Report]) -> list[CheckRate]:
    """Every check's pass rate over the graded submissions, worst first."""
    counts: dict[tuple[str, str], list] = {}
    for rep in reports:
        if rep.problem is not None:
            continue
        for ex in rep.exercises:
            for c in ex.checks:
                row = counts.setdefault((ex.name, c.name), [ex.name, c.title, c.public, 0, 0])
                row[3] += c.outcome == "passed"
                row[4] += 1
    rates = [CheckRate(*row) for row in counts.values()]  # in the suite's order
    return [rate for _, rate in sorted(enumerate(rates), key=lambda pair: (pair[1].rate, pair[0]))]


def mistakes(reports: Sequence[Report]) -> list[Mistake]:
    """Named mistakes (one per exercise and hint key), most common first."""
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    args: dict[tuple[str, str], dict] = {}
    for rep in sorted(reports, key=lambda r: r.student):
        for ex in rep.exercises:
            keys = {c.hint.key: c.hint.args for c in ex.checks if c.hint is not None and c.outcome != "passed"}
            for key, hint_args in keys.items():
                seen[(ex.name, key)].append(rep.student)
                args.setdefault((ex.name, key), dict(hint_args))
    found = [Mistake(ex, key, args[(ex, key)], tuple(students)) for (ex, key), students in seen.items()]
    return sorted(found, key=lambda m: (-len(m.students), m.exercise, m.key))


def _view(reports: Sequence[Report], run: RunManifest | None) -> dict[str, Any]:
    """Everything the dashboard template shows."""
    graded = [r for r in reports if r.problem is None]
    names: list[str] = []
    maxima: dict[str, float] = {}
    for rep in reports:
        for ex in rep.exercises:
            if ex.name not in maxima:
                names.append(ex.name)
            maxima[ex.name] = max(maxima.get(ex.name, 0.0), ex.max_points)
    maximum = sum(maxima.values())
    per_exercise = [[next((e.points for e in r.exercises if e.name == n), 0.0) for r in graded] for n in names]
    totals = [r.points for r in reports]
    seconds = run.seconds_by_student() if run is not None else {}
    timed = sorted(((s, n) for n, s in seconds.items() if s is not None), reverse=True)
    return {
        "assignment": reports[0].assignment if reports else (run.assignment if run else ""),
        "n_reports": len(reports), "n_graded": len(graded), "maximum": maximum,
        "median_total": statistics.median(totals) if totals else 0.0,
        "full_marks": sum(1 for t in totals if maximum and abs(t - maximum) < 1e-9),
        "totals_png": totals_figure(totals, maximum) if reports else None,
        "exercises": list(zip(names, [maxima[n] for n in names],
                              [statistics.mean(p) if p else 0.0 for p in per_exercise])),
        "exercises_png": exercises_figure(names, per_exercise, [maxima[n] for n in names]) if graded and names else None,
        "checks": check_rates(reports), "mistakes": mistakes(reports), "names_shown": NAMES_SHOWN,
        "problems": sorted((r for r in reports if r.problem is not None), key=lambda r: r.student),
        "times_png": times_figure([s for s, _ in timed]) if timed else None,
        "median_seconds": statistics.median([s for s, _ in timed]) if timed else None,
        "slowest": timed[:SLOWEST_SHOWN], "untimed": sum(1 for s in seconds.values() if s is None),
        "run": run,
    }


def render_dashboard(reports: Sequence[Report], run: RunManifest | None = None) -> str:
    """The class dashboard as one self-contained HTML page."""
    template = environment().get_template("summary.html")
    return template.render(**_view(reports, run))

