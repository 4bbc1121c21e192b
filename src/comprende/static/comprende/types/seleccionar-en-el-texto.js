/* seleccionar-en-el-texto: the learner marks the sentences that support a statement;
 * points × max(0, right marks / key sentences − wrong marks / other candidates).
 * The helpers (grading, toggles) are in ../selection.js, shared with dos-partes. */
import { gradeSelection, readSentences, setUpSentences, writeSentences } from "../selection.js";

export default {
  grade: (item, answer) => gradeSelection(item, answer),
  read: (item, section) => readSentences(section),
  write: (item, section, answer) => writeSentences(section, answer),
  setUp: (item, section, page) => setUpSentences(section, () => page.changed(item)),
};
