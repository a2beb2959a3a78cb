"""The snapshot's media: images, audio and video as data URIs (once each), or a line saying why not."""

from __future__ import annotations

import base64
import os

from ..media import BROWSER_IMAGES
from ..media.audio import playable
from ..stream.blocks import Block
from ..stream.transcript import Transcript
from .html import block_html as _block
from .html import esc as _esc

#: Media larger than this are described, not embedded: a notebook is no place for a 200 MB video.
#: $AXIO_NB_MAX_EMBED_MB changes it (read at each snapshot).
MAX_EMBED_BYTES = 8 * 1024 * 1024


def max_embed_bytes() -> int:
    try:
        return int(float(os.environ["AXIO_NB_MAX_EMBED_MB"]) * 1024 * 1024)
    except (KeyError, ValueError):
        return MAX_EMBED_BYTES


def _not_embedded(kind: str, block: Block, size: int, picture: str = "") -> str:
    """What the saved notebook says instead of media over the limit: how big, and where the file is."""
    where = f": saved as <code>{_esc(block['path'])}</code>" if block.get("path") else " (keep it with --save DIR)"
    limit = round(max_embed_bytes() / 1024 / 1024, 3)
    text = f"{kind} of {size / 1024 / 1024:.1f} MB not embedded in the notebook (over {limit:g} MB){where}"
    return _block(kind, block, f"{picture}<em>{text}</em>")


def image_html(block: Block, t: Transcript) -> str:
    data = t.media.get(block["id"], b"")
    if block.get("invalid"):
        return _block("image", block, f"<em>image not shown: {_esc(block['invalid'])}</em>")
    if len(data) > max_embed_bytes():
        return _not_embedded("image", block, len(data))
    # The fold verified these bytes with Pillow and made them a format browsers show (prepare_media).
    media_type = block["media_type"]
    if media_type not in BROWSER_IMAGES:
        return _block("image", block, f"<em>image not shown: {_esc(media_type)} is not a browser format</em>")
    uri = f"data:{media_type};base64,{base64.b64encode(bytes(data)).decode()}"
    alt = _esc(f"image ({media_type}, {block.get('width', '?')}×{block.get('height', '?')})")
    return _block("image", block, f'<img src="{uri}" alt="{alt}" loading="lazy">')


def player_html(block: Block, t: Transcript) -> str:
    """An `<audio>`/`<video>` holding its bytes; over the embed limit, a line with the video's first frame.

    An embedded video carries no `poster`: the player draws the first frame from the bytes it holds
    (Chromium loads a data-URI video with the default `preload` and shows its first frame), so the poster
    would be the same picture saved a second time (~2 KB of base64 for the demo's). The live view has it
    from the wire (and shows it while its player loads); the saved notebook keeps it only when it is all
    that is left of the video.
    """
    kind = block["kind"]
    data, media_type = playable(t.media.get(block["id"], b""), block["media_type"])
    if len(data) > max_embed_bytes():
        poster = t.posters.get(block["id"])
        # The fold made the poster (media/poster.py), and the type is its own constant.
        uri = f"data:{_esc(block.get('poster', ''))};base64,{base64.b64encode(poster).decode()}" if poster else ""
        # The first frame shows what the video was, beside where its file is.
        picture = f'<img src="{uri}" alt="first frame of the video">' if uri else ""
        return _not_embedded(kind, block, len(data), picture)
    uri = f"data:{_esc(media_type)};base64,{base64.b64encode(data).decode()}"
    return _block(kind, block, f'<{kind} controls src="{uri}"></{kind}>')
