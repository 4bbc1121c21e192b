import { Invalid, MSG, isObject } from "../lib.js";

export default {
  mapping: true,
  grade(item, answer) {
    const left = item.left.map((c) => c.id);
    const right = item.right.map((c) => c.id);
    if (!isObject(answer) || Object.keys(answer).some((k) => !left.includes(k)) ||
        !Object.values(answer).every((v) => typeof v === "string" && right.includes(v))) {
      throw new Invalid("se esperaba una pareja (izquierda: derecha) por elemento, con ids existentes.");
    }
    const good = left.filter((l) => answer[l] === item.pairs[l]).length;
    const feedback = left
      .filter((l) => l in answer && answer[l] !== item.pairs[l] && item.feedback && l in item.feedback)
      .map((l) => item.feedback[l]);
    return [good / left.length, feedback.length ? feedback : [good === left.length ? MSG.correct : MSG.incorrect]];
  },
  /* Each left element is a radio group of letters; the chosen pair's text is shown under it. */
  read(item, section) {
    const chosen = [...section.querySelectorAll(".cp-pair")].map((group) => [group.dataset.left, group.querySelector("input:checked")?.value]);
    return Object.fromEntries(chosen.filter(([, value]) => value));
  },
  write(item, section, answer) {
    section.querySelectorAll(".cp-pair").forEach((group) => {
      const value = isObject(answer) ? answer[group.dataset.left] : undefined;
      group.querySelectorAll("input").forEach((input) => (input.checked = input.value === value));
    });
    showChoices(item, section);
  },
  setUp(item, section) {
    section.addEventListener("change", () => showChoices(item, section));
  },
};

function showChoices(item, section) {
  section.querySelectorAll(".cp-pair").forEach((group) => {
    const input = group.querySelector("input:checked");
    const choice = input && section.querySelector(`[data-right="${CSS.escape(input.value)}"]`);
    group.querySelector(".cp-pair-choice").textContent = choice
      ? `Has elegido: ${choice.querySelector(".cp-match-letter").textContent} ${choice.querySelector(".cp-match-text").textContent}`
      : "";
  });
}
