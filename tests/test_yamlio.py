"""YAML reading: answers files keep their text; banks, glossaries and test data read as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from yaml.constructor import SafeConstructor

from comprende import bank as bank_module
from comprende.bank import load_bank
from comprende.errors import ComprendeError
from comprende.textnorm import Unusable
from comprende.yamlio import parse_yaml, read_yaml

from .conftest import ROOT


def answers(value_text: str) -> Any:
    return parse_yaml(f"v: {value_text}\n", "r.yaml", answers_file=True)["v"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # text that YAML 1.1 would turn into something else
        ("012345", "012345"),
        ("0o17", "0o17"),
        ("017", "017"),
        ("0x1F", "0x1F"),
        ("1:30", "1:30"),
        ("190:20:30", "190:20:30"),
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("True", "True"),
        ("FALSE", "FALSE"),
        ("Null", "Null"),
        (".inf", ".inf"),
        ("-.inf", "-.inf"),
        (".nan", ".nan"),
        ("1e3", "1e3"),
        ("1.0e+3", "1.0e+3"),
        ("1_000", "1_000"),
        ("+5", "+5"),
        ("2024-11-27", "2024-11-27"),
        ("80,5", "80,5"),
        ("!!int 0o17", "0o17"),
        ("!!bool yes", "yes"),
        ("!!str 12", "12"),
        ('"12"', "12"),
        ("'true'", "true"),
        # what stays a number, a boolean or null
        ("0", 0),
        ("-0", 0),
        ("12", 12),
        ("-7", -7),
        ("80.5", 80.5),
        ("-0.25", -0.25),
        ("true", True),
        ("false", False),
        ("null", None),
        ("~", None),
        ("", None),
    ],
)
def test_answers_file_scalars_keep_their_text(text: str, expected: Any) -> None:
    value = answers(text)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("text", ["9" * 4301, "-" + "9" * 5000, "9" * 400 + ".5"])
def test_numbers_without_a_finite_value_become_unusable_text(text: str) -> None:
    value = answers(text)
    assert isinstance(value, Unusable)
    assert "demasiado grande" in value.reason


def test_answers_file_keys_are_the_text_as_written() -> None:
    data = parse_yaml("1: a\ntrue: b\n012: c\nnull: d\n~: e\n", "r.yaml", answers_file=True)
    assert list(data) == ["1", "true", "012", "null", "~"]


def test_answers_file_remembers_the_source_text_of_values() -> None:
    data = parse_yaml("student:\n  id: 0012\n  name: 1.50\n", "r.yaml", answers_file=True)
    assert data["student"].raw == {"id": "0012", "name": "1.50"}
    assert data["student"]["name"] == 1.5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x 1\nb: *x\n", "alias"),
        ("a: !!binary aGVsbG8=\n", "etiqueta"),
        ("a: !custom 1\n", "etiqueta"),
        ("<<: {a: 1}\n", "fusión"),
        ("a: 1\na: 2\n", "aparece dos veces"),
        ("[" * 25 + "]" * 25, "demasiados niveles"),
        ("? [a]\n: 1\n", "clave debe ser un texto"),
    ],
)
def test_answers_file_refusals_are_in_spanish(text: str, expected: str) -> None:
    with pytest.raises(ComprendeError) as caught:
        parse_yaml(text, "r.yaml", answers_file=True)
    assert expected in caught.value.message
    assert caught.value.line


# ---------------------------------------------------------------- banks read as before


class _OldBuilder:
    """The node-to-data rule of yamlio at bb7e76f (YAML 1.1 scalars, dates as text)."""

    constructor = SafeConstructor()

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            return {str(self.build(k)): self.build(v) for k, v in node.value}
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child) for child in node.value]
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value
        return self.constructor.yaml_constructors[node.tag](self.constructor, node)


def _old_read(path: Path) -> Any:
    node = yaml.compose(Path(path).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    return None if node is None else _OldBuilder().build(node)


def _plain(value: Any) -> Any:
    """A comparable form that tells 1, 1.0, True and "1" apart."""
    if isinstance(value, dict):
        return ("dict", tuple((_plain(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("list", tuple(_plain(v) for v in value))
    return (type(value).__name__, repr(value))


YAML_FILES = sorted(
    p
    for folder in ("exercises", "docs", "tests/data")
    for p in (ROOT / folder).rglob("*.y*ml")
    if "_build" not in p.parts
)


def test_there_are_bank_and_data_files_to_compare() -> None:
    names = {p.name for p in YAML_FILES}
    assert "module.yaml" in names and "grading_vectors.yaml" in names


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_bank_and_data_files_read_exactly_as_before(path: Path) -> None:
    assert _plain(read_yaml(path)) == _plain(_old_read(path))


def test_every_file_the_bank_loader_reads_is_read_as_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bank's objects are built from this data: same data, same bank."""
    read: list[Path] = []

    def recording_read_yaml(path: str | Path) -> Any:
        data = read_yaml(path)
        assert _plain(data) == _plain(_old_read(Path(path))), path
        read.append(Path(path))
        return data

    monkeypatch.setattr(bank_module, "read_yaml", recording_read_yaml)
    bank = load_bank(ROOT / "exercises")
    assert len(read) >= 2 and any(p.name == "module.yaml" for p in read)
    assert bank.items
