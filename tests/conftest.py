"""Shared fixtures: the project's paths, the article, and the built site (once per session)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from comprende.article import Article, load_article

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SEED = ROOT / "seeds" / "000_3b1596ccf2fa3e1b.txt"


def build_site(
    out: Path, *, mode: str = "practice", docs: Path = DOCS, overrides: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """Build the site strictly (a warning is an error), as `make html` does.

    ``overrides``: more settings, ``"name=value"`` each (as ``-D`` gives them).
    """
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-n",
        "-W",
        "--keep-going",
        "-q",
        "-d",
        str(out / ".doctrees"),
        "-D",
        f"comprende_mode={mode}",
        *(part for setting in overrides for part in ("-D", setting)),
        str(docs),
        str(out),
    ]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def article() -> Article:
    return load_article(SEED)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The practice-mode site, built once; the build must be free of warnings."""
    out = tmp_path_factory.mktemp("site")
    result = build_site(out)
    assert result.returncode == 0, f"the site build failed:\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def exam_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exam-site")
    result = build_site(out, mode="exam")
    assert result.returncode == 0, f"the exam build failed:\n{result.stderr}"
    return out
