/* comprende: the article page's script. Classic (not a module), so it runs from file://
   too; no framework, no other host, no request but for our own scripts beside it. Reading
   modes (kept in localStorage); glossary previews (APG tooltip: role=tooltip +
   aria-describedby, set here on the build's plain links and hidden previews; hover/focus,
   Escape; on touch a tap opens it, with a link to the entry); per paragraph a skip link,
   a listening button and the context notes as a disclosure. Loaded only when needed,
   from beside this file: listening (comprende-listen.js), once a local Spanish voice is
   found, and the evidence highlight (comprende-evidence.js), on ?cita=…#pN. Kept small:
   it counts in the page's 120 KiB. */
"use strict";
(function () {
  const me = document.currentScript;
  // A script of ours beside this one, loaded only when the page needs it.
  function beside(name, onload, onerror) {
    const script = document.createElement("script");
    script.src = me.src.replace(/comprende\.js(?=\?|$)/, name);
    script.onload = onload;
    script.onerror = onerror;
    document.head.append(script);
  }
  if (new URLSearchParams(location.search).has("cita")) beside("comprende-evidence.js");
  const art = document.querySelector(".cp-article");
  const tools = art && art.querySelector(".cp-reader");
  if (!tools) return;
  const KEY = "comprende-lectura";
  let prefs = {};
  try { prefs = JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { /* none */ }
  const save = () => { try { localStorage.setItem(KEY, JSON.stringify(prefs)); } catch (e) { /* private */ } };
  const make = (tag, cls, text) => {
    const n = document.createElement(tag);
    n.className = cls;
    if (text) n.textContent = text;
    if (tag === "button") n.type = "button";
    return n;
  };
  const $ = (sel, root) => (root || tools).querySelector(sel);

  // Glossary words, the build's plain links to glossario.html#id, each with its preview
  // #cp-tip-id: {a, tip, home (its level's group), href, level}.
  const levels = tools.dataset.levels.split(" ");
  const from = levels.indexOf(tools.dataset.markedFrom);
  const terms = new Map();
  // A preview, «form: definition», gets its form in bold, its role, and its id (unless the
  // build wrote it) from its form, as ext/glossary.py's implied_id does.
  const slug = (s) => s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  art.querySelectorAll(".cp-tips p").forEach((tip) => {
    const form = tip.firstChild, b = document.createElement("b");
    form.splitText(form.data.split(": ")[0].length);
    b.append(form);
    tip.prepend(b);
    tip.id = tip.id || "cp-tip-" + slug(b.textContent);
    tip.setAttribute("role", "tooltip");
  });
  art.querySelectorAll(".cp-para-text a[href]").forEach((a) => {
    const href = a.getAttribute("href");
    const tip = document.getElementById("cp-tip-" + href.split("#")[1]);
    if (!tip) return;
    terms.set(a, { a, tip, home: tip.parentElement, href, level: levels.indexOf(tip.parentElement.dataset.level) });
  });
  function mark(t, on) {
    t.a.className = on ? "cp-term" : "cp-term-off";
    if (on) {
      t.a.href = t.href;
      t.a.setAttribute("aria-describedby", t.tip.id);
    } else { // an <a> without href is plain text: no link, no Tab stop
      t.a.removeAttribute("href");
      t.a.removeAttribute("aria-describedby");
    }
  }

  // The preview: one box beside the word, holding that term's tooltip.
  const box = make("div", "cp-tip cp-preview");
  const entry = make("a", "cp-preview-link");
  box.hidden = true;
  art.append(box);
  let open = null, byTouch = false, touchAt = 0, timer = 0;
  function place(a) {
    const r = a.getClientRects();
    if (!r.length) return;
    const vw = document.documentElement.clientWidth;
    box.style.maxWidth = Math.min(352, vw - 16) + "px";
    const base = art.getBoundingClientRect(), size = box.getBoundingClientRect();
    const left = Math.max(8, Math.min(r[0].left, vw - 8 - size.width));
    let top = r[r.length - 1].bottom + 6;
    if (top + size.height > innerHeight - 8 && r[0].top - 6 - size.height >= 8) top = r[0].top - 6 - size.height;
    box.style.left = left - base.left + "px";
    box.style.top = top - base.top + "px";
  }
  function show(t, touch) {
    clearTimeout(timer);
    if (open !== t) { hide(); open = t; box.prepend(t.tip); }
    byTouch = touch;
    if (touch) {
      entry.href = t.href;
      entry.textContent = "Ver «" + t.tip.firstChild.textContent + "» en el glosario";
      box.append(entry);
    } else entry.remove();
    box.hidden = false;
    place(t.a);
  }
  function hide() {
    clearTimeout(timer);
    if (open) open.home.append(open.tip);
    open = null;
    entry.remove();
    box.hidden = true;
  }
  const termOf = (n) => terms.get(n && n.closest ? n.closest("a.cp-term") : null);
  const touched = () => Date.now() - touchAt < 1000;
  document.addEventListener("pointerdown", (e) => {
    touchAt = e.pointerType === "mouse" ? 0 : Date.now();
    if (open && !box.contains(e.target) && termOf(e.target) !== open) hide();
  }, true);
  art.addEventListener("click", (e) => { // a tap previews; a mouse click or Enter (detail 0) follows the link
    const t = termOf(e.target);
    if (!t || !e.detail || !touched()) return;
    e.preventDefault();
    if (open === t && byTouch) hide(); else show(t, true);
  });
  art.addEventListener("focusin", (e) => { const t = termOf(e.target); if (t && !touched()) show(t, false); });
  art.addEventListener("focusout", (e) => { if (open && !byTouch && !box.contains(e.relatedTarget)) hide(); });
  art.addEventListener("pointerover", (e) => {
    if (e.pointerType !== "mouse") return;
    const t = termOf(e.target);
    if (t && !termOf(document.activeElement)) show(t, false); // a focused word keeps its preview
    else if (box.contains(e.target)) clearTimeout(timer);
  });
  art.addEventListener("pointerout", (e) => {
    const to = e.relatedTarget;
    if (e.pointerType !== "mouse" || !open || byTouch || document.activeElement === open.a) return;
    if (!box.contains(to) && !open.a.contains(to)) timer = setTimeout(hide, 300); // time to reach the box (WCAG 1.4.13)
  });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && open) hide(); });
  addEventListener("resize", () => open && place(open.a));

  // Paragraphs: a skip link over the marked words, then a row with «Escuchar» and the notes.
  const blocks = Array.from(art.querySelectorAll(".cp-para-block"), (block) => {
    const p = block.querySelector(".cp-para"), n = p.id.slice(1);
    const row = make("div", "cp-para-tools"), skip = make("a", "cp-skip");
    row.id = p.id + "-fin";
    row.tabIndex = -1;
    skip.href = "#" + row.id;
    skip.addEventListener("click", (e) => { e.preventDefault(); row.focus(); });
    $(".cp-para-text", p).before(skip);
    const listen = make("button", "cp-listen-para", "Escuchar el párrafo " + n);
    row.append(listen);
    const notes = $("aside.cp-context", block);
    let toggle = null;
    if (notes) {
      toggle = make("button", "cp-notes-toggle", "Contexto del párrafo " + n);
      toggle.setAttribute("aria-expanded", "false");
      toggle.setAttribute("aria-controls", notes.id);
      toggle.addEventListener("click", () => {
        const on = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", on);
        notes.hidden = !on;
      });
      row.append(toggle);
    }
    p.after(row);
    const own = [...terms.values()].filter((t) => p.contains(t.a));
    return { n, skip, listen, notes, toggle, own, sentences: [...p.querySelectorAll(".cp-s")] };
  });

  // Reading modes.
  const radios = [...tools.querySelectorAll("[name=cp-modo]")];
  const all = $("[name=cp-todas]");
  const modes = radios.map((r) => r.value);
  if (!modes.includes(prefs.mode)) prefs.mode = modes.includes("glosario") ? "glosario" : modes[0];
  function apply() {
    const mode = prefs.mode;
    hide();
    art.dataset.mode = mode;
    radios.forEach((r) => (r.checked = r.value === mode));
    if (all) { all.checked = !!prefs.all; all.disabled = mode === "texto"; }
    terms.forEach((t) => mark(t, mode !== "texto" && (prefs.all || t.level >= from)));
    blocks.forEach((b) => {
      const count = b.own.filter((t) => t.a.hasAttribute("href")).length;
      b.skip.hidden = count < 2;
      b.skip.textContent = "Saltar las " + count + " palabras marcadas del párrafo " + b.n;
      if (b.toggle) {
        b.toggle.hidden = mode !== "notas";
        b.notes.hidden = mode !== "notas" || b.toggle.getAttribute("aria-expanded") !== "true";
      }
    });
    tools.querySelectorAll(".cp-mode-help").forEach((h) => (h.hidden = h.dataset.mode !== mode));
  }
  radios.forEach((r) => r.addEventListener("change", () => { prefs.mode = r.value; save(); apply(); }));
  if (all) all.addEventListener("change", () => { prefs.all = all.checked; save(); apply(); });

  // Listening: finding a local Spanish voice here; reading (comprende-listen.js, a classic
  // script beside this one) is loaded only when there is one.
  const playAll = $(".cp-listen-all"), rate = $("[name=cp-velocidad]"), status = $(".cp-listen-status");
  const synth = window.speechSynthesis;
  let voice = null, player = null, loading = false;
  if (prefs.rate && $('option[value="' + prefs.rate + '"]')) rate.value = prefs.rate;
  const say = (text) => (status.textContent = text);
  function enable(on) {
    playAll.disabled = rate.disabled = !on;
    blocks.forEach((b) => (b.listen.hidden = !on));
  }
  function load() {
    loading = true;
    beside("comprende-listen.js", () => {
      player = window.comprendeListen({ tools, blocks, prefs, save, say, voice: () => voice });
      chooseVoice(true);
    }, () => say("No se puede escuchar: no se ha podido cargar la lectura en voz alta."));
  }
  function chooseVoice(final) {
    if (!synth || typeof window.SpeechSynthesisUtterance !== "function") {
      enable(false);
      return say("No se puede escuchar: este navegador no lee textos en voz alta.");
    }
    const voices = synth.getVoices() || [];
    const spanish = voices.filter((v) => /^es([-_]|$)/i.test(v.lang));
    const local = spanish.filter((v) => v.localService); // a remote voice would send the text out
    voice = local.find((v) => /^es[-_]es$/i.test(v.lang)) || local[0] || null;
    if (voice && !player) return loading || load(); // buttons stay disabled until it has loaded
    enable(!!voice);
    if (player && !voice) player.stop();
    if (voice) say("Voz: " + voice.name + " (" + voice.lang + ").");
    else if (!final && !voices.length) say("Buscando una voz en español…");
    else if (spanish.length) say("No se puede escuchar: las voces en español de este navegador funcionan por internet, y comprende no envía el texto fuera de tu equipo.");
    else say("No se puede escuchar: este navegador no tiene ninguna voz en español. Puedes instalar una en los ajustes de voz o de idioma de tu sistema.");
  }
  enable(false);
  if (synth) {
    if (synth.addEventListener) synth.addEventListener("voiceschanged", () => chooseVoice(true));
    else synth.onvoiceschanged = () => chooseVoice(true);
    setTimeout(() => voice || chooseVoice(true), 2000); // no voiceschanged: there are none
  }
  chooseVoice(false);
  apply();
  tools.hidden = false;
})();
