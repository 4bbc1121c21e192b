"""Benchmark of the grading run: ``comprende grade`` and the pytest route, against their floors.

Generates N synthetic submissions (a realistic mix: mostly right, some wrong, some
answers of the wrong shape, and about 2 % bad files) into a temporary folder, then
times, each in its own process (so peak memory is each one's own):

* the parse floor: ``json.load`` of every file;
* the write floor: plain Python writing the same files, with the same sizes, as the
  run wrote (measured from the run's own output folder);
* ``comprende grade`` (the library's ``main``, in-process in the child);
* a bare pytest run parametrized over N ids (pytest's own floor);
* the pytest route: ``pytest --comprende-submissions DIR``;
* two references that are not comprende but tell how low any grading in CPython can go:
  the *lean loop* (open, ``json.loads``, each item's grade looked up in a cache of
  equal answers, one CSV row per student: no checks, no warnings, no other file), and
  the *hash floor* (reading back and SHA-256 of every output, which the results
  folder's manifest needs so that a later run never overwrites a file it did not write).

Prints the ratios (of wall-clock times) and the peak memory (max RSS) of each, and the
CPU time each child used (user + system), which another load on the machine changes
less than the wall clock. Usage:
``python benchmarks/grading.py [--n 10000] [--seed 1]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "exercises"


def generate(folder: Path, n: int, seed: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from comprende.bank import load_bank
    from comprende.model import ItemType
    from comprende.template import key_answer

    bank = load_bank(BANK)
    rng = random.Random(seed)
    items = bank.items

    def wrong(item):  # a plausible wrong answer of the right shape
        match item.type:
            case ItemType.TRUE_FALSE:
                return not item.key
            case ItemType.SINGLE:
                return rng.choice([o.id for o in item.options if not o.correct])
            case ItemType.MULTIPLE:
                return rng.sample([o.id for o in item.options], 2)
            case ItemType.NUMERIC:
                return item.key + rng.choice([1, 2, 10])
            case ItemType.ORDERING:
                ids = [e.id for e in item.elements]
                rng.shuffle(ids)
                return ids
            case ItemType.MATCHING:
                rights = [c.id for c in item.right][: len(item.left)]
                rng.shuffle(rights)
                return dict(zip([c.id for c in item.left], rights, strict=False))
            case ItemType.CLOZE:
                return {
                    name: rng.choice(["no sé", key.accept[0].upper(), "otra"])
                    for name, key in item.blanks
                }
            case _:
                return rng.choice(["Astana", "no lo sé", "petróleo", "Moscú"])

    for index in range(n):
        sub = folder / f"{index // 1000:03d}"
        sub.mkdir(exist_ok=True)
        path = sub / f"estudiante-{index:06d}.json"
        roll = rng.random()
        if roll < 0.01:
            path.write_text(
                '{"module": "putin-kazajistan-2024", "student": {"id": ', encoding="utf-8"
            )
            continue
        if roll < 0.02:
            path.write_text(
                json.dumps(
                    {"module": "otro-modulo", "student": {"id": "x", "name": "y"}, "answers": {}}
                ),
                encoding="utf-8",
            )
            continue
        skill = rng.random()
        answers = {}
        for item in items:
            r = rng.random()
            if r < 0.05:
                continue  # unanswered
            if r < 0.07:
                answers[item.id] = [1, 2]  # the wrong shape
            elif r < 0.3 + 0.5 * (1 - skill):
                answers[item.id] = wrong(item)
            else:
                answers[item.id] = key_answer(item)
        data = {
            "module": bank.id,
            "student": {"id": f"E{index:06d}", "name": f"Estudiante {index}"},
            "answers": answers,
        }
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def child(mode: str, folder: str, out: str) -> None:
    """Run one measured task in this process; print its time and peak memory as JSON."""
    start = time.perf_counter()
    cpu_start = _cpu()
    if mode == "parse":
        count = 0
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                with open(os.path.join(root, name), "rb") as handle, suppress(ValueError):
                    json.load(handle)
                count += 1
    elif mode == "files":
        # The filesystem's floor: plain Python writing the very files the run wrote
        # (``folder`` is the run's output), with the same names, folders and sizes.
        source, target = Path(folder), Path(out)
        plan = [(p.relative_to(source), p.stat().st_size) for p in sorted(source.rglob("*"))]
        start, cpu_start = time.perf_counter(), _cpu()
        target.mkdir()
        for relative, size in plan:
            if (source / relative).is_dir():
                (target / relative).mkdir()
            else:
                with open(target / relative, "wb") as handle:
                    handle.write(b"x" * size)
    elif mode == "lean":
        _lean(folder, out)
    elif mode == "hash":
        import hashlib

        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                hashlib.sha256(path.read_bytes()).hexdigest()
    elif mode in ("grade", "grade-gradebook"):
        from comprende.bank import load_bank
        from comprende.classgrade import main

        bank = load_bank(BANK)
        start, cpu_start = time.perf_counter(), _cpu()  # the bank is loaded once per run
        main(
            paths=[Path(folder)],
            out=Path(out),
            bank=bank,
            per_student=mode == "grade",
            echo=lambda text: None,
        )
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak}))


def _lean(folder: str, out: str) -> None:
    """The lean loop: a lower bound for any grading of these files in CPython."""
    import csv

    from comprende.bank import load_bank
    from comprende.grading import grade_item

    items = load_bank(BANK).items
    cache: dict[tuple[str, str], float] = {}
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                with open(os.path.join(root, name), "rb") as source:
                    try:
                        data = json.loads(source.read())
                        answers, student = data["answers"], data["student"]
                    except (ValueError, KeyError, TypeError):
                        continue
                row: list[object] = [student.get("id"), student.get("name")]
                total = 0.0
                for item in items:
                    answer = answers.get(item.id)
                    key = (item.id, answer if type(answer) is str else repr(answer))
                    points = cache.get(key)
                    if points is None:
                        points = cache[key] = grade_item(item, answer).points
                    total += points
                    row.append(points)
                row.append(total)
                writer.writerow(row)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _count(folder: str) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def measure_child(mode: str, folder: Path, out: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(folder), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_pytest(args: list[str], cwd: Path) -> tuple[float, float]:
    """The wall-clock seconds of a pytest run, and the CPU seconds it used."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=int, default=10_000, help="number of submissions (default 10000)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--child", nargs=3, metavar=("MODE", "FOLDER", "OUT"), help=argparse.SUPPRESS
    )
    parser.add_argument("--skip-pytest", action="store_true", help="time only the command route")
    parser.add_argument(
        "--tmp",
        default=None,
        help="where to generate the files (default: the system's temporary folder)",
    )
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="comprende-bench-", dir=args.tmp) as tmp:
        tmp_path = Path(tmp)
        folder = tmp_path / "submissions"
        folder.mkdir()
        start = time.perf_counter()
        generate(folder, args.n, args.seed)
        print(f"generated {args.n:,} submissions in {time.perf_counter() - start:.1f} s")
        measure_child("parse", folder, tmp_path / "unused")  # warm the page cache
        parse = measure_child("parse", folder, tmp_path / "unused")
        grade = measure_child("grade", folder, tmp_path / "out-grade")
        core = measure_child("grade-gradebook", folder, tmp_path / "out-gradebook")
        files = measure_child("files", tmp_path / "out-grade", tmp_path / "out-files")
        core_files = measure_child("files", tmp_path / "out-gradebook", tmp_path / "out-files-2")
        written = sum(p.stat().st_size for p in (tmp_path / "out-grade").rglob("*") if p.is_file())
        lean = measure_child("lean", folder, tmp_path / "lean.csv")
        hashed = measure_child("hash", tmp_path / "out-grade", tmp_path / "unused")
        floor = parse["seconds"]
        print(
            f"json.load floor:  {floor:7.2f} s  peak {parse['peak_mb']:6.1f} MB"
            f"  (cpu {parse['cpu']:.2f} s)"
        )
        print(
            f"write floor (the run's {written / 1e6:,.0f} MB of outputs, same files and sizes): "
            f"{files['seconds']:7.2f} s  (cpu {files['cpu']:.2f} s)"
        )
        print(
            f"comprende grade:  {grade['seconds']:7.2f} s  peak {grade['peak_mb']:6.1f} MB"
            f"  (cpu {grade['cpu']:.2f} s)"
        )
        print(
            "  ratio grade / (parse floor + write floor): "
            f"{grade['seconds'] / (floor + files['seconds']):.2f} (goal ≤ 1.5)"
        )
        print(
            f"grade --gradebook-only: {core['seconds']:7.2f} s  peak {core['peak_mb']:6.1f} MB"
            f"  (cpu {core['cpu']:.2f} s)"
        )
        print(
            f"  ratio / parse floor: {core['seconds'] / floor:.2f} (goal ≤ 4); "
            f"/ (parse + its write floor {core_files['seconds']:.2f} s): "
            f"{core['seconds'] / (floor + core_files['seconds']):.2f}"
        )
        print(
            f"references: lean loop {lean['seconds']:.2f} s = {lean['seconds'] / floor:.2f}× the "
            f"parse floor; hash floor {hashed['seconds']:.2f} s; parse + write + hash floors "
            f"= {(floor + files['seconds'] + hashed['seconds']) / (floor + files['seconds']):.2f}× "
            "(parse + write)"
        )
        if args.skip_pytest:
            return
        floor_dir = tmp_path / "floor"
        floor_dir.mkdir()
        (floor_dir / "test_floor.py").write_text(
            "import pytest\n\n\n"
            f"@pytest.mark.parametrize('i', range({args.n}))\ndef test_floor(i):\n    pass\n"
        )
        bare, bare_cpu = measure_pytest(["test_floor.py"], floor_dir)
        plugin_dir = tmp_path / "plugin"
        plugin_dir.mkdir()
        route, route_cpu = measure_pytest(
            [
                "--comprende-submissions",
                str(folder),
                "--comprende-out",
                str(tmp_path / "out-pytest"),
                "--comprende-bank",
                str(BANK),
            ],
            plugin_dir,
        )
        print(f"bare pytest floor: {bare:7.2f} s  (cpu {bare_cpu:.2f} s)")
        print(f"pytest route:      {route:7.2f} s  (cpu {route_cpu:.2f} s)")
        print(f"  ratio pytest route / pytest floor: {route / bare:.2f} (goal ≤ 1.3)")


if __name__ == "__main__":
    main()
