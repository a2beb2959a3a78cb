"""The snapshot's markdown: markdown-it-py with raw HTML off, math taken out first, code coloured by pygments.

Headings carry JupyterLab's ToC-skip class; code blocks are coloured with one span per run of one
colour (the classes axio_nb/render/css.py styles) and say their height for `content-visibility`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES, _TokenType
from pygments.util import ClassNotFound

from .css import TOKEN_CLASS
from .math import math_plugin

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


#: Source characters per section of a long answer (`render_sections`): ~30 sections in 200 KB.
_SECTION_CHARS = 6000
#: For a section's placeholder height: px per wrapped line of prose (JupyterLab's 14 px text at line-height 1.5), chars
#: per wrapped line, and px around a block (its margins). An estimate only: the snapshot's script keeps
#: the reader's place while real heights replace it (widgets/src/lib/place.js).
_PROSE_LINE_PX, _PROSE_LINE_CHARS, _BLOCK_PX = 22, 100, 16


def _estimate_px(lines: list[str], fence: bool) -> int:
    if fence:
        return len(lines) * _LINE_PX + _PRE_EXTRA_PX + _BLOCK_PX
    wrapped = sum(max(1, -(-len(line) // _PROSE_LINE_CHARS)) for line in lines if line.strip())
    return wrapped * _PROSE_LINE_PX + _BLOCK_PX


def render_sections(text: str) -> str:
    """A long answer as sections of top-level blocks, each skipped for style, layout and paint while out
    of sight (`content-visibility: auto`) and saying its estimated height meanwhile; a short one as is.

    When a turn ends, JupyterLab inserts the snapshot and lays it out in one task (its cell reads the
    output's height at once): ~9 000 elements for a 200 KB answer. With sections, only those in view are
    laid out and painted (BENCHMARKS.md, "Browser"). Cuts fall between top-level blocks, rendered with one
    parse and one `env`, so the sections hold exactly the one-piece render.
    """
    md = _markdown()
    if len(text) <= _SECTION_CHARS:
        return str(md.render(text))
    env: dict[str, Any] = {}
    tokens = md.parse(text, env)
    source = text.split("\n")
    out: list[str] = []
    start, chars, height = 0, 0, 0
    for i, token in enumerate(tokens):
        if token.level != 0:
            continue
        if token.nesting >= 0 and token.map:  # a block's opening token, or a block of one token
            lines = source[token.map[0] : token.map[1]]
            chars += sum(map(len, lines))
            height += _estimate_px(lines, token.type in ("fence", "code_block"))
        if token.nesting == 1:
            continue  # the block ends at its closing token
        if chars >= _SECTION_CHARS or i == len(tokens) - 1:
            part = md.renderer.render(tokens[start : i + 1], md.options, env)
            out.append(f'<div class="axio-nb-part" style="contain-intrinsic-block-size:auto {height}px">{part}</div>')
            start, chars, height = i + 1, 0, 0
    return "".join(out)


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
