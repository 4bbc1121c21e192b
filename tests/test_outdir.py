"""comprende.outdir: a results folder never loses what comprende did not write.

Each test names the rule of the module doc it covers. The fault-injection tests fail
one operating-system call at a time, fill the disk in a subprocess (RLIMIT_FSIZE), and
kill a real run (SIGKILL) at three moments, then run again.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from comprende import outdir
from comprende.errors import UsageError
from comprende.outdir import MANIFEST, MARKER, OutputFolder

OLD = {"gradebook.csv": "id,total\na,3\n", "feedback/a.html": "<p>Ana</p>"}
NEW = {"gradebook.csv": "id,total\na,3\nb,5\n", "feedback/b.html": "<p>Berta</p>"}


def write_into(folder: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")


def results(out: Path, files: dict[str, str] = OLD, **kwargs: object) -> OutputFolder:
    """One complete run into ``out`` writing ``files``."""
    options: dict[str, object] = {"inputs": [], "overwrite": True, **kwargs}
    with OutputFolder(out, **options) as folder:  # type: ignore[arg-type]
        write_into(folder.work, files)
        folder.commit()
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (the manifest left out) and its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


def expected(files: dict[str, str]) -> dict[str, bytes]:
    return {rel: text.encode() for rel, text in sorted(files.items())}


def refused(out: Path, **kwargs: object) -> str:
    options: dict[str, object] = {"inputs": [], "overwrite": False, **kwargs}
    with pytest.raises(UsageError) as caught:
        OutputFolder(out, **options)  # type: ignore[arg-type]
    return str(caught.value)


def hidden(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


# ------------------------------------------------------------------ rule 1: where out may be


@pytest.fixture
def subs(tmp_path: Path) -> Path:
    """An input folder with two submissions and a zip; the test runs from tmp_path/cwd."""
    folder = tmp_path / "subs"
    write_into(folder, {"a.json": "{}", "b.json": "{}"})
    with zipfile.ZipFile(folder / "moodle.zip", "w") as archive:
        archive.writestr("c/respuestas.json", "{}")
    (tmp_path / "cwd").mkdir()
    return folder


def test_rule1_out_that_is_an_input_is_refused_and_nothing_is_touched(subs, tmp_path):
    before = snapshot(subs)
    for out, inputs in [
        (subs, [subs]),
        (subs / "a.json", [subs / "a.json"]),
        (subs / "moodle.zip", [tmp_path / "other", subs / "moodle.zip"]),
        (tmp_path / "cwd" / ".." / "subs", [subs]),
    ]:
        message = refused(out, inputs=inputs, overwrite=True)
        assert "es también una entrada" in message
        assert "Elige una carpeta de resultados fuera de las entregas" in message
    assert snapshot(subs) == before
    assert hidden(tmp_path) == hidden(subs) == []


def test_rule1_out_containing_an_input_is_refused(subs, tmp_path):
    message = refused(tmp_path, inputs=[subs / "moodle.zip"], overwrite=True)
    assert f"contiene la entrada {subs / 'moodle.zip'}" in message
    assert "contiene la entrada" in refused(tmp_path, inputs=[subs], overwrite=True)


def test_rule1_out_inside_an_input_is_refused_through_symlinks_and_dotdot(subs, tmp_path):
    link = tmp_path / "enlace"
    link.symlink_to(subs)
    for out in [subs / "grades", link / "grades", tmp_path / "x" / ".." / "subs" / "grades"]:
        assert "está dentro de la entrada" in refused(out, inputs=[subs])
    assert "está dentro de la entrada" in refused(subs / "grades", inputs=[link])
    assert not (subs / "grades").exists()
    assert hidden(subs) == []


def test_rule1_the_current_folder_its_ancestors_home_and_root_are_refused(
    subs, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path / "cwd")
    assert "es la carpeta actual" in refused(Path("."))
    assert "contiene la carpeta actual" in refused(Path(".."))
    assert "contiene la carpeta actual" in refused(Path("/"), overwrite=True)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    assert "es tu carpeta personal" in refused(home, overwrite=True)
    assert "Elige una carpeta nueva solo para ellos" in refused(Path("~").expanduser())
    results(Path("grades"))  # a new folder in the current one is fine
    assert snapshot(tmp_path / "cwd" / "grades") == expected(OLD)


def test_rule1_the_root_of_a_disk_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == usb)
    message = refused(usb, overwrite=True)
    assert "es la raíz de un disco" in message
    assert f"--out {usb / 'resultados'}" in message
    assert hidden(tmp_path) == []
    results(usb / "resultados")


# ------------------------------------------------------------------ rule 2: the manifest


def test_rule2_the_manifest_lists_every_file_written_with_size_and_hash(tmp_path):
    out = tmp_path / "grades"
    results(out, tool="comprende grade")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["tool"] == "comprende grade"
    assert manifest["version"]
    assert manifest["dirs"] == ["feedback"]
    assert sorted(manifest["files"]) == sorted(OLD)
    assert manifest["files"]["gradebook.csv"]["size"] == len(OLD["gradebook.csv"])
    assert len(manifest["files"]["gradebook.csv"]["sha256"]) == 64
    assert not (out / MARKER).exists()


def test_rule2_a_file_name_not_in_utf8_is_listed_and_replaced(tmp_path):
    out = tmp_path / "grades"
    with OutputFolder(out, inputs=[], overwrite=False) as folder:
        with open(os.fsencode(folder.work) + b"/caf\xe9.html", "w") as latin1:
            latin1.write("ok")
        folder.commit()
    results(out, NEW)
    assert snapshot(out) == expected(NEW)


def test_rule2_overwrite_replaces_a_folder_comprende_wrote(tmp_path):
    out = tmp_path / "grades"
    results(out)
    message = refused(out)
    assert "ya contiene resultados: usa --overwrite para sustituirlos" in message
    assert snapshot(out) == expected(OLD)
    results(out, NEW)
    assert snapshot(out) == expected(NEW)
    assert hidden(tmp_path) == []


def test_rule2_an_empty_existing_folder_is_used(tmp_path):
    out = tmp_path / "grades"
    out.mkdir()
    results(out, overwrite=False)
    assert snapshot(out) == expected(OLD)
    assert hidden(tmp_path) == []


def test_rule2_a_folder_comprende_did_not_write_is_never_replaced(tmp_path):
    out = tmp_path / "grades"
    names = [f"tarea{i}.docx" for i in range(8)]
    write_into(out, {name: "mío" for name in names})
    before = snapshot(out)
    for overwrite in (False, True):
        message = refused(out, overwrite=overwrite)
        assert "no la ha escrito comprende" in message
        assert (
            "tarea0.docx, tarea1.docx, tarea2.docx, tarea3.docx, tarea4.docx … y 3 más" in message
        )
        assert "ni con --overwrite" in message
    assert snapshot(out) == before
    assert hidden(tmp_path) == []


def test_rule2_names_in_messages_reach_the_terminal_escaped(tmp_path):
    out = tmp_path / "grades"
    out.mkdir()
    (out / "a\x1b[31mrojo\u202e.txt").write_text("mío")
    with open(os.fsencode(out) + b"/caf\xe9.txt", "w") as latin1:  # a name not in UTF-8
        latin1.write("mío")
    message = refused(out, overwrite=True)
    assert "\x1b" not in message and "\u202e" not in message
    assert "a\\x1b[31mrojo\\u202e.txt" in message
    assert "caf\\xe9.txt" in message
    message.encode("utf-8")  # printable anywhere


@pytest.mark.parametrize(
    "change",
    ["added file", "edited file, same size", "added folder", "added symlink", "broken manifest"],
)
def test_rule2_anything_added_or_changed_in_our_folder_blocks_overwrite(tmp_path, change):
    out = tmp_path / "grades"
    results(out)
    if change == "added file":
        (out / "feedback" / "notes.xlsx").write_bytes(b"mis notas")
    elif change == "edited file, same size":
        (out / "gradebook.csv").write_text(OLD["gradebook.csv"].replace("3", "9"))
    elif change == "added folder":
        (out / "mis-cosas").mkdir()
    elif change == "added symlink":
        (out / "enlace").symlink_to(tmp_path)
    else:
        (out / MANIFEST).write_text("{", encoding="utf-8")
    before = snapshot(out)
    message = refused(out, overwrite=True)
    if change == "broken manifest":
        assert "no la ha escrito comprende" in message
    else:
        assert "archivos que comprende no escribió o que han cambiado" in message
        shown = {
            "added file": "feedback/notes.xlsx",
            "edited file, same size": "gradebook.csv",
            "added folder": "mis-cosas",
            "added symlink": "enlace",
        }[change]
        assert f"({shown})" in message
    assert snapshot(out) == before


def test_rule2_a_manifest_naming_a_file_outside_its_folder_deletes_nothing_there(tmp_path):
    out = tmp_path / "grades"
    results(out)
    victim = tmp_path / "victim.txt"
    victim.write_text("mío")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["../victim.txt"] = {"size": 4, "sha256": "0" * 64}
    manifest["dirs"].append("..")
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    results(out, NEW)
    assert victim.read_text() == "mío"
    assert snapshot(out) == expected(NEW)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades", "victim.txt"]


def test_rule2_out_that_is_a_file_or_a_symlink_is_refused(tmp_path):
    (tmp_path / "notas.txt").write_text("mías")
    assert "existe y no es una carpeta" in refused(tmp_path / "notas.txt", overwrite=True)
    (tmp_path / "roto").symlink_to(tmp_path / "no-existe")
    assert "es un enlace simbólico" in refused(tmp_path / "roto", overwrite=True)
    results(tmp_path / "grades")
    (tmp_path / "atajo").symlink_to(tmp_path / "grades")
    assert "es un enlace simbólico" in refused(tmp_path / "atajo", overwrite=True)
    assert (tmp_path / "notas.txt").read_text() == "mías"
    assert os.readlink(tmp_path / "roto") == str(tmp_path / "no-existe")
    assert snapshot(tmp_path / "grades") == expected(OLD)


def test_rule2_a_file_dropped_into_out_during_the_run_stops_the_commit(tmp_path):
    out = tmp_path / "grades"
    results(out)
    folder = OutputFolder(out, inputs=[], overwrite=True)
    write_into(folder.work, NEW)
    (out / "notes.xlsx").write_text("mis notas")
    with pytest.raises(UsageError, match=r"\(notes.xlsx\)"):
        folder.commit()
    assert snapshot(out) == {**expected(OLD), "notes.xlsx": b"mis notas"}
    assert hidden(tmp_path) == []


# ------------------------------------------------------------------ rule 3: atomic replace


def test_rule3_abort_and_an_exception_leave_out_as_it_was(tmp_path):
    out = tmp_path / "grades"
    results(out)
    with pytest.raises(ZeroDivisionError), OutputFolder(out, inputs=[], overwrite=True) as folder:
        write_into(folder.work, NEW)
        assert folder.work.parent == tmp_path and folder.work.name.startswith(".grades.")
        raise ZeroDivisionError
    assert snapshot(out) == expected(OLD)
    with OutputFolder(out, inputs=[], overwrite=True) as folder:
        write_into(folder.work, NEW)  # leaving without commit() drops the results too
    assert snapshot(out) == expected(OLD)
    assert hidden(tmp_path) == []


MUTATING = ["replace", "unlink", "rmdir", "mkdir", "fsync", "open", "chmod", "ftruncate", "write"]


class FailNth:
    """Makes the ``nth`` call of any operating-system call that changes the disk fail."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, nth: int) -> None:
        self.calls = 0
        self.nth = nth
        for name in MUTATING:
            if name == "open":
                monkeypatch.setattr(outdir, "open", self.wrap(open), raising=False)
            monkeypatch.setattr(os, name, self.wrap(getattr(os, name)))

    def wrap(self, real):
        def call(*args, **kwargs):
            self.calls += 1
            if self.calls == self.nth:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(*args, **kwargs)

        return call


