"""The grading run never loses, crashes on or misattributes a submission (end to end).

Each test is one class of failure found by an attack on the run: it is written as the
property to hold, on `comprende grade` as an instructor runs it. The output folder's own
rules (manifest, lock, atomic replace, leftovers) are in ``test_outdir.py``; reading a
single file (encodings, Unicode, YAML, JSON) in ``test_submission.py``.
"""

from __future__ import annotations

import errno
import io
import json
import os
import signal
import struct
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comprende import classgrade, inputs
from comprende.model import ItemType
from comprende.pagedata import item_to_json
from comprende.reports import gradebook as gradebook_module
from comprende.schema import submission_schema
from comprende.template import key_answer

from .test_classgrade import (
    BANK_DIR,
    answers_file,
    errors,
    gradebook,
    read_csv,
    run,
    warnings,
    write,
)


@pytest.fixture(scope="module")
def bank():
    from comprende.bank import load_bank

    return load_bank(BANK_DIR)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def zip_bytes(members: dict[str, bytes | str], times: dict[str, tuple] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(times or {}).get(name, (2024, 11, 27, 9, 0, 0)))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def with_method(data: bytes, method: int) -> bytes:
    """A zip whose entries claim another compression method (as Deflate64 zips do)."""
    raw = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (found := raw.find(signature, start)) != -1:
            struct.pack_into("<H", raw, found + offset, method)
            start = found + 4
    return bytes(raw)


# ------------------------------------------------------------------ 1. never destroy


def test_out_equal_to_the_input_never_deletes_a_submission(bank, tmp_path):
    subs = tmp_path / "subs"
    write(subs / "ana.json", answers_file(bank, "ana", "Ana"))
    before = tree(subs)
    for extra in ({}, {"overwrite": True}):
        status, message = run(bank, subs, out=subs, **extra)
        assert status == classgrade.EXIT_USAGE, message
    status, message = run(bank, subs, out=tmp_path, overwrite=True)  # a parent of the input
    assert status == classgrade.EXIT_USAGE, message
    assert tree(subs) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["subs"]


def test_overwrite_replaces_only_an_earlier_run(bank, tmp_path):
    write(tmp_path / "in" / "ana.json", answers_file(bank, "ana", "Ana"))
    mine = tmp_path / "mine"
    write(mine / "notas.txt", "las notas del profesor")
    status, message = run(bank, tmp_path / "in", out=mine, overwrite=True)
    assert status == classgrade.EXIT_USAGE and "notas.txt" in message
    assert (mine / "notas.txt").read_text(encoding="utf-8") == "las notas del profesor"
    out = tmp_path / "out"
    assert run(bank, tmp_path / "in", out=out)[0] == 0
    assert run(bank, tmp_path / "in", out=out)[0] == classgrade.EXIT_USAGE  # no --overwrite
    assert run(bank, tmp_path / "in", out=out, overwrite=True)[0] == 0
    write(out / "mis-notas.xlsx", b"PK")  # the instructor's own file, added later
    status, message = run(bank, tmp_path / "in", out=out, overwrite=True)
    assert status == classgrade.EXIT_USAGE and "mis-notas.xlsx" in message
    assert (out / "mis-notas.xlsx").read_bytes() == b"PK"


def test_a_full_disk_fails_the_run_and_keeps_the_earlier_results(bank, tmp_path, monkeypatch):
    write(tmp_path / "in" / "ana.json", answers_file(bank, "ana", "Ana"))
    out = tmp_path / "out"
    assert run(bank, tmp_path / "in", out=out)[0] == 0
    before = tree(out)
    write(tmp_path / "in" / "bea.json", answers_file(bank, "bea", "Bea"))

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(gradebook_module.GradebookWriter, "add", full)
    status, message = run(bank, tmp_path / "in", out=out, overwrite=True)
    assert status == classgrade.EXIT_FAILED
    assert "No space left" in message and "siguen como estaban" in message
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) in (
        [],
        [".out.lock"],
    )


def test_a_full_disk_while_writing_a_report_stops_the_run(bank, tmp_path, monkeypatch):
    write(tmp_path / "in" / "ana.json", answers_file(bank, "ana", "Ana"))
    real = Path.write_text

    def failing(self, *args, **kwargs):
        if self.parent.name == "feedback":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing)
    status, _ = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert status == classgrade.EXIT_FAILED
    assert not (tmp_path / "out").exists()


