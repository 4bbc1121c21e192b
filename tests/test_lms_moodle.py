"""Moodle's grading worksheet filled in, checked against the importer's own rules.

The worksheets in tests/data/lms/ were written by PHP's fputcsv the way Moodle's
download writes them (see make_worksheets.php). ``moodle_import`` below applies the
rules of ``mod/assign/feedback/offline/importgradeslib.php`` (``init()``, ``next()``)
and ``locallib.php`` (``process_import_grades()``) as read in moodle/moodle; they are
listed in :mod:`comprende.lms.moodle`'s docstring.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from comprende.errors import ComprendeError
from comprende.lms import FinalGrade, grade_text, scale
from comprende.lms.moodle import (
    feedback_zip,
    fill_worksheet,
    moodle_date,
    read_worksheet,
    save_worksheet,
)

DATA = Path(__file__).parent / "data" / "lms"
NOW = datetime(2026, 12, 1, 7, 40, 0, tzinfo=UTC)

#: The strings the importer looks up, per site language (lang/en and lang/es 3.11).
STRINGS = {
    "en": {
        "gradenoun": "Grade",
        "recordid": "Identifier",
        "lastmodifiedgrade": "Last modified (grade)",
        "hiddenuser": "Participant ",
        "feedback": "Feedback comments",
        "decsep": ".",
    },
    "es": {
        "gradenoun": "Calificación",
        "recordid": "Identificador",
        "lastmodifiedgrade": "Última modificación (calificación)",
        "hiddenuser": "Participante",
        "feedback": "Comentarios de retroalimentación",
        "decsep": ",",
    },
}

# PHP's documented strtotime grammar (php.net "Supported Date and Time Formats"):
# the compound "MySQL" format YY "-" MM "-" DD " " HH ":" II ":" SS, followed by the
# time format's  space? (tzcorrection | tz)  from "Hour, minutes, seconds and timezone".
_YY = r"(?P<y>[0-9]{4})"
_MM = r"(?P<m>0[0-9]|1[0-2])"
_DD = r"(?P<d>0[0-9]|[1-2][0-9]|3[01])"
_HH = r"(?P<H>[01][0-9]|2[0-4])"
_II = r"(?P<I>[0-5][0-9])"
_SS = r"(?P<S>[0-5][0-9]|60)"
_TZ = r"(?P<tz>\(?[A-Za-z]{1,6}\)?|[A-Z][a-z]+(?:[_/][A-Z][a-z]+)+)"
STRTOTIME_MYSQL_TZ = re.compile(rf"{_YY}-{_MM}-{_DD} {_HH}:{_II}:{_SS}[ \t]?{_TZ}")


def strtotime(text: str) -> int | None:
    """What PHP's strtotime returns for the formats we write (None = false)."""
    m = STRTOTIME_MYSQL_TZ.fullmatch(text)
    if not m or m["tz"] not in ("UTC", "GMT"):
        return None
    moment = datetime(
        int(m["y"]), int(m["m"]), int(m["d"]), int(m["H"]), int(m["I"]), int(m["S"]), tzinfo=UTC
    )
    return int(moment.timestamp())


def unformat_float(text: str, decsep: str) -> float | None:
    """lib/moodlelib.php unformat_float(): trim, drop spaces, decsep → '.', (float) cast."""
    text = text.strip()
    if text == "":
        return None
    text = text.replace(" ", "").replace(decsep, ".")
    m = re.match(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text)  # PHP's (float) cast
    return float(m[0]) if m else 0.0


def moodle_import(
    data: bytes,
    lang: str,
    *,
    maximum: float,
    participants: set[int],
    stored: dict[int, tuple[float, int]] | None = None,
) -> dict[int, tuple[float, str | None]]:
    """Apply the importer's rules; return {participant: (grade, feedback)} it would save."""
    s = STRINGS[lang]
    stored = stored or {}
    text = data.decode("utf-8")
    text = text.removeprefix("\ufeff")  # core_text::trim_utf8_bom
    text = re.sub(r"\r\n?", "\n", text).strip()
    records = [r for r in csv.reader(io.StringIO(text)) if r != []]
    header = records[0]
    assert all(len(r) == len(header) for r in records), "csvweirdcolumns"
    # init(): columns found by their exact names in the site's language.
    assert s["gradenoun"] in header
    assert s["recordid"] in header
    assert s["lastmodifiedgrade"] in header
    grade_i = header.index(s["gradenoun"])
    id_i = header.index(s["recordid"])
    mod_i = header.index(s["lastmodifiedgrade"])
    fb_i = header.index(s["feedback"]) if s["feedback"] in header else None
    saved: dict[int, tuple[float, str | None]] = {}
    for record in records[1:]:
        # next(): the participant number is the identifier minus strlen(hiddenuser) bytes.
        raw = record[id_i].encode()[len(s["hiddenuser"].encode()) :].decode()
        if not raw.isdigit() or int(raw) not in participants:
            continue
        number = int(raw)
        grade = unformat_float(record[grade_i], s["decsep"])
        modified = strtotime(record[mod_i]) or 0
        old = stored.get(number)
        stale = old is not None and old[1] > modified + 60
        if old is not None and grade == old[0]:
            continue
        if grade is None or grade < 0 or stale:
            continue
        if grade > maximum:
            continue  # out of range
        saved[number] = (grade, record[fb_i] if fb_i is not None else None)
    return saved