def test_rule3_any_failing_disk_operation_during_commit_keeps_the_old_results(
    tmp_path, monkeypatch
):
    out = tmp_path / "grades"
    (tmp_path / "otros.txt").write_text("no es de comprende")
    nth = 0
    while True:
        nth += 1
        assert nth < 200
        results(out)
        folder = OutputFolder(out, inputs=[], overwrite=True)
        write_into(folder.work, NEW)
        with monkeypatch.context() as patch:
            faults = FailNth(patch, nth)
            try:
                folder.commit()
                raised = None
            except (OSError, UsageError) as exc:
                raised = exc
        if raised is not None:
            assert snapshot(out) == expected(OLD), (nth, raised)
            assert folder.work.exists() is False
            assert hidden(tmp_path) == [], (nth, raised)
        else:
            assert snapshot(out) == expected(NEW), nth
            left = [n for n in hidden(tmp_path) if not n.endswith(".lock")]
            if left:  # a clean-up step failed: said, and cleaned by the next run
                assert folder.notices, nth
        results(out, NEW)
        assert hidden(tmp_path) == [], nth
        assert (tmp_path / "otros.txt").read_text() == "no es de comprende"
        if faults.calls < nth:  # every call of a whole commit passed: all steps were tried
            break
    assert nth > 10


