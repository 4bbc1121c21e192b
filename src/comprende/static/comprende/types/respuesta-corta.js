import { gradeText } from "../lib.js";

export default {
  grade: (item, answer) => gradeText(item.textKey, answer),
  read: (item, section) => section.querySelector("input.cp-text").value,
  write(item, section, answer) {
    section.querySelector("input.cp-text").value = answer == null ? "" : String(answer);
  },
};
