/* dos-partes: Part A is a single choice; Part B asks for its evidence, as a choice
 * (opcion-unica or opcion-multiple, graded by those modules) or as a sentence
 * selection. Each part is worth half the points; with item.dependent (the default)
 * Part B counts only when Part A is right. The rule is the Python package's
 * (types/dos_partes). The answer is {a: option id, b: option id | [ids]}. */
import { Invalid, MSG, isObject } from "../lib.js";
import single from "./opcion-unica.js";
import multiple from "./opcion-multiple.js";
import { gradeSelection, readSentences, setUpSentences, writeSentences } from "../selection.js";

const PARTS = { a: "Parte A", b: "Parte B" };
const SELECT = "seleccionar-en-el-texto";
export const MSG_NOT_COUNTED = "La parte B no puntúa porque la parte A no es correcta.";
export const MSG_NOT_ANSWERED = "La parte B no puntúa porque la parte A no está respondida.";

function gradePart(part, answer) {
  if (part.kind === SELECT) return gradeSelection(part, answer);
  return (part.kind === "opcion-multiple" ? multiple : single).grade(part, answer);
}

const box = (section, name) => section.querySelector(`[data-part="${name}"]`);

export default {
  mapping: true,
  grade(item, answer) {
    if (!isObject(answer) || Object.keys(answer).some((k) => !Object.hasOwn(PARTS, k))) {
      throw new Invalid("se esperaba una respuesta para la parte A (a) y otra para la parte B (b).");
    }
    const fractions = {};
    const feedback = [];
    for (const [name, part] of [["a", { kind: "opcion-unica", ...item.partA }], ["b", item.partB]]) {
      if (!Object.hasOwn(answer, name)) {
        fractions[name] = 0;
        feedback.push(`${PARTS[name]}: ${MSG.missing}`);
        continue;
      }
      let result;
      try {
        result = gradePart(part, answer[name]);
      } catch (error) {
        if (error instanceof Invalid) throw new Invalid(`en la parte ${name.toUpperCase()}, ${error.message}`);
        throw error;
      }
      fractions[name] = Math.max(0, Math.min(1, result[0]));
      feedback.push(...result[1].map((message) => `${PARTS[name]}: ${message}`));
    }
    let b = fractions.b;
    if (item.dependent && fractions.a < 1) {
      if (Object.hasOwn(answer, "b")) feedback.push(Object.hasOwn(answer, "a") ? MSG_NOT_COUNTED : MSG_NOT_ANSWERED);
      b = 0;
    }
    return [(fractions.a + b) / 2, feedback];
  },
  read(item, section) {
    const a = box(section, "a").querySelector("input:checked");
    const partB = box(section, "b");
    let b;
    if (item.partB.kind === SELECT) b = readSentences(partB);
    else if (item.partB.kind === "opcion-multiple") {
      const ids = item.partB.options.map((o) => o.id);
      b = [...partB.querySelectorAll("input:checked")].map((i) => i.value).sort((x, y) => ids.indexOf(x) - ids.indexOf(y));
    } else b = partB.querySelector("input:checked")?.value ?? "";
    return { a: a ? a.value : "", b };
  },
  write(item, section, answer) {
    const given = isObject(answer) ? answer : {};
    box(section, "a").querySelectorAll("input").forEach((input) => (input.checked = input.value === given.a));
    const partB = box(section, "b");
    if (item.partB.kind === SELECT) writeSentences(partB, given.b);
    else {
      const chosen = Array.isArray(given.b) ? given.b : [given.b];
      partB.querySelectorAll("input").forEach((input) => (input.checked = chosen.includes(input.value)));
    }
  },
  setUp(item, section, page) {
    if (item.partB.kind === SELECT) setUpSentences(box(section, "b"), () => page.changed(item));
  },
  /* Each part's options in the student's own order. */
  shuffle(item, section, page) {
    const parts = [["a", item.partA.options]];
    if (item.partB.kind !== SELECT) parts.push(["b", item.partB.options]);
    parts.forEach(([name, options]) => {
      const list = box(section, name).querySelector(".cp-options");
      page.order(options.map((o) => o.id), `${item.id}:${name}`).forEach((id) => {
        const input = list.querySelector(`input[value="${CSS.escape(id)}"]`);
        if (input) list.appendChild(input.parentElement);
      });
    });
  },
};
