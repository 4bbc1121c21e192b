/* comprende: grading shared by the question types (grading.py's rules; both are
 * tested on tests/data/grading_vectors.yaml), and small page helpers.
 *
 * A question type is types/<type-id>.js; its default export: {
 *   mapping?: true if the answer is {key: value} (empty values: not answered),
 *   autoGraded?: false if never scored here (status "pending", 0 points),
 *   grade(item, answer): [fraction, feedback messages]; the answer is cleaned and
 *     not empty; a wrong shape throws Invalid("<Spanish reason>"),
 *   read(item, section): the widget's answer,
 *   write(item, section, answer, page): show the answer (null: none),
 *   setUp?(item, section, page): once, before the first write,
 *   shuffle?(item, section, page, saved): the student's order, on start and when
 *     the student id changes }
 * item: the item's JSON in the page (pagedata.py); section: its #item-<id>;
 * page: {order(ids, salt): ids in the student's order, changed(item): call when
 * the type's own controls change the answer}. */

export class Invalid extends Error {}

export const MSG = {
  missing: "Sin respuesta.",
  invalid: "Respuesta no válida: ",
  correct: "¡Correcto!",
  incorrect: "No es correcto.",
  accentRequired: (e) => `Casi: revisa la tilde. La forma correcta es «${e}».`,
  accentOptional: (e) => `Correcto, pero revisa la tilde: se escribe «${e}».`,
  typo: (e) => `Correcto, aunque con una errata: se escribe «${e}».`,
  missed: "Te falta alguna opción correcta.",
  pending: "Tu profesor o profesora corregirá esta respuesta.",
};
const QUOTES = { "‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"' };
const NUMBER = /^[+-]?(?:[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)$/;

export const roundPoints = (v) => Math.floor(v * 100 + 0.5 + 1e-9) / 100;
export const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const chars = (s) => Array.from(s);

export function isEmpty(a) {
  if (a === null || a === undefined) return true;
  if (typeof a === "string") return a.trim() === "";
  if (Array.isArray(a)) return a.length === 0;
  if (isObject(a)) return Object.keys(a).length === 0;
  return false;
}

/* clean: as textnorm.clean_text in Python. NFC; invisible characters removed
 * (U+200B-U+200D, U+2060, U+FEFF, U+00AD, U+200E, U+200F, U+202A-U+202E,
 * U+2066-U+2069, U+061C); full-width U+FF01-U+FF5E folded to ASCII, U+3000 to a
 * space; NFC again. */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_NESTING = 50;

export function clean(text) {
  return text
    .normalize("NFC")
    .replace(INVISIBLE, "")
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ")
    .normalize("NFC");
}

/* Every text and mapping key of an answer cleaned, as grading.clean_answer. */
export function cleanAnswer(value, depth = 0) {
  if (typeof value === "string") {
    if (LONE_SURROGATE.test(value)) throw new Invalid("la respuesta tiene un carácter que no es texto válido.");
    return clean(value);
  }
  if (Array.isArray(value) || isObject(value)) {
    if (depth >= MAX_NESTING) throw new Invalid("la respuesta tiene demasiados niveles de listas o bloques.");
    if (Array.isArray(value)) return value.map((v) => cleanAnswer(v, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanAnswer(k, depth + 1), cleanAnswer(v, depth + 1)]));
  }
  return value;
}

function normalize(text, foldCase, dropPunctuation) {
  text = clean(text).replace(/[‘’‚‛“”„‟]/g, (c) => QUOTES[c]);
  if (foldCase) text = text.toLowerCase();
  if (dropPunctuation) text = text.replace(/\p{P}/gu, " ");
  return text.replace(/\s+/g, " ").trim();
}

function stripAccents(text) {
  const d = chars(text.normalize("NFD"));
  return d
    .filter((c, i) => !/\p{Mn}/u.test(c) || (c === "\u0303" && i > 0 && (d[i - 1] === "n" || d[i - 1] === "N")))
    .join("")
    .normalize("NFC");
}

function levenshtein(a, b) {
  a = chars(a);
  b = chars(b);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

export function gradeText(key, answer) {
  if (typeof answer === "number" && Number.isSafeInteger(answer)) answer = String(answer);
  if (typeof answer !== "string") throw new Invalid("se esperaba un texto.");
  const foldCase = key.policy.case === "ignore";
  const dropPunctuation = key.policy.punctuation === "ignore";
  const given = normalize(answer, foldCase, dropPunctuation);
  const accepted = key.accept.map((a) => [a, normalize(a, foldCase, dropPunctuation)]);
  if (accepted.some(([, norm]) => norm === given)) return [1, [MSG.correct]];
  const bare = stripAccents(given);
  for (const [original, norm] of accepted) {
    if (bare === stripAccents(norm)) {
      return key.policy.accents === "optional" ? [1, [MSG.accentOptional(original)]] : [0, [MSG.accentRequired(original)]];
    }
  }
  for (const wrong of key.wrong) {
    if (bare === stripAccents(normalize(String(wrong.answer), foldCase, dropPunctuation))) return [0, [wrong.feedback]];
  }
  if (key.policy.typos) {
    for (const [original, norm] of accepted) {
      const allowed = Math.min(key.policy.typos, Math.floor(chars(norm.replace(/ /g, "")).length / 4));
      if (allowed && levenshtein(bare, stripAccents(norm)) <= allowed) return [1, [MSG.typo(original)]];
    }
  }
  return [0, [key.feedbackIncorrect || MSG.incorrect]];
}

export function parseNumber(answer, unit) {
  let value;
  if (typeof answer === "number") {
    value = answer;
  } else if (typeof answer === "string") {
    let text = answer.trim();
    for (const suffix of [(unit || "").trim(), "%"]) {
      if (suffix && text.endsWith(suffix)) {
        text = text.slice(0, -suffix.length).trimEnd();
        break;
      }
    }
    if (!NUMBER.test(text)) throw new Invalid("se esperaba un número, como 80 o 80,5.");
    value = parseFloat(text.replace(",", "."));
  } else {
    throw new Invalid("se esperaba un número.");
  }
  if (value === Infinity || value === -Infinity) throw new Invalid("el número es demasiado grande.");
  if (!Number.isFinite(value)) throw new Invalid("se esperaba un número.");
  return value;
}

/** Grade one answer with its type's module: {points, possible, status, feedback}.
 * Throws only for a bug, never for an answer. */
export function gradeWith(type, item, answer) {
  const result = (points, status, feedback) => ({ points, possible: item.points, status, feedback });
  let fraction, feedback;
  try {
    answer = cleanAnswer(answer);
    if (type.mapping && isObject(answer)) answer = Object.fromEntries(Object.entries(answer).filter(([, v]) => !isEmpty(v)));
    if (isEmpty(answer)) return result(0, "missing", [MSG.missing]);
    [fraction, feedback] = type.grade(item, answer);
  } catch (error) {
    if (error instanceof Invalid) return result(0, "invalid", [MSG.invalid + error.message]);
    throw error;
  }
  if (type.autoGraded === false) return result(0, "pending", feedback);
  const points = roundPoints(item.points * Math.max(0, Math.min(1, fraction)));
  return result(points, points >= item.points ? "correct" : points > 0 ? "partial" : "incorrect", feedback);
}

export const countWords = (text) => text.split(/\s+/).filter(Boolean).length;

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/* The options of a choice item in the student's order. */
export function shuffleOptions(item, section, page) {
  const box = section.querySelector(".cp-options");
  page.order(item.options.map((o) => o.id), item.id).forEach((id) => {
    const input = box.querySelector(`input[value="${CSS.escape(id)}"]`);
    if (input) box.appendChild(input.parentElement);
  });
}
