"""`--image` and `--mask`: a path, a variable holding bytes or a Pillow image, or an earlier `--out` item."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from axio.blocks import ImageBlock

from .images import BROWSER_IMAGES, MediaError, inspect_image

#: `name` or `name[3]` (an item of an earlier `--out`), or `name[-1]`.
_REF = re.compile(r"^([A-Za-z_]\w*)(?:\[(-?\d+)\])?$")


class InputError(ValueError):
    """A `--image`/`--mask` that names nothing usable; the message says what to give instead."""


def resolve_image(spec: str, namespace: Mapping[str, Any], flag: str) -> ImageBlock:
    """The image `spec` names, verified by Pillow, as an axio ImageBlock (PNG when not a browser format)."""
    value = _lookup(spec, namespace, flag)
    data = _as_bytes(value, spec, flag)
    try:
        width, height, fmt = inspect_image(data)
    except MediaError as exc:
        raise InputError(f"{flag} {spec}: {exc}.") from None
    media_type = f"image/{fmt}"
    if media_type not in BROWSER_IMAGES:
        from PIL import Image

        buf = io.BytesIO()
        with Image.open(io.BytesIO(data)) as img:
            img.save(buf, format="PNG")
        data, media_type = buf.getvalue(), "image/png"
    return ImageBlock(media_type=media_type, data=data)  # type: ignore[arg-type]


def image_size(block: ImageBlock) -> tuple[int, int]:
    width, height, _ = inspect_image(block.data)
    return width, height


def lookup_ref(spec: str, namespace: Mapping[str, Any], flag: str) -> tuple[bool, Any]:
    """(found, value) for `name` or `name[i]` in the namespace; an item that is not there is an InputError."""
    match = _REF.match(spec)
    if not match or match.group(1) not in namespace:
        return False, None
    value = namespace[match.group(1)]
    if match.group(2) is None:
        return True, value
    try:
        return True, value[int(match.group(2))]
    except (IndexError, KeyError, TypeError):
        raise InputError(f"{flag} {spec}: `{match.group(1)}` has no item {match.group(2)}.") from None


def _lookup(spec: str, namespace: Mapping[str, Any], flag: str) -> Any:
    found, value = lookup_ref(spec, namespace, flag)
    if found:
        return value
    path = Path(spec).expanduser()
    if path.is_file():
        return path.read_bytes()
    raise InputError(f"{flag} {spec}: no such file and no such variable; give a path, or a variable holding an image.")


def _as_bytes(value: Any, spec: str, flag: str) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    data = getattr(value, "data", None)  # an axio ImageBlock, or a MediaItem of an earlier --out
    if isinstance(data, bytes):
        return data
    if hasattr(value, "save") and hasattr(value, "size"):  # a Pillow image
        buf = io.BytesIO()
        value.save(buf, format="PNG")
        return buf.getvalue()
    if isinstance(value, str | Path) and Path(value).expanduser().is_file():
        return Path(value).expanduser().read_bytes()
    kind = type(value).__name__
    raise InputError(
        f"{flag} {spec}: a {kind} is not an image; give a path, bytes, a Pillow image or an `--out` item."
    )
