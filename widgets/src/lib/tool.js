/** The tool-call card: name, status, arguments as they stream, live output, collapsed result. */
import { Collapsible } from "./collapse.js";
import { h, setText, str } from "./dom.js";
import { ToolStatus } from "./protocol.js";

const STATUS = {
  [ToolStatus.running]: { icon: "⏳", label: "running" },
  [ToolStatus.ok]: { icon: "✓", label: "succeeded" },
  [ToolStatus.error]: { icon: "✗", label: "failed" },
};

/** @param {string} key an output stream name from the kernel, reduced to a class-safe token */
function streamClass(key) {
  return key === "stderr" ? "axio-nb-stderr" : key === "stdout" ? "axio-nb-stdout" : "axio-nb-output-other";
}

/**
 * The argument lines of a tool card: `fields` (decoded so far), or the raw JSON when there are none.
 * @param {Record<string, any>} block
 * @returns {{key: string, value: string}[] | string}
 */
export function toolArgLines(block) {
  const fields = block.fields && typeof block.fields === "object" ? block.fields : {};
  const keys = Object.keys(fields);
  if (keys.length === 0) return str(block.args);
  return keys.map((key) => {
    const v = fields[key];
    return { key, value: typeof v === "string" ? v : JSON.stringify(v) ?? "" };
  });
}

/**
 * @param {Document} doc
 * @param {HTMLElement} el the block element
 */
export function createToolView(doc, el) {
  const head = h(doc, "div", "axio-nb-tool-head");
  const icon = h(doc, "span", "axio-nb-tool-icon");
  icon.setAttribute("role", "img");
  const name = h(doc, "span", "axio-nb-tool-name");
  head.append(icon, name);
  const args = h(doc, "div", "axio-nb-tool-args");
  args.setAttribute("aria-label", "Tool arguments");
  const raw = h(doc, "pre", "axio-nb-tool-raw");
  const outputs = h(doc, "div", "axio-nb-tool-output");
  const result = new Collapsible(doc, "axio-nb-tool-result", "result", "head");
  el.append(head, args, outputs, result.el);

  /** @type {Map<string, {line: HTMLElement, value: HTMLElement}>} */
  const argEls = new Map();
  /** @type {Map<string, Collapsible>} */
  const streams = new Map();

  return {
    /** @param {Record<string, any>} block */
    update(block) {
      const status = STATUS[/** @type {keyof typeof STATUS} */ (block.status)] ?? STATUS.running;
      el.dataset.status = block.status in STATUS ? block.status : ToolStatus.running;
      setText(icon, status.icon);
      icon.setAttribute("aria-label", status.label);
      setText(name, str(block.name) || "tool");
      el.setAttribute("aria-label", `Tool call ${str(block.name)}: ${status.label}`);

      const lines = toolArgLines(block);
      if (typeof lines === "string") {
        if (argEls.size) {
          argEls.clear();
          args.textContent = "";
        }
        setText(raw, lines);
        if (raw.parentNode !== args) args.replaceChildren(raw);
        args.hidden = lines === "";
      } else {
        if (raw.parentNode === args) raw.remove();
        for (const { key, value } of lines) {
          let entry = argEls.get(key);
          if (!entry) {
            const line = h(doc, "div", "axio-nb-tool-arg");
            line.append(h(doc, "span", "axio-nb-tool-key", `${key}: `));
            const valueEl = h(doc, "span", "axio-nb-tool-value");
            line.append(valueEl);
            args.append(line);
            entry = { line, value: valueEl };
            argEls.set(key, entry);
          }
          setText(entry.value, value);
        }
        args.hidden = false;
      }

      const output = block.output && typeof block.output === "object" ? block.output : {};
      for (const [key, text] of Object.entries(output)) {
        let panel = streams.get(key);
        if (!panel) {
          panel = new Collapsible(doc, streamClass(key), key, "tail");
          panel.el.dataset.stream = key;
          panel.el.setAttribute("aria-label", `Tool ${key}`);
          streams.set(key, panel);
          outputs.append(panel.el);
        }
        panel.update(str(text));
      }
      outputs.hidden = streams.size === 0;

      const res = str(block.result);
      result.update(res);
      result.el.hidden = res === "";
      result.el.classList.toggle("axio-nb-tool-error", block.status === ToolStatus.error);
    },
  };
}
