"""Render :class:`~graders.engine.reports.records.Report` records through the Jinja templates in ``templates/``.

Python here only selects templates and hands them records (plus a few numbers for the class
summary); every word a student or instructor reads is written in the templates.

Escaping rules:

* ``.html`` templates are autoescaped. Shared macro files (``evidence.j2``, ``common.j2``,
  ``hints/*.j2``) are not; they produce plain text, and the HTML templates pass that text through
  the ``plain`` filter, which drops any "safe" marking so autoescape escapes it.
* Student-controlled strings go through ``printable`` in every format, which spells out terminal
  control characters (``\\x1b``) instead of emitting them. The text and Markdown outputs also get a
  final pass of the same function, as a second line of defence.
* ``md`` escapes Markdown/HTML syntax in student strings for the Markdown format.
"""
from __future__ import annotations

import functools
import math
import re
from pathlib import Path
from typing import Any, Sequence

import jinja2
import jinja2.bccache
import jinja2.runtime
import markupsafe

from graders.engine.reports.records import Report

#: The repository's templates folder.
TEMPLATES_DIR = Path(__file__).resolve().parents[3] / "templates"

FORMATS = ("html", "md", "txt")

_REPORT_TEMPLATES = {"html": "report.html", "md": "report.md", "txt": "report.txt"}
_SUMMARY_TEMPLATES = {"md": "summary.md", "txt": "summary.txt"}

#: Above this many students the terminal summary shows the distribution and the worst checks, not
#: one row per student (the full table is in summary.md and summary.html).
TABLE_LIMIT = 40
#: Checks listed as the worst in a large class's terminal summary.
WORST_SHOWN = 5

# C0 controls except \n and \t, DEL, C1 controls, and Unicode bidi / invisible formatting characters
# that can reorder or hide text in a terminal or an editor.
_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_MD_SPECIAL_RE = re.compile(r"([\\`*\[\]|~]|(?<!\w)_|_(?!\w))")
_B64_RE = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")


def _escape_control(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: Any) -> str:
    """``value`` as text with control characters (ESC, CR, C1, bidi overrides...) spelled out.

    Newlines and tabs are kept. The result is a plain ``str`` (never marked safe).
    """
    return _CONTROL_RE.sub(_escape_control, str(value))


def plain(value: Any) -> str:
    """Drop any "safe" marking so an autoescaping template escapes the text, and make controls visible."""
    return printable(str(value))