def test_rule3_any_failing_disk_operation_at_start_is_a_usage_error(tmp_path, monkeypatch):
    out = tmp_path / "new" / "grades"
    results(tmp_path / "grades")
    for nth in range(1, 30):
        folder = None
        with monkeypatch.context() as patch:
            faults = FailNth(patch, nth)
            try:
                folder = OutputFolder(out, inputs=[], overwrite=True)
            except UsageError as exc:
                assert "no se puede" in str(exc), (nth, exc)
        if folder is not None:
            folder.abort()
        assert not (tmp_path / "new").exists(), nth
        assert snapshot(tmp_path / "grades") == expected(OLD)
        if faults.calls < nth:
            break
    else:
        pytest.fail("the start makes more calls than expected")


def test_rule5_read_only_disk_is_a_usage_error_naming_the_folder(tmp_path, monkeypatch):
    real_open = os.open

    def read_only(path, *args, **kwargs):
        if str(path).endswith(".lock"):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    message = refused(tmp_path / "grades")
    assert f"no se puede escribir en {tmp_path} (el disco es de solo lectura)" in message
    assert "elige con --out una carpeta en un disco donde puedas escribir" in message


CHILD = textwrap.dedent(
    """
    import os, resource, signal, sys, time
    from pathlib import Path
    from comprende import outdir

    out, mode = Path(sys.argv[1]), sys.argv[2]
    if mode.startswith("full"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
    real_replace, replaced = os.replace, []

    def replace(src, dst):
        real_replace(src, dst)
        replaced.append(dst)
        if mode == f"hang-after-replace-{len(replaced)}":
            print("ready", flush=True)
            time.sleep(60)

    os.replace = replace
    try:
        with outdir.OutputFolder(out, inputs=[], overwrite=True) as folder:
            (folder.work / "feedback").mkdir()
            (folder.work / "gradebook.csv").write_text("id,total\\nz,1\\n")
            if mode == "hang-in-run":
                print("ready", flush=True)
                time.sleep(60)
            if mode == "full-big-file":
                (folder.work / "report.html").write_bytes(b"x" * 50_000)
            if mode == "full-manifest":  # 600 small files: only the manifest is too big
                for i in range(600):
                    (folder.work / "feedback" / f"estudiante-{i:04}.html").write_text("ok")
            try:
                folder.commit()
            except outdir.UsageError as exc:
                print(f"UsageError {exc.__cause__.errno}: {exc}", flush=True)
                sys.exit(2)
    except OSError as exc:
        print(f"OSError {exc.errno}: {folder.failure(exc)}", flush=True)
        sys.exit(3)
    """
)


