/* comprende: the project's own script (no framework, no other host). */
"use strict";
(function () {
  // Glossary previews: Escape hides an open preview without moving focus (WCAG 1.4.13).
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") document.body.classList.add("cp-tips-dismissed");
  });
  document.addEventListener("focusin", function () {
    document.body.classList.remove("cp-tips-dismissed");
  });
  document.addEventListener("mouseover", function (event) {
    if (event.target.closest && event.target.closest(".cp-term")) {
      document.body.classList.remove("cp-tips-dismissed");
    }
  });
})();

/* The article page: highlight the evidence sentence a feedback link points to
   (articulo.html?cita=…#pN), across the glossary links inside the paragraph. */
(function () {
  const quote = new URLSearchParams(window.location.search).get("cita");
  const paragraph = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (!quote || !paragraph) return;
  const container = paragraph.querySelector(".cp-para-text");
  if (!container) return;
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement.closest(".cp-tip") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const pieces = [];
  let text = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    pieces.push({ node, start: text.length });
    text += node.data;
  }
  const start = text.indexOf(quote);
  if (start < 0) return;
  const end = start + quote.length;
  let first = null;
  pieces.forEach(({ node, start: nodeStart }) => {
    const nodeEnd = nodeStart + node.data.length;
    if (nodeEnd <= start || nodeStart >= end) return;
    const range = document.createRange();
    range.setStart(node, Math.max(0, start - nodeStart));
    range.setEnd(node, Math.min(node.data.length, end - nodeStart));
    const mark = document.createElement("mark");
    mark.className = "cp-evidence";
    range.surroundContents(mark);
    first = first || mark;
  });
  paragraph.classList.add("cp-highlight");
  if (first) first.scrollIntoView({ block: "center" });
})();
