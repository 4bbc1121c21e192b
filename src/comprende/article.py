"""The article: the seed file read as numbered paragraphs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import ComprendeError


@dataclass(frozen=True)
class Article:
    """The article as the seed holds it, one paragraph per non-empty line."""

    #: Where the seed was read from.
    path: Path
    #: The paragraphs, in order, exactly as in the seed (paragraph 1 is ``paragraphs[0]``).
    paragraphs: tuple[str, ...]

    def locate(self, quote: str) -> int | None:
        """The 1-based number of the paragraph that contains ``quote`` verbatim, if any."""
        for number, text in enumerate(self.paragraphs, start=1):
            if quote and quote in text:
                return number
        return None


def load_article(path: str | Path) -> Article:
    """Read the seed; each non-empty line is a paragraph."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ComprendeError(
            "the article file does not exist", path=path, fix="check `comprende_article` in conf.py"
        ) from None
    except UnicodeDecodeError as exc:
        raise ComprendeError(
            f"the article is not UTF-8 ({exc.reason})", path=path, fix="save it as UTF-8"
        ) from None
    paragraphs = tuple(line for line in text.splitlines() if line.strip())
    if not paragraphs:
        raise ComprendeError("the article is empty", path=path, fix="restore the seed file")
    return Article(path=path, paragraphs=paragraphs)
