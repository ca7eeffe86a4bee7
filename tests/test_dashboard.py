"""The class dashboard (summary.html) and the short terminal summary of a large class, from a real
``dlgrade grade`` run of 46 submissions; the page is looked at in headless Chromium."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "examples" / "regularization"
WELL_BEHAVED = ("correct_course_style.py", "l2_without_half.py", "mask_keeps_complement.py",
                "dropout_missing_scaling_forward.py", "untouched_stub.py")
COPIES = 9
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    folder = tmp_path_factory.mktemp("class")
    for i in range(COPIES):
        for sample in WELL_BEHAVED:
            shutil.copy(SAMPLES / sample, folder / f"s{i}_{sample}")
    shutil.copy(SAMPLES / "syntax_error.py", folder / "late_syntax_error.py")
    out = folder / "out"
    result = subprocess.run([sys.executable, "-m", "graders.cli", "grade", "regularization", *sorted(folder.glob("*.py")),
                             "--out", str(out), "--no-figures"], cwd=ROOT, text=True, capture_output=True, timeout=900)
    assert result.returncode == 0, result.stderr
    return result, out


def section(html: str, name: str) -> str:
    return html.split(f'id="{name}"', 1)[1].split("</section>", 1)[0]


def test_a_large_class_gets_a_short_terminal_summary(graded):
    result, out = graded
    text = result.stdout
    assert "46 submissions, 1 could not be graded" in text
    assert "Distribution of totals" in text and "Worst checks" in text
    assert "s3_l2_without_half" not in text, "no row per student above a few dozen"
    assert "1 submission could not be graded" in text and f"{out}/summary.html" in text
    assert len(text.splitlines()) < 60
    assert "s3_l2_without_half" in (out / "summary.md").read_text(), "the full table is in summary.md"


def test_the_dashboard_shows_distributions_checks_mistakes_problems_and_times(graded):
    _, out = graded
    html = (out / "summary.html").read_text()
    assert html.count("data:image/png;base64,") == 3  # totals, each exercise, grading times
    assert "http://" not in html and "https://" not in html and "<script" not in html
    rates = [int(r) for r in re.findall(r"(\d+)%</td></tr>", section(html, "checks"))]
    assert len(rates) == 18 and rates == sorted(rates), "every check, worst first"
    assert "hidden" in section(html, "checks") and "public" in section(html, "checks")
    mistakes = section(html, "mistakes")
    assert "factor 1/2" in mistakes  # the l2_without_half hint, in the template's words
    assert "s0_l2_without_half, s1_l2_without_half" in mistakes
    assert f'<td class="num">{COPIES}</td>' in mistakes
    problems = section(html, "problems")
    assert "late_syntax_error" in problems and "Python cannot read your file" in problems
    times = section(html, "times")
    assert "slowest submissions" in times and "s" in times
    assert "Students named: 46 from the file or folder name." in html


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install -y chromium)")
def test_the_dashboard_renders_in_chromium(graded, tmp_path):
    from matplotlib import image

    _, out = graded
    png = tmp_path / "dashboard.png"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={png}", "--window-size=1100,2400",
           (out / "summary.html").as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert png.is_file(), f"chromium wrote no screenshot (exit {proc.returncode}): {proc.stderr[-2000:]}"
    pixels = image.imread(str(png))
    assert pixels.shape[0] >= 2000 and pixels.shape[1] >= 1000
    top = pixels[: 1200, :, :3]
    assert top.std() > 0.05, "the page shows something besides a blank background"
    blue = ((top[..., 2] > 0.6) & (top[..., 0] < 0.2)).sum()
    assert blue > 2000, "the histogram of totals (blue bars) is drawn"