def grades() -> list[FinalGrade]:
    return [
        FinalGrade("A1", "Ana García", "moodle", "1234567", 51, 68, "corregido", "Muy bien.", None),
        FinalGrade(
            "L2", "Luis Pérez", "moodle", "1234568", 34, 68, "corregido", "Repasa <3>.", None
        ),
        FinalGrade("P4", "Pedro Gil", "moodle", "1234570", 60, 68, "corregido", "Bien.", None),
        FinalGrade("S5", "Sean O'Brien", "moodle", "1234571", 20, 68, "pendiente", "Falta.", None),
        FinalGrade("X9", "Nadie", "moodle", "999", 10, 68, "corregido", "", None),
        FinalGrade("C1", "Carla", "canvas", "4321", 10, 68, "corregido", "", None),
    ]


def lines_of(text: str) -> list[str]:
    return text.removeprefix("\ufeff").split("\n")


@pytest.mark.parametrize(("lang", "maximum"), [("en", 10.0), ("es", 100.0)])
def test_filled_worksheet_passes_the_importer(tmp_path, lang, maximum):
    ws = read_worksheet(DATA / f"worksheet-{lang}.csv")
    assert ws.language == lang
    assert ws.bom and ws.delimiter == "," and ws.encoding == "utf-8"
    text, report = fill_worksheet(ws, grades(), now=NOW)
    out = tmp_path / "moodle-worksheet.csv"
    save_worksheet(out, ws, text)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    # Luis had 6.00 (en) / 60,50 (es) stored at the worksheet's own date, before NOW.
    stored_at = int((NOW - timedelta(days=3)).timestamp())
    saved = moodle_import(
        data,
        lang,
        maximum=maximum,
        participants={1234567, 1234568, 1234569, 1234570, 1234571},
        stored={1234568: (0.6 * maximum, stored_at)},
    )
    ana = scale(51, 68, maximum)
    luis = scale(34, 68, maximum)
    assert saved == {
        1234567: (ana, "Muy bien."),
        1234568: (luis, "Repasa &lt;3&gt;."),
    }
    assert ana == {10.0: 7.5, 100.0: 75.0}[maximum]
    assert [m.lms_id for m in report.matched] == ["1234567", "1234568"]
    assert report.matched[1].previous == {"en": "6.00", "es": "60,50"}[lang]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_rows_without_a_grade_are_untouched_byte_for_byte(lang):
    source = (DATA / f"worksheet-{lang}.csv").read_bytes().decode("utf-8")
    ws = read_worksheet(DATA / f"worksheet-{lang}.csv")
    text, report = fill_worksheet(ws, grades(), now=NOW)
    before, after = lines_of(source), lines_of(text)
    assert text.startswith("\ufeff") and len(before) == len(after)
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [1, 2]  # Ana's and Luis's rows; the header and the others as they were
    assert report.untouched == 1  # Marta: no submission
    # In a changed row only the grade, the date and the comment differ.
    old = next(csv.reader([before[1]]))
    new = next(csv.reader([after[1]]))
    diff = {ws.header[i] for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b}
    s = STRINGS[lang]
    assert diff == {s["gradenoun"], s["lastmodifiedgrade"], s["feedback"]}


def test_report_explains_every_grade_and_row():
    ws = read_worksheet(DATA / "worksheet-en.csv")
    _, report = fill_worksheet(ws, grades(), now=NOW)
    skipped = {who: why for _, who, why in report.skipped}
    assert set(skipped) == {"Pedro Gil", "O'Brien, Sean"}
    assert "bloqueada" in skipped["Pedro Gil"]
    assert "pendiente" in skipped["O'Brien, Sean"]
    unmatched = {sid: why for sid, _, why in report.unmatched}
    assert set(unmatched) == {"X9", "C1"}
    assert "Participant 999" in unmatched["X9"]
    assert "Moodle" in unmatched["C1"]
    text = report.text()
    assert "Filas con calificación: 2" in text and "Filas sin entrega (sin cambios): 1" in text
    assert "7.5 de 10" in text and "antes 6.00" in text


