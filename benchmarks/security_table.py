"""Print the README's security table: the red-team corpus (tests/redteam/expected.json) by attack category.

    .venv/bin/python benchmarks/security_table.py

One row per attack category, in the order the categories first appear in expected.json: how many
entries, a few of them by name, and the mechanisms that contain them (as recorded per entry, most
frequent first). tests/test_redteam.py checks that the README's section between the markers
``<!-- security-table:start -->`` and ``<!-- security-table:end -->`` is exactly this output.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

EXPECTED = Path(__file__).resolve().parents[1] / "tests" / "redteam" / "expected.json"
EXAMPLES_SHOWN = 3


def mechanisms(contained_by: str) -> list[str]:
    """The comma-separated mechanisms of a ``contained_by`` line, without their parenthesised details."""
    names, depth, current = [], 0, ""
    for char in contained_by:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            names.append(current)
            current = ""
        elif depth == 0 and char != ")":
            current += char
    names.append(current)
    return [" ".join(n.split()) for n in names if n.strip()]


def table(entries: dict) -> str:
    """The Markdown table for the corpus ``entries`` (name -> expected outcome)."""
    categories: dict[str, list[str]] = {}
    for name, entry in entries.items():
        categories.setdefault(entry["attack"], []).append(name)
    lines = ["| attack | entries | examples | contained by |", "|---|---|---|---|"]
    for attack, names in categories.items():
        counts = Counter(m for n in names for m in mechanisms(entries[n]["contained_by"]))
        order = sorted(counts, key=lambda m: (-counts[m], m))
        shown = ", ".join(f"`{n}`" for n in names[:EXAMPLES_SHOWN]) + (", ..." if len(names) > EXAMPLES_SHOWN else "")
        lines.append(f"| {attack} | {len(names)} | {shown} | {', '.join(order)} |")
    lines.append("")
    lines.append(f"{len(entries)} hostile submissions in `tests/redteam/`, each with its expected outcome in "
                 "`tests/redteam/expected.json`, graded in one class run by `tests/test_redteam.py`.")
    return "\n".join(lines) + "\n"


def main() -> None:
    entries = json.loads(EXPECTED.read_text(encoding="utf-8"))["entries"]
    sys.stdout.write(table(entries))


if __name__ == "__main__":
    main()
