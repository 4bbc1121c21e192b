/* comprende: the exercises in the page, an ES module (no framework, no other host).
 *
 * Each exercise page has a small module script that imports this file and the
 * modules of the question types it uses (comprende/types/<type-id>.js), then calls
 * start(types). Grading is in comprende/lib.js and the type modules, which also
 * read and write the widgets (lib.js documents their shape); this file holds the
 * rest: state in localStorage, feedback, score, download and upload, exam mode.
 */
import { element, gradeWith, isEmpty, isObject, roundPoints } from "./comprende/lib.js";

const comprende = (window.comprende = window.comprende || {});
const types = {};

/* A type's module: given by the page, or imported now (a type the page lacks). */
async function typeModule(id) {
  if (!types[id]) {
    if (!/^[a-z-]+$/.test(id)) throw new Error(`unknown question type: ${id}`);
    types[id] = (await import(`./comprende/types/${id}.js`)).default;
  }
  return types[id];
}

/** Grade one answer: a promise of {points, possible, status, feedback}. */
comprende.grade = comprende.gradeItem = async (item, answer) => gradeWith(await typeModule(item.type), item, answer);

export function start(given) {
  Object.assign(types, given);
  comprende.started = true;
  const gradeItem = (item, answer) => gradeWith(types[item.type], item, answer);

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

  /* ---------- widgets: each type's module reads and writes its own ---------- */

  const items = new Map();
  document.querySelectorAll("script[id^='cp-data-']").forEach((script) => {
    const data = JSON.parse(script.textContent);
    (data.pageItems || []).forEach((item) => items.set(item.id, item));
  });

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
    items.forEach((item) => {
      const type = types[item.type];
      if (type.shuffle) type.shuffle(item, sectionOf(item.id), widgetPage, state.answers[item.id]);
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
    section.addEventListener("input", () => onAnswerChanged(item));
    section.addEventListener("change", () => onAnswerChanged(item));
    section.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target.matches("input[type=text]") && practice) {
        event.preventDefault();
        check(item);
      }
    });
    const button = section.querySelector(".cp-check");
    if (button) button.addEventListener("click", () => check(item));
    const type = types[item.type];
    if (type.setUp) type.setUp(item, section, widgetPage);
  });

  document.querySelectorAll(".cp-check-all").forEach((button) =>
    button.addEventListener("click", () => {
      const results = [...items.values()].filter((i) => types[i.type].autoGraded !== false).map(check);
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
}
