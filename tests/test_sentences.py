"""The article split into sentences (comprende.sentences): the rule, on all eleven paragraphs."""

from __future__ import annotations

import pytest

from comprende.sentences import (
    article_sentences,
    paragraph_sentences,
    sentence_of,
    sentences_by_id,
    split_sentences,
)

#: Every paragraph's sentences, read off the seed by hand: the ids learners' answers name.
EXPECTED = {
    1: [
        "El presidente kazajo Qasym-Zhomart Toqaev da una cálida bienvenida al presidente "
        "ruso Vladimir Putin en su visita estatal a Kazajistán, donde los dos líderes discuten "
        "el fortalecimiento de la cooperación en energía e industria.",
        "La visita se produce en un momento crítico para ambas naciones.",
    ],
    2: [
        "Al llegar a Astana el 27 de noviembre, Putin es recibido por Toqaev con un firme "
        "apretón de manos, simbolizando el fuerte vínculo entre los dos países.",
        "Toqaev revela que leyó cuidadosamente el comentario de Putin en Kazakhstanskaya "
        "Pravda antes de la visita y ha publicado su propio artículo en los medios rusos, "
        "destacando su visión compartida para la cooperación futura.",
    ],
    3: [
        "Toqaev enfatiza que Kazajistán sigue siendo un socio estratégico y aliado firme de "
        "Rusia, incluso en estos tiempos desafiantes.",
        "Reafirma este compromiso de fortalecer los lazos entre Moscú y Astana.",
    ],
    4: [
        "Putin expresa su gratitud hacia Toqaev por su atención al idioma ruso, haciendo "
        "referencia a la reciente ratificación de un acuerdo para establecer la Organización "
        "Internacional del Idioma Ruso por parte de la cámara baja del parlamento de "
        "Kazajistán.",
    ],
    5: [
        "Aunque Kazajistán ha intentado distanciarse del conflicto de Rusia en Ucrania, "
        "depende en gran medida de su vecino para las exportaciones de petróleo a los "
        "mercados occidentales y varias importaciones como alimentos y electricidad.",
    ],
    6: [
        "Más del 80% del petróleo de Kazajistán se exporta a través de Rusia, subrayando la "
        "importancia de la colaboración entre los dos líderes.",
        "Putin destaca su cooperación constructiva en el sector del petróleo y gas, "
        "enfatizando sus esfuerzos conjuntos para lograr resultados tangibles.",
    ],
    7: [
        "Además de discutir planes para aumentar el tránsito de gas natural a través de "
        "Kazajistán hacia Uzbekistán y Kirguistán, Putin y Toqaev exploran posibles "
        "colaboraciones en energía hidroeléctrica, neumáticos de automóviles, fertilizantes y "
        "otros sectores.",
    ],
    8: [
        "Los líderes también abordan preocupaciones sobre el comercio agrícola tras las "
        "prohibiciones de importación impuestas por ambos países.",
        "Toqaev hace un llamado a una competencia amistosa dentro de los mercados de la "
        "Unión Económica Euroasiática en lugar de competir entre sí en mercados extranjeros.",
    ],
    9: [
        "A medida que avanzan sus discusiones, Putin menciona que la corporación nuclear "
        "estatal de Rusia, Rosatom, está preparada para nuevos proyectos a gran escala, "
        "insinuando posibles colaboraciones nucleares futuras.",
        "Sin embargo, no se divulgan detalles específicos sobre el proyecto de la planta de "
        "energía nuclear durante la visita.",
    ],
    10: [
        "El enfoque de Toqaev en el comercio agrícola y la énfasis de Putin en la cooperación "
        "en energía e industria destacan la naturaleza multifacética de la asociación entre "
        "Kazajistán y Rusia.",
    ],
    11: [
        "A pesar de los desafíos, esta visita estatal refuerza la alianza duradera entre "
        "Kazajistán y Rusia, al tiempo que allana el camino para una mayor colaboración en "
        "diversos sectores.",
    ],
}


def test_the_expected_sentences_cover_all_eleven_paragraphs(article) -> None:
    assert sorted(EXPECTED) == list(range(1, len(article.paragraphs) + 1)) == list(range(1, 12))


@pytest.mark.parametrize("paragraph", sorted(EXPECTED))
def test_each_paragraph_splits_into_its_sentences(article, paragraph: int) -> None:
    found = paragraph_sentences(article, paragraph)
    assert [s.text for s in found] == EXPECTED[paragraph]
    assert [s.id for s in found] == [
        f"{paragraph}.{n}" for n in range(1, len(EXPECTED[paragraph]) + 1)
    ]


