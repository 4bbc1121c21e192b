import { Invalid, MSG, element } from "../lib.js";

export default {
  grade(item, answer) {
    const ids = item.order;
    if (!Array.isArray(answer) || !answer.every((a) => typeof a === "string") ||
        JSON.stringify([...answer].sort()) !== JSON.stringify([...ids].sort())) {
      throw new Invalid("se esperaba la lista de todos los elementos, cada uno una vez.");
    }
    let good = 0;
    for (let i = 0; i + 1 < answer.length; i++) if (ids.indexOf(answer[i + 1]) === ids.indexOf(answer[i]) + 1) good++;
    return [good / (ids.length - 1), [good === ids.length - 1 ? MSG.correct : MSG.incorrect]];
  },
  read(item, section) {
    return [...section.querySelectorAll(".cp-order-item")].map((li) => li.dataset.element);
  },
  /* No answer: the student's own starting order. */
  write(item, section, answer, page) {
    const list = section.querySelector(".cp-order");
    const order = Array.isArray(answer) ? answer : page.order(item.elements.map((e) => e.id), item.id);
    order.forEach((id) => {
      const li = list.querySelector(`[data-element="${CSS.escape(id)}"]`);
      if (li) list.appendChild(li);
    });
  },
  shuffle(item, section, page, stored) {
    if (!Array.isArray(stored)) this.write(item, section, null, page);
  },
  /* The up and down buttons; each move is announced. */
  setUp(item, section, page) {
    const list = section.querySelector(".cp-order");
    const live = element("p", "cp-visually-hidden");
    live.setAttribute("aria-live", "polite");
    list.after(live);
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
      if (up) list.insertBefore(li, sibling);
      else list.insertBefore(sibling, li);
      button.focus();
      const position = [...list.children].indexOf(li) + 1;
      live.textContent = `«${li.querySelector(".cp-order-text").textContent}» está ahora en la posición ${position} de ${list.children.length}.`;
      page.changed(item);
    });
  },
};
