import { Invalid } from "../lib.js";

export default {
  grade(item, answer) {
    if (typeof answer === "string" && ["verdadero", "falso"].includes(answer.trim().toLowerCase())) {
      answer = answer.trim().toLowerCase() === "verdadero";
    }
    if (typeof answer !== "boolean") throw new Invalid("se esperaba true (verdadero) o false (falso).");
    return [answer === item.key ? 1 : 0, [item.feedback[answer ? "true" : "false"]]];
  },
  read(item, section) {
    const chosen = section.querySelector("input:checked");
    return chosen ? chosen.value === "true" : null;
  },
  write(item, section, answer) {
    section.querySelectorAll("input").forEach((input) => (input.checked = answer != null && input.value === String(answer)));
  },
};
