// The shared grading vectors in Node, with the page's own modules (no browser).
// Usage: node run_vectors.mjs <static folder> <payload.json>; the payload is
// {items: {id: item JSON as the page has it}, cases: [{item, answer}, ...]}.
// Prints [{points, possible, status, feedback}, ...], one per case, as JSON.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [folder, payloadPath] = process.argv.slice(2);
const { gradeWith } = await import(pathToFileURL(join(folder, "comprende", "lib.js")));
const types = {};
for (const name of readdirSync(join(folder, "comprende", "types")).filter((n) => n.endsWith(".js"))) {
  types[name.slice(0, -3)] = (await import(pathToFileURL(join(folder, "comprende", "types", name)))).default;
}
const { items, cases } = JSON.parse(readFileSync(payloadPath, "utf8"));
const results = cases.map((c) => {
  const item = items[c.item];
  if (!types[item.type]) throw new Error(`no module for the question type ${item.type}`);
  return gradeWith(types[item.type], item, c.answer);
});
process.stdout.write(JSON.stringify({ types: Object.keys(types).sort(), results }));