def test_a_run_killed_mid_way_then_run_again(bank, tmp_path):
    subs = tmp_path / "subs"
    write(subs / "first.json", answers_file(bank, "first", "Primera"))
    out = tmp_path / "out"
    assert run(bank, subs, out=out)[0] == 0
    before = tree(out)
    for number in range(1500):
        write(subs / f"s{number:04}.json", answers_file(bank, f"s{number:04}", "Estudiante"))
    command = [sys.executable, "-m", "comprende.cli", "grade", str(subs), "--out", str(out)]
    child = subprocess.Popen([*command, "--overwrite"], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.*.tmp/feedback/s00*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert list(tmp_path.glob(".out.*.tmp")), "the run was not killed while writing"
    assert tree(out) == before  # the earlier results, untouched
    status, message = run(bank, subs, out=out, overwrite=True)
    assert status == 0, message
    assert not list(tmp_path.glob(".out.*.tmp")), "the killed run's leftovers are cleaned"
    assert len(gradebook(out)) == 1501


# ------------------------------------------------------------------ 2. one file never stops the class


@pytest.mark.parametrize(
    "text",
    [
        '{"module": "M", "student": {"id": "e1", "name": "Ana \\ud800"}, "answers": {}}',
        '{"module": "M", "student": {"id": "\\udfff", "name": "Ana"}, "answers": {}}',
        '{"module": "M\\ud800", "student": {"id": "e1", "name": "Ana"}, "answers": {}}',
        '{"module": "M", "student": {"id": "e1", "name": "Ana"}, "answers": {"ITEM": "\\ud800"}}',
        '{"module": "M", "student": {"id": "e1", "name": "Ana"}, "answers": {"\\ud800": 1}}',
        '{"module": "M", "student": {"id": "e1", "name": "Ana"}, "answers": {"ITEM": '
        + "9" * 5000
        + "}}",
        '{"module": "M", "student": {"id": "e1", "name": "Ana"}, "answers": {"ITEM": 1e400}}',
        '{"module": "M", "student": {"id": "e1", "name": "Ana"}, "answers": {"ITEM": NaN}}',
        '{"module": "M", "student": {"id": ' + "7" * 5000 + ', "name": "Ana"}, "answers": {}}',
    ],
    ids=[
        "surrogate-name",
        "surrogate-id",
        "surrogate-module",
        "surrogate-answer",
        "surrogate-key",
        "huge-int",
        "float-overflow",
        "nan",
        "huge-int-id",
    ],
)
def test_a_hostile_value_costs_at_most_its_own_file(bank, tmp_path, text):
    numeric = next(i for i in bank.items if i.type == ItemType.NUMERIC)
    write(
        tmp_path / "in" / "bad.json",
        text.replace('"M"', f'"{bank.id}"').replace("ITEM", numeric.id),
    )
    write(tmp_path / "in" / "good.json", answers_file(bank, "good", "Buena"))
    status, message = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert status in (0, 1), message
    rows = gradebook(tmp_path / "out")
    assert rows["good"]["total"] == str(
        int(bank.possible - sum(i.points for i in bank.items if not i.auto_graded))
    )
    bad_graded = [r for r in rows.values() if r["file"].endswith("bad.json")]
    assert (
        len(bad_graded) + len([f for f in errors(tmp_path / "out") if f.endswith("bad.json")]) == 1
    )
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            path.read_text(encoding="utf-8-sig") if path.suffix in (
                ".csv",
                ".html",
                ".json",
            ) else None


@pytest.mark.parametrize("nested", [False, True], ids=["member", "nested-zip"])
def test_deflate64_is_reported_not_a_crash(bank, tmp_path, nested):
    inner = zip_bytes({"ana.json": json.dumps(answers_file(bank, "ana", "Ana"))})
    outer = with_method(zip_bytes({"inner.zip": inner}) if nested else inner, 9)
    outer_zip = write(tmp_path / "in" / "class.zip", outer)
    write(tmp_path / "in" / "bea.json", answers_file(bank, "bea", "Bea"))
    status, message = run(bank, outer_zip.parent, out=tmp_path / "out")
    assert status == classgrade.EXIT_NOT_GRADED, message
    assert list(gradebook(tmp_path / "out")) == ["bea"]
    assert any("Deflate64" in reason for reason in errors(tmp_path / "out").values())


def test_exit_statuses_tell_not_graded_from_failed(bank, tmp_path):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    assert run(bank, tmp_path / "in", out=tmp_path / "o1")[0] == classgrade.EXIT_OK
    write(tmp_path / "in" / "b.json", "{")
    assert run(bank, tmp_path / "in", out=tmp_path / "o2")[0] == classgrade.EXIT_NOT_GRADED
    assert (
        len(
            {
                classgrade.EXIT_OK,
                classgrade.EXIT_NOT_GRADED,
                classgrade.EXIT_USAGE,
                classgrade.EXIT_FAILED,
            }
        )
        == 4
    )


# ------------------------------------------------------------------ 4. one student, only one


def test_one_id_in_any_unicode_form_is_one_student(bank, tmp_path):
    nfc = unicodedata.normalize("NFC", "josé")
    nfd = unicodedata.normalize("NFD", "josé")
    assert nfc != nfd
    for number, student_id in enumerate([nfc, nfd, "JOSÉ", "jo\u200bsé", "ｊｏｓé"]):
        path = write(tmp_path / "in" / f"{number}.json", answers_file(bank, student_id, "José"))
        os.utime(path, (1_700_000_000 + number, 1_700_000_000 + number))
    status, _ = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert status == 0
    rows = gradebook(tmp_path / "out")
    assert len(rows) == 1
    (row,) = rows.values()
    assert row["file"].endswith("4.json")  # the newest counts
    assert sum(kind == "duplicado" for _, kind, _ in warnings(tmp_path / "out")) == 4


def test_two_moodle_participants_with_one_typed_id_keep_two_rows(bank, tmp_path):
    data = json.dumps(answers_file(bank, "tu-id", "Ana López"))
    other = json.dumps(answers_file(bank, "tu-id", "Bea Ruiz"))
    archive = zip_bytes(
        {
            "Ana López_101_assignsubmission_file_/respuestas.json": data,
            "Bea Ruiz_102_assignsubmission_file_/respuestas.json": other,
        }
    )
    write(tmp_path / "in" / "moodle.zip", archive)
    status, _ = run(bank, tmp_path / "in" / "moodle.zip", out=tmp_path / "out")
    assert status == 0
    rows = read_csv(tmp_path / "out" / "gradebook.csv")
    assert sorted(r["lms_id"] for r in rows) == ["101", "102"]
    assert all("mismo id de estudiante" in r["notes"] for r in rows)
    moodle = read_csv(tmp_path / "out" / "gradebook-moodle.csv")
    assert sorted(r["Identifier"] for r in moodle) == ["Participant 101", "Participant 102"]
    assert len(list((tmp_path / "out" / "feedback").iterdir())) == 2


def test_no_id_overwrites_another_students_files(bank, tmp_path, monkeypatch):
    monkeypatch.setattr(classgrade, "_slug", lambda base: "same")
    for student_id in ("a", "b", "c"):
        write(tmp_path / "in" / f"{student_id}.json", answers_file(bank, student_id, student_id))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    pages = list((tmp_path / "out" / "feedback").iterdir())
    assert len(pages) == 3
    owners = {p.read_text(encoding="utf-8").split("Estudiante: <strong>")[1][:1] for p in pages}
    assert owners == {"a", "b", "c"}
    assert len(list((tmp_path / "out" / "gradescope").iterdir())) == 3


def test_newest_compares_zip_local_times_with_file_times_in_one_base(bank, tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Etc/GMT-5")  # UTC+5, Kazakhstan's time
    time.tzset()
    try:
        old = json.dumps(answers_file(bank, "ana", "Ana", answers={}))
        archive = zip_bytes({"ana.json": old}, {"ana.json": (2024, 11, 27, 10, 0, 0)})
        write(tmp_path / "in" / "class.zip", archive)  # 10:00 local = 05:00 UTC
        newer = write(tmp_path / "in" / "ana-late.json", answers_file(bank, "ana", "Ana"))
        stamp = 1732687200  # 2024-11-27 06:00 UTC
        os.utime(newer, (stamp, stamp))
        assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
        assert gradebook(tmp_path / "out")["ana"]["file"].endswith("ana-late.json")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_a_canvas_resubmission_counts_over_the_first_upload(bank, tmp_path):
    first = json.dumps(answers_file(bank, "ana", "Ana López", answers={}))
    second = json.dumps(answers_file(bank, "ana", "Ana López"))
    archive = zip_bytes(
        {"lopezana_1234_999_respuestas.json": first, "lopezana_1234_1000_respuestas-1.json": second}
    )
    write(tmp_path / "in" / "canvas.zip", archive)
    assert run(bank, tmp_path / "in" / "canvas.zip", out=tmp_path / "out")[0] == 0
    (row,) = read_csv(tmp_path / "out" / "gradebook.csv")
    assert row["file"].endswith("_1000_respuestas-1.json")


def test_a_moodle_resubmission_counts_by_its_time(bank, tmp_path):
    folder = "Ana López_101_assignsubmission_file_/"
    archive = zip_bytes(
        {
            folder + "respuestas.json": json.dumps(answers_file(bank, "ana", "Ana López")),
            folder + "respuestas (1).json": json.dumps(
                answers_file(bank, "ana", "Ana López", answers={})
            ),
        },
        {
            folder + "respuestas.json": (2024, 11, 28, 9, 0, 0),
            folder + "respuestas (1).json": (2024, 11, 27, 9, 0, 0),
        },
    )
    write(tmp_path / "in" / "moodle.zip", archive)
    assert run(bank, tmp_path / "in" / "moodle.zip", out=tmp_path / "out")[0] == 0
    (row,) = read_csv(tmp_path / "out" / "gradebook.csv")
    assert row["file"].endswith("/respuestas.json")


# ------------------------------------------------------------------ 5. bounded work


def test_forty_thousand_unknown_answers_are_linear(bank, tmp_path, monkeypatch):
    from .test_submission import structure_passes

    answers = {f"pregunta-{n}": n for n in range(40_000)}
    answers[bank.items[0].id] = key_answer(bank.items[0])
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana", answers=answers))
    passes = structure_passes(monkeypatch)
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    assert len(passes) <= 1  # was one per key (367 s): the lines are found in one pass
    message = next(m for _, kind, m in warnings(tmp_path / "out") if kind == "pregunta desconocida")
    assert len(message) <= inputs.MAX_CELL and "más" in message


def test_no_gradebook_cell_holds_megabytes(bank, tmp_path):
    numeric = next(i for i in bank.items if i.type == ItemType.NUMERIC)
    answers = {f"{'x' * 90}-{n}": n for n in range(3_000)}
    answers[numeric.id] = "9" * 200_000  # an invalid answer of 200 kB
    answers |= {i.id: [i.id] * 200 for i in bank.items if i.type == ItemType.SINGLE}
    write(tmp_path / "in" / "a.json", answers_file(bank, "a" * 200, "Ana " * 50, answers=answers))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    for name in ("gradebook.csv", "gradebook-excel.csv", "warnings.csv"):
        text = (tmp_path / "out" / name).read_text(encoding="utf-8-sig")
        assert max(len(line) for line in text.splitlines()) < 10_000


def test_a_zip_that_repeats_an_entry_counts_it_once(bank, tmp_path):
    buffer = io.BytesIO()
    with pytest.warns(UserWarning), zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ana.json", json.dumps(answers_file(bank, "ana", "Ana", answers={})))
        archive.writestr("ana.json", json.dumps(answers_file(bank, "ana", "Ana")))
    write(tmp_path / "in" / "class.zip", buffer.getvalue())
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == classgrade.EXIT_NOT_GRADED
    rows = read_csv(tmp_path / "out" / "gradebook.csv")
    assert len(rows) == 1 and rows[0]["pending"] != ""
    assert any("repite" in reason for reason in errors(tmp_path / "out").values())


def test_a_zip_whose_entries_overlap_is_refused(bank, tmp_path):
    data = json.dumps(answers_file(bank, "ana", "Ana")).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.json", data)
        archive.writestr("b.json", data)
    raw = bytearray(buffer.getvalue())
    second = raw.find(b"PK\x01\x02", raw.find(b"PK\x01\x02") + 4)
    struct.pack_into("<L", raw, second + 42, 0)  # b.json's header offset → a.json's bytes
    write(tmp_path / "in" / "class.zip", bytes(raw))
    write(tmp_path / "in" / "bea.json", answers_file(bank, "bea", "Bea"))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == classgrade.EXIT_NOT_GRADED
    assert list(gradebook(tmp_path / "out")) == ["bea"]
    assert any("comparten" in reason for reason in errors(tmp_path / "out").values())


# ------------------------------------------------------------------ 7. the key stays hidden


def test_the_published_schema_and_exam_data_never_list_a_key_order(bank):
    schema = submission_schema(bank)["properties"]["answers"]["properties"]
    for item in bank.items:
        if item.type == ItemType.ORDERING:
            key = [e.id for e in item.elements]
            listed = schema[item.id]["anyOf"][0]["items"]["enum"]
            shown = [e["id"] for e in item_to_json(item, with_key=False)["elements"]]
            for order in (listed, shown):
                assert sorted(order) == sorted(key)
                assert order != key and (len(key) < 3 or order != key[::-1]), item.id
        if item.type == ItemType.MATCHING:
            paired = [item.pairs[c.id] for c in item.left]
            shown = [c["id"] for c in item_to_json(item, with_key=False)["right"]]
            assert shown[: len(paired)] != paired, item.id


def test_no_key_reports_quote_no_evidence_and_no_feedback(bank, tmp_path):
    answers = {item.id: key_answer(item) for item in bank.items}
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana", answers=answers))
    write(tmp_path / "in" / "b.json", answers_file(bank, "b", "Bea", answers={}))
    assert run(bank, tmp_path / "in", out=tmp_path / "out", include_key=False)[0] == 0
    for student in ("a", "b"):
        page = (tmp_path / "out" / "feedback" / f"{student}.html").read_text(encoding="utf-8")
        results = (tmp_path / "out" / "gradescope" / f"{student}.results.json").read_text(
            encoding="utf-8"
        )
        shown = [item.prompt for item in bank.items]  # prompts and choices may quote the text
        for item in bank.items:
            shown += [c.text for c in (*item.options, *item.left, *item.right, *item.elements)]
            shown += item.kind.choices_to_read(item)  # a type's own choices (dos-partes' quotes)
        prompts = " ".join(shown)
        assert "<blockquote>" not in page
        for item in bank.items:
            for evidence in item.evidence:
                if evidence.quote not in prompts:
                    assert evidence.quote not in page
            if item.explanation:
                assert item.explanation not in page
            for option in item.options:
                if option.feedback:
                    assert option.feedback not in page and option.feedback not in results


# ------------------------------------------------------------------ 8. usage errors, not tracebacks


def test_a_member_named_like_a_drive_is_an_ordinary_name(bank, tmp_path):
    archive = zip_bytes({"P:respuestas.json": json.dumps(answers_file(bank, "ana", "Ana"))})
    write(tmp_path / "in" / "class.zip", archive)
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    assert list(gradebook(tmp_path / "out")) == ["ana"]
    archive = zip_bytes({"C:\\respuestas.json": json.dumps(answers_file(bank, "ana", "Ana"))})
    write(tmp_path / "in2" / "class.zip", archive)
    assert run(bank, tmp_path / "in2", out=tmp_path / "out2")[0] == classgrade.EXIT_NOT_GRADED


def test_an_empty_input_folder_is_a_usage_error_and_keeps_earlier_results(bank, tmp_path):
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    out = tmp_path / "out"
    assert run(bank, tmp_path / "in", out=out)[0] == 0
    before = tree(out)
    (tmp_path / "empty").mkdir()
    status, message = run(bank, tmp_path / "empty", out=out, overwrite=True)
    assert status == classgrade.EXIT_USAGE and "ningún archivo" in message
    assert tree(out) == before


def test_dangling_symlinks_are_reported(bank, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "gone.json").symlink_to(tmp_path / "nowhere.json")
    write(tmp_path / "in" / "a.json", answers_file(bank, "a", "Ana"))
    status, _ = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert status == classgrade.EXIT_NOT_GRADED
    assert any(f.endswith("gone.json") for f in errors(tmp_path / "out"))
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    status, message = run(bank, tmp_path / "link", out=tmp_path / "out2")
    assert status == classgrade.EXIT_USAGE and "no existe" in message
    (tmp_path / "outlink").symlink_to(tmp_path / "nowhere-out")
    status, message = run(bank, tmp_path / "in", out=tmp_path / "outlink")
    assert status == classgrade.EXIT_USAGE


def test_control_characters_in_names_are_escaped_everywhere(bank, tmp_path):
    name = "evil\x1b[31m\u202e.json"
    write(tmp_path / "in" / name, "{")
    archive = zip_bytes({"a\x07b.json": "{"})
    write(tmp_path / "in" / "class.zip", archive)
    status, message = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert status == classgrade.EXIT_NOT_GRADED
    text = (tmp_path / "out" / "errors.csv").read_text(encoding="utf-8")
    for raw in ("\x1b", "\u202e", "\x07"):
        assert raw not in text and raw not in message
    assert "\\u001b" in text


# ------------------------------------------------------------------ the whole run, on anything

ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=12)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | ANY_TEXT,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(ANY_TEXT, children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def class_files(draw, bank) -> list[tuple[str, bytes]]:
    item_ids = [item.id for item in bank.items]
    files = []
    for number in range(draw(st.integers(min_value=1, max_value=5))):
        kind = draw(st.sampled_from(["submission", "submission", "value", "bytes"]))
        if kind == "bytes":
            data = draw(st.binary(max_size=64))
        elif kind == "value":
            data = json.dumps(draw(JSON_VALUES)).encode()
        else:
            student = {
                "id": draw(st.sampled_from(["ana", "ANA", "bea", "ｃａｒｌａ"]) | ANY_TEXT),
                "name": draw(st.sampled_from(["Ana López", "Bea"]) | ANY_TEXT),
            }
            answers = draw(
                st.dictionaries(st.sampled_from(item_ids) | ANY_TEXT, JSON_VALUES, max_size=6)
            )
            module = draw(st.sampled_from([bank.id, bank.id, "otro-modulo"]))
            document = {"module": module, "student": student, "answers": answers}
            data = json.dumps(document, ensure_ascii=draw(st.booleans())).encode(
                "utf-8", "surrogatepass"
            )
        suffix = draw(st.sampled_from([".json", ".yaml", ".json"]))
        files.append((f"{number}{suffix}", data))
    return files


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_class_is_graded_whole_and_the_same_twice(bank, tmp_path_factory, data):
    files = data.draw(class_files(bank))
    folder = tmp_path_factory.mktemp("class")
    subs = folder / "subs"
    for name, content in files:
        write(subs / name, content)
    outcomes = []
    for out in (folder / "one", folder / "two"):
        status, message = run(bank, subs, out=out)
        assert status in (classgrade.EXIT_OK, classgrade.EXIT_NOT_GRADED), message
        outcomes.append(tree(out))
    assert outcomes[0] == outcomes[1]  # byte-identical re-runs
    out = folder / "one"
    counted = [row["file"] for row in read_csv(out / "gradebook.csv")]
    refused = [row["file"] for row in read_csv(out / "errors.csv")]
    superseded = [f for f, kind, _ in warnings(out) if kind == "duplicado"]
    every = sorted(counted + refused + superseded)
    assert every == sorted(str(subs / name) for name, _ in files)  # each file exactly once


# ------------------------------------------------------------------ the second attack's cases


def moodle_zip(members: dict[str, bytes | str]) -> bytes:
    return zip_bytes(members)


def test_files_that_only_look_like_canvas_names_are_not_merged(bank, tmp_path):
    write(tmp_path / "in" / "ana_2024_1_lectura.json", answers_file(bank, "ana", "Ana Ruiz"))
    write(tmp_path / "in" / "luis_2024_1_lectura.json", answers_file(bank, "luis", "Luis Gil"))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    rows = gradebook(tmp_path / "out")
    assert sorted(rows) == ["ana", "luis"]
    assert all("ids de estudiante distintos" in r["notes"] for r in rows.values())


def test_a_zip_a_student_uploaded_belongs_to_that_participant(bank, tmp_path):
    fake = zip_bytes(
        {
            "Luis Pérez_1234568_assignsubmission_file_/respuestas.json": json.dumps(
                answers_file(bank, "luis", "Luis Pérez", answers={})
            )
        },
        {"Luis Pérez_1234568_assignsubmission_file_/respuestas.json": (2030, 1, 1, 0, 0, 0)},
    )
    own = zip_bytes({"respuestas.json": json.dumps(answers_file(bank, "clave", "Ana García"))})
    other = zip_bytes({"respuestas.json": json.dumps(answers_file(bank, "clave", "Bea Ruiz"))})
    download = zip_bytes(
        {
            "Eve Mala_1234569_assignsubmission_file_/entrega.zip": fake,
            "Luis Pérez_1234568_assignsubmission_file_/respuestas.json": json.dumps(
                answers_file(bank, "luis", "Luis Pérez")
            ),
            "Ana García_1234567_assignsubmission_file_/entrega.zip": own,
            "Bea Ruiz_1234570_assignsubmission_file_/entrega.zip": other,
        }
    )
    write(tmp_path / "in" / "moodle.zip", download)
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    rows = read_csv(tmp_path / "out" / "gradebook.csv")
    by_participant = {r["lms_id"]: r for r in rows}
    assert sorted(by_participant) == ["1234567", "1234568", "1234569", "1234570"]
    luis = by_participant["1234568"]
    assert luis["file"].endswith("Luis Pérez_1234568_assignsubmission_file_/respuestas.json")
    assert "entrega.zip" in by_participant["1234569"]["file"]  # Eve's own, not Luis's


def test_one_entry_of_a_download_never_stops_the_rest(bank, tmp_path):
    inner = zip_bytes({f"x_{'9' * 5000}_1_r.json": "{}"})
    download = zip_bytes(
        {
            "Ana García_1_assignsubmission_file_/entrega.zip": inner,
            "Luis Pérez_2_assignsubmission_file_/r.json": json.dumps(
                answers_file(bank, "luis", "Luis Pérez")
            ),
            f"Zoe_{'7' * 5000}_assignsubmission_file_/r.json": json.dumps(
                answers_file(bank, "zoe", "Zoe")
            ),
        }
    )
    write(tmp_path / "in" / "moodle.zip", download)
    status, message = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert status in (0, 1), message
    assert {"luis", "zoe"} <= set(gradebook(tmp_path / "out"))


def test_files_that_are_not_read_cost_the_download_nothing(bank, tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "MAX_ARCHIVE_BYTES", 200_000)
    members: dict[str, bytes | str] = {}
    for number in range(30):
        folder = f"Estudiante {number}_{100 + number}_assignsubmission_file_/"
        members[folder + "foto.jpg"] = os.urandom(20_000)  # 600 kB of photos in all
        members[folder + "respuestas.json"] = json.dumps(
            answers_file(bank, f"e{number}", f"Estudiante {number}")
        )
    write(tmp_path / "in" / "moodle.zip", zip_bytes(members))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == classgrade.EXIT_NOT_GRADED
    assert len(gradebook(tmp_path / "out")) == 30
    assert all("no es un archivo de respuestas" in r for r in errors(tmp_path / "out").values())


def test_moodle_online_text_pages_are_not_errors(bank, tmp_path):
    download = zip_bytes(
        {
            "Ana García_1_assignsubmission_onlinetext_/onlinetext.html": "<p>hola</p>",
            "Ana García_1_assignsubmission_file_/r.json": json.dumps(
                answers_file(bank, "ana", "Ana García")
            ),
        }
    )
    write(tmp_path / "in" / "moodle.zip", download)
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    assert errors(tmp_path / "out") == {}


def test_symlinked_folders_are_read_once(bank, tmp_path):
    write(tmp_path / "grupo-b" / "bea.json", answers_file(bank, "bea", "Bea"))
    write(tmp_path / "in" / "ana.json", answers_file(bank, "ana", "Ana"))
    (tmp_path / "in" / "grupo-b").symlink_to(tmp_path / "grupo-b")
    (tmp_path / "grupo-b" / "vuelta").symlink_to(tmp_path / "in")  # a loop
    status, _ = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert sorted(gradebook(tmp_path / "out")) == ["ana", "bea"]
    assert status == classgrade.EXIT_NOT_GRADED  # the loop is reported, once
    assert any("ya se ha leído" in reason for reason in errors(tmp_path / "out").values())


def test_a_run_that_grades_nothing_keeps_the_earlier_results(bank, tmp_path):
    write(tmp_path / "in" / "ana.json", answers_file(bank, "ana", "Ana"))
    out = tmp_path / "out"
    assert run(bank, tmp_path / "in", out=out)[0] == 0
    before = tree(out)
    write(tmp_path / "wrong" / "tarea.pdf", b"%PDF-1.4")
    write(tmp_path / "wrong" / "otra.json", answers_file(bank, "x", "X", module="otro-modulo"))
    status, message = run(bank, tmp_path / "wrong", out=out, overwrite=True)
    assert status == classgrade.EXIT_NOT_GRADED
    assert "no se sustituyen" in message and "tarea.pdf" in message
    assert tree(out) == before
    # Into a new folder, the errors are written as usual.
    assert run(bank, tmp_path / "wrong", out=tmp_path / "new")[0] == classgrade.EXIT_NOT_GRADED
    assert len(errors(tmp_path / "new")) == 2


@pytest.mark.parametrize("name", ["respuestas.json.txt", "respuestas.txt", "respuestas"])
def test_answers_files_whose_extension_windows_hid_are_read(bank, tmp_path, name):
    write(tmp_path / "in" / name, answers_file(bank, "ana", "Ana"))
    write(tmp_path / "in" / "notas.txt", "apuntes de clase: nada que ver")
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == classgrade.EXIT_NOT_GRADED
    assert list(gradebook(tmp_path / "out")) == ["ana"]
    (reason,) = errors(tmp_path / "out").values()
    assert "no es un archivo de respuestas" in reason


def test_ctrl_c_is_one_line_and_keeps_the_earlier_results(bank, tmp_path, monkeypatch):
    write(tmp_path / "in" / "ana.json", answers_file(bank, "ana", "Ana"))
    out = tmp_path / "out"
    assert run(bank, tmp_path / "in", out=out)[0] == 0
    before = tree(out)

    def interrupted(self, found):
        raise KeyboardInterrupt

    monkeypatch.setattr(classgrade.GradingRun, "grade", interrupted)
    status, message = run(bank, tmp_path / "in", out=out, overwrite=True)
    assert status == classgrade.EXIT_INTERRUPTED and "interrumpido" in message
    assert tree(out) == before
    assert not list(tmp_path.glob(".out.*"))


def test_a_path_too_long_for_the_disk_is_a_usage_error(bank, tmp_path):
    status, message = run(bank, tmp_path / ("x" * 300), out=tmp_path / "out")
    assert status == classgrade.EXIT_USAGE and "no se puede usar" in message


@pytest.mark.parametrize("option", ["--roster", "--marks", "--moodle-worksheet"])
def test_an_option_file_that_is_a_fifo_is_refused_at_once(bank, tmp_path, option):
    write(tmp_path / "in" / "ana.json", answers_file(bank, "ana", "Ana"))
    fifo = tmp_path / "tuberia.csv"
    os.mkfifo(fifo)
    command = [sys.executable, "-m", "comprende.cli", "grade", str(tmp_path / "in")]
    done = subprocess.run(
        [*command, "--out", str(tmp_path / "out"), option, str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == classgrade.EXIT_USAGE
    assert "no es un archivo normal" in done.stderr


@pytest.mark.parametrize("value", [0.001, 0.5, 1e308])
def test_a_scale_out_of_range_is_refused(bank, tmp_path, value):
    from comprende.finalgrades import FinalOptions

    write(tmp_path / "in" / "ana.json", answers_file(bank, "ana", "Ana"))
    status, message = run(
        bank, tmp_path / "in", out=tmp_path / "out", final=FinalOptions(scale=value)
    )
    assert status == classgrade.EXIT_USAGE and "entre 1 y" in message


def test_a_file_given_twice_is_read_once(bank, tmp_path):
    path = write(tmp_path / "in" / "ana.json", answers_file(bank, "ana", "Ana"))
    assert run(bank, tmp_path / "in", tmp_path / "in", path, out=tmp_path / "out")[0] == 0
    assert "archivos de este estudiante" not in gradebook(tmp_path / "out")["ana"]["notes"]
    assert warnings(tmp_path / "out") == []


def test_a_file_linked_in_two_folders_is_read_once(bank, tmp_path):
    path = write(tmp_path / "in" / "a" / "ana.json", answers_file(bank, "ana", "Ana"))
    (tmp_path / "in" / "b").mkdir()
    os.link(path, tmp_path / "in" / "b" / "ana-copia.json")
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    assert "archivos de este estudiante" not in gradebook(tmp_path / "out")["ana"]["notes"]
    assert warnings(tmp_path / "out") == []


def test_the_runs_index_of_files_read_tells_new_from_seen_across_all_64_bits(tmp_path):
    from comprende.runindex import RunIndex

    index = RunIndex(tmp_path / "index.sqlite")
    keys = [(1, 2), (2, 1), (2**64 - 1, 2**63), (2**63, 2**64 - 1), (0, 0)]
    assert [index.first_read(*key) for key in keys] == [True] * len(keys)
    assert [index.first_read(*key) for key in keys] == [False] * len(keys)


def test_an_earlier_results_folder_among_the_inputs_is_one_error(bank, tmp_path):
    write(tmp_path / "in" / "ana.json", answers_file(bank, "ana", "Ana"))
    assert run(bank, tmp_path / "in", out=tmp_path / "in-notas")[0] == 0
    (tmp_path / "in-notas").rename(tmp_path / "in" / "notas")
    status, _ = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert status == classgrade.EXIT_NOT_GRADED
    (reason,) = errors(tmp_path / "out").values()
    assert "carpeta de resultados" in reason


def test_moodle_4_1_download_folders_are_recognised(bank, tmp_path):
    download = zip_bytes(
        {
            "Ana García_1234567_assignsubmission_file/respuestas.json": json.dumps(
                answers_file(bank, "clave", "Ana García")
            ),
            "Luis Pérez_1234568_assignsubmission_file/respuestas.json": json.dumps(
                answers_file(bank, "clave", "Luis Pérez")
            ),
            "Luis Pérez_1234568_assignsubmission_onlinetext/onlinetext.html": "<p>x</p>",
        }
    )
    write(tmp_path / "in" / "moodle.zip", download)
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    rows = read_csv(tmp_path / "out" / "gradebook.csv")
    assert sorted((r["lms"], r["lms_id"]) for r in rows) == [
        ("moodle", "1234567"),
        ("moodle", "1234568"),
    ]


def test_a_download_kept_inside_a_zip_keeps_its_participants(bank, tmp_path):
    group = zip_bytes(
        {
            f"{name}_{number}_assignsubmission_file_/r.json": json.dumps(
                answers_file(bank, "clave", name)
            )
            for number, name in ((11, "Ana García"), (12, "Luis Pérez"))
        }
    )
    write(tmp_path / "in" / "todo.zip", zip_bytes({"grupoA.zip": group}))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    rows = read_csv(tmp_path / "out" / "gradebook.csv")
    assert sorted(r["lms_id"] for r in rows) == ["11", "12"]


def test_flat_moodle_online_text_pages_are_skipped(bank, tmp_path):
    download = zip_bytes(
        {
            "Ana García_1_assignsubmission_onlinetext_onlinetext.html": "<p>x</p>",
            "Ana García_1_assignsubmission_file_r.json": json.dumps(
                answers_file(bank, "ana", "Ana García")
            ),
        }
    )
    write(tmp_path / "in" / "moodle.zip", download)
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    assert errors(tmp_path / "out") == {}


def test_an_lms_file_that_does_not_say_who_takes_the_participant(bank, tmp_path):
    blank = answers_file(bank, "", "")
    download = zip_bytes({"Luis Pérez_1234568_assignsubmission_file_/r.json": json.dumps(blank)})
    write(tmp_path / "in" / "moodle.zip", download)
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    (row,) = read_csv(tmp_path / "out" / "gradebook.csv")
    assert (row["id"], row["name"], row["lms_id"]) == ("moodle-1234568", "Luis Pérez", "1234568")
    assert any(kind == "sin id" for _, kind, _ in warnings(tmp_path / "out"))


def test_an_emailed_copy_is_never_merged_into_a_participant(bank, tmp_path):
    """A loose file's date is when it was saved, and its id is only typed: it is kept
    apart from the participant's download file, both rows flagged, and neither grade
    goes to the LMS's gradebook files (they match by id and would keep either)."""
    download = zip_bytes(
        {
            "Luis Pérez_1234568_assignsubmission_file_/r.json": json.dumps(
                answers_file(bank, "l2", "Luis Pérez")
            )
        }
    )
    write(tmp_path / "in" / "moodle.zip", download)
    write(tmp_path / "in" / "correo" / "eva.json", answers_file(bank, "L2", "Eva Sol"))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    rows = read_csv(tmp_path / "out" / "gradebook.csv")
    assert sorted(r["name"] for r in rows) == ["Eva Sol", "Luis Pérez"]
    assert all("mismo id de estudiante" in r["notes"] for r in rows)
    moodle = read_csv(tmp_path / "out" / "gradebook-moodle.csv")
    assert [r["Grade"] for r in moodle] == ["", ""]
    assert all("mismo id" in r["Feedback comments"] for r in moodle)


def test_blind_marking_downloads_have_no_name_to_disagree_with(bank, tmp_path):
    download = zip_bytes(
        {
            "Participant_1234567_assignsubmission_file/r.json": json.dumps(
                answers_file(bank, "a1", "Ana García")
            )
        }
    )
    write(tmp_path / "in" / "moodle.zip", download)
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    assert not any(kind == "nombre distinto" for _, kind, _ in warnings(tmp_path / "out"))


def test_one_students_zip_of_many_files_costs_only_that_student(bank, tmp_path):
    inner = zip_bytes({f"foto-{n:05}.png": b"" for n in range(12_000)} | {"notas.txt": "x" * 10})
    members: dict[str, bytes | str] = {"Eve Mala_1_assignsubmission_file_/fotos.zip": inner}
    for number in range(2, 6):
        members[f"Estudiante {number}_{number}_assignsubmission_file_/r.json"] = json.dumps(
            answers_file(bank, f"e{number}", f"Estudiante {number}")
        )
    write(tmp_path / "in" / "moodle.zip", zip_bytes(members))
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == classgrade.EXIT_NOT_GRADED
    assert sorted(gradebook(tmp_path / "out")) == ["e2", "e3", "e4", "e5"]
    problems = errors(tmp_path / "out")
    assert len(problems) <= 3, problems  # a row or two for Eve's zip, not one per photo
    assert (tmp_path / "out" / "errors.csv").stat().st_size < 5_000


def test_earlier_results_zipped_among_the_inputs_are_one_error(bank, tmp_path):
    write(tmp_path / "in" / "ana.json", answers_file(bank, "ana", "Ana"))
    assert run(bank, tmp_path / "in", out=tmp_path / "notas")[0] == 0
    members = {
        f"notas/{p.relative_to(tmp_path / 'notas').as_posix()}": p.read_bytes()
        for p in (tmp_path / "notas").rglob("*")
        if p.is_file()
    }
    write(tmp_path / "in" / "notas.zip", zip_bytes(members))
    status, _ = run(bank, tmp_path / "in", out=tmp_path / "out")
    assert status == classgrade.EXIT_NOT_GRADED
    (reason,) = errors(tmp_path / "out").values()
    assert "carpeta de resultados" in reason


def test_group_downloads_kept_in_one_zip_keep_students_own_zips(bank, tmp_path):
    own = zip_bytes({"respuestas.json": json.dumps(answers_file(bank, "ana", "Ana García"))})
    photos = zip_bytes({f"f{n:05}.png": b"" for n in range(10_050)})
    group = zip_bytes(
        {
            "Ana García_11_assignsubmission_file_/entrega.zip": own,
            "Bea Ruiz_12_assignsubmission_file_/fotos.zip": photos,
            "Bea Ruiz_12_assignsubmission_file_/r.json": json.dumps(
                answers_file(bank, "bea", "Bea Ruiz")
            ),
            "Zoe Gil_13_assignsubmission_file_/r.json": json.dumps(
                answers_file(bank, "zoe", "Zoe Gil")
            ),
        }
    )
    write(tmp_path / "in" / "todo.zip", zip_bytes({"grupoA.zip": group}))
    run(bank, tmp_path / "in", out=tmp_path / "out")
    assert sorted(gradebook(tmp_path / "out")) == ["ana", "bea", "zoe"]


def test_text_notes_in_a_students_zip_do_not_crowd_out_the_answers(bank, tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "MAX_NESTED_READ", 100_000)
    notes = {f"apuntes-{n}.txt": "x" * 20_000 for n in range(10)}
    own = zip_bytes({**notes, "zz-respuestas.json": json.dumps(answers_file(bank, "eve", "Eve"))})
    download = zip_bytes({"Eve Mala_1_assignsubmission_file_/entrega.zip": own})
    write(tmp_path / "in" / "moodle.zip", download)
    run(bank, tmp_path / "in", out=tmp_path / "out")
    assert list(gradebook(tmp_path / "out")) == ["eve"]


@pytest.mark.parametrize("word", ["Partecipante", "Teilnehmerin", "Participante"])
def test_blind_marking_in_other_languages_gives_no_name(word):
    naming = inputs.lms_naming(f"{word}_1234567_assignsubmission_file/r.json")
    assert naming is not None and naming.name == "" and naming.lms_id == "1234567"


def test_a_file_dated_in_the_future_never_counts_as_the_newest(bank, tmp_path):
    real = zip_bytes(
        {
            "Luis Pérez_1234568_assignsubmission_file_/r.json": json.dumps(
                answers_file(bank, "l2", "Luis Pérez")
            )
        }
    )
    forged = zip_bytes(
        {
            "Luis Pérez_1234568_assignsubmission_file/r.json": json.dumps(
                answers_file(bank, "l2", "Luis Pérez", answers={})
            )
        },
        {"Luis Pérez_1234568_assignsubmission_file/r.json": (2099, 1, 1, 0, 0, 0)},
    )
    write(tmp_path / "in" / "moodle.zip", real)
    write(tmp_path / "in" / "correo" / "adjunto.zip", forged)
    assert run(bank, tmp_path / "in", out=tmp_path / "out")[0] == 0
    (row,) = read_csv(tmp_path / "out" / "gradebook.csv")
    assert row["file"].endswith("moodle.zip!/Luis Pérez_1234568_assignsubmission_file_/r.json")