def child(out: Path, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(out), mode], stdout=subprocess.PIPE, text=True
    )


@pytest.mark.parametrize("mode", ["full-big-file", "full-manifest"])
def test_rule3_a_full_disk_in_a_real_run_keeps_the_old_results(tmp_path, mode):
    out = tmp_path / "grades"
    results(out)
    run = child(out, mode)
    stdout, _ = run.communicate(timeout=20)
    kind, status = ("OSError", 3) if mode == "full-big-file" else ("UsageError", 2)
    assert run.returncode == status
    assert stdout.startswith(f"{kind} {errno.EFBIG}: no se han podido guardar los resultados en ")
    assert "los anteriores siguen como estaban" in stdout
    assert snapshot(out) == expected(OLD)
    assert hidden(tmp_path) == []


def kill_when_ready(out: Path, mode: str) -> int:
    run = child(out, mode)
    assert run.stdout is not None
    assert run.stdout.readline() == "ready\n"
    message = refused(out, overwrite=True)  # rule 4: said at once, naming the other run
    assert f"otra ejecución de comprende (comprende grade, pid {run.pid} en " in message
    assert "iniciada el " in message and "espera a que termine" in message
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=10)
    run.stdout.close()
    return run.pid


def test_rule3_a_run_killed_while_writing_then_run_again(tmp_path):
    out = tmp_path / "grades"
    results(out)
    pid = kill_when_ready(out, "hang-in-run")
    assert snapshot(out) == expected(OLD)
    assert [n for n in hidden(tmp_path) if n.endswith(".tmp")]  # the killed run's work
    again = results(out, NEW)
    assert snapshot(out) == expected(NEW)
    assert hidden(tmp_path) == []
    assert len(again.notices) == 1
    assert "resultados a medias de una ejecución interrumpida" in again.notices[0]
    assert f"(pid {pid}, iniciada el " in again.notices[0]


