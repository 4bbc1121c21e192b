"""A shared node for the extension's own markup: one HTML element with attributes."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator


class html_element(nodes.Element):
    """An HTML element ``tag`` with ``attributes``; renders its children inside."""


class html_raw(nodes.Element):
    """A leaf whose ``html`` attribute is written as is (for markup built by the extension)."""


def element(
    tag: str, *children: nodes.Node, classes: list[str] | None = None, **attributes: Any
) -> html_element:
    node = html_element("", *children, tag=tag, attributes=attributes)
    node["classes"] = classes or []
    return node


def _visit_element(self: HTML5Translator, node: html_element) -> None:
    attributes = {key.replace("_", "-"): value for key, value in node["attributes"].items()}
    self.body.append(self.starttag(node, node["tag"], "", **attributes))


def _depart_element(self: HTML5Translator, node: html_element) -> None:
    self.body.append(f"</{node['tag']}>")


def _visit_raw(self: HTML5Translator, node: html_raw) -> None:
    self.body.append(node["html"])
    raise nodes.SkipNode


def _visit_text_only(self: Any, node: nodes.Element) -> None:
    """Other builders: render the children and drop the markup."""


def _depart_text_only(self: Any, node: nodes.Element) -> None:
    pass


def _skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup_nodes(app: Sphinx) -> None:
    others: dict[str, Any] = {
        name: (_visit_text_only, _depart_text_only) for name in ("latex", "text", "man", "texinfo")
    }
    app.add_node(html_element, html=(_visit_element, _depart_element), **others)
    skips: dict[str, Any] = {name: (_skip, None) for name in others}
    app.add_node(html_raw, html=(_visit_raw, None), **skips)
