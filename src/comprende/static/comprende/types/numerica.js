import { MSG, parseNumber } from "../lib.js";

export default {
  grade(item, answer) {
    const value = parseNumber(answer, item.unit);
    if (Math.abs(value - item.key) <= item.tolerance + 1e-9) return [1, [MSG.correct]];
    for (const wrong of item.wrong) {
      if (Math.abs(value - wrong.answer) <= item.tolerance + 1e-9) return [0, [wrong.feedback]];
    }
    return [0, [MSG.incorrect]];
  },
  read: (item, section) => section.querySelector("input.cp-text").value,
  write(item, section, answer) {
    section.querySelector("input.cp-text").value = answer == null ? "" : String(answer);
  },
};
