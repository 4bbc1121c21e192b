/* comprende: the article page's script. A classic script (not a module), so the article
   also works opened from file://. No framework, no other host, never a network request.

   - Reading modes («Solo el texto», «Con glosario», «Con notas»), remembered in
     localStorage, with «Marcar todas» for the glossary's easier words.
   - Glossary previews beside their word: WAI-ARIA APG's tooltip pattern (role=tooltip,
     referenced by aria-describedby; shown on hover and focus; Escape hides it, focus
     stays on the word). On touch a tap opens it instead of following the link, with a
     link to the glossary entry; a tap outside or Escape closes it.
   - Per paragraph: a skip link over its marked words, «Escuchar el párrafo N», and the
     context notes as a disclosure (button with aria-expanded).
   - Listening with the browser's own speech synthesis and a local Spanish voice, one
     sentence at a time (the sentences are <span class="cp-s"> from the build).
   - The evidence highlight: articulo.html?cita=…#pN marks the quoted sentence. */
"use strict";

(function () {
  const article = document.querySelector(".cp-article");
  const tools = article && article.querySelector(".cp-reader");
  if (!tools) return;
  const STORE = "comprende-lectura";
  const settings = (function () {
    try {
      return JSON.parse(localStorage.getItem(STORE)) || {};
    } catch (error) {
      return {};
    }
  })();
  function save() {
    try {
      localStorage.setItem(STORE, JSON.stringify(settings));
    } catch (error) {
      /* private mode: the choice lasts as long as the page */
    }
  }
  function make(tag, className, text) {
    const node = document.createElement(tag);
    node.className = className;
    if (text) node.textContent = text;
    if (tag === "button") node.type = "button";
    return node;
  }

  // --- glossary terms and their previews ------------------------------------------
  const levels = tools.dataset.levels.split(" ");
  const markedFrom = levels.indexOf(tools.dataset.markedFrom);
  const terms = new Map();
  article.querySelectorAll("a.cp-term").forEach(function (a) {
    const tip = document.getElementById(a.getAttribute("aria-describedby"));
    if (!tip) return;
    const home = tip.parentElement;
    terms.set(a, { a, tip, home, href: a.getAttribute("href"), level: levels.indexOf(home.dataset.level) });
  });
  function setMarked(term, on) {
    const a = term.a;
    a.className = on ? "cp-term" : "cp-term-off";
    if (on) {
      a.setAttribute("href", term.href);
      a.setAttribute("aria-describedby", term.tip.id);
    } else {
      a.removeAttribute("href"); // an <a> without href is plain text: no link, no Tab stop
      a.removeAttribute("aria-describedby");
    }
  }

  const preview = make("div", "cp-tip cp-preview");
  const entryLink = make("a", "cp-preview-link");
  preview.hidden = true;
  article.append(preview);
  let open = null;
  let openByTouch = false;
  let pointer = { type: "", at: 0 };
  let hideTimer = 0;

  function place(a) {
    const rects = a.getClientRects();
    if (!rects.length) return;
    const first = rects[0];
    const last = rects[rects.length - 1];
    const width = document.documentElement.clientWidth;
    const height = window.innerHeight;
    const edge = 8;
    const gap = 6;
    preview.style.maxWidth = Math.min(352, width - 2 * edge) + "px";
    const box = article.getBoundingClientRect();
    const size = preview.getBoundingClientRect();
    const left = Math.max(edge, Math.min(first.left, width - edge - size.width));
    let top = last.bottom + gap;
    if (top + size.height > height - edge && first.top - gap - size.height >= edge) {
      top = first.top - gap - size.height; // no room below the word: above it
    }
    preview.style.left = left - box.left + "px";
    preview.style.top = top - box.top + "px";
  }
  function show(term, byTouch) {
    clearTimeout(hideTimer);
    if (open !== term) {
      hide();
      open = term;
      preview.prepend(term.tip);
    }
    openByTouch = byTouch;
    if (byTouch) {
      entryLink.href = term.href;
      entryLink.textContent = "Ver «" + term.tip.firstChild.textContent + "» en el glosario";
      preview.append(entryLink);
    } else {
      entryLink.remove();
    }
    preview.hidden = false;
    place(term.a);
  }
  function hide() {
    clearTimeout(hideTimer);
    if (open) open.home.append(open.tip);
    open = null;
    openByTouch = false;
    entryLink.remove();
    preview.hidden = true;
  }
  function termOf(target) {
    const a = target && target.closest ? target.closest("a.cp-term") : null;
    return a ? terms.get(a) : undefined;
  }
  function recentTouch() {
    return (pointer.type === "touch" || pointer.type === "pen") && Date.now() - pointer.at < 1000;
  }

  document.addEventListener(
    "pointerdown",
    function (event) {
      pointer = { type: event.pointerType, at: Date.now() };
      if (open && !preview.contains(event.target) && termOf(event.target) !== open) hide();
    },
    true
  );
  article.addEventListener("click", function (event) {
    const term = termOf(event.target);
    // A tap previews the word; a mouse click or the Enter key (detail 0) follows the link.
    if (!term || event.detail === 0 || !recentTouch()) return;
    event.preventDefault();
    if (open === term && openByTouch) hide();
    else show(term, true);
  });
  article.addEventListener("focusin", function (event) {
    const term = termOf(event.target);
    if (term && !recentTouch()) show(term, false);
  });
  article.addEventListener("focusout", function (event) {
    const to = event.relatedTarget;
    if (open && !openByTouch && !(to && preview.contains(to))) hide();
  });
  article.addEventListener("pointerover", function (event) {
    if (event.pointerType !== "mouse") return;
    const term = termOf(event.target);
    if (term) show(term, false);
    else if (preview.contains(event.target)) clearTimeout(hideTimer);
  });
  article.addEventListener("pointerout", function (event) {
    if (event.pointerType !== "mouse" || !open || openByTouch) return;
    const to = event.relatedTarget;
    if (to && (preview.contains(to) || open.a.contains(to))) return;
    if (document.activeElement === open.a) return; // opened by focus too: stays until blur
    hideTimer = setTimeout(hide, 300); // time to move the pointer onto the preview (WCAG 1.4.13)
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && open) hide();
  });
  window.addEventListener("resize", function () {
    if (open) place(open.a);
  });

  // --- paragraphs: skip link, listening button, context notes ------------------------
  const blocks = Array.from(article.querySelectorAll(".cp-para-block"), function (block) {
    const para = block.querySelector(".cp-para");
    const number = para.id.slice(1);
    const row = make("div", "cp-para-tools");
    row.id = para.id + "-fin";
    row.tabIndex = -1;
    const skip = make("a", "cp-skip");
    skip.href = "#" + row.id;
    skip.addEventListener("click", function (event) {
      event.preventDefault();
      row.focus();
    });
    para.querySelector(".cp-para-text").before(skip);
    const listen = make("button", "cp-listen-para", "Escuchar el párrafo " + number);
    row.append(listen);
    const notes = block.querySelector("aside.cp-context");
    let toggle = null;
    if (notes) {
      toggle = make("button", "cp-notes-toggle", "Contexto del párrafo " + number);
      toggle.setAttribute("aria-expanded", "false");
      toggle.setAttribute("aria-controls", notes.id);
      toggle.addEventListener("click", function () {
        const expanded = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(expanded));
        notes.hidden = !expanded;
      });
      row.append(toggle);
    }
    para.after(row);
    return {
      number,
      skip,
      listen,
      notes,
      toggle,
      terms: Array.from(terms.values()).filter((t) => para.contains(t.a)),
      sentences: Array.from(para.querySelectorAll(".cp-s")),
    };
  });

  // --- reading modes -------------------------------------------------------------------
  const radios = Array.from(tools.querySelectorAll('input[name="cp-modo"]'));
  const markAll = tools.querySelector('input[name="cp-todas"]');
  const modes = radios.map((radio) => radio.value);
  if (!modes.includes(settings.mode)) settings.mode = modes.includes("glosario") ? "glosario" : modes[0];

  function apply() {
    const mode = settings.mode;
    hide();
    article.dataset.mode = mode;
    radios.forEach((radio) => (radio.checked = radio.value === mode));
    if (markAll) {
      markAll.checked = Boolean(settings.all);
      markAll.disabled = mode === "texto";
    }
    terms.forEach((term) => setMarked(term, mode !== "texto" && (settings.all || term.level >= markedFrom)));
    blocks.forEach(function (block) {
      const count = block.terms.filter((t) => t.a.hasAttribute("href")).length;
      block.skip.hidden = count < 2;
      block.skip.textContent = "Saltar las " + count + " palabras marcadas del párrafo " + block.number;
      if (block.toggle) {
        block.toggle.hidden = mode !== "notas";
        block.notes.hidden = mode !== "notas" || block.toggle.getAttribute("aria-expanded") !== "true";
      }
    });
    tools.querySelectorAll(".cp-mode-help").forEach((help) => (help.hidden = help.dataset.mode !== mode));
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", function () {
      settings.mode = radio.value;
      save();
      apply();
    });
  });
  if (markAll) {
    markAll.addEventListener("change", function () {
      settings.all = markAll.checked;
      save();
      apply();
    });
  }

  // --- listening -------------------------------------------------------------------------
  const bar = tools.querySelector(".cp-listen");
  const playAll = bar.querySelector(".cp-listen-all");
  const pause = bar.querySelector(".cp-listen-pause");
  const stop = bar.querySelector(".cp-listen-stop");
  const rate = bar.querySelector('select[name="cp-velocidad"]');
  const status = bar.querySelector(".cp-listen-status");
  const synth = window.speechSynthesis;
  let voice = null;
  let queue = [];
  let at = 0;
  let run = 0; // each utterance knows its run: events of a cancelled one are ignored
  let paused = false;
  let current = null;

  if (settings.rate && rate.querySelector('option[value="' + settings.rate + '"]')) rate.value = settings.rate;

  function enable(on) {
    playAll.disabled = !on;
    rate.disabled = !on;
    blocks.forEach((block) => (block.listen.hidden = !on));
  }
  function chooseVoice(final) {
    if (!synth || typeof window.SpeechSynthesisUtterance !== "function") {
      enable(false);
      status.textContent = "No se puede escuchar: este navegador no lee textos en voz alta.";
      return;
    }
    const voices = synth.getVoices() || [];
    const spanish = voices.filter((v) => /^es(?:[-_]|$)/i.test(v.lang));
    const local = spanish.filter((v) => v.localService); // a remote voice would send the text out
    voice = local.find((v) => /^es[-_]es$/i.test(v.lang)) || local[0] || null;
    enable(Boolean(voice));
    if (voice) status.textContent = "Voz: " + voice.name + " (" + voice.lang + ").";
    else if (!final && !voices.length) status.textContent = "Buscando una voz en español…";
    else if (spanish.length)
      status.textContent =
        "No se puede escuchar: las voces en español de este navegador funcionan por internet, " +
        "y comprende no envía el texto fuera de tu equipo.";
    else
      status.textContent =
        "No se puede escuchar: este navegador no tiene ninguna voz en español. " +
        "Puedes instalar una en los ajustes de voz o de idioma de tu sistema.";
  }
  function highlight(span) {
    if (current) current.classList.remove("cp-speaking");
    current = span;
    if (span) {
      span.classList.add("cp-speaking");
      span.scrollIntoView({ block: "nearest" });
    }
  }
  function halt() {
    run += 1;
    synth.cancel();
    if (paused) synth.resume();
    paused = false;
    highlight(null);
  }
  function speak() {
    const mine = ++run;
    if (at >= queue.length) {
      finish("Lectura terminada.");
      return;
    }
    const span = queue[at];
    const utterance = new SpeechSynthesisUtterance(span.textContent);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = Number(rate.value);
    utterance.onend = function () {
      if (mine !== run) return;
      at += 1;
      speak();
    };
    utterance.onerror = function (event) {
      if (mine !== run || event.error === "interrupted" || event.error === "canceled") return;
      finish("No se ha podido leer el texto en voz alta.");
    };
    highlight(span);
    synth.speak(utterance);
  }
  function play(sentences, what) {
    halt();
    queue = sentences;
    at = 0;
    bar.classList.add("cp-playing");
    pause.hidden = false;
    stop.hidden = false;
    pause.textContent = "Pausa";
    status.textContent = "Leyendo " + what + ".";
    speak();
  }
  function finish(message) {
    halt();
    queue = [];
    bar.classList.remove("cp-playing");
    pause.hidden = true;
    stop.hidden = true;
    status.textContent = message;
  }

  playAll.addEventListener("click", function () {
    play(blocks.flatMap((block) => block.sentences), "el artículo");
  });
  blocks.forEach(function (block) {
    block.listen.addEventListener("click", function () {
      play(block.sentences, "el párrafo " + block.number);
    });
  });
  pause.addEventListener("click", function () {
    if (paused) synth.resume();
    else synth.pause();
    paused = !paused;
    pause.textContent = paused ? "Seguir" : "Pausa";
    status.textContent = paused ? "En pausa." : "Leyendo.";
  });
  stop.addEventListener("click", function () {
    finish("Lectura detenida.");
    playAll.focus(); // the button that had the focus is gone
  });
  rate.addEventListener("change", function () {
    settings.rate = rate.value;
    save();
    if (queue.length && !paused) {
      run += 1; // the sentence being read starts again at the new speed
      synth.cancel();
      speak();
    }
  });

  if (synth) {
    if (synth.addEventListener) synth.addEventListener("voiceschanged", () => chooseVoice(true));
    else synth.onvoiceschanged = () => chooseVoice(true);
    setTimeout(() => voice || chooseVoice(true), 2000); // no voiceschanged: there are none
    window.addEventListener("pagehide", () => synth.cancel());
  }
  chooseVoice(false);
  apply();
  tools.hidden = false;
})();

/* The evidence sentence a feedback link points to (articulo.html?cita=…#pN), marked
   across the glossary links inside the paragraph. */
(function () {
  const quote = new URLSearchParams(window.location.search).get("cita");
  const paragraph = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (!quote || !paragraph) return;
  const container = paragraph.querySelector(".cp-para-text");
  if (!container) return;
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const pieces = [];
  let text = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    pieces.push({ node, start: text.length });
    text += node.data;
  }
  const start = text.indexOf(quote);
  if (start < 0) return;
  const end = start + quote.length;
  let first = null;
  pieces.forEach(({ node, start: nodeStart }) => {
    const nodeEnd = nodeStart + node.data.length;
    if (nodeEnd <= start || nodeStart >= end) return;
    const range = document.createRange();
    range.setStart(node, Math.max(0, start - nodeStart));
    range.setEnd(node, Math.min(node.data.length, end - nodeStart));
    const mark = document.createElement("mark");
    mark.className = "cp-evidence";
    range.surroundContents(mark);
    first = first || mark;
  });
  paragraph.classList.add("cp-highlight");
  if (first) first.scrollIntoView({ block: "center" });
})();
