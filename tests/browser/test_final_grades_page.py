"""The marking page's half of the loop: grade, mark in corregir.html, grade again.

A class is graded with ``comprende grade``; its ``corregir.html`` is opened in Chromium
and every open answer is marked with the keyboard; the file the page saves goes back
with ``--marks``, and every gradebook cell is checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from comprende.bank import load_bank
from comprende.reports.base import points

from ..test_classgrade import BANK_DIR, read_csv, write
from ..test_final_grades import auto_points, grade, open_items, submission
from .test_marking_page import open_tab

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def bank() -> Any:
    return load_bank(BANK_DIR)


def test_a_class_marked_in_the_page_gets_its_final_grades(
    browser: Any, tmp_path: Path, bank: Any
) -> None:
    students = ("ana", "bea")
    for student in students:
        write(tmp_path / "in" / f"{student}.json", submission(bank, student, student.title()))
    assert grade(bank, tmp_path / "in", out=tmp_path / "first")[0] == 0
    essays = open_items(bank)
    rows = read_csv(tmp_path / "first" / "pending.csv")
    given: dict[tuple[str, str], float] = {}
    for tab in open_tab(browser, tmp_path / "first"):
        for number, row in enumerate(rows):
            item = bank.by_id[row["item"]]
            tab.locator("#field-0").focus()
            values = [c.points if (number + i) % 2 == 0 else 0 for i, c in enumerate(item.rubric)]
            for index, value in enumerate(values):
                if index:
                    tab.keyboard.press("Tab")
                tab.keyboard.type(points(value, comma=True))
            tab.keyboard.press("Tab")
            tab.keyboard.type(f"Comentario {number}")
            given[(row["id"], row["item"])] = sum(values)
            if number < len(rows) - 1:
                tab.keyboard.press("Alt+Shift+KeyS")
        with tab.expect_download() as info:
            tab.keyboard.press("Alt+Shift+KeyG")
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)
    status, message = grade(bank, tmp_path / "in", out=tmp_path / "second", marks=[saved])
    assert status == 0, message
    book = {row["id"]: row for row in read_csv(tmp_path / "second" / "gradebook.csv")}
    for student in students:
        row = book[student]
        for item in bank.items:
            expected = item.points if item.auto_graded else given[(student, item.id)]
            assert row[item.id] == points(expected), (student, item.id)
        total = auto_points(bank) + sum(given[(student, e.id)] for e in essays)
        assert row["total"] == points(total)
        assert row["status"] == "corregido" and row["pending"] == "0"
