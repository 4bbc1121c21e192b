"""The article: read from the seed, and rendered from it on the article page."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from comprende.article import load_article
from comprende.errors import ComprendeError

from .conftest import ROOT, SEED, build_site

SEED_SHA256 = "64a2d16a196fc920a95766fae08dd42b55189c5d8da7b69ed0546b4dffc19138"


def article_paragraphs(html: str) -> list[tuple[str, str]]:
    """(anchor, text) of each article paragraph, without the glossary previews."""
    soup = BeautifulSoup(html, "html.parser")
    for tip in soup.select(".cp-tip"):
        tip.decompose()
    return [(p["id"], p.select_one(".cp-para-text").get_text()) for p in soup.select("p.cp-para")]


def test_seed_is_the_original_article_byte_for_byte() -> None:
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == SEED_SHA256
    shared = ROOT.parent / "shared" / "seeds" / SEED.name
    if shared.exists():  # beside a checkout, the shared copy is the reference
        assert SEED.read_bytes() == shared.read_bytes()


def test_seed_has_eleven_paragraphs(article) -> None:
    assert len(article.paragraphs) == 11
    assert article.paragraphs[0].startswith("El presidente kazajo Qasym-Zhomart Toqaev")
    assert article.paragraphs[-1].endswith("en diversos sectores.")


def test_locate_finds_the_paragraph_of_a_quote(article) -> None:
    assert article.locate("Más del 80% del petróleo de Kazajistán") == 6
    assert article.locate("no está en el artículo") is None


def test_page_text_equals_seed_paragraphs_in_order(site: Path, article) -> None:
    rendered = article_paragraphs((site / "articulo.html").read_text(encoding="utf-8"))
    assert [anchor for anchor, _ in rendered] == [f"p{n}" for n in range(1, 12)]
    assert [text for _, text in rendered] == list(article.paragraphs)


def test_paragraph_numbers_link_to_their_anchor(site: Path) -> None:
    soup = BeautifulSoup((site / "articulo.html").read_text(encoding="utf-8"), "html.parser")
    for number in range(1, 12):
        link = soup.select_one(f"#p{number} a.cp-para-num")
        assert link["href"] == f"#p{number}"
        assert link.get_text() == f"Párrafo {number}"


def project_with_date(tmp_path: Path, files: list[str]) -> Path:
    """A copy of the project where the arrival date reads 28, not 27, in ``files``."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs", ignore=shutil.ignore_patterns("_build"))
    shutil.copytree(ROOT / "exercises", project / "exercises")
    shutil.copytree(ROOT / "seeds", project / "seeds")
    for pattern in files:
        for path in project.glob(pattern):
            text = path.read_text(encoding="utf-8")
            path.write_text(
                text.replace("Astana el 27 de noviembre", "Astana el 28 de noviembre"), "utf-8"
            )
    return project


def test_editing_the_seed_changes_the_page(tmp_path: Path) -> None:
    """An author corrects a date: the seed, and the quotes of it in the bank and glossary."""
    project = project_with_date(tmp_path, ["seeds/*.txt", "exercises/*.yaml", "docs/_data/*.yaml"])
    result = build_site(tmp_path / "out", docs=project / "docs")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "articulo.html").read_text("utf-8")
    texts = [text for _, text in article_paragraphs(page)]
    assert "Al llegar a Astana el 28 de noviembre" in texts[1]


def test_an_evidence_quote_the_seed_no_longer_has_fails_the_build(tmp_path: Path) -> None:
    project = project_with_date(tmp_path, ["seeds/*.txt"])
    result = build_site(tmp_path / "out", docs=project / "docs")
    assert result.returncode != 0
    assert "evidence is not a verbatim quote" in result.stderr
    # Once, at the bank file and line, as a typed warning (not once per exercise page).
    found = re.findall(
        r"exercises/\w+\.yaml:\d+: WARNING: item '[a-z-]+': evidence.*\n", result.stderr
    )
    assert len(found) == 1, result.stderr
    assert "[comprende.evidence]" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_seed_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ComprendeError, match="does not exist") as caught:
        load_article(tmp_path / "nope.txt")
    assert "comprende_article" in str(caught.value)


def test_non_utf8_seed_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Kazajistán".encode("latin-1"))
    with pytest.raises(ComprendeError, match="not UTF-8"):
        load_article(bad)
