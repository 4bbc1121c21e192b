import { Invalid, MSG, shuffleOptions } from "../lib.js";

export default {
  grade(item, answer) {
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
  read(item, section) {
    const ids = item.options.map((o) => o.id);
    return [...section.querySelectorAll("input:checked")].map((i) => i.value).sort((a, b) => ids.indexOf(a) - ids.indexOf(b));
  },
  write(item, section, answer) {
    const chosen = Array.isArray(answer) ? answer : [];
    section.querySelectorAll("input").forEach((input) => (input.checked = chosen.includes(input.value)));
  },
  shuffle: shuffleOptions,
};
