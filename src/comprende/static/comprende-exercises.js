/* comprende: the exercises in the page, an ES module (no framework, no other host).
 * The page's module script imports this and the modules of its question types, then
 * calls start(types). Grading and widgets are lib.js's and the types' (lib.js shows
 * their shape); saved answers are state.js's, progress and review review.js's, the
 * confirmation dialog dialog.js's; here: feedback, the set's actions, the panel
 * (student, download, upload, clear) and the order of the options. */
import { element, gradeWith, isObject } from "./comprende/lib.js";
import { answered, label, load, save as saveState, storageKey } from "./comprende/state.js";
import { formatPoints, invalidLines, problems, progressText, renderProgress, renderReview, setStats } from "./comprende/review.js";
import { ask } from "./comprende/dialog.js";

const comprende = (window.comprende = window.comprende || {});
const types = {};

/* A type's module: given by the page, or imported now (a type the page lacks). */
async function typeModule(id) {
  if (!/^[a-z-]+$/.test(id)) throw new Error(`unknown question type: ${id}`);
  return (types[id] ||= (await import(`./comprende/types/${id}.js`)).default);
}

/** Grade one answer: a promise of {points, possible, status, feedback}. */
comprende.grade = comprende.gradeItem = async (item, answer) => gradeWith(await typeModule(item.type), item, answer);

let catalog, practice, state, idField, nameField;
const items = new Map(); /* this page's items, with their keys in practice mode */
const gradeItem = (item, answer) => gradeWith(types[item.type], item, answer);
const bankIds = () => Object.keys(catalog.items);

function readData(selector) {
  const node = document.querySelector(selector);
  return node ? JSON.parse(node.textContent) : null;
}

function save() {
  if (state.orderSeed === undefined && Object.values(state.answers).some(answered)) state.orderSeed = orderSeed;
  if (!saveState(catalog, state)) {
    announceStatus("No se han podido guardar las respuestas en este navegador: descárgalas para no perderlas.");
  }
  refresh();
}

/* ---------- widgets: each type's module reads and writes its own ---------- */

const sectionOf = (id) => document.getElementById(`item-${id}`);
const readWidget = (item) => types[item.type].read(item, sectionOf(item.id));
const writeWidget = (item, answer) => types[item.type].write(item, sectionOf(item.id), answer, widgetPage);

/* The options' order. Until the first answer it follows the student's id as last
 * committed (on change: leaving the field or pressing Enter), never each keystroke; a
 * student without an id gets a random seed of this browser, so classmates still see
 * different orders. From the first answer on, the order is fixed (its seed is saved):
 * nothing moves under an answer, not even when the id is typed at the end. Answers are
 * kept by option id, so no order changes an answer. */
function hash(text) {
  let h = 0x811c9dc5;
  for (const c of text) h = Math.imul(h ^ c.codePointAt(0), 0x01000193) >>> 0;
  return h;
}
let orderSeed = "";
const displaySeed = () => state.orderSeed ?? (state.student.id || state.anonymousSeed);
function seededOrder(ids, salt) {
  return [...ids].sort((a, b) => hash(`${orderSeed}:${salt}:${a}`) - hash(`${orderSeed}:${salt}:${b}`));
}
const widgetPage = { order: seededOrder, changed: (item) => onAnswerChanged(item) };
function shuffleDisplay() {
  orderSeed = displaySeed();
  items.forEach((item) => types[item.type].shuffle?.(item, sectionOf(item.id), widgetPage, state.answers[item.id]));
}

/* ---------- feedback: after a real attempt only ---------- */

const STATUS_TEXT = {
  correct: "Correcto",
  partial: "Parcialmente correcto",
  incorrect: "Incorrecto",
  invalid: "Respuesta no válida",
  pending: "Pendiente de corrección",
};

function feedbackBox(item) {
  return document.getElementById(`${item.id}--feedback`);
}

function showFeedback(item, result) {
  const box = feedbackBox(item);
  if (!box) return;
  box.replaceChildren();
  box.className = `cp-feedback cp-status-${result.status}`;
  if (result.status === "missing") {
    /* Nothing to explain yet: the explanation and the evidence would give the key away. */
    box.appendChild(element("p", "cp-verdict", "Sin respuesta."));
    box.appendChild(element("p", "", "Responde primero; después podrás comprobar tu respuesta."));
    return;
  }
  const unit = result.possible === 1 ? "punto" : "puntos";
  box.appendChild(element("p", "cp-verdict", `${STATUS_TEXT[result.status]}: ${formatPoints(result.points)} de ${formatPoints(result.possible)} ${unit}.`));
  const list = element("ul", "cp-messages");
  result.feedback.filter(Boolean).forEach((message) => list.appendChild(element("li", "", message)));
  box.appendChild(list);
  if (result.status === "invalid") return;
  if (item.explanation) box.appendChild(element("p", "cp-explanation", `Por qué: ${item.explanation}`));
  (item.evidence || []).forEach((evidence) => {
    const p = element("p", "cp-evidence");
    p.appendChild(document.createTextNode(`En el artículo (párrafo ${evidence.paragraph}): «${evidence.quote}» `));
    const link = element("a", "", "Ver la frase en el artículo");
    link.href = `${document.documentElement.dataset.content_root || ""}articulo.html?cita=${encodeURIComponent(evidence.quote)}#p${evidence.paragraph}`;
    p.appendChild(link);
    box.appendChild(p);
  });
}

