"""Sphinx configuration of the comprende site."""

project = "Comprende: Putin en Kazajistán"
author = "Equipo de comprende"
copyright = "2026, equipo de comprende"
language = "es"

extensions = ["myst_parser", "sphinx_design", "comprende"]
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline", "attrs_block"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "_data", "Thumbs.db", ".DS_Store"]
suppress_warnings: list[str] = []

html_theme = "furo"
html_title = "Comprende · Putin en Kazajistán"
html_favicon = "_static/favicon.svg"
html_static_path = ["_static"]
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
# The footer credits the article's source after the copyright line (comprende.ext.theme).
html_context = {
    "comprende_source": {
        "label": "Texto del artículo, reproducido sin cambios para su estudio:",
        "name": "Sports News Times (edición en español)",
        "url": (
            "https://sportsnewstimes.com/es/global-politics-and-economy-es/"
            "fortaleciendo-lazos-toqaev-y-putin-discuten-la-cooperacion-en-energia-e-"
            "industria-durante-la-visita-estatal"
        ),
    },
}
# No single-key shortcuts ("/" to search: WCAG 2.1.4), no arrow keys that leave the page;
# then Sphinx's doctools.js loads only where the search needs it (comprende.ext.theme).
html_theme_options = {
    "navigation_with_keys": False,
    "enable_search_shortcuts": False,
    "top_of_page_buttons": [],
}

# comprende: the article, the glossary and the exercise bank (defaults shown).
comprende_article = "../seeds/000_3b1596ccf2fa3e1b.txt"
comprende_glossary = "_data/glosario.yaml"
comprende_bank = "../exercises"
comprende_mode = "practice"  # `make html MODE=exam` builds without keys or feedback