def md_escape(value: Any) -> str:
    """Escape text for the Markdown format: HTML-significant characters become entities (no raw
    HTML, no autolinks), inline syntax (code, emphasis, links, table pipes) is backslash-escaped, and
    line breaks become spaces so the text cannot start a new block (heading, list, table row)."""
    text = printable(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL_RE.sub(r"\\\1", text)
    return re.sub(r"[\r\n]+", " ", text)


def code_spans(value: Any) -> markupsafe.Markup:
    """HTML for trusted hint text: escape everything, then show `backticked` spans as <code>."""
    parts = re.split(r"`([^`\n]+)`", printable(str(value)))
    html = "".join(
        f"<code>{markupsafe.escape(part)}</code>" if i % 2 else str(markupsafe.escape(part))
        for i, part in enumerate(parts)
    )
    return markupsafe.Markup(html)


def md_fence(value: Any) -> str:
    """A backtick fence longer than any run of backticks inside ``value`` (for fenced code blocks)."""
    runs = [len(r) for r in re.findall(r"`+", str(value))]
    return "`" * max(3, max(runs, default=0) + 1)


def format_number(value: Any, digits: int = 4) -> str:
    """Numbers without float noise: ints as ints, floats with ``digits`` significant digits."""
    if value is None:
        return "?"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        return printable(value)
    if math.isnan(x) or math.isinf(x):
        return str(x)
    return format(x, f".{digits}g")


def format_points(value: Any) -> str:
    """Points as 7, 7.5 or 0.3 (rounded to 6 decimals, no trailing ``.0``)."""
    x = round(float(value), 6)
    if x == 0:
        return "0"
    if x.is_integer():
        return str(int(x))
    return repr(x)


def format_shape(value: Any) -> str:
    """A shape list as a Python tuple: ``(3, 4)``, ``(5,)``, ``()``."""
    if value is None:
        return "?"
    if isinstance(value, (list, tuple)):
        items = [format_number(v) for v in value]
        return "(" + items[0] + ",)" if len(items) == 1 else "(" + ", ".join(items) + ")"
    return printable(value)


def format_index(value: Any) -> str:
    """An array index as ``[1, 2]``."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_number(v) for v in value) + "]"
    return "[" + format_number(value) + "]"


def is_base64(value: Any) -> bool:
    """True for a plausible base64 string (used before embedding a plot as a data: URL)."""
    return isinstance(value, str) and bool(_B64_RE.match(value.replace("\n", "")))


def _hint_macro(env: jinja2.Environment, assignment: str, key: str) -> Any:
    """The macro ``key`` of ``hints/<assignment>.j2``, or None when there is no such file or macro.

    An unknown key renders nothing (the check's evidence still explains the failure); a test makes
    sure every key the grader suites use exists.
    """
    if not (re.fullmatch(r"[A-Za-z0-9_-]+", assignment or "") and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", key or "")):
        return None
    try:
        module = env.get_template(f"hints/{assignment}.j2").module
    except jinja2.TemplateNotFound:
        return None
    macro = getattr(module, key, None)
    return macro if isinstance(macro, jinja2.runtime.Macro) else None


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's own compiled-template cache (a private 0700 folder in the temporary directory,
    keyed by each template's source checksum), so a command does not recompile every template it
    renders (about 0.1 s for a report); a cache that cannot be read or written is just skipped."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return _BytecodeCache()
    except (OSError, RuntimeError):  # no private temporary folder to be had
        return None


@functools.lru_cache(maxsize=None)
def environment() -> jinja2.Environment:
    """The shared Jinja environment (cached): autoescape for ``.html`` only, strict undefined."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        bytecode_cache=_bytecode_cache(),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html",), disabled_extensions=(), default_for_string=False, default=False
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        printable=printable,
        plain=plain,
        md=md_escape,
        fence=md_fence,
        codespans=code_spans,
        num=format_number,
        pts=format_points,
        shape=format_shape,
        index=format_index,
    )
    env.tests["base64"] = is_base64
    env.globals["hint_macro"] = functools.partial(_hint_macro, env)
    return env


def message(template: str, name: str, /, **values: Any) -> str:
    """One line of wording: the macro ``name`` of ``templates/<template>`` (e.g. ``cli.j2``,
    ``figures.j2``) rendered with ``values``, as plain text without surrounding blanks."""
    macro = getattr(environment().get_template(template).module, name, None)
    if not isinstance(macro, jinja2.runtime.Macro):
        raise KeyError(f"templates/{template} has no macro {name!r}")
    return printable(str(macro(**values))).strip()


def _check_format(fmt: str, allowed: Sequence[str]) -> None:
    if fmt not in allowed:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(allowed)}")


def render_report(report: Report, fmt: str) -> str:
    """One student's report as ``"html"`` (self-contained page), ``"md"`` or ``"txt"``."""
    _check_format(fmt, FORMATS)
    text = environment().get_template(_REPORT_TEMPLATES[fmt]).render(report=report)
    return text if fmt == "html" else printable(text)


def render_check_text(report: Report, check: Any) -> str:
    """The evidence and hint of one check as plain text (hidden-check rules applied)."""
    text = environment().get_template("check.txt").render(report=report, check=check)
    return printable(text).strip()


def render_results_output(report: Report) -> str:
    """The short whole-submission text for Gradescope's top-level ``output``."""
    return printable(environment().get_template("results_output.txt").render(report=report)).strip()


