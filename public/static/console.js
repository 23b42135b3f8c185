// Lobby console: the few things that need a script. Everything works without it.
document.addEventListener("click", (e) => {
  const ask = e.target.closest("button[data-confirm]");
  if (ask && !window.confirm(ask.dataset.confirm)) {
    e.preventDefault();
    return;
  }
  const copy = e.target.closest("[data-copy]");
  if (copy) {
    e.preventDefault();
    navigator.clipboard.writeText(copy.dataset.copy).then(() => {
      // The button's own words are kept from the first click, so a second click within the
      // pause does not make "Copied" stick. A button named for its row ("Copy link for ann@…")
      // says "Copied" to a screen reader too.
      copy.was ??= [copy.textContent, copy.getAttribute("aria-label")];
      const [text, label] = copy.was;
      clearTimeout(copy.copiedTimer);
      copy.textContent = "Copied";
      if (label) copy.setAttribute("aria-label", "Copied");
      copy.copiedTimer = setTimeout(() => { copy.textContent = text; if (label) copy.setAttribute("aria-label", label); }, 1500);
    });
  }
  const all = e.target.closest("[data-select-all]");
  if (all) {
    document.querySelectorAll(`input[name="${all.dataset.selectAll}"]`).forEach((b) => { b.checked = all.checked; });
  }
});
document.addEventListener("submit", (e) => {
  const f = e.target;
  let ask = f.dataset.confirm;
  // A form that may email asks differently when its notify box is unticked.
  if (ask && f.dataset.confirmUnticked && f.elements.notify && !f.elements.notify.checked) ask = f.dataset.confirmUnticked;
  if (ask && !window.confirm(ask)) e.preventDefault();
});
// The bulk bar's role and team lists show only for the action that uses them.
document.querySelectorAll("select[name=action]").forEach((action) => {
  const extras = action.form.querySelectorAll("[data-for-action]");
  const show = () => extras.forEach((el) => { el.hidden = el.dataset.forAction !== action.value; });
  action.addEventListener("change", show);
  show();
});
// A typed confirmation enables its button only when the words match.
document.querySelectorAll("[data-confirm-text]").forEach((input) => {
  const button = input.form.querySelector("button");
  const check = () => { button.disabled = input.value.trim() !== input.dataset.confirmText; };
  input.addEventListener("input", check);
  check();
});
