"""The shared grading vectors run in Node against the page's ES modules (lib.js and every
type module), so JavaScript grading is checked without a browser; the browser test
(tests/browser/test_exercises.py) checks the same through the built page.

Without Node this is skipped locally and fails under CI=true, where Node is installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from comprende.ext.compact import compact_tree
from comprende.grading import grade_item
from comprende.pagedata import item_to_json

from .conftest import ROOT
from .vectors import load_vectors

STATIC = ROOT / "src" / "comprende" / "static"
RUNNER = Path(__file__).parent / "js" / "run_vectors.mjs"


def node_or_skip() -> str:
    """Node's path; without it a skip, or a failure under CI=true."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(
                "node not found (CI=true: the JavaScript vectors must run; .ci/run installs it)"
            )
        pytest.skip("node not found; under CI=true this is a failure instead")
    return node


def run_node(payload: dict[str, Any], tmp_path: Path, static: Path = STATIC) -> dict[str, Any]:
    node = node_or_skip()
    data = tmp_path / "payload.json"
    data.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [node, str(RUNNER), str(static), str(data)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("tree", ["sources", "served"])
def test_every_vector_passes_in_node_with_the_page_modules(tmp_path: Path, tree: str) -> None:
    """The page modules grade every vector as Python does: as written, and as the site
    serves them (minified, ext/compact.py)."""
    static = STATIC if tree == "sources" else compact_tree(STATIC, tmp_path / "served")
    items, cases = load_vectors()
    payload = {
        "items": {item_id: item_to_json(item, with_key=True) for item_id, item in items.items()},
        "cases": [{"item": c["item"], "answer": c["answer"]} for c in cases],
    }
    out = run_node(payload, tmp_path, static)
    assert {i["type"] for i in payload["items"].values()} <= set(out["types"])
    failures = []
    for case, result in zip(cases, out["results"], strict=True):
        python = grade_item(items[case["item"]], case["answer"])
        ok = (result["points"], result["status"]) == (case["points"], case["status"])
        if "feedback_contains" in case:
            ok = ok and any(case["feedback_contains"] in m for m in result["feedback"])
        ok = ok and result["feedback"] == list(python.feedback)
        if not ok:
            failures.append((case["item"], case["answer"], result, list(python.feedback)))
    assert failures == []
    assert len(out["results"]) == len(cases) >= 150


def test_node_runner_grades_with_the_modules_not_the_expectations(tmp_path: Path) -> None:
    """A key turned around in the item's JSON turns the result around: nothing is echoed."""
    items, cases = load_vectors()
    page_items = {k: item_to_json(v, with_key=True) for k, v in items.items()}
    case = next(
        c
        for c in cases
        if c["status"] == "correct" and page_items[c["item"]]["type"] == "opcion-unica"
    )
    item = page_items[case["item"]]
    for option in item["options"]:
        option["correct"] = not option["correct"]
    result = run_node({"items": {case["item"]: item}, "cases": [case]}, tmp_path)["results"][0]
    assert (result["status"], result["points"]) == ("incorrect", 0)
