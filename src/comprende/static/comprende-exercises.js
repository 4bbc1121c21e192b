/* comprende: the exercises in the page, an ES module (no framework, no other host).
 * The page's module script imports this and the modules of its question types, then
 * calls start(types). Grading and widgets are lib.js's and the types' (lib.js shows
 * their shape); here: state in localStorage, feedback, download, upload, exam mode. */
import { element, gradeWith, isEmpty, isObject, roundPoints } from "./comprende/lib.js";

const comprende = (window.comprende = window.comprende || {});
const types = {};

/* A type's module: given by the page, or imported now (a type the page lacks). */
async function typeModule(id) {
  if (!/^[a-z-]+$/.test(id)) throw new Error(`unknown question type: ${id}`);
  return (types[id] ||= (await import(`./comprende/types/${id}.js`)).default);
}

/** Grade one answer: a promise of {points, possible, status, feedback}. */
comprende.grade = comprende.gradeItem = async (item, answer) => gradeWith(await typeModule(item.type), item, answer);

let meta, storageKey, practice, state, idField, nameField;
const items = new Map();
const gradeItem = (item, answer) => gradeWith(types[item.type], item, answer);

/* ---------- state: one record per module and bank version ---------- */

function readData(selector) {
  const element = document.querySelector(selector);
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
function save() {
  try {
    localStorage.setItem(storageKey, JSON.stringify(state));
  } catch (error) {
    announceStatus("No se han podido guardar las respuestas en este navegador: descárgalas para no perderlas.");
  }
}

/* ---------- widgets: each type's module reads and writes its own ---------- */

const sectionOf = (id) => document.getElementById(`item-${id}`);
const readWidget = (item) => types[item.type].read(item, sectionOf(item.id));
const writeWidget = (item, answer) => types[item.type].write(item, sectionOf(item.id), answer, widgetPage);

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
const widgetPage = { order: seededOrder, changed: (item) => onAnswerChanged(item) };
function shuffleDisplay() {
  items.forEach((item) => types[item.type].shuffle?.(item, sectionOf(item.id), widgetPage, state.answers[item.id]));
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
const formatPoints = (v) => String(roundPoints(v)).replace(".", ",");

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
      link.href = `${document.documentElement.dataset.content_root || ""}articulo.html?cita=${encodeURIComponent(evidence.quote)}#p${evidence.paragraph}`;
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

function announceScore(results) {
  const right = results.filter((r) => r.status === "correct").length;
  document.querySelectorAll(".cp-set-actions .cp-score").forEach((p) => {
    p.textContent = `${right} de ${results.length} correctas en esta serie. ` + p.textContent;
  });
}

function onAnswerChanged(item) {
  state.answers[item.id] = readWidget(item);
  if (state.checked[item.id]) {
    delete state.checked[item.id];
    clearFeedback(item);
    updateScore();
  }
  save();
}

/* ---------- the panel: student, download, upload, clear ---------- */

function announceStatus(text) {
  document.querySelectorAll(".cp-status").forEach((p) => (p.textContent = text));
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

function download() {
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
  updateScore();
}

/* ---------- start: read the page, wire the events, restore the answers ---------- */

const on = (selector, handler) => document.querySelectorAll(selector).forEach((b) => b.addEventListener("click", handler));

export function start(given) {
  Object.assign(types, given);
  comprende.started = true;
  meta = readData("#cp-data-panel") || readData('script[id^="cp-data-"]');
  if (!meta) return;
  storageKey = comprende.storageKey = `comprende:${meta.module}:v${meta.version}`;
  practice = meta.mode === "practice";
  state = load();
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

  on(".cp-check-all", () => {
    const results = [...items.values()].filter((i) => types[i.type].autoGraded !== false).map(check);
    const first = document.querySelector(".cp-feedback:not(:empty)");
    announceScore(results);
    if (first) first.closest(".cp-item").scrollIntoView({ block: "start" });
  });
  on(".cp-retry", () => {
    items.forEach((item) => {
      delete state.answers[item.id];
      delete state.checked[item.id];
      writeWidget(item, null);
      clearFeedback(item);
    });
    save();
    updateScore();
    document.querySelector(".cp-item input, .cp-item select, .cp-item textarea, .cp-item button")?.focus();
  });

  idField = document.getElementById("cp-student-id");
  nameField = document.getElementById("cp-student-name");
  if (idField && nameField) {
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
  on(".cp-download", download);
  const uploadField = document.getElementById("cp-upload");
  uploadField?.addEventListener("change", () => {
    const file = uploadField.files[0];
    uploadField.value = "";
    if (file) upload(file);
  });
  on(".cp-clear", () => {
    if (!window.confirm("¿Borrar todas tus respuestas de este módulo en este navegador? No se puede deshacer.")) return;
    state = { student: state.student, answers: {}, checked: {} };
    save();
    restore();
    announceStatus("Se han borrado todas tus respuestas.");
  });
  restore();
}
