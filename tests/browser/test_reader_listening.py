"""Listening to the article (issue 13, point 3), with a stubbed ``speechSynthesis``.

The stub stands in for the browser's Web Speech API: it lists the voices a test gives
it, records what is spoken (text, voice, language, rate) and each call, and ends the
current sentence only when the test says so (``speechSynthesis.finish()``). Like
Chrome, it fires ``end`` for an utterance that ``cancel()`` drops.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from comprende.sentences import article_sentences, paragraph_sentences

from .test_accessibility import axe_violations
from .test_reader_modes import PHONE, new_tab, open_article
from .test_theme import contrast, set_scheme

MONICA = {"name": "Mónica", "lang": "es-ES", "localService": True}
PAULINA = {"name": "Paulina", "lang": "es-MX", "localService": True}
SAMANTHA = {"name": "Samantha", "lang": "en-US", "localService": True}
ONLINE = {"name": "Google español", "lang": "es-ES", "localService": False}

STUB = """
(() => {
  const config = %s;
  const listeners = [];
  class Utterance {
    constructor(text) { this.text = text; this.rate = 1; this.lang = ""; this.voice = null; }
  }
  const synth = {
    spoken: [], calls: [], queue: [],
    getVoices() { return config.voices.map(v => ({default: false, voiceURI: v.name, ...v})); },
    speak(u) {
      this.calls.push("speak");
      this.spoken.push({text: u.text, rate: u.rate, lang: u.lang, voice: u.voice && u.voice.name});
      this.queue.push(u);
    },
    cancel() {
      this.calls.push("cancel");
      const dropped = this.queue; this.queue = [];
      dropped.forEach(u => u.onend && u.onend({type: "end"}));
    },
    pause() { this.calls.push("pause"); },
    resume() { this.calls.push("resume"); },
    addEventListener(type, listener) { if (type === "voiceschanged") listeners.push(listener); },
    finish() { const u = this.queue.shift(); if (u && u.onend) u.onend({type: "end"}); },
    voicesArrive(voices) { config.voices = voices; listeners.forEach(l => l({})); },
  };
  if (config.absent) {
    Object.defineProperty(window, "speechSynthesis", {value: undefined, configurable: true});
    return;
  }
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  Object.defineProperty(window, "SpeechSynthesisUtterance", {value: Utterance, configurable: true});
})();
"""


def stub(page: Any, voices: list[dict[str, Any]], *, absent: bool = False) -> None:
    page.add_init_script(STUB % json.dumps({"voices": voices, "absent": absent}))


def spoken(page: Any) -> list[dict[str, Any]]:
    return list(page.evaluate("speechSynthesis.spoken"))


def finish(page: Any, times: int = 1) -> None:
    for _ in range(times):
        page.evaluate("speechSynthesis.finish()")


def listen_all(page: Any) -> Any:
    return page.get_by_role("button", name="Escuchar el artículo")


@pytest.fixture
def reader(page: Any) -> Any:
    """The article with a Spanish (es-ES) voice among others, and every request recorded."""
    stub(page, [SAMANTHA, PAULINA, MONICA])
    page.requests = []
    open_article(page)
    page.on("request", lambda request: page.requests.append(request.url))
    expect(page.locator(".cp-listen-status")).to_have_text("Voz: Mónica (es-ES).")
    return page


def test_the_article_is_read_sentence_by_sentence_with_a_spanish_voice(
    reader: Any, article: Any
) -> None:
    sentences = article_sentences(article)
    listen_all(reader).click()
    for index, sentence in enumerate(sentences[:4]):
        said = spoken(reader)[-1]
        assert said == {"text": sentence.text, "rate": 1, "lang": "es-ES", "voice": "Mónica"}
        highlighted = reader.locator(".cp-speaking")
        expect(highlighted).to_have_count(1)
        expect(highlighted).to_have_id(f"s{sentence.paragraph}-{sentence.number}")
        finish(reader)
        assert len(spoken(reader)) == index + 2
    finish(reader, len(sentences) - 4)
    assert [s["text"] for s in spoken(reader)] == [s.text for s in sentences]
    expect(reader.locator(".cp-speaking")).to_have_count(0)
    expect(reader.locator(".cp-listen-status")).to_have_text("Lectura terminada.")
    expect(reader.get_by_role("button", name="Pausa")).to_be_hidden()
    assert reader.requests == []  # never a network request


def test_a_paragraph_is_read_alone(reader: Any, article: Any) -> None:
    reader.get_by_role("button", name="Escuchar el párrafo 3").click()
    expect(reader.locator(".cp-listen-status")).to_have_text("Leyendo el párrafo 3.")
    own = paragraph_sentences(article, 3)
    finish(reader, len(own))
    assert [s["text"] for s in spoken(reader)] == [s.text for s in own]
    finish(reader)
    assert len(spoken(reader)) == len(own)
    assert reader.requests == []


def test_pause_resume_and_stop(reader: Any) -> None:
    listen_all(reader).click()
    reader.get_by_role("button", name="Pausa").click()
    expect(reader.get_by_role("button", name="Seguir")).to_be_visible()
    reader.get_by_role("button", name="Seguir").click()
    expect(reader.get_by_role("button", name="Pausa")).to_be_visible()
    assert reader.evaluate("speechSynthesis.calls").count("pause") == 1
    assert reader.evaluate("speechSynthesis.calls").count("resume") == 1
    reader.get_by_role("button", name="Parar").click()
    expect(reader.locator(".cp-speaking")).to_have_count(0)
    expect(listen_all(reader)).to_be_focused()  # focus is not lost with the hidden button
    finish(reader)  # a late end of the dropped sentence reads nothing more
    assert len(spoken(reader)) == 1
    expect(reader.locator(".cp-listen-status")).to_have_text("Lectura detenida.")


def test_the_speed_goes_from_0_75_to_1_25_and_is_remembered(reader: Any, article: Any) -> None:
    rate = reader.get_by_label("Velocidad")
    values = rate.locator("option").evaluate_all("os => os.map(o => Number(o.value))")
    assert min(values) == 0.75 and max(values) == 1.25 and 1 in values
    listen_all(reader).click()
    rate.select_option("1.25")
    # The sentence being read starts again at the new speed; the next ones keep it.
    first = article_sentences(article)[0].text
    assert [(s["text"], s["rate"]) for s in spoken(reader)] == [(first, 1), (first, 1.25)]
    finish(reader)
    assert spoken(reader)[-1]["rate"] == 1.25
    reader.reload()
    expect(reader.get_by_label("Velocidad")).to_have_value("1.25")


def test_the_skip_link_leads_to_the_paragraph_s_listening_button(reader: Any) -> None:
    reader.locator("#p6 .cp-skip").focus()
    reader.keyboard.press("Enter")
    reader.keyboard.press("Tab")
    expect(reader.get_by_role("button", name="Escuchar el párrafo 6")).to_be_focused()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_sentence_being_read_is_readable(page: Any, axe_source: str, scheme: str) -> None:
    stub(page, [MONICA])
    set_scheme(page, scheme)
    open_article(page)
    page.get_by_role("button", name="Escuchar el párrafo 2").click()
    sentence = page.locator(".cp-speaking")
    expect(sentence).to_have_count(1)
    colours = sentence.evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
    )
    assert contrast(*colours) >= 4.5, colours
    term = sentence.locator("a.cp-term").first  # a glossary word inside it reads as well
    assert contrast(term.evaluate("e => getComputedStyle(e).color"), colours[1]) >= 4.5
    assert axe_violations(page, axe_source) == []


# --- where there is no Spanish voice -------------------------------------------------------


def assert_unavailable(page: Any, message: str) -> None:
    status = page.locator(".cp-listen-status")
    expect(status).to_contain_text(message, timeout=5000)
    expect(status).to_contain_text("No se puede escuchar")
    expect(listen_all(page)).to_be_disabled()
    expect(listen_all(page)).to_have_accessible_description(status.inner_text())
    assert page.locator(".cp-listen-para:visible").count() == 0
    expect(page.get_by_label("Velocidad")).to_be_disabled()


def test_without_a_spanish_voice_the_control_says_so(page: Any) -> None:
    stub(page, [SAMANTHA])
    open_article(page)
    page.evaluate("v => speechSynthesis.voicesArrive(v)", [SAMANTHA])
    assert_unavailable(page, "ninguna voz en español")


def test_without_any_voice_and_no_voiceschanged_the_control_says_so(page: Any) -> None:
    stub(page, [])
    open_article(page)
    expect(page.locator(".cp-listen-status")).to_have_text("Buscando una voz en español…")
    assert_unavailable(page, "ninguna voz en español")  # after two seconds


@pytest.mark.parametrize("voices", [[SAMANTHA], [MONICA]], ids=["no-spanish-voice", "es-ES"])
def test_the_listening_script_loads_only_with_a_spanish_voice(
    browser: Any, server: str, voices: list[dict[str, Any]]
) -> None:
    tab = new_tab(browser, server)
    stub(tab, voices)
    urls: list[str] = []
    tab.on("request", lambda request: urls.append(request.url))
    open_article(tab)
    spanish = voices == [MONICA]
    if spanish:
        expect(tab.locator(".cp-listen-status")).to_have_text("Voz: Mónica (es-ES).")
        expect(listen_all(tab)).to_be_enabled()
    else:
        assert_unavailable(tab, "ninguna voz en español")
    assert any("/_static/comprende-listen.js" in url for url in urls) == spanish
    assert not any("comprende-evidence.js" in url for url in urls)  # only from a ?cita link
    tab.context.close()
    assert tab.errors == [] and tab.foreign == []


def test_listening_works_from_a_file(browser: Any, site: Path) -> None:
    # Its script is a classic one, loaded beside the page's: file:// runs it too.
    url = (site / "articulo.html").as_uri()
    tab = new_tab(browser, url)
    stub(tab, [MONICA])
    tab.goto(url)
    expect(tab.locator(".cp-listen-status")).to_have_text("Voz: Mónica (es-ES).")
    tab.get_by_role("button", name="Escuchar el párrafo 1", exact=True).click()
    expect(tab.locator(".cp-speaking")).to_have_id("s1-1")
    assert spoken(tab)[0]["voice"] == "Mónica"
    tab.context.close()
    assert tab.errors == [] and tab.foreign == []


def test_an_online_spanish_voice_is_not_used(page: Any) -> None:
    stub(page, [ONLINE, SAMANTHA])
    open_article(page)
    assert_unavailable(page, "por internet")


def test_without_speech_synthesis_the_control_says_so(page: Any) -> None:
    stub(page, [], absent=True)
    open_article(page)
    assert_unavailable(page, "no lee textos en voz alta")


def test_a_voice_that_arrives_late_is_used_and_es_es_is_preferred(page: Any) -> None:
    stub(page, [])
    open_article(page)
    page.evaluate("v => speechSynthesis.voicesArrive(v)", [PAULINA, ONLINE, MONICA])
    expect(page.locator(".cp-listen-status")).to_have_text("Voz: Mónica (es-ES).")
    expect(listen_all(page)).to_be_enabled()
    page.evaluate("v => speechSynthesis.voicesArrive(v)", [ONLINE, PAULINA])
    expect(page.locator(".cp-listen-status")).to_have_text("Voz: Paulina (es-MX).")


# --- on a phone ----------------------------------------------------------------------------


@pytest.fixture
def phone(browser: Any, server: str) -> Iterator[Any]:
    tab = new_tab(browser, server, **PHONE)
    stub(tab, [MONICA])
    yield tab
    tab.context.close()
    assert tab.errors == [] and tab.foreign == []


def test_on_a_phone_the_player_stays_on_screen(phone: Any) -> None:
    open_article(phone)
    phone.get_by_role("button", name="Escuchar el párrafo 5").tap()
    bar = phone.locator(".cp-listen")
    expect(bar).to_have_class("cp-listen cp-playing")
    box = bar.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844 + 1 and box["width"] <= 390
    phone.get_by_role("button", name="Pausa").tap()
    expect(phone.get_by_role("button", name="Seguir")).to_be_visible()
    phone.get_by_role("button", name="Parar").tap()
    expect(bar).to_have_class("cp-listen")
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
