"""pytest plugin: the class's grading run, one test per submitted file.

``pytest --comprende-submissions PATH --comprende-out DIR`` grades every file in PATH
(files, folders, LMS zips) exactly as ``comprende grade`` does, so ``--junitxml`` and
pytest's report list each file: it passes when the file was graded and fails, with the
reason, when it was not. The outputs are written to DIR at the end of the session.
The plugin does nothing unless ``--comprende-submissions`` is given, nor on xdist
workers (the grading run writes one folder; run it without ``-n``).

Rules:

* With ``--comprende-submissions`` pytest runs the submissions only: test files of the
  project it is started in (its ``testpaths``, its ``conftest.py``) are not collected.
* Results are written only by a **complete** run: if any file was left ungraded (``-x``,
  ``--maxfail``, ``-k``, ``--lf``, deselection, an interrupt), nothing is written and an
  earlier folder stays as it was; the terminal says why.
* Test names are the files' printable names: control characters in a file name are
  shown as escapes, never sent to the terminal raw.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import classgrade


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("comprende", "comprende: grade a class's answers files")
    group.addoption(
        "--comprende-submissions",
        action="append",
        default=[],
        metavar="PATH",
        help="answers file, folder or zip to grade (repeatable)",
    )
    group.addoption(
        "--comprende-out",
        metavar="DIR",
        default="grades",
        help="output folder of the grading run (default: grades)",
    )
    group.addoption(
        "--comprende-bank",
        metavar="DIR",
        default=None,
        help="exercise bank folder (default: $COMPRENDE_BANK or ./exercises)",
    )
    group.addoption(
        "--comprende-no-key", action="store_true", help="leave the key out of the feedback reports"
    )
    group.addoption(
        "--comprende-overwrite",
        action="store_true",
        help="replace an earlier run's output in --comprende-out",
    )
    group.addoption(
        "--comprende-marks",
        action="append",
        default=[],
        metavar="FILE",
        help="the instructor's marks for open answers (as comprende grade --marks; repeatable)",
    )
    group.addoption(
        "--comprende-moodle-worksheet", metavar="FILE", help="as comprende grade --moodle-worksheet"
    )
    group.addoption(
        "--comprende-canvas-gradebook", metavar="FILE", help="as comprende grade --canvas-gradebook"
    )
    group.addoption(
        "--comprende-canvas-assignment",
        metavar="NAME",
        help="as comprende grade --canvas-assignment",
    )
    group.addoption("--comprende-roster", metavar="FILE", help="as comprende grade --roster")
    group.addoption("--comprende-scale", metavar="N", help="as comprende grade --scale")
    group.addoption("--comprende-site-url", metavar="URL", help="as comprende grade --site-url")


def pytest_configure(config: pytest.Config) -> None:
    paths = config.getoption("comprende_submissions")
    if not paths or hasattr(config, "workerinput"):
        return
    if getattr(config.option, "tbstyle", None) == "auto":
        # A file that cannot be graded fails with a one-line reason. The default long
        # style also scans every report once per failure (quadratic for a large class).
        config.option.tbstyle = "line"
    config.pluginmanager.register(
        GradingPlugin(config, [Path(p) for p in paths]), "comprende-grading"
    )


def _grading(config: pytest.Config) -> GradingPlugin | None:
    plugin = config.pluginmanager.get_plugin("comprende-grading")
    return plugin if isinstance(plugin, GradingPlugin) else None


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """In a grading run, the project's own tests are not collected: only the submissions."""
    return True if _grading(config) is not None else None


