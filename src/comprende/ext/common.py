"""What the extension's modules share: paragraph labels, and the site's data, loaded once.

The article, the glossary and the exercise bank are read once and kept for the build
environment (read again only when the content of one of their files changes). A file
with a mistake is reported once per build, as a typed warning at its own file and line
(see :mod:`comprende.diagnostics`), however many pages use it; the pages that need it
then go without it. In a parallel build each reading process loads the files, and
Sphinx's ``once`` keeps the error to one line of the build's log.

This module imports no other module of the extension but :mod:`.config`, so
:mod:`.article`, :mod:`.context` and :mod:`.glossary` can all import it (before, they
imported each other in a circle).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..article import Article, load_article
from ..diagnostics import Kind, report
from ..errors import ComprendeError
from ..glossary import Term, load_glossary
from ..model import Bank
from .config import env_path

T = TypeVar("T")

#: Per build environment: name -> (fingerprint of its files, the value or the error).
_LOADED: WeakKeyDictionary[BuildEnvironment, dict[str, tuple[tuple[Any, ...], Any]]] = (
    WeakKeyDictionary()
)
#: Per build environment: the names whose error has been reported in this build.
_REPORTED: WeakKeyDictionary[BuildEnvironment, set[str]] = WeakKeyDictionary()


def paragraph_label(number: int) -> str:
    """The reference label of article paragraph ``number`` (``parrafo-4``)."""
    return f"parrafo-{number}"


def _fingerprint(paths: Sequence[Path]) -> tuple[Any, ...]:
    """What changes when one of ``paths`` changes: each file's digest (or its absence)."""
    result: list[Any] = []
    for path in paths:
        try:
            result.append((str(path), hashlib.sha1(path.read_bytes()).hexdigest()))
        except OSError:
            result.append((str(path), None))
    return tuple(result)


def _load(
    env: BuildEnvironment, name: str, paths: Sequence[Path], load: Callable[[], T], kind: Kind
) -> T:
    """``load()``, once per state of ``paths``; its error is reported once per build."""
    loaded = _LOADED.setdefault(env, {})
    key = _fingerprint(paths)
    if name not in loaded or loaded[name][0] != key:
        try:
            loaded[name] = (key, load())
        except ComprendeError as error:
            loaded[name] = (key, error)
            _REPORTED.setdefault(env, set()).discard(name)
    value = loaded[name][1]
    if isinstance(value, ComprendeError):
        reported = _REPORTED.setdefault(env, set())
        if name not in reported:
            reported.add(name)
            # `once`: parallel readers each load the file; the main process logs it once.
            report(kind, value, once=True)
        raise value
    return value


def failed(env: BuildEnvironment, name: str) -> bool:
    """Whether ``name`` (``"article"``, ``"glossary"``, ``"bank"``) cannot be loaded.

    It is loaded if this process has not loaded it yet (a parallel writer), and its error
    reported as usual (Sphinx's ``once`` keeps it to one warning in the build's log).
    """
    loader = {"article": article, "glossary": glossary, "bank": bank}[name]
    try:
        loader(env)
    except ComprendeError:
        return True
    return False


def new_build(app: Sphinx, env: BuildEnvironment, docnames: Any) -> None:
    """A new build (``env-before-read-docs``): errors still there are reported again, once."""
    _REPORTED.pop(env, None)


def article(env: BuildEnvironment) -> Article:
    """The article (raises an already reported :class:`ComprendeError` if it is broken)."""
    path = env_path(env, "article")
    return _load(env, "article", [path], lambda: load_article(path), Kind.ARTICLE)


def glossary(env: BuildEnvironment) -> tuple[Term, ...]:
    """The glossary, checked against the article (raises an already reported error)."""
    path = env_path(env, "glossary")
    text = article(env)
    return _load(
        env,
        "glossary",
        [path, env_path(env, "article")],
        lambda: load_glossary(path, text),
        Kind.GLOSSARY,
    )


def bank_files(env: BuildEnvironment) -> list[Path]:
    """The files the bank is read from: its YAML files, and the article it quotes."""
    return [*sorted(env_path(env, "bank").glob("*.yaml")), env_path(env, "article")]


def bank(env: BuildEnvironment) -> Bank:
    """The exercise bank (raises an already reported :class:`ComprendeError`)."""
    from ..bank import load_bank

    folder = env_path(env, "bank")
    text = article(env)
    return _load(env, "bank", bank_files(env), lambda: load_bank(folder, text), Kind.BANK)


def cached_bank(env: BuildEnvironment) -> Bank | None:
    """The bank as this build loaded it, or ``None`` if it is broken (reported once)."""
    try:
        return bank(env)
    except ComprendeError:
        return None


def site_article(env: BuildEnvironment) -> Article:
    """The article, for a page that shows it (the page is rebuilt when the seed changes)."""
    env.note_dependency(str(env_path(env, "article")))
    return article(env)


def site_glossary(env: BuildEnvironment) -> tuple[Term, ...]:
    """The glossary, for a page that shows it."""
    for name in ("glossary", "article"):
        env.note_dependency(str(env_path(env, name)))
    return glossary(env)


def site_bank(env: BuildEnvironment) -> Bank:
    """The bank, for a page that shows some of it."""
    for path in bank_files(env):
        env.note_dependency(str(path))
    return bank(env)


def setup_common(app: Sphinx) -> None:
    app.connect("env-before-read-docs", new_build)
