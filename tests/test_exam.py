"""The exam build: the same pages and widgets, and no key, feedback or explanation anywhere."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from comprende.bank import load_bank

from .conftest import ROOT

BANK = load_bank(ROOT / "exercises")
KEY_FIELDS = (
    "correct",
    "feedback",
    "explanation",
    "evidence",
    "key",
    "textKey",
    "blankKeys",
    "pairs",
    "order",
    "tolerance",
    "wrong",
)


def secrets() -> set[str]:
    """Texts that only the key carries: explanations, feedback, model answers, rubrics."""
    found: set[str] = set()
    for item in BANK.items:
        found.add(item.explanation)
        found.update(o.feedback for o in item.options)
        found.update(item.feedback.values())
        found.update(w.feedback for w in item.wrong)
        keys = ([item.text_key] if item.text_key else []) + [k for _, k in item.blanks]
        for key in keys:
            found.update(w.feedback for w in key.wrong)
            if key.feedback_incorrect:
                found.add(key.feedback_incorrect)
        if item.model_answer:
            found.add(item.model_answer)
        found.update(c.criterion for c in item.rubric)
    return {text for text in found if len(text) > 15}


def test_no_file_of_the_exam_build_carries_the_key(exam_site: Path) -> None:
    leaks = []
    texts = secrets()
    for path in exam_site.rglob("*"):
        if (
            not path.is_file()
            or ".doctrees" in path.parts
            or path.suffix not in (".html", ".js", ".json", ".txt")
        ):
            continue
        content = path.read_text(encoding="utf-8", errors="replace")
        leaks += [f"{path.relative_to(exam_site)}: {t[:50]}" for t in texts if t in content]
    assert leaks == []


def test_exam_pages_embed_items_without_key_fields(exam_site: Path) -> None:
    for set_id in (s.id for s in BANK.sets):  # every set, one added later too
        soup = BeautifulSoup(
            (exam_site / "ejercicios" / f"{set_id}.html").read_text("utf-8"), "html.parser"
        )
        data = json.loads(soup.find(id=f"cp-data-{set_id}").string)
        assert data["mode"] == "exam"
        for item in data["pageItems"]:
            assert not set(item) & set(KEY_FIELDS), item["id"]
            for option in item.get("options", []):
                assert set(option) == {"id", "text"}
        assert soup.select(".cp-check, .cp-check-all, .cp-feedback") == []
        assert soup.select(".cp-download")


def test_exam_ordering_is_not_shown_in_the_key_order(exam_site: Path) -> None:
    for item in (i for i in BANK.items if i.elements):
        soup = BeautifulSoup(
            (exam_site / "ejercicios" / f"{item.set_id}.html").read_text("utf-8"), "html.parser"
        )
        shown = [li["data-element"] for li in soup.select(f"#item-{item.id} .cp-order-item")]
        assert sorted(shown) == sorted(e.id for e in item.elements)
        assert shown != [e.id for e in item.elements]


def test_practice_build_does_carry_the_key(site: Path) -> None:
    content = (site / "ejercicios" / "global.html").read_text(encoding="utf-8")
    assert BANK.items[0].explanation in content.replace("\\/", "/")
