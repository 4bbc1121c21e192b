"""The bugs the audit planted that no test caught: each test here fails with that bug in.

Audit (issue 12): evidence checked only on its first 40 characters; backslash and
drive-letter zip paths; the exam page's JSON listing ordering elements in key order;
`pending.csv` written without formula escaping; the median of an even-sized class;
surname-first Canvas names.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from comprende import inputs
from comprende.bank import load_bank
from comprende.errors import ComprendeError
from comprende.model import ItemType
from comprende.pagedata import display_order, item_to_json
from comprende.stats import StatsAccumulator

from .conftest import ROOT
from .test_classgrade import answers_file, errors, gradebook, make_zip, run, warnings, write

BANK_DIR = ROOT / "exercises"


@pytest.fixture(scope="module")
def bank():
    return load_bank(BANK_DIR)


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    shutil.copytree(BANK_DIR, tmp_path / "exercises")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "exercises"


# ------------------------------------------------------------------ evidence, whole quote

QUOTE = (
    "Toqaev enfatiza que Kazajistán sigue siendo un socio estratégico y aliado firme de "
    "Rusia, incluso en estos tiempos desafiantes."
)


def test_a_quote_right_in_its_first_40_characters_only_is_refused(bank_copy: Path) -> None:
    path = bank_copy / "detalle.yaml"
    text = path.read_text(encoding="utf-8")
    assert f'"{QUOTE}"' in text
    wrong = QUOTE.replace("tiempos desafiantes", "tiempos difíciles")
    assert wrong[:60] == QUOTE[:60]
    line = text[: text.index(QUOTE)].count("\n") + 1
    path.write_text(text.replace(QUOTE, wrong, 1), encoding="utf-8")
    with pytest.raises(ComprendeError) as caught:
        load_bank(bank_copy)
    assert (Path(caught.value.path).name, caught.value.line) == ("detalle.yaml", line)
    assert "verbatim" in caught.value.message


def test_a_quote_that_runs_into_the_next_paragraph_is_refused(article, bank_copy: Path) -> None:
    first, second = article.paragraphs[0], article.paragraphs[1]
    across = first[-30:] + " " + second[:30]
    path = bank_copy / "detalle.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(QUOTE, across, 1), encoding="utf-8")
    with pytest.raises(ComprendeError, match="verbatim"):
        load_bank(bank_copy)


def test_a_quote_from_the_middle_of_a_paragraph_gets_that_paragraph(article) -> None:
    for number, paragraph in enumerate(article.paragraphs, start=1):
        middle = paragraph[len(paragraph) // 3 : len(paragraph) // 3 + 50]
        assert article.locate(middle) == number
        assert article.locate(paragraph + " y más") is None
    assert article.locate("") is None


# ------------------------------------------------------------------ zip member paths


def test_backslash_and_drive_letter_paths_in_a_zip_are_refused(bank, tmp_path: Path) -> None:
    members = {
        "..\\..\\escape.json": "a",
        "ok\\..\\..\\up.json": "b",
        "\\abs.json": "c",
        "C:/x.json": "d",
        "c:\\y.json": "e",
        "bien\\dentro.json": "f",  # a Windows zip's separator: an ordinary path
    }
    archive = make_zip(
        tmp_path / "win.zip",
        {name: json.dumps(answers_file(bank, sid, sid.upper())) for name, sid in members.items()},
    )
    assert run(bank, archive, out=tmp_path / "out")[0] == 1
    found = errors(tmp_path / "out")
    refused = [name for name in members if name != "bien\\dentro.json"]
    assert sorted(found) == sorted(f"{archive}!/{name}" for name in refused)
    assert all("sale de la carpeta del zip" in reason for reason in found.values())
    assert list(gradebook(tmp_path / "out")) == ["f"]
    assert not (tmp_path / "escape.json").exists() and not (tmp_path / "up.json").exists()


# ------------------------------------------------------------------ the exam page's JSON


def key_orders(item) -> list[list[str]]:
    if item.elements:
        key = [e.id for e in item.elements]
    else:
        key = list(dict.fromkeys(item.pairs[c.id] for c in item.left if c.id in item.pairs))
        key += [c.id for c in item.right if c.id not in key]
    return [key, key[::-1]] if len(key) > 2 else [key]


def listed(data: dict) -> list[str]:
    return [c["id"] for c in data.get("elements") or data["right"]]


def test_the_page_json_never_lists_choices_in_the_key_order(bank) -> None:
    items = [i for i in bank.items if i.elements or i.pairs]
    assert {i.type for i in items} == {ItemType.ORDERING, ItemType.MATCHING}
    for item in items:
        for with_key in (False, True):
            shown = listed(item_to_json(item, with_key=with_key))
            assert sorted(shown) == sorted(key_orders(item)[0]), item.id
            assert shown not in key_orders(item), item.id


def test_an_order_that_happens_to_be_the_key_is_changed(bank) -> None:
    """Ids whose hash order is the key's (or its reverse) still show another order."""
    ordering = next(i for i in bank.items if i.type == ItemType.ORDERING)
    hits = 0
    for n in range(3000):
        item = dataclasses.replace(ordering, id=f"o{n}")
        by_hash = sorted(
            item.elements, key=lambda c: hashlib.sha256(f"{item.id}:{c.id}".encode()).hexdigest()
        )
        if [c.id for c in by_hash] not in key_orders(item):
            continue
        hits += 1
        shown = [c.id for c in display_order(item, item.elements)]
        assert sorted(shown) == sorted(e.id for e in item.elements)
        assert shown not in key_orders(item), item.id
        assert listed(item_to_json(item, with_key=False)) == shown
    assert hits >= 2  # the case was met: the test checked something


