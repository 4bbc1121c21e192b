"""The extension's configuration: one dataclass, each field a ``comprende_<name>`` value."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util.docutils import SphinxDirective

MODES = ("practice", "exam")


@dataclass(frozen=True)
class ComprendeConfig:
    """Settings of the comprende extension (``comprende_*`` in ``conf.py``)."""

    article: str = field(
        default="../seeds/000_3b1596ccf2fa3e1b.txt",
        metadata={"help": "The seed article, relative to conf.py: one paragraph per line."},
    )
    article_page: str = field(
        default="articulo",
        metadata={"help": "Docname of the page that holds the article directive."},
    )
    glossary: str = field(
        default="_data/glosario.yaml",
        metadata={"help": "The glossary data file, relative to conf.py."},
    )
    glossary_page: str = field(
        default="glosario",
        metadata={"help": "Docname of the page that renders the glossary."},
    )
    bank: str = field(
        default="../exercises",
        metadata={"help": "Folder of the exercise bank (module.yaml and one file per set)."},
    )
    mode: str = field(
        default="practice",
        metadata={"help": "`practice`: keys and feedback in the page; `exam`: neither."},
    )

    def path(self, app: Sphinx, name: str) -> Path:
        return (Path(app.confdir) / getattr(self, name)).resolve()


def get_config(app: Sphinx) -> ComprendeConfig:
    return ComprendeConfig(
        **{f.name: getattr(app.config, f"comprende_{f.name}") for f in fields(ComprendeConfig)}
    )


def _validate(app: Sphinx, config: Config) -> None:
    if config.comprende_mode not in MODES:
        raise ConfigError(
            f"comprende_mode must be one of {', '.join(MODES)}, not {config.comprende_mode!r}"
        )


def setup_config(app: Sphinx) -> None:
    for f in fields(ComprendeConfig):
        app.add_config_value(
            f"comprende_{f.name}",
            f.default,
            "env",
            types=frozenset({str}),
            description=f.metadata["help"],
        )
    app.connect("config-inited", _validate)
    app.add_directive("comprende-config", ConfigTableDirective)


class ConfigTableDirective(SphinxDirective):
    """A table of the ``comprende_*`` settings, generated from :class:`ComprendeConfig`."""

    def run(self) -> list[nodes.Node]:
        table = nodes.table(classes=["cp-config"])
        group = nodes.tgroup(cols=3)
        table += group
        group.extend(nodes.colspec(colwidth=width) for width in (25, 25, 50))
        head = nodes.thead()
        group += head
        head += _row("Opción", "Valor por defecto", "Descripción")
        body = nodes.tbody()
        group += body
        for f in fields(ComprendeConfig):
            body += _row(f"comprende_{f.name}", repr(f.default), f.metadata["help"], code=True)
        return [table]


def _row(*cells: str, code: bool = False) -> nodes.row:
    row = nodes.row()
    for index, text in enumerate(cells):
        entry = nodes.entry()
        entry += nodes.paragraph(
            "", "", nodes.literal(text, text) if code and index < 2 else nodes.Text(text)
        )
        row += entry
    return row
