"""Open a rendered HTML report in a real (headless) browser and check that something is drawn."""
from __future__ import annotations

import base64
import io
import shutil
import subprocess

import pytest

from graders.engine.reports.records import (
    CheckResult,
    Evidence,
    ExerciseResult,
    Hint,
    LoadNote,
    Plot,
    Report,
)
from graders.engine.reports.render import render_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (Debian: apt-get install -y chromium); the browser check needs it",
)


def _plot_png() -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(4, 3), dpi=72)
    x = np.linspace(0, 10, 50)
    ax.plot(x, np.exp(-x / 3), label="train cost")
    ax.legend()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def _report() -> Report:
    ex = "forward_propagation_with_dropout"
    checks = (
        CheckResult(ex, "a", "Output on the course example", "value", True, 2, "passed"),
        CheckResult(ex, "b", "Masks keep about keep_prob of the units", "property", True, 2, "failed",
                    (Evidence("property", {"name": "keep_fraction", "measured": 0.2, "expected": 0.8,
                                           "tolerance": 0.03}),), Hint("mask_keeps_complement")),
        CheckResult(ex, "c", "Output on random inputs", "value", False, 3, "error",
                    (Evidence("raised", {"function": ex, "type": "ValueError",
                                         "message": "<script>document.title='x'</script>", "line": 9}),)),
    )
    return Report(
        "regularization", "alice", "subs/alice.py", "grade", (ExerciseResult(ex, checks),),
        notes=(LoadNote("output", {"text": "training...\n", "truncated": False}),),
        plots=(Plot("Cost", _plot_png()),), isolation="test run",
    )


def test_report_renders_in_chromium(tmp_path):
    from matplotlib import image

    html = tmp_path / "report.html"
    html.write_text(render_report(_report(), "html"), encoding="utf-8")
    png = tmp_path / "report.png"
    profile = tmp_path / "profile"
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", f"--screenshot={png}", "--window-size=1000,1400", html.as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert png.is_file(), f"chromium wrote no screenshot (exit {proc.returncode}): {proc.stderr[-2000:]}"
    pixels = image.imread(str(png))
    assert pixels.shape[0] >= 1000 and pixels.shape[1] >= 900
    rgb = pixels[..., :3]
    assert rgb.std() > 0.05, "the screenshot is blank"
    # Colour is drawn (badges, score bar, plot lines), not only black text on white.
    saturation = rgb.max(axis=-1) - rgb.min(axis=-1)
    assert (saturation > 0.2).mean() > 0.001
