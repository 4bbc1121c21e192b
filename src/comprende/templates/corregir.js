// corregir.html: mark open responses one at a time; keep the work in localStorage;
// download the marks as JSON for `comprende grade --marks`. No network.
const $ = (id) => document.getElementById(id);
const readJson = (id) => JSON.parse($(id).textContent);

const bank = readJson("cp-bank");
const run = readJson("cp-run");
const rows = readJson("cp-rows")
  .filter((r) => Object.hasOwn(bank.items, r[5]))
  .map((r, index) => ({
  index,
  id: r[0],
  name: r[1],
  file: r[2],
  lms: r[3],
  lmsId: r[4],
  item: r[5],
  answer: r[6],
  sha: r[7],
  criteria: r[8],
  score: r[9],
  comment: r[10],
}));
// One store per module and version, not per run: a re-run (a late file) must not hide
// typed work. Entries are keyed by student, item and answer hash, so a changed answer
// starts afresh.
const storageKey = `comprende-corregir:${bank.module}:${bank.version}`;
const rowKey = (row) => `${row.lms}:${row.lmsId}|${row.id}|${row.item}|${row.sha}`;

// ---------------------------------------------------------------- numbers
const round2 = (x) => Math.floor(x * 100 + 0.5 + 1e-9) / 100;
const fmt = (x) => String(round2(x)).replace(".", ",");
const pointsText = (x) => `${fmt(x)} ${round2(x) === 1 ? "punto" : "puntos"}`;

/** A typed number: "" → null; "1", "0,5", "0.5" → number; anything else → NaN. */
function parseNumber(text) {
  const t = text.trim().replace(/\s+/g, "");
  if (t === "") return null;
  if (!/^\d+([.,]\d*)?$|^[.,]\d+$/.test(t)) return Number.NaN;
  return Number(t.replace(",", "."));
}

// ---------------------------------------------------------------- state
let storageWorks = true;
function loadStore() {
  try {
    const raw = window.localStorage.getItem(storageKey);
    return raw ? JSON.parse(raw) : {};
  } catch {
    storageWorks = false;
    return {};
  }
}
const store = loadStore();
function persist() {
  if (!storageWorks) return;
  try {
    window.localStorage.setItem(storageKey, JSON.stringify(store));
  } catch {
    storageWorks = false;
    $("storage-note").hidden = false;
  }
}

/** Entries not typed into yet: from the rows (an earlier mark) or empty; never stored. */
const fresh = new Map();

/** The entry of a row: the typed texts of its fields and the comment. */
function entry(row) {
  const key = rowKey(row);
  if (store[key]) return store[key];
  if (!fresh.has(key)) {
    const item = bank.items[row.item];
    const count = item.rubric.length || 1;
    const fields = [];
    for (let i = 0; i < count; i += 1) {
      const value = item.rubric.length ? (row.criteria ? row.criteria[i] : null) : row.score;
      fields.push(value === null || value === undefined ? "" : fmt(value));
    }
    // An earlier mark given only as a score, on an item with a rubric: keep its score.
    const scoreOnly =
      item.rubric.length && row.score !== null && !(row.criteria || []).some((c) => c !== null);
    fresh.set(key, { fields, score: scoreOnly ? fmt(row.score) : "", comment: row.comment || "" });
  }
  return fresh.get(key);
}

/** The entry of a row, to change: it is stored from now on. */
function touch(row) {
  const key = rowKey(row);
  if (!store[key]) store[key] = entry(row);
  return store[key];
}

/** How a row stands: each field's value or error, the total, whether it is marked. */
function evaluate(row) {
  const item = bank.items[row.item];
  const e = entry(row);
  const maxima = item.rubric.length ? item.rubric.map((c) => c[1]) : [item.points];
  const values = [];
  const errors = [];
  e.fields.forEach((text, i) => {
    const value = parseNumber(text);
    if (Number.isNaN(value)) {
      values.push(null);
      errors.push(`Escribe un número entre 0 y ${fmt(maxima[i])}, p. ej. 0,5.`);
    } else if (value !== null && value > maxima[i] + 1e-9) {
      values.push(null);
      errors.push(`Como máximo ${pointsText(maxima[i])}.`);
    } else {
      values.push(value);
      errors.push("");
    }
  });
  const complete = values.every((v) => v !== null) && errors.every((m) => m === "");
  const keptScore = e.score ? parseNumber(e.score) : null;
  const total = complete ? values.reduce((a, b) => a + b, 0) : keptScore;
  const marked = complete || (keptScore !== null && !Number.isNaN(keptScore) && values.every((v) => v === null) && errors.every((m) => m === ""));
  const started = e.fields.some((t) => t.trim() !== "") || e.comment.trim() !== "";
  return { item, values, errors, total, marked, started, scoreOnly: marked && !complete };
}

