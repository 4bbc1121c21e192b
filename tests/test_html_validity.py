"""The Nu HTML checker (vnu.jar, from npm) finds no error in any page of the site."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .browser.conftest import require
from .conftest import ROOT
from .test_site import html_pages

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_nu_html_checker_finds_no_error(site: Path) -> None:
    require(VNU.exists(), f"the Nu HTML checker is not installed at {VNU} (npm ci)")
    require(shutil.which("java") is not None, "java is needed to run the Nu HTML checker")
    pages = [str(p) for p in html_pages(site)]
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []
    assert result.returncode == 0
