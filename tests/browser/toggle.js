// Open every dropdown as a reader would (click its title) and report, for
// each, whether its content was hidden before and is shown after.
async () => {
  const shown = (el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true })
    && el.getBoundingClientRect().height > 0;
  const items = [];
  // sphinx-togglebutton: admonitions with class "dropdown" (exercise solutions).
  for (const item of document.querySelectorAll(".admonition.dropdown, .admonition.toggle")) {
    const title = item.querySelector(":scope > .admonition-title");
    const body = [...item.children].filter((c) => !c.classList.contains("admonition-title"));
    items.push({ kind: "admonition", trigger: title, body, open: () => true });
  }
  // <details> dropdowns (sphinx-design, sphinx-togglebutton's {toggle}).
  for (const details of document.querySelectorAll("article details")) {
    const summary = details.querySelector(":scope > summary");
    const body = [...details.children].filter((c) => c.tagName !== "SUMMARY");
    items.push({ kind: "details", trigger: summary, body, open: () => details.open });
  }
  for (const item of items) {
    item.title = item.trigger ? item.trigger.textContent.trim().slice(0, 60) : "";
    item.hidden_before = !item.body.some(shown);
    if (item.trigger) item.trigger.click();
  }
  // The theme fades the content in (a CSS transition of 0.3 s).
  await new Promise((resolve) => setTimeout(resolve, 600));
  return items.map((item) => ({
    kind: item.kind,
    title: item.title,
    hidden_before: item.hidden_before,
    shown_after: item.open() && item.body.length > 0 && item.body.every(shown),
  }));
}
