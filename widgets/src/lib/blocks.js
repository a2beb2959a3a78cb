/** One renderer per block kind, in one dispatch table, with a visible fallback for kinds this view predates. */
import { h, safeHttpUrl, setText, str } from "./dom.js";
import { StreamingMarkdown } from "./markdown-stream.js";
import { pcmFormat } from "./audio/pcm.js";
import { createMediaView } from "./media.js";
import { createSpeechView } from "./speech.js";
import { BlockKind, NoticeLevel } from "./protocol.js";
import { createToolView } from "./tool.js";

/**
 * @typedef {import("./store.js").Block} Block
 * @typedef {{live: boolean, urls: import("./media.js").UrlRegistry, textSince?: (id: number, from: number) => string | null,
 *   stoppers?: Set<() => void>, speech?: import("./speech-out.js").SpeechOut}} RenderContext
 *   `stoppers`: what the view's Stop button also stops (a speech player cuts at once); `speech`: the store's
 *   speech output (speech-out.js), which plays streamed speech
 *   `live`: the stream has not finished, so text may still grow (render it tail-only). `textSince`: what
 *   was appended to a block's text after its first `from` characters, if known (the store's append log).
 * @typedef {{update(block: Block, ctx: RenderContext): void, destroy?(): void}} Renderer
 * @typedef {{el: HTMLElement, kind: string, renderer: Renderer}} BlockView
 */

/**
 * Give a streaming renderer the new part of a block's text, taken from the store's append log when it has
 * it: reading `block.text` itself every frame would copy the whole text each time.
 * @param {StreamingMarkdown} md
 * @param {Block} block
 * @param {boolean} complete
 * @param {RenderContext} ctx
 */
function updateMarkdown(md, block, complete, ctx) {
  const delta = md.finalText === null && typeof block.text === "string" ? ctx.textSince?.(block.id, md.length) : null;
  if (typeof delta === "string") md.extend(delta, complete, () => str(block.text));
  else md.update(str(block.text), complete);
}

/**
 * @param {Document} doc
 * @param {HTMLElement} el
 * @returns {Renderer}
 */
function textRenderer(doc, el) {
  const md = new StreamingMarkdown(doc);
  const cites = h(doc, "ol", "axio-nb-citations");
  cites.setAttribute("aria-label", "Sources");
  cites.hidden = true;
  el.append(md.el, cites);
  let citeSig = "[]";
  return {
    update(block, ctx) {
      updateMarkdown(md, block, !ctx.live, ctx);
      const list = Array.isArray(block.citations) ? block.citations : [];
      const sig = JSON.stringify(list);
      if (sig === citeSig) return;
      citeSig = sig;
      cites.replaceChildren(...list.map((c) => citationItem(doc, c)));
      cites.hidden = list.length === 0;
    },
    destroy: () => md.destroy(),
  };
}

/**
 * @param {Document} doc
 * @param {any} c `{title, url, cited_text}`, all untrusted
 */
export function citationItem(doc, c) {
  const li = h(doc, "li", "axio-nb-citation");
  const url = safeHttpUrl(c?.url);
  const title = str(c?.title) || str(c?.url) || "source";
  const link = h(doc, url ? "a" : "span", "axio-nb-citation-link", title);
  if (url) {
    link.setAttribute("href", url);
    link.setAttribute("target", "_blank");
    link.setAttribute("rel", "noopener noreferrer nofollow");
  }
  const cited = str(c?.cited_text);
  if (cited) link.title = cited.length > 300 ? `${cited.slice(0, 300)}…` : cited;
  li.append(link);
  return li;
}

/** @param {Document} doc @param {HTMLElement} el @returns {Renderer} */
function reasoningRenderer(doc, el) {
  const details = /** @type {HTMLDetailsElement} */ (h(doc, "details", "axio-nb-thinking"));
  const summary = h(doc, "summary", "axio-nb-thinking-summary", "Thinking");
  const chip = h(doc, "span", "axio-nb-chip", "reasoning redacted");
  chip.hidden = true;
  summary.append(chip);
  const md = new StreamingMarkdown(doc);
  details.append(summary, md.el);
  el.append(details);
  /** @type {boolean | null} whether the block was last seen finished; null before the first update */
  let wasDone = null;
  return {
    update(block, ctx) {
      const done = block.done === true || !ctx.live;
      // Open while it streams, folded once the answer starts; after that the reader decides.
      if (done !== wasDone) details.open = !done;
      wasDone = done;
      chip.hidden = block.redacted !== true;
      updateMarkdown(md, block, done, ctx);
    },
    destroy: () => md.destroy(),
  };
}