def _summary_view(reports: Sequence[Report]) -> dict[str, Any]:
    """Numbers for the class summary: exercise columns, per-student cells, per-check pass counts."""
    exercises: list[str] = []
    ex_max: dict[str, float] = {}
    checks: dict[tuple[str, str], dict[str, Any]] = {}
    for rep in reports:
        for ex in rep.exercises:
            if ex.name not in ex_max:
                exercises.append(ex.name)
                ex_max[ex.name] = ex.max_points
            ex_max[ex.name] = max(ex_max[ex.name], ex.max_points)
            for c in ex.checks:
                row = checks.setdefault(
                    (ex.name, c.name),
                    {"exercise": ex.name, "ex_index": exercises.index(ex.name) + 1, "name": c.name, "title": c.title, "public": c.public,
                     "passed": 0, "total": 0},
                )
                row["total"] += 1
                row["passed"] += c.outcome == "passed"
    rows = []
    for rep in sorted(reports, key=lambda r: r.student):
        by_name = {ex.name: ex for ex in rep.exercises}
        outcomes = [c.outcome for ex in rep.exercises for c in ex.checks]
        rows.append({
            "report": rep,
            "points": [by_name[n].points if n in by_name else None for n in exercises],
            "total": rep.points,
            "max_total": sum(ex_max.values()),
            "timeouts": outcomes.count("timeout"),
            "crashes": outcomes.count("crashed"),
        })
    check_rows = list(checks.values())
    for row in check_rows:
        row["rate"] = row["passed"] / row["total"] if row["total"] else 0.0
    worst = [row for _, row in sorted(enumerate(check_rows), key=lambda p: (p[1]["rate"], p[0]))]
    return {
        "distribution": _distribution([r.points for r in reports], sum(ex_max.values())),
        "worst": [row for row in worst if row["rate"] < 1][:WORST_SHOWN],
        "table_limit": TABLE_LIMIT,
        "exercises": exercises,
        "exercise_max": [ex_max[n] for n in exercises],
        "rows_data": rows,
        "checks": check_rows,
        "n_reports": len(reports),
        "n_problems": sum(r.problem is not None for r in reports),
        "tensorflow1": sorted(r.student for r in reports if any(n.kind == "tensorflow1" for n in r.notes)),
        "mode": reports[0].mode if reports else "grade",
        "assignment": reports[0].assignment if reports else "",
    }


def _distribution(totals: Sequence[float], maximum: float, buckets: int = 10) -> list[dict[str, Any]]:
    """Totals counted in ``buckets`` equal ranges of 0..maximum (the last one includes the maximum)."""
    if not totals or maximum <= 0:
        return []
    width = maximum / buckets
    counts = [0] * buckets
    for total in totals:
        counts[min(buckets - 1, max(0, int(total / width)))] += 1
    return [{"low": i * width, "high": (i + 1) * width, "count": n, "last": i == buckets - 1}
            for i, n in enumerate(counts)]


def render_summary(reports: Sequence[Report], fmt: str = "txt", naming: Sequence[Any] = ()) -> str:
    """The class summary (``"txt"`` or ``"md"``): one row per student (in the terminal only up to
    :data:`TABLE_LIMIT` students, the distribution and the worst checks above that), the per-check
    pass rates, and how students were named (``naming``: NamingRule records)."""
    _check_format(fmt, tuple(_SUMMARY_TEMPLATES))
    text = environment().get_template(_SUMMARY_TEMPLATES[fmt]).render(**_summary_view(reports), naming=list(naming))
    return printable(text)


# ------------------------------------------------------------------------------ CLI messages


def render_listing(suites: Sequence[Any]) -> str:
    """``dlgrade list``: each assignment's exercises with their points and public/hidden checks.

    ``suites`` are :class:`graders.engine.grading.suite.Suite` objects (name, exercises with function and checks).
    """
    return printable(environment().get_template("listing.txt").render(suites=list(suites)))


def render_isolation(level: str) -> str:
    """One line for stderr saying how student code is confined at this isolation ``level``."""
    return printable(environment().get_template("isolation.txt").render(level=level)).strip()


def render_outputs(out: Any, resumed: int = 0, unwritten: Sequence[tuple[str, str]] = ()) -> str:
    """The closing lines of ``dlgrade grade``: where the outputs are, how many reports were
    reused, and which could not be written (and why)."""
    template = environment().get_template("outputs.txt")
    return printable(template.render(out=str(out), resumed=resumed, unwritten=list(unwritten))).strip()


def render_experiment(assignment: str, runs: Sequence[Any], failure: Any = None) -> str:
    """The experiment's numbers (one row per training run: title, costs, train and test accuracy),
    or why it could not run (``failure``, an Evidence)."""
    template = environment().get_template("experiment.txt")
    return printable(template.render(assignment=assignment, runs=list(runs), failure=failure))


def render_saved_figures(folder: Path) -> str:
    """One line telling where the experiment's plots were saved."""
    return environment().get_template("saved_figures.txt").render(folder=printable(folder)).rstrip("\n")