def test_rule3_a_run_killed_in_the_middle_of_the_swap_gets_the_old_results_back(tmp_path):
    out = tmp_path / "grades"
    results(out)
    kill_when_ready(out, "hang-after-replace-1")
    assert not out.exists()  # the old folder is aside, the new one not yet in place
    message = refused(out, overwrite=False)  # the error says what was recovered, too
    assert "ya contiene resultados: usa --overwrite" in message.splitlines()[0]
    assert f"se han recuperado los resultados anteriores en {out}" in message
    assert snapshot(out) == expected(OLD)
    assert hidden(tmp_path) == []


def test_rule3_a_run_killed_after_the_swap_leaves_the_new_results_and_no_copy(tmp_path):
    out = tmp_path / "grades"
    results(out)
    kill_when_ready(out, "hang-after-replace-2")
    assert snapshot(out) == {"gradebook.csv": b"id,total\nz,1\n"}
    assert [n for n in hidden(tmp_path) if n.endswith(".old")]
    again = OutputFolder(out, inputs=[], overwrite=True)
    assert any("resultados antiguos que una ejecución interrumpida" in n for n in again.notices)
    again.abort()
    assert hidden(tmp_path) == []


def test_rule3_leftovers_without_our_mark_are_kept_and_reported(tmp_path):
    out = tmp_path / "grades"
    results(out)
    (tmp_path / ".grades.mnop3456.old").mkdir()  # reserved for a swap that never happened
    own = {
        ".grades.abcd1234.tmp": {"mio.txt": "mío"},  # our name, not our marker
        ".grades.efgh5678.old": {"mio.txt": "mío"},  # our name, no manifest
        ".grades.b.ijkl9012.tmp": {MARKER: json.dumps({"comprende": "work", "out": "grades.b"})},
    }
    for name, files in own.items():
        write_into(tmp_path / name, files)
    folder = OutputFolder(out, inputs=[], overwrite=True)
    folder.abort()
    text = "\n".join(folder.notices)
    assert "se ha dejado " + str(tmp_path / ".grades.abcd1234.tmp") in text
    assert "se han dejado resultados antiguos en " + str(tmp_path / ".grades.efgh5678.old") in text
    assert ".grades.b." not in text  # another --out's work folder: not ours to judge
    assert ".mnop3456." not in text and not (tmp_path / ".grades.mnop3456.old").exists()
    for name, files in own.items():
        assert snapshot(tmp_path / name) == expected(files)
    assert snapshot(out) == expected(OLD)


def test_rule3_an_aside_copy_with_a_user_file_is_never_deleted(tmp_path):
    out = tmp_path / "grades"
    results(out)
    aside = tmp_path / ".grades.zz99zz99.old"
    os.replace(out, aside)
    (aside / "notes.xlsx").write_text("mis notas")
    results(out, NEW)  # out was missing: the aside copy is not ours any more, so not restored
    assert snapshot(aside) == {**expected(OLD), "notes.xlsx": b"mis notas"}
    assert snapshot(out) == expected(NEW)


# ------------------------------------------------------------------ rule 4: the lock


