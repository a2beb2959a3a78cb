"""CSS for the static snapshot: JupyterLab theme variables with fallbacks, so dark themes work too."""

from __future__ import annotations

import re
from typing import Final

_TOKENS = {
    # pygments short class → JupyterLab's CodeMirror token variable (defined by both light and dark themes).
    # No operators: the live view's highlight.js leaves `=`, `+`, `(` uncoloured too, and they were the
    # most frequent span of all.
    "k kc kd kn kp kr kt ow": "keyword",
    "s s1 s2 sa sb sc sd se sh si sr ss sx": "string",
    "c c1 ch cm cp cpf cs": "comment",
    "m mb mf mh mi mo il": "number",
    "nf fm nc nn": "def",
    "nb bp": "builtin",
    "nd": "meta",
    "na": "attribute",
    "nt": "tag",
    "gd": "negative",
    "gi": "positive",
}


#: Every pygments short class the snapshot colours → the one class it is written with: the first of its
#: colour's group. One class per colour lets neighbouring tokens of one colour share one span (a Python
#: string is three tokens: quote, text, quote); the rest of a code block is emitted as plain text.
TOKEN_CLASS = {c: classes.split()[0] for classes in _TOKENS for c in classes.split()}


def _token_rules() -> str:
    rules = []
    for classes, var in _TOKENS.items():
        style = "font-style:italic;" if var == "comment" else ""
        rules.append(f".axio-nb-hl .{classes.split()[0]}{{color:var(--jp-mirror-editor-{var}-color,inherit);{style}}}")
    return "".join(rules)


SNAPSHOT_CSS = (
    ".axio-nb-snapshot{font-family:var(--jp-content-font-family,system-ui);color:var(--jp-content-font-color1,#222);"
    "line-height:1.5;max-width:100%}"
    ".axio-nb-snapshot .axio-nb-block{margin:0.4em 0}"
    # Media turns (`%%axio image|edit|video|audio`): the samples in a grid, as the live view shows them.
    ".axio-nb-snapshot.axio-nb-media-turn{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));"
    "gap:8px}"
    ".axio-nb-media-turn>:not(.axio-nb-image,.axio-nb-audio,.axio-nb-video),.axio-nb-media-turn>.axio-nb-media-full"
    "{grid-column:1/-1}"
    ".axio-nb-media-turn .axio-nb-block{margin:0}"
    ".axio-nb-snapshot .axio-nb-image img{max-width:100%;height:auto;border-radius:4px}"
    ".axio-nb-media-turn .axio-nb-image img{cursor:zoom-in}"
    ".axio-nb-media-turn .axio-nb-media-full img{cursor:zoom-out;max-width:none}"
    ".axio-nb-snapshot audio,.axio-nb-snapshot video{max-width:100%}"
    ".axio-nb-snapshot .axio-nb-tool-media{margin:-0.4em 0 0.4em 0.8em;padding:6px 8px;"
    "border-left:2px solid var(--jp-border-color2,#e0e0e0)}"
    # Specific enough to win over JupyterLab's own `.jp-RenderedHTMLCommon pre` rules.
    "div.axio-nb-stream.axio-nb-snapshot pre{background:var(--jp-cell-editor-background,#f5f5f5);"
    "border:1px solid var(--jp-border-color2,#e0e0e0);border-radius:4px;padding:0.5em;overflow:auto;"
    "font-family:var(--jp-code-font-family,monospace);font-size:var(--jp-code-font-size,13px)}"
    "div.axio-nb-stream.axio-nb-snapshot pre{position:relative}"
    # A 200 KB answer is ~10 000 nodes, most of them in code: JupyterLab inserts, lays out and paints all
    # of it in one task when the turn ends. Code blocks out of sight skip layout and paint until they come
    # near the viewport; each says its height (from its line count) so the page keeps its length.
    "div.axio-nb-stream.axio-nb-snapshot pre{contain:content;content-visibility:auto}"
    # So do the sections of a long answer (render/markdown.py, `render_sections`). A section contains its
    # layout, so its first block's top margin no longer collapses with the previous block's bottom one.
    ".axio-nb-snapshot .axio-nb-part{content-visibility:auto}.axio-nb-part>:first-child{margin-top:0}"
    # Without the live view's CSS on the page (after a reload), JupyterLab paints inline-code styling here.
    "div.axio-nb-stream.axio-nb-snapshot pre code{background:none;padding:0}"
    ".axio-nb-copy{position:absolute;top:4px;right:4px;font-size:0.75em;padding:1px 6px;cursor:pointer;"
    "border:1px solid var(--jp-border-color2,#ccc);border-radius:3px;background:var(--jp-layout-color1,#fff);"
    "color:var(--jp-content-font-color2,#555);opacity:0.7}"
    ".axio-nb-copy:hover,.axio-nb-copy:focus{opacity:1}"
    ".axio-nb-stop-speaking{margin:0 8px 4px 0;padding:1px 8px;cursor:pointer;font-size:0.85em;"
    "border:1px solid var(--jp-border-color1,#bbb);border-radius:3px;background:var(--jp-layout-color1,#fff);"
    "color:var(--jp-ui-font-color1,#222)}"
    ".axio-nb-snapshot table{border-collapse:collapse}"
    ".axio-nb-snapshot td,.axio-nb-snapshot th{border:1px solid var(--jp-border-color2,#ddd);padding:2px 6px}"
    ".axio-nb-reasoning{color:var(--jp-content-font-color2,#555);font-size:0.95em}"
    ".axio-nb-tool{border:1px solid var(--jp-border-color2,#ddd);border-radius:4px;padding:0.3em 0.6em}"
    ".axio-nb-tool-error .axio-nb-tool-status{color:var(--jp-error-color1,#d32f2f)}"
    ".axio-nb-tool-ok .axio-nb-tool-status{color:var(--jp-success-color1,#388e3c)}"
    ".axio-nb-tool-output.axio-nb-stderr{color:var(--jp-error-color1,#d32f2f)}"
    ".axio-nb-refusal{border-left:3px solid var(--jp-warn-color1,#f57c00);padding-left:0.6em}"
    ".axio-nb-error{border-left:3px solid var(--jp-error-color1,#d32f2f);padding-left:0.6em;"
    "color:var(--jp-error-color1,#d32f2f)}"
    ".axio-nb-notice.axio-nb-warning{color:var(--jp-warn-color1,#f57c00);font-weight:600}"
    ".axio-nb-snapshot img{max-width:100%}"
    ".axio-nb-chip{font-size:0.8em;border:1px solid currentColor;border-radius:8px;padding:0 4px}"
    # The live view's footer (widgets/src/stream.css): the same items, laid out the same way.
    ".axio-nb-footer{display:flex;flex-wrap:wrap;gap:4px 12px;margin-top:6px;padding-top:4px;"
    "border-top:1px solid var(--jp-border-color2,#e0e0e0);font-size:var(--jp-ui-font-size0,11px);"
    "color:var(--jp-content-font-color2,#616161)}"
    ".axio-nb-footer-model{font-weight:600}"
    ".axio-nb-footer.axio-nb-incomplete{color:var(--jp-warn-color1,#f57c00)}" + _token_rules()
)