def test_pending_grades_can_be_included_on_request():
    ws = read_worksheet(DATA / "worksheet-en.csv")
    _, report = fill_worksheet(ws, grades(), now=NOW, include_pending=True)
    assert "1234571" in [m.lms_id for m in report.matched]


def test_the_date_written_is_read_by_strtotime_and_is_the_fill_time():
    stamp = moodle_date(NOW)
    assert stamp == "2026-12-01 07:40:00 UTC"
    assert strtotime(stamp) == int(NOW.timestamp())
    # Same instant from a clock in another zone.
    madrid = NOW.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Madrid"))
    assert moodle_date(madrid) == stamp
    # What a Spanish Moodle writes is no documented strtotime format (PHP returns
    # false): that is why the date is rewritten, or Moodle would skip the row as stale.
    assert strtotime("miércoles, 27 de noviembre de 2024, 04:02 PM") is None


def test_a_stale_row_would_be_skipped_by_the_importer():
    # The check our date must pass: a grade changed in Moodle after filling wins.
    ws = read_worksheet(DATA / "worksheet-en.csv")
    text, _ = fill_worksheet(ws, grades(), now=NOW)
    later = int((NOW + timedelta(minutes=5)).timestamp())
    saved = moodle_import(
        ("\ufeff" + text.removeprefix("\ufeff")).encode(),
        "en",
        maximum=10,
        participants={1234567, 1234568},
        stored={1234568: (6.0, later)},
    )
    assert 1234568 not in saved and 1234567 in saved


def test_grade_is_written_with_a_point_that_both_sites_read():
    ws = read_worksheet(DATA / "worksheet-es.csv")
    g = [FinalGrade("A1", "Ana García", "moodle", "1234567", 45.5, 68, "corregido", "", None)]
    _, report = fill_worksheet(ws, g, now=NOW)
    value = report.matched[0].grade
    assert value == "66.91"  # 45.5 / 68 * 100 = 66.9117…
    assert unformat_float(value, ",") == unformat_float(value, ".") == 66.91
    # A comma would be misread by an English site.
    assert unformat_float("66,91", ".") == 66.0


def test_grade_never_above_the_maximum():
    ws = read_worksheet(DATA / "worksheet-en.csv")
    g = [FinalGrade("A1", "Ana García", "moodle", "1234567", 70, 68, "corregido", "", None)]
    _, report = fill_worksheet(ws, g, now=NOW)
    assert report.matched[0].grade == "10"


def test_semicolon_worksheet_resaved_by_a_spreadsheet(tmp_path):
    source = (DATA / "worksheet-es.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(source)))
    path = tmp_path / "hoja.csv"
    with path.open("w", encoding="cp1252", newline="") as fh:
        csv.writer(fh, delimiter=";", lineterminator="\r\n").writerows(rows)
    ws = read_worksheet(path)
    assert ws.delimiter == ";" and ws.encoding == "cp1252" and not ws.bom
    text, report = fill_worksheet(ws, grades(), now=NOW)
    assert any("punto y coma" in n for n in report.notes)
    assert any("Windows-1252" in n for n in report.notes)
    out = tmp_path / "out.csv"
    save_worksheet(out, ws, text)
    back = list(csv.reader(io.StringIO(out.read_bytes().decode("cp1252")), delimiter=";"))
    assert back[1][4] == "75" and back[3] == rows[3]
    assert out.read_bytes().count(b"\r\n") == len(rows)


def test_worksheet_without_feedback_column_is_filled_and_says_so(tmp_path):
    source = (DATA / "worksheet-en.csv").read_text(encoding="utf-8-sig")
    rows = [r[:-1] for r in csv.reader(io.StringIO(source))]
    path = tmp_path / "w.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    ws = read_worksheet(path)
    _, report = fill_worksheet(ws, grades(), now=NOW)
    assert len(report.matched) == 2
    assert any("Comentarios de retroalimentación" in n for n in report.notes)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "vac\u00edo"),
        (b"Student,ID,Score\nAna,1,7\n", "Identifier"),
        (
            "\ufeffIdentifier,Full name,Grade,Maximum grade\nParticipant 1,Ana,,10\n".encode(),
            "«Last modified (grade)»",
        ),
        (
            "Identificador,Nombre completo,Calificacion,Última modificación (calificación)\n".encode(),
            "«Calificación»",
        ),
    ],
)
def test_not_a_worksheet_is_refused_in_spanish(tmp_path, content, expected):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(ComprendeError) as err:
        read_worksheet(path)
    message = str(err.value)
    assert str(path) in message and expected in message
    assert "Descargar hoja de calificaciones" in message


