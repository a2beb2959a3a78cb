"""TeX math in the snapshot's markdown: a markdown-it-py plugin that emits math for JupyterLab's MathJax.

The rules are those of the live view (widgets/src/lib/markdown-math.js; change both): `$…$` and `\\(…\\)`
inline, `$$…$$` and `\\[…\\]` displayed, a `$$`/`\\[` line opening display math that may span blank
lines; pandoc's dollar rule keeps prices as text. Math is taken out before emphasis sees it, so `_`
and `*` in TeX stay TeX.

JupyterLab runs MathJax 3 over every HTML output it renders (rendermime's `renderHTML` calls the
latex typesetter on the output node), with `$`, `$$`, `\\(` and `\\[` as delimiters. So the snapshot
marks its whole root `tex2jax_ignore` (a price such as "$5 and $10" must not become math) and each
formula `tex2jax_process`, holding the TeX, HTML-escaped, between `\\(…\\)` or `\\[…\\]`: MathJax
typesets exactly those, and where nothing typesets (GitHub, plain nbconvert) the reader sees TeX.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, Final

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

#: Classes for the snapshot's root: MathJax skips everything under it except `PROCESS` elements. Both
#: spellings: MathJax 3 and 4 differ in their default names.
IGNORE_CLASSES: Final = "tex2jax_ignore mathjax_ignore"
PROCESS_CLASSES: Final = "tex2jax_process mathjax_process"

_DIGITS = frozenset("0123456789")
_SPACES = frozenset(" \t\n\r")


def _backslash_close(src: str, start: int, end: int, close: str) -> int:
    """Where `\\)` or `\\]` closes math starting at `start`, skipping escaped pairs (`\\\\` is a TeX break)."""
    i = start
    while i < end - 1:
        if src[i] == "\\":
            if src[i + 1] == close:
                return i
            i += 1
        i += 1
    return -1


def _push_math(state: StateInline, content: str, display: bool, markup: str) -> None:
    token = state.push("math_inline", "span", 0)
    token.content = content
    token.markup = markup
    token.info = "display" if display else ""


def _math_inline(state: StateInline, silent: bool) -> bool:
    src, pos, end = state.src, state.pos, state.posMax
    ch = src[pos]
    if ch == "\\":
        opener = src[pos + 1 : pos + 2]
        if opener not in ("(", "["):
            return False
        close = _backslash_close(src, pos + 2, end, ")" if opener == "(" else "]")
        if close < 0 or not src[pos + 2 : close].strip():
            return False
        if not silent:
            _push_math(state, src[pos + 2 : close], opener == "[", "\\" + opener)
        state.pos = close + 2
        return True
    if ch != "$":
        return False
    if src[pos + 1 : pos + 2] == "$":
        close = src.find("$$", pos + 2)
        if close < 0 or close >= end or not src[pos + 2 : close].strip():
            # Not math: both dollars are text, so the second cannot open inline math of its own.
            if not silent:
                state.pending += "$$"
            state.pos += 2
            return True
        if not silent:
            _push_math(state, src[pos + 2 : close], True, "$$")
        state.pos = close + 2
        return True
    close = -1
    if pos + 1 < end and src[pos + 1] not in _SPACES:
        i = pos + 1
        while i < end:
            c = src[i]
            if c == "\\":
                i += 1
            elif c == "$":
                if src[i - 1] not in _SPACES and src[i + 1 : i + 2] not in _DIGITS:
                    close = i
                break
            i += 1
    if close < 0:
        if not silent:
            state.pending += "$"
        state.pos += 1
        return True
    if not silent:
        _push_math(state, src[pos + 1 : close], False, "$")
    state.pos = close + 1
    return True


def block_opening(line: str) -> tuple[str, str, str | None] | None:
    """(closer, rest of the line, TeX if the line also closes it) for a line opening display math, else None."""
    if line.startswith("$$"):
        close = "$$"
    elif line.startswith("\\["):
        close = "\\]"
    else:
        return None
    rest = line[2:]
    trimmed = rest.rstrip()
    if trimmed.endswith(close):
        tex = trimmed[:-2]
        if not tex.strip() or close in tex:
            return None
        return close, rest, tex
    if close in rest:
        return None
    return close, rest, None


def _math_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    opening = block_opening(state.src[start : state.eMarks[start_line]])
    if opening is None:
        return False
    close, rest, content = opening
    last = start_line
    if content is None:
        lines = [rest]
        for line_no in range(start_line + 1, end_line):
            empty = state.isEmpty(line_no)
            if not empty and state.sCount[line_no] < state.blkIndent:
                return False
            line = "" if empty else state.src[state.bMarks[line_no] + state.tShift[line_no] : state.eMarks[line_no]]
            trimmed = line.rstrip()
            if trimmed.endswith(close):
                lines.append(trimmed[:-2])
                content = "\n".join(lines)
                last = line_no
                break
            lines.append(line)
        if content is None or not content.strip():
            return False
    if silent:
        return True
    state.line = last + 1
    token = state.push("math_block", "div", 0)
    token.block = True
    token.content = content
    token.markup = "$$" if close == "$$" else "\\["
    token.map = [start_line, state.line]
    return True


def math_html(tex: str, display: bool, tag: str = "span") -> str:
    """One formula as MathJax finds it: TeX escaped for HTML between `\\(…\\)` or `\\[…\\]`."""
    opener, closer = ("\\[", "\\]") if display else ("\\(", "\\)")
    cls = f"{PROCESS_CLASSES} axio-nb-math" + (" axio-nb-math-display" if display else "")
    return f'<{tag} class="{cls}">{opener}{html.escape(tex, quote=False)}{closer}</{tag}>'


def _render_inline(_self: Any, tokens: Sequence[Token], idx: int, _options: Any, _env: Any) -> str:
    token = tokens[idx]
    return math_html(token.content, token.info == "display")


def _render_block(_self: Any, tokens: Sequence[Token], idx: int, _options: Any, _env: Any) -> str:
    return math_html(tokens[idx].content, True, "div") + "\n"


def math_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("escape", "math_inline", _math_inline)
    md.block.ruler.before(
        "fence", "math_block", _math_block, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    md.add_render_rule("math_inline", _render_inline)
    md.add_render_rule("math_block", _render_block)
