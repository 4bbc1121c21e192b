"""The extension's configuration: one dataclass, each field a ``comprende_<name>`` value.

Each field carries its help text and a validator (as MyST-Parser's ``MdParserConfig``
does). The settings are read and checked once per build, when the configuration is
ready (``config-inited``): a bad value is a ``comprende.config`` warning at its line of
``conf.py`` and the field takes its fallback (its default; ``exam`` for ``mode``, so a
typo never publishes the keys), so the build goes on; an unknown
``comprende_*`` name is a warning too, with the closest valid name.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from ..diagnostics import Kind, did_you_mean, warn
from .directive import ComprendeDirective

MODES = ("practice", "exam")
PREFIX = "comprende_"

#: A validator takes a value and returns what is wrong with it, or ``None``.
Validator = Callable[[Any], str | None]


def text_value(value: Any) -> str | None:
    """A non-empty text."""
    if not isinstance(value, str):
        return f"must be a text (a quoted string), not {type(value).__name__} {value!r}"
    if not value.strip():
        return "must not be empty"
    return None


def docname_value(value: Any) -> str | None:
    """A page's docname: a non-empty text, without the file's suffix."""
    problem = text_value(value)
    if problem is None and value.endswith((".md", ".rst")):
        return f"is a page's name without its suffix: write {value.rsplit('.', 1)[0]!r}"
    if problem is None and value.startswith("/"):
        return "is a page's name relative to docs/, without a leading '/'"
    return problem


def one_of(*choices: str) -> Validator:
    """One of ``choices``."""

    def validate(value: Any) -> str | None:
        if value in choices:
            return None
        hint = did_you_mean(str(value), choices)
        return f"must be one of {', '.join(map(repr, choices))}, not {value!r}" + (
            f" ({hint[2:]})" if hint else ""
        )

    return validate


def flag_value(value: Any) -> str | None:
    """``True`` or ``False`` (``-D name=1`` or ``-D name=0`` on the command line)."""
    if isinstance(value, bool):
        return None
    return f"must be True or False, not {type(value).__name__} {value!r}"


def _setting(
    default: str | bool, help: str, validator: Validator, fallback: str | None = None
) -> Any:
    """A field; a bad value is replaced by ``fallback`` (the default unless given)."""
    metadata = {
        "help": help,
        "validator": validator,
        "fallback": default if fallback is None else fallback,
    }
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class ComprendeConfig:
    """Settings of the comprende extension (``comprende_*`` in ``conf.py``)."""

    article: str = _setting(
        "../seeds/000_3b1596ccf2fa3e1b.txt",
        "El artículo, relativo a `conf.py`: un párrafo por línea.",
        text_value,
    )
    article_page: str = _setting(
        "articulo",
        "La página (sin `.md`) que contiene la directiva del artículo.",
        docname_value,
    )
    glossary: str = _setting(
        "_data/glosario.yaml",
        "El archivo de datos del glosario, relativo a `conf.py`.",
        text_value,
    )
    glossary_page: str = _setting(
        "glosario",
        "La página (sin `.md`) que muestra el glosario.",
        docname_value,
    )
    bank: str = _setting(
        "../exercises",
        "La carpeta del banco de ejercicios (`module.yaml` y un archivo por serie).",
        text_value,
    )
    mode: str = _setting(
        "practice",
        "`practice`: claves y comentarios en la página; `exam`: ni lo uno ni lo otro. "
        "Un valor no válido se toma como `exam`, para no publicar nunca las claves por error.",
        one_of(*MODES),
        # A typo in an exam build must not publish the keys: a bad value is `exam`.
        fallback="exam",
    )
    exam_glossary: bool = _setting(
        True,
        'En un examen (`comprende_mode = "exam"`): `True` muestra en el artículo las palabras del '
        "glosario con su explicación; `False`, el texto solo (por ejemplo, si el examen "
        "pregunta por el vocabulario).",
        flag_value,
    )
    exam_links: bool = _setting(
        True,
        "En un examen: `True` deja en cada pregunta su enlace «Consulta: …» a la sección "
        "de contexto que trata su tema; `False` lo quita. La frase del artículo que "
        "demuestra la respuesta (la evidencia) nunca aparece en un examen.",
        flag_value,
    )

    def __post_init__(self) -> None:
        for f in fields(self):
            problem = f.metadata["validator"](getattr(self, f.name))
            if problem is not None:
                raise ValueError(f"{PREFIX}{f.name} {problem}")

    def path(self, app: Sphinx, name: str) -> Path:
        return (Path(app.confdir) / getattr(self, name)).resolve()

    @classmethod
    def from_sphinx(cls, app: Sphinx, config: Config) -> ComprendeConfig:
        """The settings of ``config``, field by field; a bad value warns and keeps the default."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            name = f"{PREFIX}{f.name}"
            value = getattr(config, name)
            problem = f.metadata["validator"](value)
            if problem is not None:
                value = f.metadata["fallback"]
                which = "the default" if value == f.default else "the safe value"
                warn(
                    Kind.CONFIG,
                    f"{name} {problem}; using {which}, {value!r}",
                    _location(app, config, name),
                )
            values[f.name] = value
        return cls(**values)