def test_a_row_with_missing_fields_is_refused_with_its_line(tmp_path):
    source = (DATA / "worksheet-en.csv").read_text(encoding="utf-8")
    broken = source.replace(",Yes,", ",", 1)  # third line loses a field
    path = tmp_path / "w.csv"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ComprendeError) as err:
        read_worksheet(path)
    assert f"{path}:2" in str(err.value) and "campos" in str(err.value)


def test_our_own_gradebook_export_is_not_taken_for_a_worksheet(tmp_path):
    # The bug this replaces: a CSV with "Identifier" but not the other columns.
    path = tmp_path / "gradebook-moodle.csv"
    path.write_text("Identifier,Full name,Grade\nParticipant 5,Ana,7.5\n", encoding="utf-8")
    with pytest.raises(ComprendeError, match="nombre exacto"):
        read_worksheet(path)


# ----------------------------------------------------------------------------- zip


def importzip_participant(path: str) -> tuple[int, str, str, str] | None:
    """importziplib.php is_valid_filename_for_import(): (participant, subtype, type, file)."""
    parts = path.split("/")
    while parts:
        part = parts.pop(0)
        info = part.split("_", 4)  # explode('_', $pathpart, 5)
        if len(info) < 4 or not info[1].isdigit():
            continue
        if len(info) == 4:
            info.append("")
        parts.insert(0, info[4])
        return int(info[1]), info[2], info[3], "/".join(parts).lstrip("/")
    return None


def test_feedback_zip_follows_moodles_folder_naming(tmp_path):
    pages = []
    for slug in ("ana-garcia", "luis"):
        page = tmp_path / f"{slug}.html"
        page.write_text(f"<p>{slug}</p>", encoding="utf-8")
        pages.append(page)
    g = [
        FinalGrade("A1", "Ana_María García", "moodle", "1234567", 1, 1, "corregido", "", pages[0]),
        FinalGrade("L2", "Luis/Pérez", "moodle", "01234568", 1, 1, "corregido", "", pages[1]),
        FinalGrade("C1", "Carla", "canvas", "4321", 1, 1, "corregido", "", pages[1]),
        FinalGrade("N1", "Sin página", "moodle", "1234569", 1, 1, "corregido", "", None),
    ]
    out = tmp_path / "moodle-feedback.zip"
    report = feedback_zip(g, out)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert zf.read(names[0]) == b"<p>ana-garcia</p>"
    parsed = [importzip_participant(n) for n in names]
    assert parsed == [
        (1234567, "assignfeedback", "file", "ana-garcia.html"),
        (1234568, "assignfeedback", "file", "luis.html"),
    ]
    assert names[0] == "Ana María García_1234567_assignfeedback_file_/ana-garcia.html"
    with zipfile.ZipFile(out) as zf:
        assert zf.infolist()[0].flag_bits & 0x800  # the name is flagged as UTF-8
    assert {sid for sid, _, _ in report.skipped} == {"C1", "N1"}
    assert "Páginas incluidas: 2" in report.lines()


# ----------------------------------------------------------------------------- scale


@pytest.mark.parametrize(
    ("points", "possible", "maximum", "expected"),
    [
        (1, 8, 57, 7.13),  # 7.125: half up, not to even, not through a binary float
        (1, 8, 56.9, 7.11),  # 7.1125
        (3, 8, 19, 7.13),  # 7.125
        (2.675, 1, 1, 1.0),  # clamped to the maximum
        (2.675, 10, 10, 2.68),  # 2.675 (a float just below it) still rounds up
        (0.005, 1, 1, 0.01),
        (0.004999, 1, 1, 0.0),
        (68, 68, 10, 10.0),
        (69, 68, 10, 10.0),  # never above the maximum
        (-1, 68, 10, 0.0),  # never below 0
        (5, 0, 10, 0.0),  # nothing could be scored
        (34, 68, 0, 0.0),
        (45.5, 68, 100, 66.91),
        (2, 3, 10, 6.67),
        (1, 3, 10, 3.33),
    ],
)
def test_scale_rounds_half_up_to_two_decimals(points, possible, maximum, expected):
    assert scale(points, possible, maximum) == expected


