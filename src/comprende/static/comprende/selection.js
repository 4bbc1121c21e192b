/* Sentence selection, shared by types/seleccionar-en-el-texto.js and by the Part B of
 * types/dos-partes.js (one module, so a page with both loads it once).
 * Each sentence is a toggle button (aria-pressed): Tab reaches it, Space or Enter
 * (or a tap) marks and unmarks it. The rule is the Python package's
 * (types/seleccionar_en_el_texto): right marks / key sentences − wrong marks / other
 * candidate sentences. */
import { Invalid } from "./lib.js";

export const MSG_SELECTION = {
  right: "Sí, esta frase lo demuestra.",
  wrong: "Esta frase no lo demuestra.",
  missed: "Te falta alguna frase.",
  duplicate: "una frase aparece dos veces.",
};

/* selection: {sentences (candidate ids in reading order), key, labels,
 * sentenceFeedback, where}, as pagedata writes it. */
export function gradeSelection(selection, answer) {
  const ids = selection.sentences;
  if (!Array.isArray(answer) || !answer.every((a) => typeof a === "string" && ids.includes(a))) {
    throw new Invalid(`se esperaba una lista de frases ${selection.where} (como "${ids[0]}").`);
  }
  if (new Set(answer).size !== answer.length) throw new Invalid(MSG_SELECTION.duplicate);
  const key = new Set(selection.key);
  const right = answer.filter((a) => key.has(a)).length;
  const wrong = answer.length - right;
  const comments = selection.sentenceFeedback;
  const feedback = ids
    .filter((id) => answer.includes(id))
    .map((id) => {
      const comment = Object.hasOwn(comments, id) ? comments[id] : key.has(id) ? MSG_SELECTION.right : MSG_SELECTION.wrong;
      return `${selection.labels[id]}. ${comment}`;
    });
  if (right < key.size) feedback.push(MSG_SELECTION.missed);
  return [right / key.size - wrong / (ids.length - key.size), feedback];
}

const toggles = (root) => [...root.querySelectorAll(".cp-sentence")];

/* The marked sentences' ids, in reading order. */
export function readSentences(root) {
  return toggles(root).filter((b) => b.getAttribute("aria-pressed") === "true").map((b) => b.dataset.sentence);
}

export function writeSentences(root, answer) {
  const chosen = Array.isArray(answer) ? answer : [];
  toggles(root).forEach((b) => b.setAttribute("aria-pressed", String(chosen.includes(b.dataset.sentence))));
}

/* A click (mouse, tap, or Space/Enter on the focused button) toggles the sentence. */
export function setUpSentences(root, changed) {
  root.addEventListener("click", (event) => {
    const button = event.target.closest(".cp-sentence");
    if (!button || !root.contains(button)) return;
    button.setAttribute("aria-pressed", button.getAttribute("aria-pressed") === "true" ? "false" : "true");
    changed();
  });
}
