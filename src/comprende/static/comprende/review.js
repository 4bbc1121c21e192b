/* comprende: progress per set, and what is left before handing in (unanswered questions,
 * answers that would not count). Everything comes from the bank's catalog (the page's
 * #cp-data-bank: every item's shape, set and number, no text, no key) and the saved
 * answers, so it works on every page, in practice and in exam mode. */
import { MSG, element, gradeWith, roundPoints } from "./lib.js";
import { answered, label } from "./state.js";

export const formatPoints = (v) => String(roundPoints(v)).replace(".", ",");
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/**
 * Why a saved answer would not count: null (it is fine), {kind: "missing"} or
 * {kind: "invalid", reason}. The item is the catalog's (no key): a type checks an
 * answer's shape before it looks at the key, so here it either throws Invalid (a wrong
 * shape, which gradeWith reports as "invalid") or stumbles on the missing key (a
 * TypeError: the shape was fine).
 */
export async function problem(item, value, typeModule) {
  if (!answered(value)) return { kind: "missing" };
  let result;
  try {
    result = gradeWith(await typeModule(item.type), item, value);
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
  if (result.status === "missing") return { kind: "missing" };
  if (result.status === "invalid") return { kind: "invalid", reason: result.feedback[0].replace(MSG.invalid, "") };
  return null;
}

/** Every set's problems, in the bank's order: [{set, problems: [{id, number, kind, reason}]}]. */
export async function problems(catalog, state, typeModule) {
  const found = [];
  for (const set of catalog.sets) {
    const list = [];
    for (const id of set.items) {
      const item = catalog.items[id];
      const wrong = await problem(item, state.answers[id], typeModule);
      if (wrong) list.push({ id, number: item.number, ...wrong });
    }
    found.push({ set, problems: list });
  }
  return found;
}

/** The invalid answers among them, as Spanish lines («…», pregunta 4: se esperaba…). */
export function invalidLines(catalog, found) {
  return found.flatMap(({ problems: list }) =>
    list.filter((p) => p.kind === "invalid").map((p) => `${label(catalog, p.id)}: ${p.reason}`),
  );
}

/** answered, total; in practice the points of the checked answers and how many. */
export function setStats(catalog, state, set) {
  const stats = { answered: 0, total: set.items.length, points: 0, possible: 0, checked: 0 };
  for (const id of set.items) {
    stats.possible += catalog.items[id].points;
    if (answered(state.answers[id])) stats.answered++;
    const checked = state.checked[id];
    if (checked && checked.status !== "missing") {
      stats.checked++;
      stats.points += checked.points;
    }
  }
  return stats;
}

export function progressText(stats, practice) {
  let text = `Has respondido ${stats.answered} de ${plural(stats.total, "pregunta", "preguntas")} de esta serie.`;
  if (practice) {
    text += ` Puntuación de esta serie: ${formatPoints(stats.points)} de ${formatPoints(stats.possible)} puntos (${plural(stats.checked, "pregunta comprobada", "preguntas comprobadas")}).`;
  }
  return text;
}

function setHeading(set) {
  const heading = element("h3");
  if (set.url) {
    const link = element("a", "", set.title);
    link.href = set.url;
    heading.appendChild(link);
  } else heading.textContent = set.title;
  return heading;
}

function setLine(stats, practice) {
  let text = `${stats.answered} de ${plural(stats.total, "pregunta respondida", "preguntas respondidas")}`;
  if (practice) text += ` · ${formatPoints(stats.points)} de ${formatPoints(stats.possible)} puntos en las comprobadas`;
  return `${text}.`;
}

/** The index's list: each set, linked, with its progress. Built once, then only the lines
 * that change are rewritten (the list is a polite live region). */
export function renderProgress(box, catalog, state, practice) {
  const lines = box.querySelectorAll(".cp-progress-line");
  if (lines.length === catalog.sets.length) {
    catalog.sets.forEach((set, index) => {
      const text = setLine(setStats(catalog, state, set), practice);
      if (lines[index].textContent !== text) lines[index].textContent = text;
    });
    return;
  }
  const list = element("ul", "cp-progress-sets");
  for (const set of catalog.sets) {
    const li = element("li", "cp-progress-set");
    li.append(setHeading(set), element("p", "cp-progress-line", setLine(setStats(catalog, state, set), practice)));
    list.appendChild(li);
  }
  box.replaceChildren(list);
}

/** The review page's list: each set with its unanswered and invalid answers, linked. */
export function renderReview(box, catalog, state, found, practice) {
  const missing = found.reduce((n, f) => n + f.problems.filter((p) => p.kind === "missing").length, 0);
  const invalid = found.reduce((n, f) => n + f.problems.filter((p) => p.kind === "invalid").length, 0);
  /* One status line, kept from one rendering to the next, so that its changes are announced. */
  let summary = box.querySelector(":scope > .cp-review-summary");
  if (!summary) {
    summary = element("p", "cp-review-summary");
    summary.setAttribute("role", "status");
    box.prepend(summary);
  }
  let text = "Has respondido a todas las preguntas y todas las respuestas son válidas. Ya puedes descargar tus respuestas.";
  if (missing || invalid) {
    const parts = [];
    if (missing) parts.push(`te ${missing === 1 ? "falta" : "faltan"} ${plural(missing, "pregunta", "preguntas")} por responder`);
    if (invalid) parts.push(`hay ${plural(invalid, "respuesta no válida", "respuestas no válidas")}`);
    text = parts.join(" y ");
    text = `${text[0].toUpperCase()}${text.slice(1)}.`;
  }
  if (summary.textContent !== text) summary.textContent = text;
  summary.classList.toggle("cp-review-done", !missing && !invalid);
  const children = [];
  for (const { set, problems: list } of found) {
    const section = element("section", "cp-review-set");
    section.append(setHeading(set), element("p", "cp-review-line", setLine(setStats(catalog, state, set), practice)));
    if (!list.length) section.appendChild(element("p", "cp-review-ok", "Nada pendiente en esta serie."));
    const link = (p, text) => {
      const a = element("a", "", text);
      a.href = `${set.url || ""}#item-${p.id}`;
      return a;
    };
    const missing = list.filter((p) => p.kind === "missing");
    if (missing.length) {
      /* One line of links: a set with many unanswered questions stays short. */
      const line = element("p", "cp-review-missing", "Sin responder: ");
      missing.forEach((p, index) => {
        if (index) line.appendChild(document.createTextNode(", "));
        line.appendChild(link(p, `pregunta ${p.number}`));
      });
      line.appendChild(document.createTextNode("."));
      section.appendChild(line);
    }
    const invalid = list.filter((p) => p.kind === "invalid");
    if (invalid.length) {
      const ul = element("ul", "cp-review-invalid");
      for (const p of invalid) {
        const li = element("li", "cp-review-problem-invalid");
        li.append(link(p, `Pregunta ${p.number}`), document.createTextNode(`: respuesta no válida (${p.reason.replace(/\.$/, "")}); no puntuará.`));
        ul.appendChild(li);
      }
      section.appendChild(ul);
    }
    children.push(section);
  }
  while (summary.nextSibling) summary.nextSibling.remove();
  box.append(...children);
}
