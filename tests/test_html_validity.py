"""The Nu HTML checker (vnu.jar, from npm) finds no error in any page of the site."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from .browser.conftest import require
from .conftest import ROOT
from .test_site import html_pages

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_errors(pages: Iterable[str | Path]) -> list[str]:
    """The Nu HTML checker's errors on ``pages``, as ``file:line: message``."""
    require(VNU.exists(), f"the Nu HTML checker is not installed at {VNU} (npm ci)")
    require(shutil.which("java") is not None, "java is needed to run the Nu HTML checker")
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
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
    if not errors and result.returncode != 0:
        errors.append(f"the checker failed: {result.stderr[-500:]}")
    return errors


def test_nu_html_checker_finds_no_error(site: Path) -> None:
    assert nu_errors(html_pages(site)) == []


def test_the_grading_runs_html_is_valid(tmp_path: Path) -> None:
    """report.html, the students' feedback pages and corregir.html, from a real class."""
    from comprende import classgrade
    from comprende.bank import load_bank
    from comprende.template import key_answer

    bank = load_bank(ROOT / "exercises")
    folder = tmp_path / "entregas"
    folder.mkdir()
    for number, share in enumerate((1.0, 0.5, 0.0)):
        items = bank.items[: int(len(bank.items) * share)]
        answers = {item.id: key_answer(item) for item in items}
        short = next(item for item in bank.items if item.type == "respuesta-corta")
        answers[short.id] = '<b>"Astaná" & <script>'
        data = {"module": bank.id, "student": {"id": f"e{number}", "name": "Ana <i>"}}
        (folder / f"e{number}.json").write_text(
            json.dumps(data | {"answers": answers}), encoding="utf-8"
        )
    out = tmp_path / "notas"
    assert classgrade.main(paths=[folder], out=out, bank=bank, echo=lambda _: None) in (0, 1)
    pages = sorted(str(p) for p in out.rglob("*.html"))
    assert {Path(p).name for p in pages} >= {"report.html", "corregir.html"}
    assert len(pages) >= 5
    assert nu_errors(pages) == []
