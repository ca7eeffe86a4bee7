"""Share of the wrong implementations in each sample class whose feedback names the mistake.

A sample marked ``"mistake": true`` in ``examples/<assignment>/expected.json`` is a plausible wrong
implementation (not an attack, not the stub); it is *named* when some check it fails carries a
hint. The records are what grading really gives: the sample-class tests grade every sample and
compare with them. Usage: ``.venv/bin/python benchmarks/hint_coverage.py``.
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 0.8


def coverage(assignment: str) -> tuple[list[str], list[str]]:
    """(names of the wrong samples, names of those whose feedback names the mistake)."""
    samples = json.loads((ROOT / "examples" / assignment / "expected.json").read_text())["submissions"]
    wrong = sorted(n for n, s in samples.items() if s.get("mistake"))
    named = [n for n in wrong if any(c.get("hint") and c.get("outcome") != "passed"
                                     for c in samples[n]["checks"].values())]
    return wrong, named


def main() -> None:
    print(f"{'assignment':<20} {'named':>5} / {'wrong':<5} share   unnamed")
    for folder in sorted(p for p in (ROOT / "examples").iterdir() if (p / "expected.json").is_file()):
        wrong, named = coverage(folder.name)
        if wrong:
            share = len(named) / len(wrong)
            unnamed = ", ".join(sorted(set(wrong) - set(named))) or "-"
            print(f"{folder.name:<20} {len(named):>5} / {len(wrong):<5} {share:5.0%}   {unnamed}")


if __name__ == "__main__":
    main()
