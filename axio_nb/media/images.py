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


def prepare_media(kind: str, data: bytes, media_type: str) -> tuple[bytes, dict[str, Any]]:
    """The bytes to keep and the block's fields; never raises on bad bytes, it says so in the fields.

    An image is verified by Pillow once, here, and labelled by what it is (not by what the transport
    said); a format no browser shows (TIFF, BMP…) becomes PNG, so the live view and the snapshot can
    both show it as it is.
    """
    info: dict[str, Any] = {"media_type": media_type, "size": len(data)}
    if kind != "image":
        return data, info
    try:
        width, height, fmt = inspect_image(data)
    except MediaError as exc:
        info["invalid"] = str(exc)
        return data, info
    actual = f"image/{fmt}"
    if actual not in BROWSER_IMAGES:
        with Image.open(io.BytesIO(data)) as img:
            out = io.BytesIO()
            img.save(out, format="PNG")
        data, actual = out.getvalue(), "image/png"
    return data, info | {"media_type": actual, "size": len(data), "width": width, "height": height}


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
