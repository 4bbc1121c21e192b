"""The `browser` marker is on every test under tests/browser/, so `-m "not browser"` skips them."""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import ROOT

PATHS = ("tests/browser", "tests/test_stats.py")


def start(expression: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q"]
    return subprocess.Popen(
        [*command, "-m", expression, *PATHS],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(run: subprocess.Popen[str]) -> tuple[list[str], int]:
    """The test ids pytest would run, and how many it deselected."""
    output, _ = run.communicate(timeout=120)
    assert run.returncode == 0, output
    ids = [line for line in output.splitlines() if "::" in line]
    found = re.search(r"(\d+) deselected", output)
    return ids, int(found.group(1)) if found else 0


def test_the_browser_marker_selects_exactly_the_browser_tests() -> None:
    without, with_ = start("not browser"), start("browser")  # both collections at once
    kept, left_out = finish(without)
    browser, _ = finish(with_)
    assert len(browser) >= 30 and all(i.startswith("tests/browser/") for i in browser)
    assert kept and all(i.startswith("tests/test_stats.py::") for i in kept)
    assert left_out == len(browser)  # every browser test, and nothing else, was left out
