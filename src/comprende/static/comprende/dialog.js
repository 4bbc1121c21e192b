/* comprende: a confirmation before something that cannot be undone, as a modal <dialog>:
 * the browser keeps the focus inside it, Escape cancels, and the focus goes back to the
 * button that opened it. The safe choice («Cancelar») has the focus first. */
import { element } from "./lib.js";

/**
 * Ask; a promise of true (confirmed) or false.
 * @param {{title: string, lines: string[], list?: string[], confirm: string, cancel?: string, danger?: boolean}} question
 */
export function ask({ title, lines, list = [], confirm, cancel = "Cancelar", danger = true }) {
  const opener = document.activeElement;
  const dialog = element("dialog", "cp-confirm");
  const heading = element("h2", "", title);
  heading.id = `cp-confirm-title-${Date.now()}`;
  dialog.setAttribute("aria-labelledby", heading.id);
  dialog.appendChild(heading);
  const body = element("div", "cp-confirm-body");
  body.id = `${heading.id}-body`;
  dialog.setAttribute("aria-describedby", body.id);
  lines.forEach((line) => body.appendChild(element("p", "", line)));
  if (list.length) {
    const ul = element("ul");
    list.forEach((line) => ul.appendChild(element("li", "", line)));
    body.appendChild(ul);
  }
  dialog.appendChild(body);
  const actions = element("div", "cp-confirm-actions");
  const yes = element("button", danger ? "cp-confirm-yes cp-button-danger" : "cp-confirm-yes cp-button-primary", confirm);
  const no = element("button", "cp-confirm-no cp-button-cancel", cancel);
  yes.type = no.type = "button";
  actions.append(no, yes);
  dialog.appendChild(actions);
  document.body.appendChild(dialog);
  return new Promise((resolve) => {
    const close = (answer) => {
      dialog.close();
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(answer);
    };
    yes.addEventListener("click", () => close(true));
    no.addEventListener("click", () => close(false));
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      close(false);
    });
    dialog.showModal();
    no.focus();
  });
}
