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
