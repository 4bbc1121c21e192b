"""The base of the extension's directives: misuse reported as a typed warning.

It imports nothing of the extension, so every module of it can use it.
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..diagnostics import Kind, warn


class ComprendeDirective(SphinxDirective):
    """A directive of ours whose misuse is a typed warning at its line, not a docutils error.

    Docutils reports a missing or extra argument, or content where none is permitted, as an
    untyped ``ERROR`` that ``suppress_warnings`` cannot silence. Here the directive accepts
    them, says what is wrong as ``comprende.directive`` and renders nothing. A subclass says
    what it takes and implements :meth:`body`:

    - ``argument``: what its one argument is (``"the id of a set"``), with an ``example``;
      ``None`` when it takes none;
    - ``takes_content``: ``False`` when it takes no content; ``None`` when it checks it.
    """

    kind: ClassVar[Kind] = Kind.DIRECTIVE
    argument: ClassVar[str | None] = None
    example: ClassVar[str] = ""
    takes_content: ClassVar[bool | None] = False
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        problem = self.misuse()
        if problem:
            warn(self.kind, problem, (self.env.docname, self.lineno))
            return []
        return self.body()

    def misuse(self) -> str | None:
        name = self.name
        if self.argument and not self.arguments:
            return f"{name} needs {self.argument} (write e.g. `:::{{{name}}} {self.example}`)"
        if not self.argument and self.arguments:
            return f"{name} takes no argument: remove {self.arguments[0]!r} after its name"
        if self.takes_content is False and any(line.strip() for line in self.content):
            return f"{name} takes no content: remove the text between its `:::` lines"
        return None

    def body(self) -> list[nodes.Node]:
        """What the directive renders once its argument and content are right."""
        raise NotImplementedError(f"{type(self).__name__} writes body(), as every directive does")