def test_scale_agrees_with_decimal_arithmetic_on_a_grid():
    for points in range(0, 69):
        for maximum in (10, 20, 100, 57):
            exact = Decimal(points) * Decimal(maximum) / Decimal(68)
            want = float(exact.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"))
            assert scale(points, 68, maximum) == want


@pytest.mark.parametrize(
    ("value", "text"), [(7.5, "7.5"), (10.0, "10"), (6.825, "6.83"), (0.0, "0"), (100, "100")]
)
def test_grade_text(value, text):
    assert grade_text(value) == text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_with_no_grades_the_saved_file_is_the_download_byte_for_byte(tmp_path, lang):
    ws = read_worksheet(DATA / f"worksheet-{lang}.csv")
    text, report = fill_worksheet(ws, [], now=NOW)
    out = tmp_path / "moodle-worksheet.csv"
    save_worksheet(out, ws, text)
    assert out.read_bytes() == (DATA / f"worksheet-{lang}.csv").read_bytes()
    assert report.untouched == 5


def test_feedback_column_in_another_translation_is_taken_by_position(tmp_path):
    source = (DATA / "worksheet-es.csv").read_bytes().decode("utf-8")
    path = tmp_path / "w.csv"
    path.write_bytes(
        source.replace("Comentarios de retroalimentación", "Retroalimentación").encode()
    )
    ws = read_worksheet(path)
    text, report = fill_worksheet(ws, grades(), now=NOW)
    assert ws.header[ws.columns["feedback"]] == "Retroalimentación"
    assert any("«Retroalimentación»" in n for n in report.notes)
    assert "Muy bien." in text


def test_participant_numbers_as_the_download_writes_them():
    ws = read_worksheet(DATA / "worksheet-es.csv")
    row = ws.rows[0]
    for ident, number in [
        ("Participante1234567", "1234567"),
        ("Participante 1234567", "1234567"),  # a pack whose hiddenuser ends in a space
        ("Participant 1234567", ""),  # the English word in a Spanish sheet
        ("1234567", ""),
        ("Participante12a", ""),
    ]:
        row.values[ws.columns["identifier"]] = ident
        assert ws.participant(row) == number, ident


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_participant_with_another_name_in_the_worksheet_is_not_filled(lang):
    # The download says Zoe Nadie, participant 1234568; in this worksheet 1234568 is Luis
    # Pérez (a worksheet of another assignment, group or course). Luis keeps his grade.
    path = DATA / f"worksheet-{lang}.csv"
    source = path.read_bytes().decode("utf-8")
    g = [FinalGrade("x9", "Zoe Nadie", "moodle", "1234568", 68, 68, "corregido", "Bien.", None)]
    text, report = fill_worksheet(read_worksheet(path), g, now=NOW)
    assert text == source
    assert not report.matched and not report.unmatched
    ((line, who, why),) = report.skipped
    assert (line, who) == (3, "Luis Pérez")
    assert "«Luis Pérez»" in why and "«Zoe Nadie»" in why
    assert "Descargue la hoja de calificaciones de esta tarea" in why


def test_worksheet_names_are_compared_ignoring_case_accents_and_order():
    ws = read_worksheet(DATA / "worksheet-en.csv")
    g = [
        FinalGrade("L2", "perez LUIS", "moodle", "1234568", 68, 68, "corregido", "", None),
        FinalGrade("S5", "Sean OBrien", "moodle", "1234571", 68, 68, "corregido", "", None),
    ]
    _, report = fill_worksheet(ws, g, now=NOW)
    assert [m.name for m in report.matched] == ["Luis Pérez", "O'Brien, Sean"]
    assert not report.skipped


def test_feedback_zip_leaves_out_a_page_the_worksheet_gives_to_another_person(tmp_path):
    page = tmp_path / "zoe.html"
    page.write_text("<p>Zoe</p>", encoding="utf-8")
    g = [
        FinalGrade("x9", "Zoe Nadie", "moodle", "1234568", 1, 1, "corregido", "", page),
        FinalGrade("A1", "ana garcia", "moodle", "1234567", 1, 1, "corregido", "", page),
    ]
    out = tmp_path / "moodle-feedback.zip"
    report = feedback_zip(g, out, worksheet=read_worksheet(DATA / "worksheet-en.csv"))
    with zipfile.ZipFile(out) as zf:
        assert [importzip_participant(n)[0] for n in zf.namelist()] == [1234567]
    ((sid, _, why),) = report.skipped
    assert sid == "x9" and "«Luis Pérez»" in why