def test_the_exam_pages_json_does_not_list_elements_in_key_order(exam_site: Path, bank) -> None:
    checked = 0
    for page in sorted((exam_site / "ejercicios").glob("*.html")):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for script in soup.select('script[id^="cp-data-"]'):
            for data in json.loads(script.string).get("pageItems", []):
                if data.get("elements") or data.get("right"):
                    item = bank.by_id[data["id"]]
                    assert listed(data) not in key_orders(item), data["id"]
                    checked += 1
    assert checked == sum(1 for i in bank.items if i.elements or i.pairs)


# ------------------------------------------------------------------ every CSV is formula-safe

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def test_no_csv_of_the_class_run_starts_a_cell_with_a_formula(bank, tmp_path: Path) -> None:
    open_item = next(i for i in bank.items if i.type == ItemType.OPEN)
    short = next(i for i in bank.items if i.type == ItemType.SHORT)
    answers = {open_item.id: '=HYPERLINK("http://x")', short.id: "+1"}
    write(
        tmp_path / "in" / "a.json",
        answers_file(bank, "=cmd|'/c calc'!A1", "@SUM(1+1) Eva", answers=answers),
    )
    write(tmp_path / "in" / "b.json", answers_file(bank, "-2+3", "+34 Ruiz", answers=answers))
    write(tmp_path / "in" / "c.json", "{ no es JSON")  # an error row names its file
    (tmp_path / "in" / "=evil.json").write_text("[]", encoding="utf-8")
    run(bank, tmp_path / "in", out=tmp_path / "out")
    out = tmp_path / "out"
    files = sorted(out.rglob("*.csv"))
    names = {p.name for p in files}
    assert {"pending.csv", "pending-excel.csv", "gradebook.csv", "errors.csv"} <= names
    bad = []
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        delimiter = ";" if "excel" in path.name else ","
        for row in csv.reader(text.splitlines(), delimiter=delimiter):
            bad += [(path.name, cell) for cell in row if cell.startswith(FORMULA_START)]
    assert bad == []
    pending = {
        row["id"]: row
        for row in csv.DictReader((out / "pending.csv").open(encoding="utf-8", newline=""))
    }
    assert pending["'=cmd|'/c calc'!A1"]["answer"] == '\'=HYPERLINK("http://x")'
    assert pending["'-2+3"]["name"] == "'+34 Ruiz"


# ------------------------------------------------------------------ the median


@pytest.mark.parametrize(
    ("totals", "median"),
    [
        ([1, 2, 3, 4], 2.5),
        ([4, 3, 2, 1], 2.5),  # arrival order does not matter
        ([1, 1, 3, 3], 2.0),
        ([0, 0, 0, 4], 0.0),
        ([1, 2, 2, 4], 2.0),
        ([0, 4], 2.0),
        ([2, 2], 2.0),
        ([0, 1, 4, 4, 4, 4], 4.0),
        ([0, 0, 1, 4, 4, 4], 2.5),
        ([3], 3.0),
        ([0, 1, 4], 1.0),
    ],
)
def test_the_median_of_a_class(totals: list[int], median: float) -> None:
    accumulator = StatsAccumulator([(f"i{n}", 1.0) for n in range(4)])
    for total in totals:
        accumulator.add([100] * total + [0] * (4 - total), ["a"] * 4)
    assert accumulator.result().median == median


def test_the_median_in_hundredths_of_a_point() -> None:
    accumulator = StatsAccumulator([("i", 2.0)])
    for score in (25, 150, 50, 175):  # 0.25, 1.5, 0.5, 1.75 points
        accumulator.add([score], ["a"])
    assert accumulator.result().median == pytest.approx(1.0)


# ------------------------------------------------------------------ Canvas's surname-first names


@pytest.mark.parametrize(
    ("name", "agrees"),
    [
        ("Ana López García", True),  # Canvas writes «lopezgarciaana»
        ("López García Ana", True),  # already surname first
        ("García Ana López", True),
        ("ana lopez garcia", True),
        ("Ana García López", False),  # the surnames swapped: another person
        ("Ana López", False),
        ("Ana López García Ruiz", False),
    ],
)
def test_a_canvas_name_is_matched_surname_first(name: str, agrees: bool) -> None:
    canvas = inputs.LmsNaming("canvas", "lopezgarciaana", "1")
    assert inputs.name_matches(canvas, name) is agrees


def test_a_canvas_download_warns_only_when_the_names_differ(bank, tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "canvas.zip",
        {
            "lopezgarciaana_2001_9001_respuestas.json": json.dumps(
                answers_file(bank, "e1", "Ana López García")
            ),
            "ruizberto_2002_9002_respuestas.json": json.dumps(
                answers_file(bank, "e2", "Carmen Ruiz")
            ),
        },
    )
    assert run(bank, archive, out=tmp_path / "out")[0] == 0
    differ = [w for w in warnings(tmp_path / "out") if w[1] == "nombre distinto"]
    assert [w[0] for w in differ] == [f"{archive}!/ruizberto_2002_9002_respuestas.json"]