// ---------------------------------------------------------------- view
let current = 0;
const announce = (text) => {
  const box = $("announce");
  box.textContent = "";
  window.setTimeout(() => {
    box.textContent = text;
  }, 50);
};
/** Whether each row is marked, kept up to date as the current row changes. */
const marked = rows.map((r) => evaluate(r).marked);
let markedTotal = marked.filter(Boolean).length;
function refresh(row) {
  const now = evaluate(row).marked;
  if (now !== marked[row.index]) markedTotal += now ? 1 : -1;
  marked[row.index] = now;
}

function updateProgress() {
  const done = markedTotal;
  const left = rows.length - done;
  $("progress").textContent = rows.length
    ? `Respuesta ${current + 1} de ${rows.length} · ${done} ${done === 1 ? "corregida" : "corregidas"}, ${left} sin corregir`
    : "No hay respuestas que corregir.";
  $("bar-fill").style.width = rows.length ? `${(100 * done) / rows.length}%` : "0";
}

function updateTotal(row) {
  const state = evaluate(row);
  const item = state.item;
  let text;
  if (state.total === null || Number.isNaN(state.total)) {
    const what = item.rubric.length ? "falta puntuar algún criterio" : "sin poner";
    text = `Nota: ${what} (máximo: ${pointsText(item.points)})`;
  } else {
    text = `Nota: ${fmt(state.total)} de ${pointsText(item.points)}`;
    if (state.scoreOnly) text += " (puesta sin criterios; si puntúas uno, cuenta la suma de todos)";
  }
  $("total").textContent = text;
  state.errors.forEach((message, i) => {
    const input = $(`field-${i}`);
    const error = $(`field-${i}-error`);
    if (!input || !error) return;
    error.textContent = message;
    error.hidden = message === "";
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  });
  updateProgress();
}

function field(index, labelText, value, maximum, row) {
  const wrap = document.createElement("div");
  wrap.className = "criterion";
  const label = document.createElement("label");
  label.htmlFor = `field-${index}`;
  label.textContent = labelText;
  const input = document.createElement("input");
  input.type = "text";
  input.id = `field-${index}`;
  input.inputMode = "decimal";
  input.autocomplete = "off";
  input.value = value;
  input.setAttribute("aria-describedby", `field-${index}-error`);
  input.dataset.max = String(maximum);
  const error = document.createElement("p");
  error.className = "error";
  error.id = `field-${index}-error`;
  error.hidden = true;
  input.addEventListener("input", () => {
    const e = touch(row);
    e.fields[index] = input.value;
    if (input.value.trim() !== "") e.score = "";
    persist();
    refresh(row);
    updateTotal(row);
  });
  wrap.append(label, input, error);
  return wrap;
}

function render() {
  const row = rows[current];
  const item = bank.items[row.item];
  const e = entry(row);
  $("card-title").textContent = item.label;
  const who = row.name ? `${row.name} (id ${row.id})` : `id ${row.id}`;
  $("who").textContent = `Estudiante: ${who} · archivo ${row.file}`;
  $("prompt").textContent = item.prompt;
  const answer = $("answer");
  answer.textContent = row.answer.trim() === "" ? "(sin respuesta)" : row.answer;
  answer.classList.toggle("empty", row.answer.trim() === "");
  const words = row.answer.split(/\s+/).filter((w) => w !== "").length;
  let wordsText = `${words} ${words === 1 ? "palabra" : "palabras"}`;
  if (item.minWords || item.maxWords) {
    wordsText += ` (se pedían entre ${item.minWords || 0} y ${item.maxWords || "…"})`;
  }
  $("words").textContent = wordsText;
  const fields = $("fields");
  fields.replaceChildren();
  if (item.rubric.length) {
    $("criteria-legend").textContent = `Rúbrica: puntos por criterio (en total, ${pointsText(item.points)})`;
    item.rubric.forEach(([text, points], i) => {
      fields.append(field(i, `${i + 1}. ${text} (máx. ${pointsText(points)})`, e.fields[i], points, row));
    });
  } else {
    $("criteria-legend").textContent = "Nota";
    fields.append(field(0, `Nota (de 0 a ${pointsText(item.points)})`, e.fields[0], item.points, row));
  }
  const comment = $("comment");
  comment.value = e.comment;
  $("model").textContent = item.model || "(sin respuesta modelo)";
  $("card").hidden = false;
  updateTotal(row);
}

