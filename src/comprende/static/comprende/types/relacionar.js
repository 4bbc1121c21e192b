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
  read(item, section) {
    return Object.fromEntries([...section.querySelectorAll("select")].filter((s) => s.value).map((s) => [s.dataset.left, s.value]));
  },
  write(item, section, answer) {
    section.querySelectorAll("select").forEach((s) => (s.value = isObject(answer) && answer[s.dataset.left] ? answer[s.dataset.left] : ""));
  },
};
