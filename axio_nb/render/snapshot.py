"""The static snapshot: a finished transcript as plain MIME that needs no kernel and no widget manager.

JupyterLab trusts outputs made in the running session and re-trusts a notebook it signed on save
(docs/design.md#security), so nothing downstream sanitises this HTML: it is safe by construction. Markdown goes
through markdown-it-py with raw HTML off (it escapes tags and refuses `javascript:` links); every
other untrusted string is escaped with `html.escape`; media become data URIs built from bytes that
Pillow verified.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..stream.blocks import MEDIA_KINDS, Block, BlockKind, Meta, ToolStatus
from ..stream.transcript import Transcript
from .css import css_for
from .footer import footer_items
from .html import block_html as _block
from .html import esc as _esc
from .markdown import render_markdown, render_sections
from .math import IGNORE_CLASSES
from .media import image_html, player_html
from .script import snapshot_script

#: The plain-text fallback keeps this much of a text block. Front ends that render HTML (JupyterLab,
#: Notebook, VS Code, nbconvert, GitHub) show the HTML, which is always whole; repeating a 200 KB
#: answer in text/plain would double the notebook's size and the cell's iopub for nobody.
MAX_PLAIN_TEXT = 8_000


def in_order(transcript: Transcript) -> list[Block]:
    """The blocks as the snapshot shows them: a media turn's samples by their number (the call that
    finished first is not sample 0), anything else after them; any other turn as it streamed."""
    if not transcript.meta.get("expected"):
        return transcript.blocks
    return sorted(
        transcript.blocks, key=lambda b: (b.get("index", 1 << 30) if b["kind"] in MEDIA_KINDS else 1 << 30, b["id"])
    )


def mimebundle(transcript: Transcript) -> dict[str, str]:
    """`text/html` for every front end that renders HTML, `text/plain` for nbval, terminals and GitHub."""
    return {"text/html": to_html(transcript), "text/plain": to_text(transcript)}


# -- HTML ----------------------------------------------------------------------------------------
def to_html(transcript: Transcript) -> str:
    """The snapshot's HTML: the stylesheet's rules and the script's parts its content needs, then the content.

    A media turn leaves out the rules for markdown, code, tools and math, and a video-only turn has no script:
    a saved media turn was mostly media again (BENCHMARKS.md, "Saved-notebook bytes per shown media byte").
    """
    # MathJax (JupyterLab typesets HTML outputs) may touch only the formulas, never a "$5 and $10".
    media_turn = " axio-nb-media-turn" if transcript.meta.get("expected") else ""
    parts = [f'<div class="axio-nb-stream axio-nb-snapshot{media_turn} {IGNORE_CLASSES}">']
    for block in in_order(transcript):
        parts.append(_RENDERERS.get(block["kind"], _unsupported)(block, transcript))
    parts.append(_footer_html(transcript.meta))
    parts.append("</div>")
    body = "".join(parts)
    return f"<style>{css_for(body)}</style>{body}{snapshot_script(body)}"


def _text(block: Block, _t: Transcript) -> str:
    inner = render_sections(block["text"])
    links = [
        f'<li><a href="{_esc(c["url"])}" rel="noopener noreferrer" target="_blank">'
        f"{_esc(c['title'] or c['url'])}</a></li>"
        for c in block.get("citations", [])
        if isinstance(c.get("url"), str) and c["url"].startswith(("http://", "https://"))
    ]
    if links:
        inner += f'<ol class="axio-nb-citations">{"".join(links)}</ol>'
    return _block("text", block, inner)


def _reasoning(block: Block, _t: Transcript) -> str:
    chip = ' <span class="axio-nb-chip">redacted</span>' if block.get("redacted") else ""
    body = render_markdown(block["text"])
    return _block("reasoning", block, f"<details><summary>Thinking{chip}</summary>{body}</details>")


def _tool(block: Block, _t: Transcript) -> str:
    icon = {ToolStatus.ok: "✓", ToolStatus.error: "✗"}.get(block["status"], "…")
    if block["fields"]:
        args = "".join(f"<div><b>{_esc(k)}</b>: {_esc(v)}</div>" for k, v in block["fields"].items())
    else:
        args = f"<code>{_esc(block['args'])}</code>" if block["args"] else ""
    outputs = "".join(
        f'<pre class="axio-nb-tool-output axio-nb-{_esc(key)}">{_esc(text)}</pre>'
        for key, text in block["output"].items()
    )
    result = ""
    if block["result"]:
        lines = block["result"].count("\n") + 1
        open_attr = "" if lines > 20 else " open"
        summary = f"<summary>result ({lines} lines)</summary>"
        result = f"<details{open_attr}>{summary}<pre>{_esc(block['result'])}</pre></details>"
    head = (
        f'<div class="axio-nb-tool-head"><span class="axio-nb-tool-status">{icon}</span> '
        f"<b>{_esc(block['name'])}</b></div>"
    )
    status = f" axio-nb-tool-{_esc(block['status'])}"
    return _block("tool" + status, block, f'{head}<div class="axio-nb-tool-args">{args}</div>{outputs}{result}')


def _refusal(block: Block, _t: Transcript) -> str:
    label = "Prompt blocked" if block.get("blocked_input") else "Declined"
    if block.get("category"):
        label += f" ({_esc(block['category'])})"
    return _block("refusal", block, f"<strong>{label}.</strong> {_esc(block['text'])}")


def _error(block: Block, _t: Transcript) -> str:
    return _block("error", block, f"<strong>Error:</strong> {_esc(block['message'])}")


def _notice(block: Block, _t: Transcript) -> str:
    return _block(f"notice axio-nb-{_esc(block['level'])}", block, _esc(block["text"]))


def _user(block: Block, _t: Transcript) -> str:
    return _block("user", block, _esc(block["text"]))


def _unsupported(block: Block, _t: Transcript) -> str:
    return _block("unsupported", block, f"<em>unsupported block kind {_esc(block.get('kind'))}</em>")


_RENDERERS: dict[str, Callable[[Block, Transcript], str]] = {
    BlockKind.text: _text,
    BlockKind.reasoning: _reasoning,
    BlockKind.tool: _tool,
    BlockKind.image: image_html,
    BlockKind.audio: player_html,
    BlockKind.video: player_html,
    BlockKind.refusal: _refusal,
    BlockKind.error: _error,
    BlockKind.notice: _notice,
    BlockKind.user: _user,
}


def _footer_html(meta: Meta) -> str:
    """The live view's footer, item for item (`footer.py`); `incomplete` colours it as a warning."""
    spans = "".join(
        f'<span class="axio-nb-footer-item axio-nb-footer-{key}">{_esc(text)}</span>'
        for key, text in footer_items(meta)
    )
    warn = " axio-nb-incomplete" if meta.get("incomplete") else ""
    return f'<div class="axio-nb-footer{warn}" aria-label="Run details">{spans}</div>' if spans else ""