function go(index, { focus = false } = {}) {
  if (index < 0 || index >= rows.length) {
    announce(index < 0 ? "Ya estás en la primera respuesta." : "Ya estás en la última respuesta.");
    return;
  }
  current = index;
  render();
  const row = rows[current];
  const who = row.name || row.id;
  announce(
    `Respuesta ${current + 1} de ${rows.length}: ${who}, ${bank.items[row.item].label}` +
      (marked[row.index] ? ", ya corregida." : ", sin corregir."),
  );
  if (focus) $("field-0").focus();
}

function step(direction, onlyUnmarked) {
  for (let i = current + direction; i >= 0 && i < rows.length; i += direction) {
    if (!onlyUnmarked || !marked[i]) return i;
  }
  return null;
}

function move(direction, options) {
  const only = $("only-unmarked").checked;
  const target = step(direction, only);
  if (target === null) {
    if (only) announce(direction > 0 ? "No hay más respuestas sin corregir después de esta." : "No hay respuestas sin corregir antes de esta.");
    else announce(direction > 0 ? "Ya estás en la última respuesta." : "Ya estás en la primera respuesta.");
    return;
  }
  go(target, options);
}

function nextUnmarked(options) {
  let target = step(1, true);
  if (target === null) {
    for (let i = 0; i < current; i += 1) {
      if (!marked[i]) {
        target = i;
        break;
      }
    }
  }
  if (target === null) {
    announce("No queda ninguna respuesta sin corregir. Guarda las notas.");
    return;
  }
  go(target, options);
}

// ---------------------------------------------------------------- saving
function save() {
  const marks = [];
  let halfDone = 0;
  for (const row of rows) {
    const state = evaluate(row);
    if (!state.marked) {
      if (state.started) halfDone += 1;
      continue;
    }
    const e = entry(row);
    const rubric = state.item.rubric.length > 0;
    marks.push({
      id: row.id,
      name: row.name,
      lms: row.lms,
      lms_id: row.lmsId,
      item: row.item,
      answer_sha256: row.sha,
      criteria: rubric ? state.values : [],
      score: round2(state.total),
      comment: e.comment.trim(),
    });
  }
  const data = {
    format: bank.format,
    version: 1,
    module: bank.module,
    bank_version: bank.version,
    run: run.run,
    saved: new Date().toISOString(),
    marks,
  };
  const body = `{\n${Object.entries(data)
    .filter(([k]) => k !== "marks")
    .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`)
    .join("\n")}\n  "marks": [\n${marks.map((m) => `    ${JSON.stringify(m)}`).join(",\n")}\n  ]\n}\n`;
  const name = `notas-${bank.module}-${run.run}.json`;
  const url = URL.createObjectURL(new Blob([body], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10000);
  let message = `Descargado ${name}: ${marks.length} ${marks.length === 1 ? "nota" : "notas"}. Pásalo a comprende con --marks.`;
  if (halfDone) {
    message += ` ${halfDone} ${halfDone === 1 ? "respuesta empezada no está completa y no se incluye" : "respuestas empezadas no están completas y no se incluyen"}.`;
  }
  $("save-status").textContent = message;
}

// ---------------------------------------------------------------- wiring
$("prev").addEventListener("click", () => move(-1));
$("next").addEventListener("click", () => move(1));
$("next-unmarked").addEventListener("click", () => nextUnmarked());
$("save").addEventListener("click", save);
$("form").addEventListener("submit", (event) => event.preventDefault());
$("comment").addEventListener("input", () => {
  touch(rows[current]).comment = $("comment").value;
  persist();
});
$("only-unmarked").addEventListener("change", () => {
  announce($("only-unmarked").checked ? "Se muestran solo las respuestas sin corregir." : "Se muestran todas las respuestas.");
});
document.addEventListener("keydown", (event) => {
  if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
  const actions = {
    KeyS: () => move(1, { focus: true }),
    KeyA: () => move(-1, { focus: true }),
    KeyN: () => nextUnmarked({ focus: true }),
    KeyG: save,
  };
  const action = actions[event.code];
  if (!action || !rows.length) return;
  event.preventDefault();
  action();
});

if (!storageWorks) $("storage-note").hidden = false;
if (rows.length) {
  render();
} else {
  $("empty").hidden = false;
  updateProgress();
  for (const id of ["prev", "next", "next-unmarked", "save", "only-unmarked"]) $(id).disabled = true;
}
