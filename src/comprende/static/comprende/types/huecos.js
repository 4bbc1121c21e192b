import { Invalid, MSG, gradeText, isEmpty, isObject } from "../lib.js";

export default {
  mapping: true,
  grade(item, answer) {
    const names = item.blanks;
    if (!isObject(answer) || Object.keys(answer).some((k) => !names.includes(k))) {
      throw new Invalid(`se esperaba un texto para cada hueco: ${names.join(", ")}.`);
    }
    let right = 0;
    const feedback = [];
    names.forEach((name, index) => {
      const given = answer[name];
      if (isEmpty(given)) {
        feedback.push(`Hueco ${index + 1}: ${MSG.missing}`);
        return;
      }
      let result;
      try {
        result = gradeText(item.blankKeys[name], given);
      } catch (error) {
        if (error instanceof Invalid) throw new Invalid(`hueco ${index + 1}: ${error.message}`);
        throw error;
      }
      right += result[0];
      feedback.push(`Hueco ${index + 1}: ${result[1].join(" ")}`);
    });
    return [right / names.length, feedback];
  },
  read(item, section) {
    return Object.fromEntries([...section.querySelectorAll(".cp-blank")].map((i) => [i.dataset.blank, i.value]));
  },
  write(item, section, answer) {
    section.querySelectorAll(".cp-blank").forEach((i) => (i.value = isObject(answer) && answer[i.dataset.blank] ? String(answer[i.dataset.blank]) : ""));
  },
};
