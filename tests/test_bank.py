"""The exercise bank: integrity of the content, and loader errors that point at a line."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from comprende import types
from comprende.bank import load_bank
from comprende.errors import ComprendeError
from comprende.model import ItemType

from .conftest import ROOT

BANK = ROOT / "exercises"


@pytest.fixture(scope="module")
def bank():
    return load_bank(BANK)


def test_bank_size_and_sets(bank) -> None:
    assert len(bank.items) >= 36
    assert [s.id for s in bank.sets] == [
        "global",
        "detalle",
        "vocabulario",
        "contexto",
        "evidencia",
    ]
    assert all(s.instructions for s in bank.sets)


def test_every_type_is_used(bank) -> None:
    """The bank shows every type; a type added later may be left out of it (the author
    guide does not ask for an item), but never one of the built-in ones."""
    used = {item.type for item in bank.items}
    assert used <= {kind.id for kind in types.all_types()}
    assert used >= {*ItemType, "seleccionar-en-el-texto", "dos-partes"}


def test_item_ids_are_unique(bank) -> None:
    counts = Counter(item.id for item in bank.items)
    assert [i for i, n in counts.items() if n > 1] == []


def test_every_evidence_quote_is_verbatim_in_the_seed(bank, article) -> None:
    for item in bank.items:
        for evidence in item.evidence:
            assert evidence.quote in article.paragraphs[evidence.paragraph - 1], item.id


def test_every_paragraph_has_two_items_or_more(bank) -> None:
    per_paragraph = Counter(p for item in bank.items for p in item.paragraphs)
    assert {n: per_paragraph[n] for n in range(1, 12) if per_paragraph[n] < 2} == {}


def test_every_key_is_valid_for_its_options(bank) -> None:
    for item in bank.items:
        if item.type == ItemType.SINGLE:
            assert sum(o.correct for o in item.options) == 1, item.id
        if item.type == ItemType.MULTIPLE:
            assert 2 <= sum(o.correct for o in item.options) < len(item.options), item.id
        if item.type == ItemType.MATCHING:
            assert set(item.pairs) == {c.id for c in item.left}
            assert set(item.pairs.values()) <= {c.id for c in item.right}
        if item.type == ItemType.CLOZE:
            assert all(key.accept for _, key in item.blanks)


def test_skills_and_levels_are_spread(bank) -> None:
    assert {item.skill for item in bank.items} == {
        "literal",
        "vocabulario",
        "inferencia",
        "contexto",
        "lectura-critica",
    }
    assert len({item.level for item in bank.items}) >= 3


def test_correct_letters_do_not_give_the_key_away(bank) -> None:
    letters = Counter(
        next(o.id for o in i.options if o.correct) for i in bank.items if i.type == ItemType.SINGLE
    )
    assert max(letters.values()) <= 0.4 * sum(letters.values())


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    shutil.copytree(BANK, tmp_path / "exercises")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "exercises"


def edit(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def test_evidence_not_in_article_names_file_line_and_fix(bank_copy: Path) -> None:
    line = edit(
        bank_copy / "detalle.yaml",
        '"Al llegar a Astana el 27 de noviembre, Putin es recibido',
        '"Al llegar a Astana el 28 de noviembre, Putin es recibido',
    )
    with pytest.raises(ComprendeError) as caught:
        load_bank(bank_copy)
    error = caught.value
    assert (Path(error.path).name, error.line) == ("detalle.yaml", line)
    assert "verbatim" in error.message and "seeds/" in error.fix


def test_unknown_type_is_reported_with_its_line(bank_copy: Path) -> None:
    line = edit(bank_copy / "global.yaml", "type: opcion-unica", "type: opcion-unca")
    with pytest.raises(ComprendeError, match=r"unknown type 'opcion-unca'") as caught:
        load_bank(bank_copy)
    assert caught.value.line == line
    assert "opcion-unica" in caught.value.fix


def test_duplicate_item_id_names_both_places(bank_copy: Path) -> None:
    text = (bank_copy / "vocabulario.yaml").read_text(encoding="utf-8")
    first_id = text.split("- id: ", 1)[1].split("\n", 1)[0]
    line = edit(bank_copy / "vocabulario.yaml", f"- id: {first_id}\n", "- id: detalle-ciudad\n")
    with pytest.raises(ComprendeError, match="'detalle-ciudad' is used twice") as caught:
        load_bank(bank_copy)
    assert (Path(caught.value.path).name, caught.value.line) == ("vocabulario.yaml", line)
    assert "detalle.yaml:" in caught.value.fix


def test_misspelt_field_is_refused_with_its_line(bank_copy: Path) -> None:
    line = edit(
        bank_copy / "global.yaml", "    explanation:", "    explanacion: x\n    explanation:"
    )
    with pytest.raises(ComprendeError, match="unknown field `explanacion`") as caught:
        load_bank(bank_copy)
    assert caught.value.line == line


def test_yaml_syntax_error_points_at_the_line(bank_copy: Path) -> None:
    path = bank_copy / "contexto.yaml"
    text = path.read_text(encoding="utf-8").splitlines()
    text.insert(1, "broken: a: b")
    path.write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(ComprendeError, match="YAML syntax error") as caught:
        load_bank(bank_copy)
    assert (Path(caught.value.path).name, caught.value.line) == ("contexto.yaml", 2)
    assert "quotes" in caught.value.fix


def test_ordering_ids_in_alphabetical_order_are_refused(tmp_path: Path, article) -> None:
    from comprende.bank import parse_item
    from comprende.yamlio import parse_yaml

    data = parse_yaml(
        "id: o\ntype: ordenar\nprompt: p\npoints: 1\nskill: literal\nlevel: B1\n"
        'evidence: ["Al llegar a Astana el 27 de noviembre"]\nexplanation: e\n'
        "elements:\n  - {id: a, text: x}\n  - {id: b, text: y}\n  - {id: c, text: z}\n",
        "o.yaml",
    )
    with pytest.raises(ComprendeError, match="give the order away") as caught:
        parse_item(data, "s", Path("o.yaml"), article)
    assert caught.value.line == 9


def test_yaml_aliases_and_tags_are_refused(tmp_path: Path) -> None:
    from comprende.yamlio import parse_yaml

    with pytest.raises(ComprendeError, match="aliases"):
        parse_yaml("a: &x [1, 2]\nb: *x\n", "f.yaml")
    with pytest.raises(ComprendeError, match="tags"):
        parse_yaml("a: !!python/object:os.system ls\n", "f.yaml")
    assert parse_yaml("d: 2024-11-27\n", "f.yaml") == {"d": "2024-11-27"}


def test_the_longest_option_is_not_a_giveaway(bank) -> None:
    singles = [i for i in bank.items if i.type == ItemType.SINGLE]
    longest_is_key = [
        i.id
        for i in singles
        if all(
            len(o.text) < len(next(c for c in i.options if c.correct).text)
            for o in i.options
            if not o.correct
        )
    ]
    # With four options chance alone makes the key the longest about a quarter of the time.
    assert len(longest_is_key) <= 0.3 * len(singles), longest_is_key
