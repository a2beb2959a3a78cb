"""Media checks: Pillow verifies images (with its decompression-bomb limit) before anything shows them."""

from __future__ import annotations

import io
import warnings
from typing import Any

from PIL import Image

#: What a browser shows natively; anything else Pillow can read is converted to PNG for display.
BROWSER_IMAGES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
#: Above this an image is refused as a likely decompression bomb (Pillow's own default).
MAX_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485


class MediaError(ValueError):
    """Bytes that claim to be media but are not, or are too large to show safely."""


def describe_media(kind: str, data: bytes, media_type: str) -> dict[str, Any]:
    """The block fields for media bytes; never raises on bad bytes, it says so in the block."""
    info: dict[str, Any] = {"media_type": media_type, "size": len(data)}
    if kind != "image":
        return info
    try:
        width, height, fmt = inspect_image(data)
    except MediaError as exc:
        info["invalid"] = str(exc)
        return info
    info |= {"width": width, "height": height}
    if fmt and f"image/{fmt}" != media_type and f"image/{fmt}" in BROWSER_IMAGES:
        info["media_type"] = f"image/{fmt}"
    return info


def inspect_image(data: bytes) -> tuple[int, int, str]:
    """(width, height, format) of an image, after Pillow has verified it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                size, fmt = img.size, (img.format or "").lower()
                if size[0] * size[1] > MAX_PIXELS:
                    raise MediaError(f"image of {size[0]}×{size[1]} pixels is over the {MAX_PIXELS} pixel limit")
                img.verify()
    except MediaError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaError(f"image refused as a decompression bomb: {exc}") from exc
    except Exception as exc:  # Pillow raises many types for corrupt data
        raise MediaError(f"not a readable image ({type(exc).__name__})") from exc
    return size[0], size[1], "jpeg" if fmt == "jpg" else fmt


def displayable_image(data: bytes, media_type: str) -> tuple[bytes, str]:
    """Bytes and media type a browser can show: PNG/JPEG/GIF/WebP pass, other formats become PNG."""
    inspect_image(data)
    if media_type in BROWSER_IMAGES:
        return data, media_type
    with Image.open(io.BytesIO(data)) as img:
        out = io.BytesIO()
        img.save(out, format="PNG")
    return out.getvalue(), "image/png"
