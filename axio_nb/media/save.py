"""`--save DIR`: media written under names made from the prompt, never over an existing file."""

from __future__ import annotations

import re
from pathlib import Path

from .kinds import EXTENSIONS

_UNSAFE = re.compile(r"[^a-z0-9]+")


def stem_for(prompt: str, limit: int = 40) -> str:
    """A file-name stem from a prompt: lower-case ASCII letters, digits and dashes only."""
    stem = _UNSAFE.sub("-", prompt.lower()).strip("-")[:limit].strip("-")
    return stem or "media"


def save_media(directory: str | Path, prompt: str, index: int, data: bytes, media_type: str) -> Path:
    """Write `data` as DIR/<stem>-<index>.<ext> (or -<index>-2, -3 … if taken) and return the path."""
    folder = Path(directory).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    ext = EXTENSIONS.get(media_type, "bin")
    base = f"{stem_for(prompt)}-{index}"
    path = folder / f"{base}.{ext}"
    n = 2
    while path.exists():
        path = folder / f"{base}-{n}.{ext}"
        n += 1
    # Exclusive create: a file that appeared since the check is not overwritten either.
    with path.open("xb") as fh:
        fh.write(data)
    return path
