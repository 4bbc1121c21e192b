"""The mutation score per module, from `mutmut results --all true` on standard input.

Used by `make mutation`. A mutant that survives because it cannot change what comprende
does (truly equivalent) is explained in ``tests/mutation_equivalent/<module>.txt``, one
line each: ``<mutant name>: <reason>`` (``#`` starts a comment). The report prints, per
module, the mutants killed, explained, surviving unexplained and reached by no test, and
the score: killed / (checked − explained). It then lists every unexplained survivor (and
"no tests" mutant) by name, and flags stale explanations: a listed name that no longer
exists in a module of this run, or that the tests now kill, and malformed lines.

Exit status: 1 when an explanation is stale or malformed (the explanation files must be
updated), and with ``--strict`` also when a mutant survives unexplained; else 0.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

KILLED = ("killed", "timeout", "segfault", "caught by type check")
#: Statuses of a mutant that no test kills.
SURVIVING = ("survived", "no tests")
EXPLAINED_DIR = Path(__file__).parent / "mutation_equivalent"


def module_of(name: str) -> str:
    """``comprende.grading`` of ``comprende.grading.x_is_empty__mutmut_3`` (and of a
    method's ``comprende.types.base.xǁQuestionTypeǁresult__mutmut_1``)."""
    return name.rpartition(".")[0]


def read_results(lines: Iterable[str]) -> dict[str, str]:
    """``{mutant name: status}`` from mutmut's ``    name: status`` lines."""
    statuses: dict[str, str] = {}
    for line in lines:
        name, _, status = line.strip().rpartition(": ")
        if "__mutmut_" in name:
            statuses[name] = status
    return statuses


@dataclass
class Explanations:
    #: ``{mutant name: (file, line number)}``
    where: dict[str, tuple[Path, int]] = field(default_factory=dict)
    #: ``(file, line number, problem)`` of lines that say nothing usable.
    malformed: list[tuple[Path, int, str]] = field(default_factory=list)


def read_explanations(folder: Path) -> Explanations:
    found = Explanations()
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            name, sep, reason = line.partition(":")
            name = name.strip()
            if not sep or not reason.strip() or "__mutmut_" not in name:
                found.malformed.append((path, number, "expected `<mutant name>: <reason>`"))
            elif module_of(name) != path.stem:
                found.malformed.append((path, number, f"{name} belongs in {module_of(name)}.txt"))
            elif name in found.where:
                first = found.where[name]
                found.malformed.append((path, number, f"{name} is already at line {first[1]}"))
            else:
                found.where[name] = (path, number)
    return found


@dataclass
class Report:
    counts: dict[str, Counter[str]]
    unexplained: list[tuple[str, str]]
    stale: list[str]
    not_in_run: int

    @property
    def broken(self) -> bool:
        return bool(self.stale)


def evaluate(statuses: dict[str, str], explained: Explanations) -> Report:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    unexplained: list[tuple[str, str]] = []
    for name, status in statuses.items():
        module = module_of(name)
        if status in KILLED:
            counts[module]["killed"] += 1
        elif status in SURVIVING and name in explained.where:
            counts[module]["explained"] += 1
        elif status in SURVIVING:
            counts[module][status] += 1
            unexplained.append((name, status))
        else:
            counts[module]["other"] += 1
    stale = [f"{path}:{number}: {problem}" for path, number, problem in explained.malformed]
    not_in_run = 0
    for name, (path, number) in explained.where.items():
        if module_of(name) not in counts:
            not_in_run += 1  # a module left out of this run: nothing to judge
        elif name not in statuses:
            stale.append(f"{path}:{number}: {name} no longer exists")
        elif statuses[name] in KILLED:
            stale.append(f"{path}:{number}: {name} is now killed ({statuses[name]})")
    return Report(dict(counts), sorted(unexplained), sorted(stale), not_in_run)


def format_report(report: Report) -> str:
    total: Counter[str] = Counter()
    for counts in report.counts.values():
        total += counts
    columns = ("killed", "explained", "survived", "no tests", "other")
    lines = [f"{'module':40} {'score':>7}  " + "  ".join(f"{c:>9}" for c in columns)]
    for module, counts in [*sorted(report.counts.items()), ("all", total)]:
        judged = counts["killed"] + counts["survived"] + counts["no tests"]
        score = f"{100 * counts['killed'] / judged:5.1f} %" if judged else "    - "
        lines.append(f"{module:40} {score:>7}  " + "  ".join(f"{counts[c]:>9}" for c in columns))
    lines.append("score: killed / (killed + survived + no tests); explained mutants left out")
    if total["other"]:
        lines.append(f"other: {total['other']} not checked yet, suspicious or skipped")
    if report.unexplained:
        lines.append(f"\nUnexplained survivors ({len(report.unexplained)}):")
        lines += [f"  {name}: {status}" for name, status in report.unexplained]
    if report.stale:
        lines.append(f"\nStale or malformed explanations ({len(report.stale)}):")
        lines += [f"  {problem}" for problem in report.stale]
    if report.not_in_run:
        lines.append(f"\n{report.not_in_run} explanations are for modules not in this run.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--explained", type=Path, default=EXPLAINED_DIR, metavar="DIR")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a mutant survives unexplained"
    )
    args = parser.parse_args(argv)
    report = evaluate(read_results(sys.stdin), read_explanations(args.explained))
    print(format_report(report))
    return 1 if report.broken or (args.strict and report.unexplained) else 0


if __name__ == "__main__":
    sys.exit(main())