function clearFeedback(item) {
  const box = feedbackBox(item);
  if (box) {
    box.replaceChildren();
    box.className = "cp-feedback";
  }
}

function check(item) {
  const answer = readWidget(item);
  state.answers[item.id] = answer;
  const result = gradeItem(item, answer);
  if (result.status === "missing") delete state.checked[item.id];
  else state.checked[item.id] = { points: result.points, possible: result.possible, status: result.status };
  save();
  showFeedback(item, result);
  return result;
}

function onAnswerChanged(item) {
  state.answers[item.id] = readWidget(item);
  if (state.checked[item.id] || feedbackBox(item)?.childElementCount) {
    delete state.checked[item.id];
    clearFeedback(item);
  }
  save();
}

/* ---------- progress: this set's, on its page; every set's on the index and review page ---------- */

const setOf = (id) => catalog.sets.find((s) => s.id === id);
let reviewRun = 0;

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function refresh() {
  document.querySelectorAll(".cp-set-progress[data-set]").forEach((p) => {
    const set = setOf(p.dataset.set);
    if (set) setText(p, progressText(setStats(catalog, state, set), practice));
  });
  document.querySelectorAll("[data-set].cp-score, [data-set].cp-set-status").forEach((p) => {
    const set = setOf(p.dataset.set);
    if (set) setText(p, (p.dataset.prefix || "") + progressText(setStats(catalog, state, set), practice));
  });
  document.querySelectorAll(".cp-progress-list").forEach((box) => renderProgress(box, catalog, state, practice));
  const reviews = document.querySelectorAll(".cp-review-list");
  if (reviews.length) {
    const run = ++reviewRun;
    problems(catalog, state, typeModule).then((found) => {
      if (run === reviewRun) reviews.forEach((box) => renderReview(box, catalog, state, found, practice));
    });
  }
}

/* ---------- the set's actions ---------- */

function checkAll(button) {
  const results = [...items.values()].filter((i) => types[i.type].autoGraded !== false).map(check);
  const right = results.filter((r) => r.status === "correct").length;
  const score = button.closest(".cp-exercises")?.querySelector("[data-set].cp-score, [data-set].cp-set-status");
  if (score) {
    score.dataset.prefix = `Comprobadas todas: ${right} de ${results.length} correctas. `;
    refresh();
    delete score.dataset.prefix;
  }
  const first = document.querySelector(".cp-feedback:not(:empty)");
  if (first) first.closest(".cp-item").scrollIntoView({ block: "start" });
}

/* What erasing these answers loses, in Spanish: the count and every text written for
 * the instructor (the answers of types that are not graded here). */
async function losses(ids) {
  const given = ids.filter((id) => answered(state.answers[id]));
  const kinds = await Promise.all(given.map((id) => typeModule(catalog.items[id].type)));
  const texts = given
    .filter((id, n) => kinds[n].autoGraded === false)
    .map((id) => {
      const words = String(state.answers[id]).split(/\s+/).filter(Boolean).length;
      return `El texto que has escrito en ${label(catalog, id)} (${words} ${words === 1 ? "palabra" : "palabras"}).`;
    });
  return { given, texts };
}

async function retry(button) {
  const set = setOf(button.closest(".cp-exercises")?.dataset.set);
  if (!set) return;
  const { given, texts } = await losses(set.items);
  if (given.length) {
    const confirmed = await ask({
      title: "¿Reintentar esta serie?",
      lines: [
        `Se borrarán tus respuestas a ${given.length === 1 ? "la pregunta" : "las " + given.length + " preguntas"} que has respondido en «${set.title}», y lo que hayas comprobado. No se puede deshacer.`,
        ...(texts.length ? ["También se borrará:"] : []),
      ],
      list: texts,
      confirm: "Sí, borrar esta serie",
    });
    if (!confirmed) return;
  }
  items.forEach((item) => {
    delete state.answers[item.id];
    delete state.checked[item.id];
    writeWidget(item, null);
    clearFeedback(item);
  });
  save();
  const score = button.closest(".cp-exercises")?.querySelector("[data-set].cp-score, [data-set].cp-set-status");
  if (score) {
    score.dataset.prefix = given.length ? "Serie borrada: puedes empezar de nuevo. " : "No había respuestas en esta serie. ";
    refresh();
    delete score.dataset.prefix;
  }
  document.querySelector(".cp-item input, .cp-item select, .cp-item textarea, .cp-item button")?.focus();
}