#: Per Sphinx configuration: the settings, checked, and the folder of ``conf.py``.
_CONFIGS: WeakKeyDictionary[Config, tuple[ComprendeConfig, Path]] = WeakKeyDictionary()


def get_config(app: Sphinx) -> ComprendeConfig:
    """The settings of this build, read and checked once (at ``config-inited``)."""
    if app.config not in _CONFIGS:
        _CONFIGS[app.config] = ComprendeConfig.from_sphinx(app, app.config), Path(app.confdir)
    return _CONFIGS[app.config][0]


def env_config(env: BuildEnvironment) -> ComprendeConfig:
    """The settings of the build ``env`` belongs to."""
    return _CONFIGS[env.config][0]


def env_path(env: BuildEnvironment, name: str) -> Path:
    """The setting ``name`` (a path relative to ``conf.py``) as an absolute path."""
    settings, confdir = _CONFIGS[env.config]
    return (confdir / getattr(settings, name)).resolve()


def _location(app: Sphinx, config: Config, name: str) -> str | None:
    """``conf.py:<line>`` where ``name`` is set, or ``None`` (set with ``-D``, or unknown)."""
    if name in config.overrides:
        return None
    conf = Path(app.confdir) / "conf.py"
    try:
        tree = ast.parse(conf.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            lines.append(node.lineno)
    if lines:  # the last assignment is the one that counts
        return f"{conf}:{max(lines)}"
    return f"{conf}:"  # the file, without a line (a bare string would be a docname)


def _config_inited(app: Sphinx, config: Config) -> None:
    known = {f"{PREFIX}{f.name}" for f in fields(ComprendeConfig)}
    for name in sorted(config._raw_config):  # what conf.py sets
        if name.startswith(PREFIX) and name not in known:
            warn(
                Kind.CONFIG,
                f"unknown setting `{name}`{did_you_mean(name, known)}",
                _location(app, config, name),
            )
    _CONFIGS[config] = ComprendeConfig.from_sphinx(app, config), Path(app.confdir)


def setup_config(app: Sphinx) -> None:
    for f in fields(ComprendeConfig):
        app.add_config_value(
            f"{PREFIX}{f.name}",
            f.default,
            "env",
            # The validators check the values (with a typed warning and a fallback). A
            # flag also takes text, so that `-D name=yes` reaches its validator instead
            # of stopping the build in Sphinx's conversion of overrides.
            types=frozenset({Any, str}) if isinstance(f.default, bool) else frozenset({Any}),
            description=f.metadata["help"],
        )
    app.connect("config-inited", _config_inited)
    app.add_directive("comprende-config", ConfigTableDirective)
    app.add_directive("comprende-warnings", WarningsTableDirective)


class ConfigTableDirective(ComprendeDirective):
    """A table of the ``comprende_*`` settings, generated from :class:`ComprendeConfig`."""

    def body(self) -> list[nodes.Node]:
        rows = [
            (f"{PREFIX}{f.name}", _as_written(f.default), f.metadata["help"])
            for f in fields(ComprendeConfig)
        ]
        return [table(("Opción", "Valor por defecto", "Descripción"), rows, (25, 25, 50))]


def _as_written(value: Any) -> str:
    """A default as one writes it in ``conf.py`` (texts in double quotes)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def table(
    head: tuple[str, ...],
    rows: Sequence[tuple[str, ...]],
    widths: tuple[int, ...],
    *,
    code_columns: int = 2,
    classes: tuple[str, ...] = ("cp-config",),
) -> nodes.table:
    """A docutils table; the first ``code_columns`` cells of each row are code."""
    result = nodes.table(classes=list(classes))
    group = nodes.tgroup(cols=len(head))
    result += group
    group.extend(nodes.colspec(colwidth=width) for width in widths)
    thead = nodes.thead()
    group += thead
    thead += _row(*head)
    body = nodes.tbody()
    group += body
    for cells in rows:
        body += _row(*cells, code=code_columns)
    return result


def _row(*cells: str, code: int = 0) -> nodes.row:
    row = nodes.row()
    for index, text in enumerate(cells):
        entry = nodes.entry()
        entry += nodes.paragraph(
            "", "", *([nodes.literal(text, text)] if index < code else inline(text))
        )
        row += entry
    return row


def inline(text: str) -> list[nodes.Node]:
    """``text`` with its `backquoted` parts as code."""
    parts = text.split("`")
    return [
        nodes.literal(part, part) if index % 2 else nodes.Text(part)
        for index, part in enumerate(parts)
        if part
    ]


class WarningsTableDirective(ComprendeDirective):
    """A table of the warning kinds, generated from :class:`comprende.diagnostics.Kind`."""

    def body(self) -> list[nodes.Node]:
        rows = [(kind.code, kind.help) for kind in Kind]
        return [
            table(("Aviso", "Qué indica"), rows, (25, 75), code_columns=1, classes=("cp-warnings",))
        ]