@pytest.mark.parametrize("paragraph", sorted(EXPECTED))
def test_sentences_joined_give_back_the_paragraph(article, paragraph: int) -> None:
    text = article.paragraphs[paragraph - 1]
    sentences = [s.text for s in paragraph_sentences(article, paragraph)]
    assert " ".join(sentences) == " ".join(text.split())
    assert all(s and s == s.strip() for s in sentences)


def test_article_sentences_have_unique_ids_in_reading_order(article) -> None:
    sentences = article_sentences(article)
    ids = [s.id for s in sentences]
    assert len(ids) == len(set(ids)) == sum(len(v) for v in EXPECTED.values()) == 17
    assert [(s.paragraph, s.number) for s in sentences] == sorted(
        (s.paragraph, s.number) for s in sentences
    )
    assert sentences_by_id(article)["9.2"].text.startswith("Sin embargo, no se divulgan")


def test_a_quote_is_found_in_its_one_sentence(article) -> None:
    found = sentence_of(article, "Más del 80% del petróleo")
    assert found is not None and found.id == "6.1"
    assert sentence_of(article, "Rusia") is None  # in many sentences: not one
    assert sentence_of(article, "Putin. Más") is None  # across two: not one


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # sentence-final ? and !, with ¿ ¡ opening the next sentence
        ("¿Por qué? ¡Nadie lo sabe! Fin.", ["¿Por qué?", "¡Nadie lo sabe!", "Fin."]),
        # a terminator before a comma or a lower-case word is no end
        ("«¿Vienes?», preguntó. Sí.", ["«¿Vienes?», preguntó.", "Sí."]),
        ("Gritó ¡basta! y se fue. Luego.", ["Gritó ¡basta! y se fue.", "Luego."]),
        # a quotation is part of the sentence that holds it
        ("Dijo: «Vamos. Ya». Luego vino.", ["Dijo: «Vamos. Ya».", "Luego vino."]),
        ("Dijo: “Vamos. Ya”. Luego vino.", ["Dijo: “Vamos. Ya”.", "Luego vino."]),
        ('Dijo: "Vamos. Ya". Luego vino.', ['Dijo: "Vamos. Ya".', "Luego vino."]),
        ("(Ver el mapa. Es nuevo.) Luego.", ["(Ver el mapa. Es nuevo.)", "Luego."]),
        # closing marks after the terminator stay with the sentence
        ("«¿Vienes?» Luego no.", ["«¿Vienes?»", "Luego no."]),
        # unbalanced marks: depth ignored, the periods cut
        ("«Sin cerrar. Otra frase.", ["«Sin cerrar.", "Otra frase."]),
        ("Fin.» Otra.", ["Fin.»", "Otra."]),
        # numbers: no space after the period
        (
            "Llegó el 27.11.2024. Subió un 1.5 %. Bien.",
            ["Llegó el 27.11.2024.", "Subió un 1.5 %.", "Bien."],
        ),
        # a digit can open a sentence
        ("Fue en 2024. 15 países firmaron.", ["Fue en 2024.", "15 países firmaron."]),
        # abbreviations that go before a name never end a sentence
        (
            "El Sr. Pérez y la Dra. Gómez hablaron. Bien.",
            ["El Sr. Pérez y la Dra. Gómez hablaron.", "Bien."],
        ),
        ("Viajó a EE. UU. y volvió. Ya.", ["Viajó a EE. UU. y volvió.", "Ya."]),
        ("Ver núm. 5 y pág. 7. Fin.", ["Ver núm. 5 y pág. 7.", "Fin."]),
        # etc. ends a sentence when an upper-case word follows
        ("Gas, petróleo, etc. La visita.", ["Gas, petróleo, etc.", "La visita."]),
        ("Gas, petróleo, etc. y más.", ["Gas, petróleo, etc. y más."]),
        # initials
        ("V. V. Putin y J. R. R. Tolkien. Fin.", ["V. V. Putin y J. R. R. Tolkien.", "Fin."]),
        # ellipses: an end before an upper-case word, not before a lower-case one
        ("Habló... y calló… Luego se fue.", ["Habló... y calló…", "Luego se fue."]),
        ("Esperó... Nadie vino.", ["Esperó...", "Nadie vino."]),
        # an omission mark is no end
        ("Texto (…) El resto. Fin.", ["Texto (…) El resto.", "Fin."]),
        ("Texto [...] El resto.", ["Texto [...] El resto."]),
        # dialogue dashes open a sentence; spaces between sentences are dropped
        ("Se fue.   —¿Adónde?", ["Se fue.", "—¿Adónde?"]),
        # lower-case letters beyond ASCII do not open a sentence
        ("Véase el cap. ñ. Otra.", ["Véase el cap. ñ.", "Otra."]),
        ("", []),
    ],
)
def test_the_documented_rule(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
