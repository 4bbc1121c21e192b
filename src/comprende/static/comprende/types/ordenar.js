import { Invalid, MSG, element } from "../lib.js";

/* Whether the student has answered (moved an element, or kept the order on purpose). */
function setMoved(section, moved) {
  section.dataset.moved = String(moved);
}

export default {
  grade(item, answer) {
    const ids = item.order;
    const all = item.elements ? item.elements.map((e) => e.id) : ids; /* the shape, without the key */
    if (!Array.isArray(answer) || !answer.every((a) => typeof a === "string") ||
        JSON.stringify([...answer].sort()) !== JSON.stringify([...all].sort())) {
      throw new Invalid("se esperaba la lista de todos los elementos, cada uno una vez.");
    }
    let good = 0;
    for (let i = 0; i + 1 < answer.length; i++) if (ids.indexOf(answer[i + 1]) === ids.indexOf(answer[i]) + 1) good++;
    return [good / (ids.length - 1), [good === ids.length - 1 ? MSG.correct : MSG.incorrect]];
  },
  /* Not answered until the student moves an element: the starting order is not an answer. */
  read(item, section) {
    if (section.dataset.moved !== "true") return [];
    return [...section.querySelectorAll(".cp-order-item")].map((li) => li.dataset.element);
  },
  /* No answer: the student's own starting order. */
  write(item, section, answer, page) {
    const list = section.querySelector(".cp-order");
    setMoved(section, Array.isArray(answer) && answer.length > 0);
    let order = Array.isArray(answer) && answer.length ? answer : page.order(item.elements.map((e) => e.id), item.id);
    /* A starting order that is already the key (practice pages know it) starts rotated. */
    if (order !== answer && item.order && order.join() === item.order.join()) order = [...order.slice(1), order[0]];
    order.forEach((id) => {
      const li = list.querySelector(`[data-element="${CSS.escape(id)}"]`);
      if (li) list.appendChild(li);
    });
  },
  shuffle(item, section, page, stored) {
    if (!Array.isArray(stored) || stored.length === 0) this.write(item, section, null, page);
  },
  /* The up and down buttons; each move is announced. */
  setUp(item, section, page) {
    const list = section.querySelector(".cp-order");
    const live = element("p", "cp-visually-hidden");
    live.setAttribute("aria-live", "polite");
    list.after(live);
    /* The starting order, taken as it is: an answer too. */
    section.querySelector(".cp-keep-order")?.addEventListener("click", () => {
      setMoved(section, true);
      live.textContent = "Has dado este orden como respuesta.";
      page.changed(item);
    });
    list.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      const li = button.closest("li");
      const up = button.classList.contains("cp-up");
      const sibling = up ? li.previousElementSibling : li.nextElementSibling;
      if (!sibling) {
        live.textContent = up ? "Ya está en la primera posición." : "Ya está en la última posición.";
        return;
      }
      setMoved(section, true);
      if (up) list.insertBefore(li, sibling);
      else list.insertBefore(sibling, li);
      button.focus();
      const position = [...list.children].indexOf(li) + 1;
      live.textContent = `«${li.querySelector(".cp-order-text").textContent}» está ahora en la posición ${position} de ${list.children.length}.`;
      page.changed(item);
    });
  },
};