/* ---------- the panel: student, download, upload, clear ---------- */

function announceStatus(text) {
  document.querySelectorAll(".cp-status").forEach((p) => (p.textContent = text));
}

function submission() {
  const ids = bankIds();
  const answers = {};
  Object.entries(state.answers)
    .filter(([id, value]) => ids.includes(id) && answered(value))
    .sort(([a], [b]) => ids.indexOf(a) - ids.indexOf(b))
    .forEach(([id, value]) => {
      if (isObject(value)) value = Object.fromEntries(Object.entries(value).filter(([, v]) => answered(v)));
      answers[id] = value;
    });
  return { module: catalog.module, student: { id: state.student.id || "", name: state.student.name || "" }, answers };
}
comprende.submission = submission;

async function download() {
  if (!state.student.id || !state.student.name) {
    announceStatus("Escribe tu identificador y tu nombre antes de descargar tus respuestas.");
    (state.student.id ? nameField : idField).focus();
    return;
  }
  const found = await problems(catalog, state, typeModule);
  const invalid = invalidLines(catalog, found);
  if (invalid.length) {
    const missing = found.reduce((n, f) => n + f.problems.filter((p) => p.kind === "missing").length, 0);
    const confirmed = await ask({
      title: invalid.length === 1 ? "Hay una respuesta no válida" : `Hay ${invalid.length} respuestas no válidas`,
      lines: [
        `${invalid.length === 1 ? "Esta respuesta no puntuará" : "Estas respuestas no puntuarán"} tal como ${invalid.length === 1 ? "está" : "están"}. Puedes corregirlas antes o descargar el archivo igualmente.`,
      ],
      list: invalid,
      confirm: "Descargar de todos modos",
      cancel: "Volver para corregirlas",
      danger: false,
    });
    if (!confirmed) {
      announceStatus(`No se ha descargado nada. Corrige ${invalid.length === 1 ? "la respuesta no válida" : "las respuestas no válidas"}${catalog.review ? " (la lista está en «Revisar y entregar»)" : ""}.`);
      return;
    }
    if (missing) announceStatus(`Te faltan ${missing} preguntas por responder.`);
  }
  const data = submission();
  const blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
  const link = document.createElement("a");
  const safeId = state.student.id.normalize("NFD").replace(/[^A-Za-z0-9_-]+/g, "-");
  link.download = `respuestas-${catalog.module}-${safeId}.json`;
  link.href = URL.createObjectURL(blob);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  const count = Object.keys(data.answers).length;
  const warning = invalid.length ? ` ${invalid.length === 1 ? "Una respuesta no es válida" : invalid.length + " respuestas no son válidas"} y no puntuará${invalid.length === 1 ? "" : "n"}.` : "";
  announceStatus(`Descargado ${link.download}: ${count} de ${bankIds().length} preguntas respondidas.${warning}`);
}

async function upload(file) {
  const text = await file.text();
  let data;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    announceStatus(`«${file.name}» no es un archivo de respuestas JSON válido; no se ha cambiado nada.`);
    return;
  }
  if (!isObject(data) || data.module !== catalog.module || !isObject(data.answers)) {
    announceStatus(`«${file.name}» no es un archivo de respuestas de este módulo; no se ha cambiado nada.`);
    return;
  }
  const ids = bankIds();
  const known = Object.entries(data.answers).filter(([id]) => ids.includes(id));
  const ignored = Object.keys(data.answers).length - known.length;
  const student = isObject(data.student) ? { id: String(data.student.id || ""), name: String(data.student.name || "") } : state.student;
  state = { ...state, student, answers: Object.fromEntries(known), checked: {}, hashes: {}, labels: {} };
  save();
  restore();
  let message = `Cargadas ${known.length} respuestas de «${file.name}».` + (ignored ? ` Se han ignorado ${ignored} preguntas que no existen.` : "");
  const invalid = invalidLines(catalog, await problems(catalog, state, typeModule));
  if (invalid.length) message += ` ${invalid.length === 1 ? "Una respuesta no es válida" : invalid.length + " respuestas no son válidas"}: ${invalid.join("; ")}.`;
  announceStatus(message);
}

