"""The snapshot's two HTML primitives: escaping, and the element every block renderer wraps its HTML in."""

from __future__ import annotations

import html
from typing import Any

from ..stream.blocks import MEDIA_KINDS, Block


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def block_html(kind: str, block: Block, inner: str, tag: str = "div") -> str:
    extra = " axio-nb-tool-media" if block["kind"] in MEDIA_KINDS and isinstance(block.get("tool_use_id"), str) else ""
    return f'<{tag} class="axio-nb-block axio-nb-{kind}{extra}" data-block-id="{int(block["id"])}">{inner}</{tag}>'
