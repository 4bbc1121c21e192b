/* comprende: the evidence sentence of a feedback link (articulo.html?cita=…#pN), marked
   across the glossary's links. Loaded by comprende.js only on such a link. */
"use strict";
(function () {
  const quote = new URLSearchParams(location.search).get("cita");
  const para = location.hash && document.getElementById(location.hash.slice(1));
  const box = quote && para && para.querySelector(".cp-para-text");
  if (!box) return;
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  const pieces = [];
  let text = "";
  for (let n = walker.nextNode(); n; n = walker.nextNode()) { pieces.push([n, text.length]); text += n.data; }
  const start = text.indexOf(quote), end = start + quote.length;
  if (start < 0) return;
  let first = null;
  pieces.forEach(([n, at]) => {
    if (at + n.data.length <= start || at >= end) return;
    const range = document.createRange();
    range.setStart(n, Math.max(0, start - at));
    range.setEnd(n, Math.min(n.data.length, end - at));
    const mark = document.createElement("mark");
    mark.className = "cp-evidence";
    range.surroundContents(mark);
    first = first || mark;
  });
  para.classList.add("cp-highlight");
  if (first) first.scrollIntoView({ block: "center" });
})();