#: Elements the snapshot's script adds or marks (axio_nb/render/script.py) → what the snapshot must hold for it to.
_ADDED_BY_SCRIPT: Final = {
    "axio-nb-copy": "<pre",
    "axio-nb-stop-speaking": "<audio",
    "axio-nb-media-full": "axio-nb-image",
}
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_ARGS = re.compile(r":(?:is|not|where)\([^()]*\)")
_CLASS = re.compile(r"\.([\w-]+)")
_TAG = re.compile(r"(?:^|[\s>+~])([a-z][a-z0-9]*)")


def _needs(selector: str) -> tuple[str, ...]:
    """What a snapshot's HTML must contain for `selector` to match anything in it: its classes and tags.
    `:is()`/`:not()`/`:where()` arguments are left out (a looser condition keeps more rules, never fewer)."""
    bare = _ARGS.sub("", selector.strip())
    classes = [_ADDED_BY_SCRIPT.get(c, c) for c in _CLASS.findall(bare)]
    tags = [f"<{t}" for t in _TAG.findall(_CLASS.sub("", bare))]
    return tuple(classes + tags)


def _split(selectors: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside `:is(…)`)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(selectors):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            out.append(selectors[start:i])
            start = i + 1
    return [*out, selectors[start:]]


#: Each rule of SNAPSHOT_CSS, with what each of its selectors needs.
_RULES: Final = [(m.group(0), [_needs(s) for s in _split(m.group(1))]) for m in _RULE.finditer(SNAPSHOT_CSS)]


def css_for(body: str) -> str:
    """The rules of SNAPSHOT_CSS that can match something in a snapshot whose HTML is `body`.

    A saved media turn carried all 4 KB of the stylesheet (markdown, code, tools, math…) beside a few KB of
    media (BENCHMARKS.md, "Saved-notebook bytes per shown media byte"); its own rules are a few hundred
    bytes. A rule is kept when one of its selectors has every class and tag it names in `body`.
    """
    return "".join(rule for rule, selectors in _RULES if any(all(n in body for n in s) for s in selectors))