/** @param {Document} doc @param {HTMLElement} el @returns {Renderer} */
function refusalRenderer(doc, el) {
  const banner = h(doc, "div", "axio-nb-banner", "Declined");
  const category = h(doc, "span", "axio-nb-chip");
  const blocked = h(doc, "span", "axio-nb-chip", "input blocked");
  const spoken = h(doc, "span", "axio-nb-chip", "spoken");
  banner.append(category, blocked, spoken);
  const body = h(doc, "div", "axio-nb-plain");
  el.setAttribute("role", "note");
  el.append(banner, body);
  return {
    update(block) {
      setText(category, str(block.category));
      category.hidden = !block.category;
      blocked.hidden = block.blocked_input !== true;
      spoken.hidden = block.spoken !== true;
      setText(body, str(block.text));
    },
  };
}

/** @param {Document} doc @param {HTMLElement} el @returns {Renderer} */
function errorRenderer(doc, el) {
  el.setAttribute("role", "alert");
  const msg = h(doc, "span", "axio-nb-error-message");
  el.append(h(doc, "strong", "axio-nb-error-label", "Error: "), msg);
  return { update: (block) => setText(msg, str(block.message)) };
}

/** @param {Document} doc @param {HTMLElement} el @returns {Renderer} */
function noticeRenderer(doc, el) {
  el.setAttribute("role", "status");
  const icon = h(doc, "span", "axio-nb-notice-icon");
  icon.setAttribute("aria-hidden", "true");
  const text = h(doc, "span", "axio-nb-notice-text");
  el.append(icon, text);
  return {
    update(block) {
      const level = block.level === NoticeLevel.warning ? NoticeLevel.warning : NoticeLevel.info;
      el.dataset.level = level;
      setText(icon, level === NoticeLevel.warning ? "⚠" : "ℹ");
      setText(text, str(block.text));
    },
  };
}

/** @param {Document} doc @param {HTMLElement} el @returns {Renderer} */
function userRenderer(doc, el) {
  const bubble = h(doc, "div", "axio-nb-bubble");
  bubble.setAttribute("aria-label", "You said");
  el.append(bubble);
  return { update: (block) => setText(bubble, str(block.text)) };
}

/**
 * Audio: streamed speech (`streaming` set, or raw PCM, which no `<audio>` plays as it is) plays while it
 * arrives and ends as a clip (speech.js); any other audio is a player of its bytes (media.js).
 * @param {Document} doc @param {HTMLElement} el @param {RenderContext} ctx @returns {Renderer}
 */
function audioRenderer(doc, el, ctx) {
  /** @type {Renderer | null} */
  let inner = null;
  return {
    update(block) {
      inner ??=
        block.streaming !== undefined || pcmFormat(str(block.media_type))
          ? createSpeechView(doc, el, ctx.urls, { speech: ctx.speech, stoppers: ctx.stoppers })
          : createMediaView(doc, el, "audio", ctx.urls);
      inner.update(block, ctx);
    },
    destroy: () => inner?.destroy?.(),
  };
}

/** @type {Record<string, (doc: Document, el: HTMLElement, ctx: RenderContext) => Renderer>} */
export const RENDERERS = {
  [BlockKind.text]: textRenderer,
  [BlockKind.reasoning]: reasoningRenderer,
  [BlockKind.tool]: (doc, el) => createToolView(doc, el),
  [BlockKind.image]: (doc, el, ctx) => createMediaView(doc, el, "image", ctx.urls),
  [BlockKind.audio]: audioRenderer,
  [BlockKind.video]: (doc, el, ctx) => createMediaView(doc, el, "video", ctx.urls),
  [BlockKind.refusal]: refusalRenderer,
  [BlockKind.error]: errorRenderer,
  [BlockKind.notice]: noticeRenderer,
  [BlockKind.user]: userRenderer,
};

/** @param {Document} doc @param {HTMLElement} el @returns {Renderer} */
function unsupportedRenderer(doc, el) {
  const text = h(doc, "span");
  el.append(text);
  return { update: (block) => setText(text, `unsupported block kind ${str(block.kind)}`) };
}

/**
 * Create the view of one block; an unknown kind gets a visible placeholder, never an exception.
 * @param {Document} doc
 * @param {Block} block
 * @param {RenderContext} ctx
 * @returns {BlockView}
 */
export function createBlockView(doc, block, ctx) {
  const kind = Object.hasOwn(RENDERERS, block.kind) ? block.kind : "unsupported";
  const el = h(doc, "div", `axio-nb-block axio-nb-${kind}`);
  el.dataset.blockId = String(block.id);
  const factory = kind === "unsupported" ? unsupportedRenderer : RENDERERS[kind];
  return { el, kind: str(block.kind), renderer: factory(doc, el, ctx) };
}
