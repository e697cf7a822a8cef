// Run in each page once it has loaded: wait for MathJax and the images, then
// report formulas, raw TeX left in the visible text, images, links and ids.
async () => {
  // Never wait forever: a promise that does not settle in 20 s is reported.
  const within = (promise, what) => Promise.race([
    promise.then(() => ""),
    new Promise((resolve) => setTimeout(() => resolve(`${what}: not done after 20 s`), 20000)),
  ]);
  const timeouts = [];
  const mathjax = Boolean(window.MathJax && window.MathJax.startup);
  if (mathjax) {
    timeouts.push(await within(window.MathJax.startup.promise, "MathJax"));
  }
  timeouts.push(await within(Promise.all(
    [...document.images].map((img) =>
      img.complete ? null : new Promise((resolve) => {
        img.addEventListener("load", resolve, { once: true });
        img.addEventListener("error", resolve, { once: true });
      })
    )
  ), "images"));
  // Sphinx writes each formula as a .math span or div holding \(...\) or \[...\];
  // MathJax replaces its text with one mjx-container.
  const mathNodes = [...document.querySelectorAll("span.math, div.math")];
  const untypeset = mathNodes
    .filter((node) => !node.querySelector("mjx-container"))
    .map((node) => node.textContent.trim().slice(0, 80));
  // Raw TeX delimiters left in text a reader sees (code is not prose).
  const skip = "pre, code, script, style, textarea, mjx-container, .highlight";
  const raw = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip)) continue;
    const text = node.textContent;
    if (!/\\\(|\\\)|\\\[|\\\]|\$\$|\\begin\{/.test(text)) continue;
    if (!parent.checkVisibility({ visibilityProperty: true })) continue;
    raw.push(text.trim().slice(0, 120));
  }
  const ids = [...document.querySelectorAll("[id]")].map((el) => el.id);
  ids.push(...[...document.querySelectorAll("a[name]")].map((a) => a.getAttribute("name")));
  return {
    mathjax,
    timeouts: timeouts.filter(Boolean),
    math_nodes: mathNodes.length,
    // The article alone: a heading's formula is repeated in the page's contents.
    article_math: document.querySelectorAll("article span.math, article div.math").length,
    formulas: document.querySelectorAll("mjx-container").length,
    untypeset,
    raw_math_text: raw,
    images: [...document.images].map((img) => ({
      src: img.getAttribute("src"),
      url: img.currentSrc || img.src,
      complete: img.complete,
      natural_width: img.naturalWidth,
    })),
    links: [...document.querySelectorAll("a[href]")].map((a) => ({
      href: a.getAttribute("href"),
      url: a.href,
      internal: a.protocol === "file:",
      text: a.textContent.trim().slice(0, 60),
    })),
    ids,
  };
}