async function clearAll() {
  const { given, texts } = await losses(bankIds());
  if (given.length) {
    const confirmed = await ask({
      title: "¿Borrar todas tus respuestas?",
      lines: [
        `Se borrarán de este navegador tus respuestas a ${given.length === 1 ? "la pregunta" : "las " + given.length + " preguntas"} que has respondido${practice ? "" : " en el examen"}, en todas las series. No se puede deshacer: si quieres conservarlas, descárgalas antes.`,
        ...(texts.length ? ["También se borrará:"] : []),
      ],
      list: texts,
      confirm: "Sí, borrar todas",
    });
    if (!confirmed) return;
  }
  state = { ...state, answers: {}, checked: {}, hashes: {}, labels: {} };
  delete state.orderSeed; /* a fresh start: the order may follow the id again */
  save();
  restore();
  announceStatus(given.length ? "Se han borrado todas tus respuestas." : "No había respuestas que borrar.");
}

function restore() {
  if (idField) idField.value = state.student.id || "";
  if (nameField) nameField.value = state.student.name || "";
  shuffleDisplay();
  items.forEach((item) => {
    writeWidget(item, state.answers[item.id] === undefined ? null : state.answers[item.id]);
    clearFeedback(item);
    if (practice && state.checked[item.id]) showFeedback(item, gradeItem(item, state.answers[item.id]));
  });
  refresh();
}

/* Once, after the bank changed: which saved answers were dropped, and why. */
function showNotice() {
  if (!state.notice) return;
  const dropped = state.notice.dropped;
  state.notice = null;
  saveState(catalog, state);
  const box = element("div", "cp-notice");
  box.setAttribute("role", "status");
  box.appendChild(element("p", "", `Los ejercicios han cambiado desde tu última visita. Se han conservado tus respuestas a las preguntas que no han cambiado; ${dropped.length === 1 ? "se ha quitado la de esta pregunta" : "se han quitado las de estas " + dropped.length + " preguntas"}:`));
  const list = element("ul");
  dropped.forEach((line) => list.appendChild(element("li", "", line)));
  box.appendChild(list);
  const close = element("button", "cp-button-primary", "Entendido");
  close.type = "button";
  close.addEventListener("click", () => box.remove());
  box.appendChild(close);
  const banner = document.querySelector(".cp-exam-banner");
  const first = document.querySelector(".cp-exercises, .cp-review, .cp-progress, .cp-panel");
  if (banner) banner.after(box);
  else if (first) first.before(box);
}

/* ---------- start: read the page, wire the events, restore the answers ---------- */

const on = (selector, handler) => document.querySelectorAll(selector).forEach((b) => b.addEventListener("click", () => handler(b)));

export function start(given) {
  Object.assign(types, given);
  comprende.started = true;
  catalog = readData("#cp-data-bank");
  if (!catalog) return;
  practice = catalog.mode === "practice";
  comprende.storageKey = storageKey(catalog);
  state = load(catalog);
  state.anonymousSeed ||= `sin-id-${Math.random().toString(36).slice(2, 10)}`;
  document.querySelectorAll("script[id^='cp-data-']").forEach((script) => {
    (JSON.parse(script.textContent).pageItems || []).forEach((item) => items.set(item.id, item));
  });

  items.forEach((item) => {
    const section = sectionOf(item.id);
    if (!section) return;
    section.addEventListener("input", () => onAnswerChanged(item));
    section.addEventListener("change", () => onAnswerChanged(item));
    section.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target.matches("input[type=text]") && practice) {
        event.preventDefault();
        check(item);
      }
    });
    section.querySelector(".cp-check")?.addEventListener("click", () => check(item));
    types[item.type].setUp?.(item, section, widgetPage);
  });

  /* Enter in a lone text field would submit the set's form and reload the page. */
  document.querySelectorAll(".cp-form").forEach((form) => form.addEventListener("submit", (event) => event.preventDefault()));
  on(".cp-check-all", checkAll);
  on(".cp-retry", retry);

  idField = document.getElementById("cp-student-id");
  nameField = document.getElementById("cp-student-name");
  if (idField && nameField) {
    idField.addEventListener("input", () => {
      state.student.id = idField.value.trim();
      save();
    });
    /* A committed id (the field left, or Enter): only now may the options' order change. */
    idField.addEventListener("change", () => {
      if (displaySeed() !== orderSeed) shuffleDisplay();
    });
    nameField.addEventListener("input", () => {
      state.student.name = nameField.value.trim();
      save();
    });
  }
  on(".cp-download", download);
  const uploadField = document.getElementById("cp-upload");
  uploadField?.addEventListener("change", () => {
    const file = uploadField.files[0];
    uploadField.value = "";
    if (file) upload(file);
  });
  on(".cp-clear", clearAll);
  restore();
  showNotice();
  saveState(catalog, state); /* what load() reconciled (a new bank version) is kept */
}
