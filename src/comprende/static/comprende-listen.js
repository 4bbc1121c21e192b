/* comprende: listening to the article, loaded by comprende.js (which sets
   window.comprendeListen's argument) only once the browser has a local Spanish voice.
   Sentence by sentence (<span class="cp-s"> from the build), one utterance each, since
   some browsers cut long ones; the sentence being read is highlighted. Classic script. */
"use strict";
window.comprendeListen = function ({ tools, blocks, prefs, save, say, voice }) {
  const $ = (sel) => tools.querySelector(sel);
  const bar = $(".cp-listen"), playAll = $(".cp-listen-all"), pause = $(".cp-listen-pause");
  const stop = $(".cp-listen-stop"), rate = $("[name=cp-velocidad]");
  const synth = window.speechSynthesis;
  let queue = [], at = 0, run = 0, paused = false, reading = null;
  function highlight(span) {
    if (reading) reading.classList.remove("cp-speaking");
    reading = span;
    if (span) { span.classList.add("cp-speaking"); span.scrollIntoView({ block: "nearest" }); }
  }
  function halt() {
    run++; // the dropped utterance's events are ignored
    synth.cancel();
    if (paused) synth.resume();
    paused = false;
    highlight(null);
  }
  function speak() {
    const mine = ++run;
    if (at >= queue.length) return finish("Lectura terminada.");
    const u = new SpeechSynthesisUtterance(queue[at].textContent);
    u.voice = voice();
    u.lang = u.voice.lang;
    u.rate = Number(rate.value);
    u.onend = () => { if (mine === run) { at++; speak(); } };
    u.onerror = (e) => { if (mine === run && e.error !== "interrupted" && e.error !== "canceled") finish("No se ha podido leer el texto en voz alta."); };
    highlight(queue[at]);
    synth.speak(u);
  }
  function play(sentences, what) {
    halt();
    queue = sentences;
    at = 0;
    bar.classList.add("cp-playing");
    pause.hidden = stop.hidden = false;
    pause.textContent = "Pausa";
    say("Leyendo " + what + ".");
    speak();
  }
  function finish(message) {
    halt();
    queue = [];
    bar.classList.remove("cp-playing");
    pause.hidden = stop.hidden = true;
    say(message);
  }
  playAll.addEventListener("click", () => play(blocks.flatMap((b) => b.sentences), "el artículo"));
  blocks.forEach((b) => b.listen.addEventListener("click", () => play(b.sentences, "el párrafo " + b.n)));
  pause.addEventListener("click", () => {
    paused ? synth.resume() : synth.pause();
    paused = !paused;
    pause.textContent = paused ? "Seguir" : "Pausa";
    say(paused ? "En pausa." : "Leyendo.");
  });
  stop.addEventListener("click", () => { finish("Lectura detenida."); playAll.focus(); });
  rate.addEventListener("change", () => {
    prefs.rate = rate.value;
    save();
    if (queue.length && !paused) { run++; synth.cancel(); speak(); } // the sentence again, at the new speed
  });
  addEventListener("pagehide", () => synth.cancel());
  return { stop: () => queue.length && finish("Lectura detenida.") };
};
