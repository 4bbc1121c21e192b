/* comprende: the student's saved answers, one record per module and mode.
 *
 * Practice and exam keep apart (comprende:<module>:practica, comprende:<module>:examen):
 * an exam never starts with what was typed in practice. A record keeps, for each saved
 * answer, the content hash of its item (the catalog's, computed at build time from what
 * the student saw and, in practice, the key). When the bank changes, an answer is kept
 * while its item's hash is the same; the others are dropped, and the record remembers
 * which (its notice), to say it once. Records of the old key (comprende:<module>:v<N>,
 * before practice and exam were apart) become practice records. */
import { isEmpty, isObject } from "./lib.js";

const empty = () => ({ student: { id: "", name: "" }, answers: {}, checked: {}, hashes: {}, labels: {} });

export const storageKey = (catalog) => `comprende:${catalog.module}:${catalog.mode === "exam" ? "examen" : "practica"}`;

/** "Comprensión global, pregunta 3": how the student finds a question. */
export function label(catalog, id) {
  const item = catalog.items[id];
  const set = item && catalog.sets.find((s) => s.id === item.set);
  return set ? `«${set.title}», pregunta ${item.number}` : id;
}

/* A saved answer counts when it says something (a mapping's empty values do not). */
export function answered(value) {
  if (isObject(value)) return Object.values(value).some((v) => !isEmpty(v));
  return !isEmpty(value);
}

function read(key) {
  try {
    const value = JSON.parse(localStorage.getItem(key) || "null");
    return isObject(value) && isObject(value.answers) ? value : null;
  } catch (error) {
    return null; /* a corrupt record is replaced */
  }
}

/* The newest record of the old key, for a practice page: {version, record} or null. */
function legacy(catalog) {
  if (catalog.mode === "exam") return null;
  const prefix = `comprende:${catalog.module}:v`;
  let found = null;
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    const version = key && key.startsWith(prefix) ? Number(key.slice(prefix.length)) : NaN;
    if (Number.isInteger(version) && (!found || version > found.version)) found = { key, version };
  }
  if (!found) return null;
  const record = read(found.key);
  const keys = [];
  for (let i = 0; i < localStorage.length; i++) if (localStorage.key(i).startsWith(prefix)) keys.push(localStorage.key(i));
  keys.forEach((key) => localStorage.removeItem(key));
  if (!record) return null;
  /* Old records carry no hashes: the same version is the same bank; an older one is not. */
  const hashes = {};
  if (found.version === catalog.version) Object.keys(record.answers).forEach((id) => (hashes[id] = catalog.items[id]?.hash));
  return { ...empty(), ...record, hashes, labels: {}, checked: found.version === catalog.version ? record.checked || {} : {} };
}

/** The record for this page's catalog, reconciled with the bank as it is now. */
export function load(catalog) {
  const key = storageKey(catalog);
  let record = null;
  try {
    record = read(key) || legacy(catalog);
  } catch (error) {
    record = null; /* storage refused (private mode): start empty */
  }
  const state = { ...empty(), ...(record || {}) };
  state.student = isObject(state.student) ? { id: String(state.student.id || ""), name: String(state.student.name || "") } : empty().student;
  for (const name of ["checked", "hashes", "labels"]) if (!isObject(state[name])) state[name] = {};
  const dropped = reconcile(catalog, state);
  if (dropped.length) state.notice = { version: catalog.version, dropped: [...(state.notice?.dropped || []), ...dropped] };
  state.version = catalog.version;
  return state;
}

/* Drop the answers whose item is gone or changed; the Spanish lines that say which. */
function reconcile(catalog, state) {
  const dropped = [];
  for (const id of Object.keys(state.answers)) {
    const item = catalog.items[id];
    if (item && state.hashes[id] === item.hash) continue;
    if (!answered(state.answers[id]) && item) {
      state.hashes[id] = item.hash;
      continue;
    }
    dropped.push(item ? `${label(catalog, id)} (ha cambiado)` : `${state.labels[id] || id} (ya no existe)`);
    delete state.answers[id];
    delete state.checked[id];
    delete state.hashes[id];
    delete state.labels[id];
  }
  return dropped;
}

/** Save; false when the browser refused. The hash and label of every answer go with it. */
export function save(catalog, state) {
  for (const id of Object.keys(state.answers)) {
    if (!catalog.items[id]) continue;
    state.hashes[id] = catalog.items[id].hash;
    state.labels[id] = label(catalog, id);
  }
  try {
    localStorage.setItem(storageKey(catalog), JSON.stringify(state));
    return true;
  } catch (error) {
    return false;
  }
}
