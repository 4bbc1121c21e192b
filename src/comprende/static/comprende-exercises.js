/* comprende: exercises in the page. No framework, no other host.
 *
 * Grading here must agree with src/comprende/grading.py: both are tested on
 * tests/data/grading_vectors.yaml. Everything else is the page's own work:
 * widgets, feedback, persistence in localStorage, download and upload.
 */
"use strict";
(function () {
  const comprende = (window.comprende = window.comprende || {});

  /* ---------- grading (the rules are documented in grading.py) ---------- */

  const MSG = {
    missing: "Sin respuesta.",
    invalid: "Respuesta no válida: ",
    correct: "¡Correcto!",
    incorrect: "No es correcto.",
    accentRequired: (e) => `Casi: revisa la tilde. La forma correcta es «${e}».`,
    accentOptional: (e) => `Correcto, pero revisa la tilde: se escribe «${e}».`,
    typo: (e) => `Correcto, aunque con una errata: se escribe «${e}».`,
    missed: "Te falta alguna opción correcta.",
    pending: "Tu profesor o profesora corregirá esta respuesta.",
  };
  const QUOTES = { "‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"' };
  const NUMBER = /^[+-]?(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)$/;

  class Invalid extends Error {}

  const roundPoints = (v) => Math.floor(v * 100 + 0.5 + 1e-9) / 100;
  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const chars = (s) => Array.from(s);

  function isEmpty(a) {
    if (a === null || a === undefined) return true;
    if (typeof a === "string") return a.trim() === "";
    if (Array.isArray(a)) return a.length === 0;
    if (isObject(a)) return Object.keys(a).length === 0;
    return false;
  }

  /* clean: as textnorm.clean_text in Python. NFC; invisible characters removed
   * (U+200B-U+200D, U+2060, U+FEFF, U+00AD, U+200E, U+200F, U+202A-U+202E,
   * U+2066-U+2069, U+061C); full-width U+FF01-U+FF5E folded to ASCII, U+3000 to a
   * space; NFC again. */
  const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]/g;
  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  const MAX_NESTING = 50;

  function clean(text) {
    return text
      .normalize("NFC")
      .replace(INVISIBLE, "")
      .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
      .replace(/\u3000/g, " ")
      .normalize("NFC");
  }

  /* Every text and mapping key of an answer cleaned, as grading.clean_answer. */
  function cleanAnswer(value, depth) {
    if (typeof value === "string") {
      if (LONE_SURROGATE.test(value)) throw new Invalid("la respuesta tiene un carácter que no es texto válido.");
      return clean(value);
    }
    if (Array.isArray(value) || isObject(value)) {
      if (depth >= MAX_NESTING) throw new Invalid("la respuesta tiene demasiados niveles de listas o bloques.");
      if (Array.isArray(value)) return value.map((v) => cleanAnswer(v, depth + 1));
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanAnswer(k, depth + 1), cleanAnswer(v, depth + 1)]));
    }
    return value;
  }

  function normalize(text, foldCase, dropPunctuation) {
    text = clean(text).replace(/[‘’‚‛“”„‟]/g, (c) => QUOTES[c]);
    if (foldCase) text = text.toLowerCase();
    if (dropPunctuation) text = text.replace(/\p{P}/gu, " ");
    return text.replace(/\s+/g, " ").trim();
  }

  function stripAccents(text) {
    const d = chars(text.normalize("NFD"));
    return d
      .filter((c, i) => !/\p{Mn}/u.test(c) || (c === "\u0303" && i > 0 && (d[i - 1] === "n" || d[i - 1] === "N")))
      .join("")
      .normalize("NFC");
  }

  function levenshtein(a, b) {
    a = chars(a);
    b = chars(b);
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const current = [i];
      for (let j = 1; j <= b.length; j++) {
        current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      previous = current;
    }
    return previous[b.length];
  }

  function gradeText(key, answer) {
    if (typeof answer === "number" && Number.isSafeInteger(answer)) answer = String(answer);
    if (typeof answer !== "string") throw new Invalid("se esperaba un texto.");
    const foldCase = key.policy.case === "ignore";
    const dropPunctuation = key.policy.punctuation === "ignore";
    const given = normalize(answer, foldCase, dropPunctuation);
    const accepted = key.accept.map((a) => [a, normalize(a, foldCase, dropPunctuation)]);
    if (accepted.some(([, norm]) => norm === given)) return [1, [MSG.correct]];
    const bare = stripAccents(given);
    for (const [original, norm] of accepted) {
      if (bare === stripAccents(norm)) {
        return key.policy.accents === "optional" ? [1, [MSG.accentOptional(original)]] : [0, [MSG.accentRequired(original)]];
      }
    }
    for (const wrong of key.wrong) {
      if (bare === stripAccents(normalize(String(wrong.answer), foldCase, dropPunctuation))) return [0, [wrong.feedback]];
    }
    if (key.policy.typos) {
      for (const [original, norm] of accepted) {
        const allowed = Math.min(key.policy.typos, Math.floor(chars(norm.replace(/ /g, "")).length / 4));
        if (allowed && levenshtein(bare, stripAccents(norm)) <= allowed) return [1, [MSG.typo(original)]];
      }
    }
    return [0, [key.feedbackIncorrect || MSG.incorrect]];
  }

  function parseNumber(answer, unit) {
    let value;
    if (typeof answer === "number") {
      value = answer;
    } else if (typeof answer === "string") {
      let text = answer.trim();
      for (const suffix of [(unit || "").trim(), "%"]) {
        if (suffix && text.endsWith(suffix)) {
          text = text.slice(0, -suffix.length).trimEnd();
          break;
        }
      }
      if (!NUMBER.test(text)) throw new Invalid("se esperaba un número, como 80 o 80,5.");
      value = parseFloat(text.replace(",", "."));
    } else {
      throw new Invalid("se esperaba un número.");
    }
    if (value === Infinity || value === -Infinity) throw new Invalid("el número es demasiado grande.");
    if (!Number.isFinite(value)) throw new Invalid("se esperaba un número.");
    return value;
  }

  const graders = {
    "verdadero-falso"(item, answer) {
      if (typeof answer === "string" && ["verdadero", "falso"].includes(answer.trim().toLowerCase())) {
        answer = answer.trim().toLowerCase() === "verdadero";
      }
      if (typeof answer !== "boolean") throw new Invalid("se esperaba true (verdadero) o false (falso).");
      return [answer === item.key ? 1 : 0, [item.feedback[answer ? "true" : "false"]]];
    },
    "opcion-unica"(item, answer) {
      const option = item.options.find((o) => o.id === answer);
      if (typeof answer !== "string" || !option) {
        throw new Invalid(`se esperaba una de las opciones: ${item.options.map((o) => o.id).join(", ")}.`);
      }
      return [option.correct ? 1 : 0, [option.feedback]];
    },
    "opcion-multiple"(item, answer) {
      const ids = item.options.map((o) => o.id);
      if (!Array.isArray(answer) || !answer.every((a) => typeof a === "string" && ids.includes(a))) {
        throw new Invalid(`se esperaba una lista de opciones entre: ${ids.join(", ")}.`);
      }
      if (new Set(answer).size !== answer.length) throw new Invalid("una opción aparece dos veces.");
      const right = item.options.filter((o) => o.correct).length;
      const wrongCount = item.options.length - right;
      const pickedRight = answer.filter((a) => item.options[ids.indexOf(a)].correct).length;
      const pickedWrong = answer.length - pickedRight;
      const feedback = [...answer].sort((a, b) => ids.indexOf(a) - ids.indexOf(b)).map((a) => item.options[ids.indexOf(a)].feedback);
      if (pickedRight < right) feedback.push(MSG.missed);
      return [pickedRight / right - pickedWrong / wrongCount, feedback];
    },
    "respuesta-corta"(item, answer) {
      return gradeText(item.textKey, answer);
    },
    numerica(item, answer) {
      const value = parseNumber(answer, item.unit);
      if (Math.abs(value - item.key) <= item.tolerance + 1e-9) return [1, [MSG.correct]];
      for (const wrong of item.wrong) {
        if (Math.abs(value - wrong.answer) <= item.tolerance + 1e-9) return [0, [wrong.feedback]];
      }
      return [0, [MSG.incorrect]];
    },
    huecos(item, answer) {
      const names = item.blanks;
      if (!isObject(answer) || Object.keys(answer).some((k) => !names.includes(k))) {
        throw new Invalid(`se esperaba un texto para cada hueco: ${names.join(", ")}.`);
      }
      let right = 0;
      const feedback = [];
      names.forEach((name, index) => {
        const given = answer[name];
        if (isEmpty(given)) {
          feedback.push(`Hueco ${index + 1}: ${MSG.missing}`);
          return;
        }
        let result;
        try {
          result = gradeText(item.blankKeys[name], given);
        } catch (error) {
          if (error instanceof Invalid) throw new Invalid(`hueco ${index + 1}: ${error.message}`);
          throw error;
        }
        right += result[0];
        feedback.push(`Hueco ${index + 1}: ${result[1].join(" ")}`);
      });
      return [right / names.length, feedback];
    },
    relacionar(item, answer) {
      const left = item.left.map((c) => c.id);
      const right = item.right.map((c) => c.id);
      if (!isObject(answer) || Object.keys(answer).some((k) => !left.includes(k)) ||
          !Object.values(answer).every((v) => typeof v === "string" && right.includes(v))) {
        throw new Invalid("se esperaba una pareja (izquierda: derecha) por elemento, con ids existentes.");
      }
      const good = left.filter((l) => answer[l] === item.pairs[l]).length;
      const feedback = left
        .filter((l) => l in answer && answer[l] !== item.pairs[l] && item.feedback && l in item.feedback)
        .map((l) => item.feedback[l]);
      return [good / left.length, feedback.length ? feedback : [good === left.length ? MSG.correct : MSG.incorrect]];
    },
    ordenar(item, answer) {
      const ids = item.order;
      if (!Array.isArray(answer) || !answer.every((a) => typeof a === "string") ||
          JSON.stringify([...answer].sort()) !== JSON.stringify([...ids].sort())) {
        throw new Invalid("se esperaba la lista de todos los elementos, cada uno una vez.");
      }
      let good = 0;
      for (let i = 0; i + 1 < answer.length; i++) if (ids.indexOf(answer[i + 1]) === ids.indexOf(answer[i]) + 1) good++;
      return [good / (ids.length - 1), [good === ids.length - 1 ? MSG.correct : MSG.incorrect]];
    },
  };

  /** Grade one answer: {points, possible, status, feedback}. Never throws. */
  function gradeItem(item, answer) {
    const result = (points, status, feedback) => ({ points, possible: item.points, status, feedback });
    try {
      answer = cleanAnswer(answer, 0);
    } catch (error) {
      if (error instanceof Invalid) return result(0, "invalid", [MSG.invalid + error.message]);
      throw error;
    }
    if ((item.type === "huecos" || item.type === "relacionar") && isObject(answer)) {
      answer = Object.fromEntries(Object.entries(answer).filter(([, v]) => !isEmpty(v)));
    }
    if (isEmpty(answer)) return result(0, "missing", [MSG.missing]);
    if (item.type === "respuesta-abierta") {
      if (typeof answer !== "string") return result(0, "invalid", [MSG.invalid + "se esperaba un texto."]);
      return result(0, "pending", wordFeedback(item, answer));
    }
    let fraction, feedback;
    try {
      [fraction, feedback] = graders[item.type](item, answer);
    } catch (error) {
      if (error instanceof Invalid) return result(0, "invalid", [MSG.invalid + error.message]);
      throw error;
    }
    const points = roundPoints(item.points * Math.max(0, Math.min(1, fraction)));
    const status = points >= item.points ? "correct" : points > 0 ? "partial" : "incorrect";
    return result(points, status, feedback);
  }

  function wordFeedback(item, text) {
    const words = text.split(/\s+/).filter(Boolean).length;
    const messages = [MSG.pending];
    const [min, max] = item.words || [0, 0];
    if (min && words < min) messages.push(`Tu texto tiene ${words} palabras; se piden al menos ${min}.`);
    if (max && words > max) messages.push(`Tu texto tiene ${words} palabras; se piden como máximo ${max}.`);
    return messages;
  }

  comprende.gradeItem = gradeItem;

  /* ---------- state: one record per module and bank version ---------- */

  const meta = readData("cp-data-panel") || firstExerciseData();
  if (!meta) return;
  const storageKey = `comprende:${meta.module}:v${meta.version}`;
  const practice = meta.mode === "practice";

  function readData(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }
  function firstExerciseData() {
    const element = document.querySelector('script[id^="cp-data-"]');
    return element ? JSON.parse(element.textContent) : null;
  }

  function load() {
    try {
      const state = JSON.parse(localStorage.getItem(storageKey) || "null");
      if (isObject(state) && isObject(state.answers)) {
        return { student: state.student || { id: "", name: "" }, answers: state.answers, checked: state.checked || {} };
      }
    } catch (error) {
      /* a corrupt record is replaced below */
    }
    return { student: { id: "", name: "" }, answers: {}, checked: {} };
  }
  let state = load();
  function save() {
    try {
      localStorage.setItem(storageKey, JSON.stringify(state));
    } catch (error) {
      announceStatus("No se han podido guardar las respuestas en este navegador: descárgalas para no perderlas.");
    }
  }
  comprende.storageKey = storageKey;

  /* ---------- widgets: read and write each type's answer ---------- */

  const items = new Map();
  document.querySelectorAll("script[id^='cp-data-']").forEach((script) => {
    const data = JSON.parse(script.textContent);
    (data.pageItems || []).forEach((item) => items.set(item.id, item));
  });

  const sectionOf = (id) => document.getElementById(`item-${id}`);

  function readWidget(item) {
    const section = sectionOf(item.id);
    switch (item.type) {
      case "verdadero-falso": {
        const chosen = section.querySelector("input:checked");
        return chosen ? chosen.value === "true" : null;
      }
      case "opcion-unica": {
        const chosen = section.querySelector("input:checked");
        return chosen ? chosen.value : null;
      }
      case "opcion-multiple": {
        const ids = item.options.map((o) => o.id);
        return [...section.querySelectorAll("input:checked")].map((i) => i.value).sort((a, b) => ids.indexOf(a) - ids.indexOf(b));
      }
      case "respuesta-corta":
      case "numerica":
      case "respuesta-abierta":
        return section.querySelector("input.cp-text, textarea").value;
      case "huecos":
        return Object.fromEntries([...section.querySelectorAll(".cp-blank")].map((i) => [i.dataset.blank, i.value]));
      case "relacionar":
        return Object.fromEntries([...section.querySelectorAll("select")].filter((s) => s.value).map((s) => [s.dataset.left, s.value]));
      case "ordenar":
        return [...section.querySelectorAll(".cp-order-item")].map((li) => li.dataset.element);
    }
    return null;
  }

  function writeWidget(item, answer) {
    const section = sectionOf(item.id);
    switch (item.type) {
      case "verdadero-falso":
      case "opcion-unica":
      case "opcion-multiple": {
        const chosen = item.type === "verdadero-falso" ? (answer === null || answer === undefined ? [] : [String(answer)])
          : item.type === "opcion-unica" ? [answer] : Array.isArray(answer) ? answer : [];
        section.querySelectorAll("input").forEach((input) => (input.checked = chosen.includes(input.value)));
        break;
      }
      case "respuesta-corta":
      case "numerica":
      case "respuesta-abierta": {
        const field = section.querySelector("input.cp-text, textarea");
        field.value = answer === null || answer === undefined ? "" : String(answer);
        if (item.type === "respuesta-abierta") countWords(section);
        break;
      }
      case "huecos":
        section.querySelectorAll(".cp-blank").forEach((i) => (i.value = isObject(answer) && answer[i.dataset.blank] ? String(answer[i.dataset.blank]) : ""));
        break;
      case "relacionar":
        section.querySelectorAll("select").forEach((s) => (s.value = isObject(answer) && answer[s.dataset.left] ? answer[s.dataset.left] : ""));
        break;
      case "ordenar": {
        const list = section.querySelector(".cp-order");
        const order = Array.isArray(answer) ? answer : seededOrder(item.elements.map((e) => e.id), item.id);
        order.forEach((id) => {
          const li = list.querySelector(`[data-element="${CSS.escape(id)}"]`);
          if (li) list.appendChild(li);
        });
        break;
      }
    }
  }

  function countWords(section) {
    const counter = section.querySelector(".cp-count");
    if (!counter) return;
    const words = section.querySelector("textarea").value.split(/\s+/).filter(Boolean).length;
    counter.textContent = `${words} ${words === 1 ? "palabra" : "palabras"}`;
  }

  /* Display order seeded by the student's id: the same student always sees the same order. */
  function hash(text) {
    let h = 0x811c9dc5;
    for (const c of text) h = Math.imul(h ^ c.codePointAt(0), 0x01000193) >>> 0;
    return h;
  }
  function seededOrder(ids, salt) {
    const seed = (state.student && state.student.id) || "";
    return [...ids].sort((a, b) => hash(`${seed}:${salt}:${a}`) - hash(`${seed}:${salt}:${b}`));
  }
  function shuffleDisplay() {
    items.forEach((item) => {
      const section = sectionOf(item.id);
      if (item.type === "opcion-unica" || item.type === "opcion-multiple") {
        const box = section.querySelector(".cp-options");
        seededOrder(item.options.map((o) => o.id), item.id).forEach((id) => {
          const input = box.querySelector(`input[value="${CSS.escape(id)}"]`);
          if (input) box.appendChild(input.parentElement);
        });
      } else if (item.type === "ordenar" && !Array.isArray(state.answers[item.id])) {
        writeWidget(item, null);
      }
    });
  }

  /* ---------- feedback ---------- */

  const STATUS_TEXT = {
    correct: "Correcto",
    partial: "Parcialmente correcto",
    incorrect: "Incorrecto",
    missing: "Sin responder",
    invalid: "Respuesta no válida",
    pending: "Pendiente de corrección",
  };
  const root = document.documentElement.dataset.content_root || "";
  const formatPoints = (v) => String(roundPoints(v)).replace(".", ",");

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showFeedback(item, result) {
    const box = document.getElementById(`${item.id}--feedback`);
    if (!box) return;
    box.replaceChildren();
    box.className = `cp-feedback cp-status-${result.status}`;
    box.appendChild(element("p", "cp-verdict", `${STATUS_TEXT[result.status]}: ${formatPoints(result.points)} de ${formatPoints(result.possible)} ${result.possible === 1 ? "punto" : "puntos"}.`));
    const list = element("ul", "cp-messages");
    result.feedback.filter(Boolean).forEach((message) => list.appendChild(element("li", "", message)));
    box.appendChild(list);
    if (result.status !== "missing" && result.status !== "invalid") {
      box.appendChild(element("p", "cp-explanation", `Por qué: ${item.explanation}`));
      (item.evidence || []).forEach((evidence) => {
        const p = element("p", "cp-evidence");
        p.appendChild(document.createTextNode(`En el artículo (párrafo ${evidence.paragraph}): «${evidence.quote}» `));
        const link = element("a", "", "Ver la frase en el artículo");
        link.href = `${root}articulo.html?cita=${encodeURIComponent(evidence.quote)}#p${evidence.paragraph}`;
        p.appendChild(link);
        box.appendChild(p);
      });
    }
  }

  function clearFeedback(item) {
    const box = document.getElementById(`${item.id}--feedback`);
    if (box) {
      box.replaceChildren();
      box.className = "cp-feedback";
    }
  }

  function check(item) {
    const answer = readWidget(item);
    state.answers[item.id] = answer;
    const result = gradeItem(item, answer);
    state.checked[item.id] = { points: result.points, possible: result.possible, status: result.status };
    save();
    showFeedback(item, result);
    updateScore();
    return result;
  }

  function updateScore() {
    const checked = Object.entries(state.checked).filter(([id]) => meta.items.includes(id));
    const points = checked.reduce((sum, [, r]) => sum + r.points, 0);
    const text = `Puntuación: ${formatPoints(points)} de ${formatPoints(meta.possible)} puntos (${checked.length} de ${meta.items.length} preguntas comprobadas).`;
    document.querySelectorAll(".cp-score").forEach((p) => (p.textContent = text));
  }

  /* ---------- events ---------- */

  function onAnswerChanged(item) {
    state.answers[item.id] = readWidget(item);
    if (state.checked[item.id]) {
      delete state.checked[item.id];
      clearFeedback(item);
      updateScore();
    }
    save();
  }

  items.forEach((item) => {
    const section = sectionOf(item.id);
    if (!section) return;
    section.addEventListener("input", () => {
      if (item.type === "respuesta-abierta") countWords(section);
      onAnswerChanged(item);
    });
    section.addEventListener("change", () => onAnswerChanged(item));
    section.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target.matches("input[type=text]") && practice) {
        event.preventDefault();
        check(item);
      }
    });
    const button = section.querySelector(".cp-check");
    if (button) button.addEventListener("click", () => check(item));
    if (item.type === "ordenar") setUpOrdering(item, section);
  });

  function setUpOrdering(item, section) {
    const list = section.querySelector(".cp-order");
    const live = element("p", "cp-visually-hidden");
    live.setAttribute("aria-live", "polite");
    list.after(live);
    list.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      const li = button.closest("li");
      const up = button.classList.contains("cp-up");
      const sibling = up ? li.previousElementSibling : li.nextElementSibling;
      if (!sibling) {
        live.textContent = up ? "Ya está en la primera posición." : "Ya está en la última posición.";
        return;
      }
      if (up) list.insertBefore(li, sibling);
      else list.insertBefore(sibling, li);
      button.focus();
      const position = [...list.children].indexOf(li) + 1;
      live.textContent = `«${li.querySelector(".cp-order-text").textContent}» está ahora en la posición ${position} de ${list.children.length}.`;
      onAnswerChanged(item);
    });
  }

  document.querySelectorAll(".cp-check-all").forEach((button) =>
    button.addEventListener("click", () => {
      const results = [...items.values()].filter((i) => i.type !== "respuesta-abierta").map(check);
      const first = document.querySelector(".cp-feedback:not(:empty)");
      announceScore(results);
      if (first) first.closest(".cp-item").scrollIntoView({ block: "start" });
    }),
  );
  function announceScore(results) {
    const right = results.filter((r) => r.status === "correct").length;
    document.querySelectorAll(".cp-set-actions .cp-score").forEach((p) => {
      p.textContent = `${right} de ${results.length} correctas en esta serie. ` + p.textContent;
    });
  }

  document.querySelectorAll(".cp-retry").forEach((button) =>
    button.addEventListener("click", () => {
      items.forEach((item) => {
        delete state.answers[item.id];
        delete state.checked[item.id];
        writeWidget(item, null);
        clearFeedback(item);
      });
      save();
      updateScore();
      const first = document.querySelector(".cp-item input, .cp-item select, .cp-item textarea, .cp-item button");
      if (first) first.focus();
    }),
  );

  /* ---------- the panel: student, download, upload, clear ---------- */

  function announceStatus(text) {
    document.querySelectorAll(".cp-status").forEach((p) => (p.textContent = text));
  }

  const idField = document.getElementById("cp-student-id");
  const nameField = document.getElementById("cp-student-name");
  if (idField && nameField) {
    idField.value = state.student.id || "";
    nameField.value = state.student.name || "";
    idField.addEventListener("input", () => {
      state.student.id = idField.value.trim();
      save();
      shuffleDisplay();
    });
    nameField.addEventListener("input", () => {
      state.student.name = nameField.value.trim();
      save();
    });
  }

  function submission() {
    const answers = {};
    Object.entries(state.answers)
      .filter(([id, value]) => meta.items.includes(id) && !isEmpty(value))
      .sort(([a], [b]) => meta.items.indexOf(a) - meta.items.indexOf(b))
      .forEach(([id, value]) => {
        if (isObject(value)) value = Object.fromEntries(Object.entries(value).filter(([, v]) => !isEmpty(v)));
        if (!isEmpty(value)) answers[id] = value;
      });
    return { module: meta.module, student: { id: state.student.id || "", name: state.student.name || "" }, answers };
  }
  comprende.submission = submission;

  document.querySelectorAll(".cp-download").forEach((button) =>
    button.addEventListener("click", () => {
      if (!state.student.id || !state.student.name) {
        announceStatus("Escribe tu identificador y tu nombre antes de descargar tus respuestas.");
        (state.student.id ? nameField : idField).focus();
        return;
      }
      const data = submission();
      const blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
      const link = document.createElement("a");
      const safeId = state.student.id.normalize("NFD").replace(/[^A-Za-z0-9_-]+/g, "-");
      link.download = `respuestas-${meta.module}-${safeId}.json`;
      link.href = URL.createObjectURL(blob);
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
      const count = Object.keys(data.answers).length;
      announceStatus(`Descargado ${link.download}: ${count} de ${meta.items.length} preguntas respondidas.`);
    }),
  );

  const upload = document.getElementById("cp-upload");
  if (upload) {
    upload.addEventListener("change", () => {
      const file = upload.files[0];
      if (!file) return;
      upload.value = "";
      file.text().then((text) => {
        let data;
        try {
          data = JSON.parse(text.replace(/^\uFEFF/, ""));
        } catch (error) {
          announceStatus(`«${file.name}» no es un archivo de respuestas JSON válido; no se ha cambiado nada.`);
          return;
        }
        if (!isObject(data) || data.module !== meta.module || !isObject(data.answers)) {
          announceStatus(`«${file.name}» no es un archivo de respuestas de este módulo; no se ha cambiado nada.`);
          return;
        }
        const known = Object.entries(data.answers).filter(([id]) => meta.items.includes(id));
        const ignored = Object.keys(data.answers).length - known.length;
        state = { student: isObject(data.student) ? { id: String(data.student.id || ""), name: String(data.student.name || "") } : state.student, answers: Object.fromEntries(known), checked: {} };
        save();
        restore();
        announceStatus(`Cargadas ${known.length} respuestas de «${file.name}».` + (ignored ? ` Se han ignorado ${ignored} preguntas que no existen.` : ""));
      });
    });
  }

  document.querySelectorAll(".cp-clear").forEach((button) =>
    button.addEventListener("click", () => {
      if (!window.confirm("¿Borrar todas tus respuestas de este módulo en este navegador? No se puede deshacer.")) return;
      state = { student: state.student, answers: {}, checked: {} };
      save();
      restore();
      announceStatus("Se han borrado todas tus respuestas.");
    }),
  );

  function restore() {
    if (idField) idField.value = state.student.id || "";
    if (nameField) nameField.value = state.student.name || "";
    shuffleDisplay();
    items.forEach((item) => {
      writeWidget(item, state.answers[item.id] === undefined ? null : state.answers[item.id]);
      clearFeedback(item);
      if (practice && state.checked[item.id]) showFeedback(item, gradeItem(item, state.answers[item.id]));
    });
    updateScore();
  }
  restore();
})();
