"""The mutation score per module, from `mutmut results --all true` on standard input.

Used by `make mutation`; prints one line per module: killed / checked, and what is left
(survived, no tests, timeouts, not checked yet).
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict

KILLED = ("killed", "timeout", "segfault", "caught by type check")


def scores(lines: list[str]) -> dict[str, Counter[str]]:
    per_module: dict[str, Counter[str]] = defaultdict(Counter)
    for line in lines:
        name, _, status = line.strip().rpartition(": ")
        if "__mutmut_" not in name:
            continue
        module = re.split(r"\.x[_ǁ]", name, maxsplit=1)[0]
        per_module[module][status] += 1
    return per_module


def main() -> None:
    per_module = scores(sys.stdin.readlines())
    total: Counter[str] = Counter()
    for module in sorted(per_module):
        total += per_module[module]
    for module, counts in [*sorted(per_module.items()), ("all", total)]:
        killed = sum(counts[s] for s in KILLED)
        checked = killed + counts["survived"] + counts["no tests"]
        score = f"{100 * killed / checked:5.1f} %" if checked else "    - "
        rest = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()) if s not in KILLED)
        print(f"{module:40} {score}  {killed}/{checked} killed  ({rest})")


if __name__ == "__main__":
    main()
