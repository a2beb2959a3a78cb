"""The static snapshot: a finished transcript as plain MIME that needs no kernel and no widget manager.

JupyterLab trusts outputs made in the running session and re-trusts a notebook it signed on save
(docs/design.md#security), so nothing downstream sanitises this HTML: it is safe by construction. Markdown goes
through markdown-it-py with raw HTML off (it escapes tags and refuses `javascript:` links); every
other untrusted string is escaped with `html.escape`; media become data URIs built from bytes that
Pillow verified.
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES, _TokenType
from pygments.util import ClassNotFound

from ..media import MediaError, displayable_image
from ..media.audio import playable
from ..stream.blocks import MEDIA_KINDS, Block, BlockKind, Meta, ToolStatus
from ..stream.transcript import Transcript
from .css import SNAPSHOT_CSS, TOKEN_CLASS
from .footer import footer_items
from .math import IGNORE_CLASSES, math_plugin

#: Media larger than this are described, not embedded: a notebook is no place for a 200 MB video.
#: $AXIO_NB_MAX_EMBED_MB changes it (read at each snapshot).
MAX_EMBED_BYTES = 8 * 1024 * 1024


def max_embed_bytes() -> int:
    try:
        return int(float(os.environ["AXIO_NB_MAX_EMBED_MB"]) * 1024 * 1024)
    except (KeyError, ValueError):
        return MAX_EMBED_BYTES


def _not_embedded(kind: str, block: Block, size: int) -> str:
    """What the saved notebook says instead of media over the limit: how big, and where the file is."""
    where = f": saved as <code>{_esc(block['path'])}</code>" if block.get("path") else " (keep it with --save DIR)"
    limit = round(max_embed_bytes() / 1024 / 1024, 3)
    text = f"{kind} of {size / 1024 / 1024:.1f} MB not embedded in the notebook (over {limit:g} MB){where}"
    return _block(kind, block, f"<em>{text}</em>")


#: The plain-text fallback keeps this much of a text block. Front ends that render HTML (JupyterLab,
#: Notebook, VS Code, nbconvert, GitHub) show the HTML, which is always whole; repeating a 200 KB
#: answer in text/plain would double the notebook's size and the cell's iopub for nobody.
MAX_PLAIN_TEXT = 8_000


def mimebundle(transcript: Transcript) -> dict[str, str]:
    """`text/html` for every front end that renders HTML, `text/plain` for nbval, terminals and GitHub."""
    return {"text/html": to_html(transcript), "text/plain": to_text(transcript)}


# -- HTML ----------------------------------------------------------------------------------------
def to_html(transcript: Transcript) -> str:
    # MathJax (JupyterLab typesets HTML outputs) may touch only the formulas, never a "$5 and $10".
    media_turn = " axio-nb-media-turn" if transcript.meta.get("expected") else ""
    parts = [
        f"<style>{SNAPSHOT_CSS}</style>",
        f'<div class="axio-nb-stream axio-nb-snapshot{media_turn} {IGNORE_CLASSES}">',
    ]
    for block in transcript.blocks:
        parts.append(_RENDERERS.get(block["kind"], _unsupported)(block, transcript))
    parts.append(_footer_html(transcript.meta))
    parts.append("</div>")
    parts.append(SNAPSHOT_SCRIPT)
    return "".join(parts)


#: The snapshot's one script, fixed and never built from model output. It runs where the output is
#: trusted (JupyterLab, Notebook 7 and VS Code for notebooks the user ran or saved, nbconvert HTML);
#: elsewhere (GitHub, untrusted notebooks) it is dropped, and the snapshot keeps MathJax and no buttons.
#: - Math: when the page holds KaTeX (a live view typeset math in it), the formulas are typeset from
#:   the live view's cache and taken from MathJax, which would otherwise typeset them all again in one
#:   long task when the turn ends (widgets/src/lib/math.js, `typesetSnapshot`).
#: - Copy buttons on code blocks: they read `textContent` and write the clipboard.
#: - A click on an image of a media turn's grid shows it at full size, another puts it back.
SNAPSHOT_SCRIPT = (
    "<script>(function(){var s=document.currentScript,r=s&&s.previousElementSibling;"
    "if(!r||!r.classList.contains('axio-nb-snapshot'))return;"
    "var m=window[Symbol.for('axio_nb.typesetSnapshot')];if(typeof m==='function')try{m(r)}catch(e){}"
    "r.querySelectorAll('.axio-nb-image img').forEach(function(i){"
    "i.onclick=function(){i.parentElement.classList.toggle('axio-nb-media-full')}});"
    "if(!navigator.clipboard)return;"
    "r.querySelectorAll('pre>code').forEach(function(c){var b=document.createElement('button');"
    "b.type='button';b.className='axio-nb-copy';b.textContent='Copy';b.setAttribute('aria-label','Copy code');"
    "b.onclick=function(){navigator.clipboard.writeText(c.textContent).then(function(){b.textContent='Copied';"
    "setTimeout(function(){b.textContent='Copy'},1500)})};c.parentElement.appendChild(b)})})()</script>"
)


#: The answer's headings are the model's, not the notebook's: JupyterLab's table of contents leaves out
#: headings with this class (`jp-toc-ignore`; `tocSkip` for the classic notebook's toc2).
TOC_SKIP = "jp-toc-ignore tocSkip"
#: px per code line and around a block (padding, border) for a code block's placeholder height while
#: it is out of sight (JupyterLab's 13 px code font at its ~1.3 line height).
_LINE_PX, _PRE_EXTRA_PX = 17, 18


def _skip_toc(state: Any) -> None:
    for token in state.tokens:
        if token.type == "heading_open":
            token.attrJoin("class", TOC_SKIP)


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "highlight": _highlight})
    md.core.ruler.push("axio_nb_toc_skip", _skip_toc)
    return md.enable(["table", "strikethrough"]).use(math_plugin)


def render_markdown(text: str) -> str:
    return str(_markdown().render(text))


def _highlight(code: str, lang: str, _attrs: str) -> str:
    try:
        lexer = get_lexer_by_name(lang) if lang else None
    except ClassNotFound:
        lexer = None
    if lexer is None:
        return ""  # markdown-it escapes it itself
    body = _code_html(lexer.get_tokens(code))
    label = html.escape(lang)
    height = code.count("\n") * _LINE_PX + _PRE_EXTRA_PX
    return (
        f'<pre class="axio-nb-code" style="contain-intrinsic-block-size:auto {height}px">'
        f'<code class="language-{label} axio-nb-hl">{body}</code></pre>'
    )


@cache
def _token_class(ttype: _TokenType) -> str | None:
    """The class the snapshot CSS colours this token type with, or None (plain text)."""
    while ttype is not None:
        short: str | None = STANDARD_TYPES.get(ttype)
        if short in TOKEN_CLASS:
            return TOKEN_CLASS[short]
        ttype = ttype.parent
    return None


def _code_html(tokens: Iterable[tuple[_TokenType, str]]) -> str:
    """Spans only where the CSS gives a colour, one per run of tokens of one colour (blanks between two
    tokens of one colour join the run): fewer nodes for JupyterLab to insert and lay out."""
    out: list[str] = []
    run_cls: str | None = None
    run: list[str] = []
    blank: list[str] = []

    def close() -> None:
        if run_cls is not None:
            out.append(f'<span class="{run_cls}">{"".join(run)}</span>')
        else:
            out.append("".join(run))
        run.clear()

    for ttype, value in tokens:
        text = html.escape(value, quote=False)
        cls = _token_class(ttype)
        if cls is None and run_cls is not None and value.strip(" \t") == "":
            blank.append(text)  # joins the run if the next token has the run's colour
            continue
        if cls != run_cls:
            close()
            out.append("".join(blank))
            run_cls = cls
        else:
            run.extend(blank)
        blank.clear()
        run.append(text)
    close()
    out.append("".join(blank))
    return "".join(out)


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _block(kind: str, block: Block, inner: str, tag: str = "div") -> str:
    extra = " axio-nb-tool-media" if block["kind"] in MEDIA_KINDS and isinstance(block.get("tool_use_id"), str) else ""
    return f'<{tag} class="axio-nb-block axio-nb-{kind}{extra}" data-block-id="{int(block["id"])}">{inner}</{tag}>'


def _text(block: Block, _t: Transcript) -> str:
    inner = render_markdown(block["text"])
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


def _image(block: Block, t: Transcript) -> str:
    data = t.media.get(block["id"], b"")
    if block.get("invalid"):
        return _block("image", block, f"<em>image not shown: {_esc(block['invalid'])}</em>")
    if len(data) > max_embed_bytes():
        return _not_embedded("image", block, len(data))
    try:
        shown, media_type = displayable_image(bytes(data), block["media_type"])
    except MediaError as exc:
        return _block("image", block, f"<em>image not shown: {_esc(exc)}</em>")
    uri = f"data:{media_type};base64,{base64.b64encode(shown).decode()}"
    alt = _esc(f"image ({media_type}, {block.get('width', '?')}×{block.get('height', '?')})")
    return _block("image", block, f'<img src="{uri}" alt="{alt}" loading="lazy">')


def _player(block: Block, t: Transcript) -> str:
    kind = block["kind"]
    data, media_type = playable(t.media.get(block["id"], b""), block["media_type"])
    if len(data) > max_embed_bytes():
        return _not_embedded(kind, block, len(data))
    uri = f"data:{_esc(media_type)};base64,{base64.b64encode(data).decode()}"
    return _block(kind, block, f'<{kind} controls src="{uri}"></{kind}>')


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
    BlockKind.image: _image,
    BlockKind.audio: _player,
    BlockKind.video: _player,
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
    for block in transcript.blocks:
        match block["kind"]:
            case BlockKind.text | BlockKind.user:
                lines.append(_clip(block["text"].strip()))
            case BlockKind.reasoning:
                lines.append(f"[thinking: {len(block['text'])} chars]")
            case BlockKind.tool:
                args = ", ".join(f"{k}={v!r}" for k, v in block["fields"].items()) or block["args"]
                lines.append(f"[tool {block['name']}({args}) → {block['status']}]")
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
