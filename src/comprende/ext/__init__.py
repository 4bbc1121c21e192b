"""The comprende Sphinx extension: one ``setup_<component>`` per module."""

from __future__ import annotations

from sphinx.application import Sphinx


def setup_extension(app: Sphinx) -> None:
    from .article import setup_article
    from .common import setup_common
    from .config import setup_config
    from .context import setup_context
    from .exercises import setup_exercises
    from .glossary import setup_glossary
    from .nodes import setup_nodes
    from .reading import setup_reading
    from .theme import setup_theme
    from .vocabulary import setup_vocabulary

    setup_config(app)
    setup_common(app)
    setup_nodes(app)
    setup_article(app)
    setup_context(app)
    setup_glossary(app)
    setup_exercises(app)
    setup_reading(app)
    setup_theme(app)
    setup_vocabulary(app)
