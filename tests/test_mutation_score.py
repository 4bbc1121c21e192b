"""`make mutation`'s report (tests/mutation_score.py): explained mutants counted apart,
unexplained survivors named, stale explanations flagged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from . import mutation_score

RESULTS = """\
    comprende.grading.x_is_empty__mutmut_1: killed
    comprende.grading.x_is_empty__mutmut_2: survived
    comprende.grading.x_is_empty__mutmut_3: survived
    comprende.grading.x_clean_answer__mutmut_1: no tests
    comprende.grading.x_clean_answer__mutmut_2: timeout
    comprende.grading.x_clean_answer__mutmut_3: killed
    comprende.types.base.xǁQuestionTypeǁresult__mutmut_1: killed
    comprende.types.base.xǁQuestionTypeǁresult__mutmut_2: survived
    comprende.types.base.xǁQuestionTypeǁresult__mutmut_3: not checked
"""


def explain(folder: Path, module: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{module}.txt").write_text(text, encoding="utf-8")


def report(tmp_path: Path, results: str = RESULTS) -> mutation_score.Report:
    return mutation_score.evaluate(
        mutation_score.read_results(results.splitlines()),
        mutation_score.read_explanations(tmp_path / "explained"),
    )


def test_explained_survivors_are_counted_apart_and_the_rest_named(tmp_path: Path) -> None:
    explain(
        tmp_path / "explained",
        "comprende.grading",
        "# equivalent mutants of grading\n"
        "comprende.grading.x_is_empty__mutmut_2: strip() of the text or of its copy\n\n",
    )
    result = report(tmp_path)
    grading = result.counts["comprende.grading"]
    assert (grading["killed"], grading["explained"], grading["survived"]) == (3, 1, 1)
    assert grading["no tests"] == 1
    base = result.counts["comprende.types.base"]
    assert (base["killed"], base["explained"], base["survived"], base["other"]) == (1, 0, 1, 1)
    assert result.unexplained == [
        ("comprende.grading.x_clean_answer__mutmut_1", "no tests"),
        ("comprende.grading.x_is_empty__mutmut_3", "survived"),
        ("comprende.types.base.xǁQuestionTypeǁresult__mutmut_2", "survived"),
    ]
    assert result.stale == [] and not result.broken
    text = mutation_score.format_report(result)
    # killed / (killed + survived + no tests), the explained one left out: 3 / 5
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines() if line}
    assert rows["comprende.grading"] == ["60.0", "%", "3", "1", "1", "1", "0"]
    assert rows["all"] == ["57.1", "%", "4", "1", "2", "1", "1"]
    assert "  comprende.grading.x_is_empty__mutmut_3: survived" in text
    assert "x_is_empty__mutmut_2" not in text


def test_an_explanation_of_a_killed_or_vanished_mutant_is_stale(tmp_path: Path) -> None:
    explain(
        tmp_path / "explained",
        "comprende.grading",
        "comprende.grading.x_is_empty__mutmut_1: was equivalent once\n"
        "comprende.grading.x_clean_answer__mutmut_2: a timeout is a kill\n"
        "comprende.grading.x_is_empty__mutmut_99: the function has fewer mutants now\n"
        "comprende.grading.x_is_empty__mutmut_3: still survives\n",
    )
    # a module that is not in this run (MUTANTS narrowed) is not judged
    explain(tmp_path / "explained", "comprende.stats", "comprende.stats.x_mean__mutmut_1: why\n")
    result = report(tmp_path)
    assert result.broken
    assert [line.split(": ", 1)[1] for line in result.stale] == [
        "comprende.grading.x_is_empty__mutmut_1 is now killed (killed)",
        "comprende.grading.x_clean_answer__mutmut_2 is now killed (timeout)",
        "comprende.grading.x_is_empty__mutmut_99 no longer exists",
    ]
    assert result.stale[0].endswith(
        ":1: comprende.grading.x_is_empty__mutmut_1 is now killed (killed)"
    )
    assert result.counts["comprende.grading"]["explained"] == 1
    assert result.not_in_run == 1
    assert "Stale or malformed explanations (3):" in mutation_score.format_report(result)


def test_malformed_and_misplaced_lines_are_flagged(tmp_path: Path) -> None:
    explain(
        tmp_path / "explained",
        "comprende.grading",
        "comprende.grading.x_is_empty__mutmut_2\n"  # no reason
        "comprende.types.base.xǁQuestionTypeǁresult__mutmut_2: in the wrong file\n"
        "comprende.grading.x_is_empty__mutmut_3: one reason\n"
        "comprende.grading.x_is_empty__mutmut_3: the same mutant again\n",
    )
    result = report(tmp_path)
    assert result.broken
    problems = [line.split(":", 2)[1:] for line in result.stale]
    assert [number for number, _ in problems] == ["1", "2", "4"]
    assert "belongs in comprende.types.base.txt" in problems[1][1]
    assert "already at line 3" in problems[2][1]
    # the misplaced and the malformed ones explain nothing
    assert ("comprende.grading.x_is_empty__mutmut_2", "survived") in result.unexplained


def test_the_command_reads_mutmuts_listing_and_fails_only_when_asked(tmp_path: Path) -> None:
    script = Path(mutation_score.__file__)
    folder = tmp_path / "explained"
    explain(folder, "comprende.grading", "comprende.grading.x_is_empty__mutmut_2: why\n")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(script), "--explained", str(folder), *args],
            input=RESULTS,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )

    plain, strict = run(), run("--strict")
    assert plain.returncode == 0 and strict.returncode == 1
    assert "Unexplained survivors (3):" in plain.stdout
    assert (
        plain.stdout.splitlines()[-1]
        == "  comprende.types.base.xǁQuestionTypeǁresult__mutmut_2: survived"
    )
    explain(folder, "comprende.grading", "comprende.grading.x_is_empty__mutmut_1: stale\n")
    assert run().returncode == 1
