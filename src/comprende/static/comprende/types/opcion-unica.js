import { Invalid, shuffleOptions } from "../lib.js";

export default {
  grade(item, answer) {
    const option = item.options.find((o) => o.id === answer);
    if (typeof answer !== "string" || !option) {
      throw new Invalid(`se esperaba una de las opciones: ${item.options.map((o) => o.id).join(", ")}.`);
    }
    return [option.correct ? 1 : 0, [option.feedback]];
  },
  read(item, section) {
    const chosen = section.querySelector("input:checked");
    return chosen ? chosen.value : null;
  },
  write(item, section, answer) {
    section.querySelectorAll("input").forEach((input) => (input.checked = input.value === answer));
  },
  shuffle: shuffleOptions,
};