class GradingPlugin:
    """Collects one :class:`SubmissionItem` per file and writes the run's outputs at the end."""

    def __init__(self, config: pytest.Config, paths: list[Path]) -> None:
        from .bank import default_bank_dir, load_bank
        from .errors import ComprendeError
        from .finalgrades import FinalOptions, prepare

        self.paths = paths
        self.out = Path(config.getoption("comprende_out"))
        missing = [problem for p in paths if (problem := classgrade.missing_path(p))]
        if missing:
            raise pytest.UsageError(f"comprende: {'; '.join(missing)}")
        bank_dir = config.getoption("comprende_bank")
        try:
            bank = load_bank(Path(bank_dir) if bank_dir else default_bank_dir())
        except ComprendeError as exc:
            raise pytest.UsageError(
                f"comprende: the exercise bank cannot be loaded:\n{exc}"
            ) from None

        def path(name: str) -> Path | None:
            value = config.getoption(name)
            return Path(value) if value else None

        final = FinalOptions(
            moodle_worksheet=path("comprende_moodle_worksheet"),
            canvas_gradebook=path("comprende_canvas_gradebook"),
            canvas_assignment=config.getoption("comprende_canvas_assignment"),
            roster=path("comprende_roster"),
            scale=_scale(config.getoption("comprende_scale")),
        )
        marks = [Path(m) for m in config.getoption("comprende_marks")]
        #: The marks and LMS files: inputs of the run, never read as submissions.
        self.option_paths = [*marks, *classgrade.option_files(final)]
        missing = [str(m) for m in marks if not m.exists()]
        if missing:
            raise pytest.UsageError(f"comprende: no existe: {', '.join(missing)}")
        inside = classgrade.marks_inside(marks, self.out)
        if inside:
            raise pytest.UsageError(f"comprende: {inside}")
        for option, value in (
            ("--junitxml", getattr(config.option, "xmlpath", None)),
            ("--resultlog/--report-log", getattr(config.option, "reportlog", None)),
        ):
            if value and classgrade.marks_inside([Path(value)], self.out):
                raise pytest.UsageError(
                    f"comprende: {option} {value} está dentro de --comprende-out "
                    f"{self.out}: pytest lo escribiría en la carpeta de resultados, que solo "
                    "escribe comprende. Guárdalo fuera (por ejemplo, --junitxml=informe.xml)."
                )
        try:
            self.run: classgrade.GradingRun | None = classgrade.GradingRun(
                bank=bank,
                out=self.out,
                inputs=[*paths, *marks, *classgrade.option_files(final)],
                include_key=not config.getoption("comprende_no_key"),
                overwrite=config.getoption("comprende_overwrite"),
                marks=_usable_marks(marks, bank),
                final=prepare(final),
                site_url=config.getoption("comprende_site_url"),
            )
        except (classgrade.UsageError, ValueError) as exc:
            raise pytest.UsageError(f"comprende: {exc}") from None
        self.summary: classgrade.Summary | None = None
        #: Files found, and files graded or refused by a test that ran.
        self.found = 0
        self.done = 0
        #: Why nothing was written, for the terminal summary.
        self.not_written = ""

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        collector = SubmissionsCollector.from_parent(
            session, name="comprende", nodeid="comprende", plugin=self
        )
        found: list[pytest.Item | pytest.Collector] = list(collector.collect())
        items.extend(item for item in found if isinstance(item, pytest.Item))
        # Tell the reporters, so pytest's "collected N items" counts the submissions.
        report = pytest.CollectReport(collector.nodeid, "passed", None, found)
        session.ihook.pytest_collectreport(report=report)

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.run is None:
            return
        run, self.run = self.run, None
        reason = self._incomplete(session, exitstatus, run)
        if reason:
            run.abort()  # an incomplete run must not replace anything
            self.not_written = reason
            if not session.config.option.collectonly:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
            return
        try:
            self.summary = run.finish()
        except (OSError, classgrade.UsageError) as exc:
            run.abort()
            self.not_written = f"la corrección no ha terminado: {classgrade.printable(str(exc))}"
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        except BaseException:
            run.abort()
            raise

    def _incomplete(
        self, session: pytest.Session, exitstatus: int, run: classgrade.GradingRun
    ) -> str:
        """Why this session must not write results (empty when it may)."""
        if session.config.option.collectonly:
            return "solo se han listado los archivos (--collect-only)"
        if run.broken is not None:
            return f"la corrección no ha terminado: {classgrade.printable(str(run.broken))}"
        if exitstatus in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.INTERNAL_ERROR):
            return "la sesión se ha interrumpido"
        if self.found == 0:
            return "no se ha encontrado ningún archivo que corregir"
        if self.done < self.found:
            return (
                f"solo se han corregido {self.done} de {self.found} archivos "
                "(-x, --maxfail, -k, --lf o una selección): una corrección parcial no "
                "sustituye a una completa"
            )
        return ""

    def pytest_unconfigure(self) -> None:
        if self.run is not None:  # the session never finished
            self.run.abort()

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.summary is not None:
            terminalreporter.write_sep("-", "comprende: grading run")
            terminalreporter.write_line(classgrade.summary_text(self.summary))
        elif self.not_written:
            terminalreporter.write_sep("-", "comprende: grading run")
            terminalreporter.write_line(
                f"No se ha escrito nada en {classgrade.printable(str(self.out))}: "
                f"{self.not_written}. Los resultados anteriores siguen como estaban."
            )


def _scale(text: str | None) -> float | None:
    from .finalgrades import parse_scale

    if text is None:
        return None
    try:
        return parse_scale(text)
    except classgrade.UsageError as exc:
        raise pytest.UsageError(f"comprende: {exc}") from None


def _usable_marks(marks: list[Path], bank: Any) -> Any:
    """The marks files read, or a usage error naming those that are not marks files."""
    from .marks import read_marks

    if not marks:
        return None
    read = read_marks(marks, bank)
    if read.unusable:
        raise classgrade.UsageError(
            "estos archivos de --comprende-marks no son archivos de notas: "
            + "; ".join(classgrade.printable(str(problem)) for problem in read.unusable)
        )
    return read


class SubmissionsCollector(pytest.Collector):
    def __init__(self, *, plugin: GradingPlugin, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plugin = plugin

    def collect(self) -> Iterator[SubmissionItem]:
        run = self.plugin.run
        assert run is not None
        excluded = [self.plugin.out, run.work, *self.plugin.option_paths]
        found_files = classgrade.find_inputs(
            self.plugin.paths, exclude=excluded, first_read=run.first_read
        )
        for found in found_files:
            self.plugin.found += 1
            yield SubmissionItem.from_parent(self, name=found.source, found=found)


class SubmissionFailed(Exception):
    """A submitted file that could not be graded."""


class SubmissionItem(pytest.Item):
    """Grading one file: passes when it is graded, fails with the reason when it is not."""

    def __init__(self, *, found: classgrade.Found, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.found = found

    def runtest(self) -> None:
        plugin = self.parent.plugin  # type: ignore[union-attr]
        outcome = plugin.run.grade(self.found)
        plugin.done += 1
        if outcome.graded:
            self.user_properties += [
                ("student", outcome.student_id),
                ("total", outcome.total),
                ("possible", outcome.possible),
            ]
            self.user_properties += [("warning", w) for w in outcome.warnings]
            return
        raise SubmissionFailed("; ".join(outcome.errors))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, SubmissionFailed):
            return f"{self.found.source}: no corregido: {excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[str, int | None, str]:
        return self.found.source, None, f"comprende: {self.found.source}"