# -- plain text ----------------------------------------------------------------------------------
def _clip(text: str) -> str:
    if len(text) <= MAX_PLAIN_TEXT:
        return text
    return f"{text[:MAX_PLAIN_TEXT]}\n[… {len(text) - MAX_PLAIN_TEXT} more characters in the HTML output]"


def to_text(transcript: Transcript) -> str:
    """Deterministic for a deterministic stream: no timings, no ids (nbval compares it)."""
    lines: list[str] = []
    for block in in_order(transcript):
        match block["kind"]:
            case BlockKind.text | BlockKind.user:
                lines.append(_clip(block["text"].strip()))
            case BlockKind.reasoning:
                lines.append(f"[thinking: {len(block['text'])} chars]")
            case BlockKind.tool:
                lines.append(f"[tool {block['name']}({_call_args(block)}) → {block['status']}]")
            case BlockKind.image | BlockKind.audio | BlockKind.video:
                lines.append(f"[{block['kind']} {block['media_type']}, {block['size']} bytes]")
            case BlockKind.refusal:
                lines.append(f"[declined] {block['text']}")
            case BlockKind.error:
                lines.append(f"[error] {block['message']}")
            case BlockKind.notice:
                lines.append(f"[{block['level']}] {block['text']}")
            case kind:
                lines.append(f"[unsupported block {kind}]")
    footer = [text for _key, text in footer_items(transcript.meta, timings=False)]
    if footer:
        lines.append("— " + " · ".join(footer))
    return "\n\n".join(line for line in lines if line)


def _call_args(block: Block) -> str:
    """`a=3, b="x"` from the arguments' JSON when it parses to an object; else the streamed fields, else as sent."""
    try:
        parsed = json.loads(block["args"])
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        return ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in parsed.items())
    return ", ".join(f"{k}={v!r}" for k, v in block["fields"].items()) or block["args"]


class Snapshot:
    """A finished transcript as plain MIME (text/html + text/plain)."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return mimebundle(self.transcript)

    def __repr__(self) -> str:
        return describe("Snapshot", self.transcript)


def describe(label: str, transcript: Transcript) -> str:
    """`<StreamView 4 blocks end_turn 120→45 tok>`: cheap, deterministic, what nbval and GitHub show."""
    meta = transcript.meta
    parts = [label, f"{len(transcript.blocks)} blocks", str(meta.get("stop_reason") or meta.get("status"))]
    usage = meta.get("usage")
    if usage:
        parts.append(f"{usage['input']}→{usage['output']} tok")
    return f"<{' '.join(parts)}>"
