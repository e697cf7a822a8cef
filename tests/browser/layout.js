// At the viewport's width: which code boxes scroll sideways, and does the page.
() => {
  const measure = (pre) => {
    const lines = pre.textContent.split("\n");
    const longest = lines.reduce((a, b) => (b.length > a.length ? b : a), "");
    return {
      scroll_width: pre.scrollWidth,
      client_width: pre.clientWidth,
      longest_line: longest.length,
      line: longest.slice(0, 100),
      overflow_x: getComputedStyle(pre).overflowX,
    };
  };
  const visible = (pre) => pre.clientWidth > 0;
  const all = [...document.querySelectorAll("article div.highlight pre, article div.cell_output pre")];
  const outputs = all.filter((pre) => pre.closest(".cell_output") || pre.closest(".output"));
  const code = all.filter((pre) => !outputs.includes(pre));
  const overflows = (pre) => visible(pre) && pre.scrollWidth > pre.clientWidth;
  const root = document.scrollingElement;
  return {
    code_blocks: code.length,
    code_overflow: code.filter(overflows).map(measure),
    output_overflow: outputs.filter(overflows).map(measure),
    page_overflow: Math.max(0, root.scrollWidth - root.clientWidth),
  };
}
