import { Invalid, MSG, countWords } from "../lib.js";

function showCount(section) {
  const counter = section.querySelector(".cp-count");
  if (!counter) return;
  const words = countWords(section.querySelector("textarea").value);
  counter.textContent = `${words} ${words === 1 ? "palabra" : "palabras"}`;
}

export default {
  autoGraded: false,
  /* Never scored here: the instructor grades it; the feedback is the word count's. */
  grade(item, answer) {
    if (typeof answer !== "string") throw new Invalid("se esperaba un texto.");
    const words = countWords(answer);
    const messages = [MSG.pending];
    const [min, max] = item.words || [0, 0];
    if (min && words < min) messages.push(`Tu texto tiene ${words} palabras; se piden al menos ${min}.`);
    if (max && words > max) messages.push(`Tu texto tiene ${words} palabras; se piden como máximo ${max}.`);
    return [0, messages];
  },
  read: (item, section) => section.querySelector("textarea").value,
  write(item, section, answer) {
    section.querySelector("textarea").value = answer == null ? "" : String(answer);
    showCount(section);
  },
  setUp(item, section) {
    section.addEventListener("input", () => showCount(section));
  },
};
