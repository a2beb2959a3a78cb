/**
 * The wire's words, mirrored from `axio_nb/stream/blocks.py` (the contract is PROTOCOL.md). A block
 * kind or a status is spelt here and nowhere else in the front end; `tests/unit/test_protocol.py`
 * checks that these objects hold exactly the Python enums' values.
 */

/** What a block is; `blocks.js` has exactly one renderer per kind. */
export const BlockKind = Object.freeze({
  text: "text",
  reasoning: "reasoning",
  tool: "tool",
  image: "image",
  audio: "audio",
  video: "video",
  refusal: "refusal",
  error: "error",
  notice: "notice",
  user: "user",
});

/** Where a turn is: `meta.status`. */
export const Status = Object.freeze({
  waiting: "waiting",
  streaming: "streaming",
  done: "done",
  error: "error",
  interrupted: "interrupted",
});

export const ToolStatus = Object.freeze({
  running: "running",
  ok: "ok",
  error: "error",
});

export const NoticeLevel = Object.freeze({
  warning: "warning",
  info: "info",
});

/** Statuses of a turn that is still producing. */
export const LIVE = Object.freeze(new Set([Status.waiting, Status.streaming]));