def test_rule4_a_second_run_is_refused_at_once_and_the_lock_is_released(tmp_path):
    out = tmp_path / "grades"
    first = OutputFolder(out, inputs=[], overwrite=False)
    message = refused(out, overwrite=True)
    assert f"(comprende grade, pid {os.getpid()} en " in message
    assert f"está escribiendo en {out}: espera a que termine" in message
    assert not out.exists()
    first.abort()
    second = OutputFolder(out, inputs=[], overwrite=False)
    write_into(second.work, OLD)
    second.commit()
    results(out, NEW)  # released by commit too
    assert hidden(tmp_path) == []  # no lock file left behind


def test_rule4_the_lock_holds_for_every_spelling_of_the_same_folder(tmp_path, monkeypatch):
    (tmp_path / "atajo").symlink_to(tmp_path)
    monkeypatch.chdir(tmp_path / "atajo")
    first = OutputFolder(Path("x") / ".." / "grades", inputs=[], overwrite=False)
    for spelling in [tmp_path / "grades", Path("grades"), tmp_path / "atajo" / "grades"]:
        assert "está escribiendo en" in refused(spelling)
    first.abort()
    assert hidden(tmp_path) == []


def test_rule4_a_lock_file_comprende_did_not_write_is_not_overwritten(tmp_path):
    (tmp_path / ".grades.lock").write_text("mis cosas")
    assert "no lo ha creado comprende" in refused(tmp_path / "grades")
    assert (tmp_path / ".grades.lock").read_text() == "mis cosas"


# ------------------------------------------------------------------ rule 5: the parent folder


def test_rule5_a_parent_that_is_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "notas.txt").write_text("mías")
    for out in [tmp_path / "notas.txt" / "grades", tmp_path / "notas.txt" / "a" / "grades"]:
        message = refused(out)
        assert f"{tmp_path / 'notas.txt'} es un archivo, no una carpeta" in message
        assert "Elige otra ruta con --out" in message
    assert (tmp_path / "notas.txt").read_text() == "mías"


def test_rule5_missing_parents_are_created_and_removed_again_if_the_run_does_not_start(
    tmp_path, monkeypatch
):
    out = tmp_path / "a" / "b" / "grades"
    OutputFolder(out, inputs=[], overwrite=False).abort()
    assert list(tmp_path.iterdir()) == []
    real_mkdir = os.mkdir

    def forbidden(path, *args, **kwargs):
        if Path(path).name == "b":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", forbidden)
    message = refused(out)
    assert f"no se puede crear la carpeta {tmp_path / 'a' / 'b'} (no tienes permiso" in message
    assert "créala tú o elige otra ruta con --out" in message
    assert list(tmp_path.iterdir()) == []  # the "a" it did create is gone again
    monkeypatch.undo()
    results(out)
    assert snapshot(out) == expected(OLD)


@pytest.mark.parametrize("in_memory", [3, 5_000])
def test_the_manifest_lists_a_large_folder_in_the_same_order_sorted_on_disk_or_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_memory: int
) -> None:
    """A folder of more names than are sorted in memory is listed in sorted runs merged
    from disk: the manifest's order and names are those of a plain sort, odd names too."""
    monkeypatch.setattr(outdir, "_NAMES_IN_MEMORY", in_memory)
    work = tmp_path / "work"
    feedback = work / "feedback"
    feedback.mkdir(parents=True)
    names = [f"e{n:03d}.html" for n in range(25, 0, -1)]
    names += ["a-b", "a", "line\nbreak", "ñandú.json", "z" * 200, os.fsdecode(b"\xff-raw")]
    for name in names:
        (feedback / name).write_text(name, encoding="utf-8", errors="surrogateescape")
    (feedback / "a0").mkdir()
    (feedback / "a0" / "inner.txt").write_text("x")
    expected = sorted([*(f"feedback/{n}" for n in names), "feedback/a0/inner.txt"])
    listed = list(outdir._files(work, ""))
    assert listed == expected
    outdir._write_manifest(work, "comprende grade")
    manifest = json.loads((work / outdir.MANIFEST).read_text("utf-8"))
    assert list(manifest["files"]) == expected
    assert manifest["files"]["feedback/a-b"]["size"] == 3
