"""The ``comprende`` command: a thin wrapper over the library.

Exit statuses: 0 success (``check``: the file is valid); 1 the input has problems
(``check``: invalid file; ``grade``: some files could not be graded; ``worksheet``:
the HTML was written but not the PDF); 2 usage error,
or the bank itself cannot be loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from . import __version__
from .bank import default_bank_dir, load_bank
from .errors import ComprendeError
from .model import Bank, Status
from .reports.base import points
from .template import STATUS_NAMES, render_template


def _write(text: str, output: str | None) -> None:
    if output in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")
        print(f"Escrito: {output}", file=sys.stderr)


def cmd_template(bank: Bank, args: argparse.Namespace) -> int:
    _write(render_template(bank, with_key=args.with_key), args.output)
    return 0


def cmd_check(bank: Bank, args: argparse.Namespace) -> int:
    from .grading import grade_submission
    from .submission import check_against_bank, read_path
    from .textnorm import show

    for stream in (sys.stdout, sys.stderr):  # a file name or a message never stops the check
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    reading = read_path(Path(args.file))
    checked = check_against_bank(reading, bank)
    name = show(reading.source, 200)
    for problem in reading.problems:
        print(problem.render(reading.source))
    if not reading.ok or checked is None:
        count = len(reading.errors)
        print(
            f"\n{name}: el archivo NO es válido ({count} error{'es' if count != 1 else ''}). "
            "Corrígelo y vuelve a comprobarlo."
        )
        return 1
    assert reading.submission is not None
    result = checked if checked is not None else grade_submission(bank, reading.submission)
    unanswered = sum(r.status is Status.MISSING for r in result.items)
    print(
        f"\n{name}: archivo válido. {len(bank.items)} preguntas: "
        f"{len(bank.items) - unanswered} respondidas, {unanswered} sin responder."
    )
    if args.mode == "exam":
        return 0
    print()
    for item_result in result.items:
        item = bank.item(item_result.item_id)
        line = (
            f"  {item.id} ({item.kind.name}): {STATUS_NAMES[item_result.status]}, "
            f"{points(item_result.points, comma=True)}/{points(item_result.possible, comma=True)}"
        )
        print(line)
        if item_result.status is not Status.MISSING:
            for message in item_result.feedback:
                print(f"      {message}")
    pending = result.pending
    auto_possible = result.possible - sum(r.possible for r in pending)
    print(
        f"\nPuntuación: {points(result.total, comma=True)} de {points(auto_possible, comma=True)} puntos corregidos "
        f"automáticamente"
        + (
            f"; {len(pending)} respuesta(s) abierta(s) pendiente(s) "
            f"({points(sum(r.possible for r in pending), comma=True)} puntos)."
            if pending
            else "."
        )
    )
    return 0


def cmd_items(bank: Bank, args: argparse.Namespace) -> int:
    rows: list[dict[str, Any]] = [
        {
            "id": i.id,
            "set": i.set_id,
            "type": i.type,
            "paragraphs": list(i.paragraphs),
            "skill": i.skill,
            "level": i.level,
            "points": i.points,
        }
        for i in bank.items
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    header = f"{'id':32} {'type':18} {'paragraphs':11} {'skill':16} {'level':5} points"
    print(header)
    print("-" * len(header))
    for row in rows:
        paragraphs = ",".join(map(str, row["paragraphs"]))
        print(
            f"{row['id']:32} {row['type']:18} {paragraphs:11} {row['skill']:16} {row['level']:5} "
            f"{row['points']:g}"
        )
    print(f"\n{len(rows)} items, {bank.possible:g} points, bank {bank.id} v{bank.version}")
    return 0


def cmd_schema(bank: Bank, args: argparse.Namespace) -> int:
    from .schema import submission_schema

    _write(json.dumps(submission_schema(bank), ensure_ascii=False, indent=2) + "\n", args.output)
    return 0


def cmd_grade(bank: Bank, args: argparse.Namespace) -> int:
    from .classgrade import main as grade_main
    from .errors import UsageError
    from .finalgrades import FinalOptions, parse_scale

    scale = None
    if args.scale is not None:
        try:
            scale = parse_scale(args.scale)
        except UsageError as exc:
            print(f"comprende grade: {exc}", file=sys.stderr)
            return 2
    final = FinalOptions(
        moodle_worksheet=Path(args.moodle_worksheet) if args.moodle_worksheet else None,
        canvas_gradebook=Path(args.canvas_gradebook) if args.canvas_gradebook else None,
        canvas_assignment=args.canvas_assignment,
        roster=Path(args.roster) if args.roster else None,
        scale=scale,
    )
    return grade_main(
        paths=[Path(p) for p in args.paths],
        out=Path(args.out),
        bank=bank,
        include_key=not args.no_key,
        overwrite=args.overwrite,
        per_student=not args.gradebook_only,
        marks=[Path(m) for m in args.marks],
        final=final,
        site_url=args.site_url,
    )


def cmd_export(bank: Bank, args: argparse.Namespace) -> int:
    from .exports import get_format, report_lines

    fmt = get_format(args.format)
    try:
        result = fmt.build(bank)
    except ComprendeError as exc:  # e.g. the glossary the vocabulary formats read
        print(f"comprende export: {exc}", file=sys.stderr)
        return 2
    if args.output == "-":
        sys.stdout.buffer.write(result.data)
        sys.stdout.flush()
    else:
        from .exports.output import UnsafeOutput, write_export

        try:
            write_export(Path(args.output), result.data, force=args.force)
        except UnsafeOutput as exc:
            print(f"comprende export: {exc}", file=sys.stderr)
            return 2
    for line in report_lines(result, fmt):
        print(line, file=sys.stderr)
    if args.output != "-":
        print(f"Written: {args.output}", file=sys.stderr)
    return 0


def cmd_worksheet(bank: Bank, args: argparse.Namespace) -> int:
    from .worksheet import main as worksheet_main

    return worksheet_main(
        bank=bank,
        bank_dir=args.bank or default_bank_dir(),
        out=Path(args.out),
        glossary=args.glossary,
        overwrite=args.overwrite,
        pdf=not args.html_only,
        echo=lambda text: print(text, file=sys.stderr),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="comprende", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"comprende {__version__}")
    parser.add_argument(
        "--bank",
        type=Path,
        default=None,
        help="exercise bank folder (default: $COMPRENDE_BANK or ./exercises)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    template = sub.add_parser("template", help="write the YAML answers template")
    template.add_argument("-o", "--output", help="file to write (default: standard output)")
    template.add_argument(
        "--with-key", action="store_true", help="fill in the key (instructors only)"
    )
    template.set_defaults(func=cmd_template)

    check = sub.add_parser(
        "check", help="validate an answers file (and show the score in practice mode)"
    )
    check.add_argument("file", help="the answers file (JSON or YAML), or - for standard input")
    check.add_argument(
        "--mode",
        choices=("practice", "exam"),
        default=os.environ.get("COMPRENDE_MODE", "practice"),
        help="exam: validate only, without score or feedback (default: $COMPRENDE_MODE or practice)",
    )
    check.set_defaults(func=cmd_check)

    items = sub.add_parser("items", help="list the bank's items")
    items.add_argument("--json", action="store_true", help="print JSON")
    items.set_defaults(func=cmd_items)

    schema = sub.add_parser("schema", help="write the JSON Schema of answers files")
    schema.add_argument("-o", "--output", help="file to write (default: standard output)")
    schema.set_defaults(func=cmd_schema)

    export = sub.add_parser(
        "export",
        help="write the bank in another program's format (Moodle XML, GIFT, Canvas QTI…)",
        description="Write the exercise bank as FORMAT. Items the format cannot hold, and "
        "items it holds only in part, are listed by id on standard error.",
    )
    from .exports import all_formats

    export.add_argument(
        "format",
        choices=[f.name for f in all_formats()],
        help="; ".join(f"{f.name}: {f.description}" for f in all_formats()),
    )
    export.add_argument(
        "-o", "--output", required=True, help="file to write (- for standard output)"
    )
    export.add_argument(
        "--force",
        action="store_true",
        help="replace the output file even if comprende export did not write it",
    )
    export.set_defaults(func=cmd_export)

    grade = sub.add_parser("grade", help="grade a class: files, folders and LMS zips")
    grade.add_argument("paths", nargs="+", help="answers files, folders or zip archives")
    grade.add_argument("--out", required=True, help="output folder")
    grade.add_argument(
        "--no-key", action="store_true", help="leave the key out of the feedback reports"
    )
    grade.add_argument(
        "--overwrite", action="store_true", help="replace an earlier run's output in --out"
    )
    grade.add_argument(
        "--gradebook-only",
        action="store_true",
        help="write the gradebooks, analysis and error lists, not the per-student "
        "feedback pages and Gradescope files (faster for very large classes)",
    )
    grade.add_argument(
        "--marks",
        action="append",
        default=[],
        metavar="FILE",
        help="the instructor's marks for open responses: a filled pending.csv (or its Excel "
        "copy) or the file saved by corregir.html (repeatable; a later file wins)",
    )
    grade.add_argument(
        "--moodle-worksheet",
        metavar="FILE",
        help="Moodle's grading worksheet downloaded from the assignment (English or Spanish "
        "site): written back filled as DIR/moodle-worksheet.csv, with DIR/moodle-feedback.zip",
    )
    grade.add_argument(
        "--canvas-gradebook",
        metavar="FILE",
        help="Canvas's gradebook export: written back with one assignment's column filled "
        "as DIR/canvas-gradebook.csv (needs --canvas-assignment)",
    )
    grade.add_argument(
        "--canvas-assignment",
        metavar="NAME",
        help="the assignment column of --canvas-gradebook to fill (its title, with or "
        "without the '(id)')",
    )
    grade.add_argument(
        "--roster",
        metavar="FILE",
        help="class list (CSV: id, name, optional email): students without a submission "
        "get a gradebook row; submissions not on it are flagged",
    )
    grade.add_argument(
        "--scale",
        metavar="N",
        help="also give the grade out of N (e.g. 10 or 100) in the gradebooks, rounded "
        "half up to 2 decimals",
    )
    grade.add_argument(
        "--site-url",
        metavar="URL",
        help="the published site's address: each question of a feedback report links to it",
    )
    grade.set_defaults(func=cmd_grade)

    worksheet = sub.add_parser(
        "worksheet",
        help="write the printable worksheet: the student's copy and the teacher's key, "
        "as HTML and PDF (exit 1: HTML written, no PDF)",
    )
    worksheet.add_argument("-o", "--out", required=True, metavar="DIR", help="output folder")
    worksheet.add_argument(
        "--overwrite",
        action="store_true",
        help="replace a worksheet comprende wrote earlier in DIR (nothing else is ever replaced)",
    )
    worksheet.add_argument(
        "--glossary",
        type=Path,
        default=None,
        help="glossary file (default: docs/_data/glosario.yaml next to the bank)",
    )
    worksheet.add_argument(
        "--html-only", action="store_true", help="write the HTML only, without the PDF"
    )
    worksheet.set_defaults(func=cmd_worksheet)
    return parser


def main(argv: list[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE") and argv is None:
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `comprende items | head` ends quietly
    args = build_parser().parse_args(argv)
    try:
        bank = load_bank(args.bank or default_bank_dir())
    except ComprendeError as exc:
        print(f"comprende: the exercise bank cannot be loaded:\n{exc}", file=sys.stderr)
        return 2
    try:
        return int(args.func(bank, args))
    except KeyboardInterrupt:
        print("comprende: interrumpido", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
