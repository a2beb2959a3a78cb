"""MediaResult: what `%%axio image|edit|video|audio --out VAR` leaves: the items, in sample order, and the turn."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .result import ChatResult


@dataclass(frozen=True, slots=True)
class MediaItem:
    """One generated sample: its bytes, what they are, and where `--save` wrote them."""

    index: int
    data: bytes = field(repr=False)
    media_type: str
    path: Path | None = None

    @property
    def image(self) -> Any:
        """A Pillow image of an image item (None for audio and video)."""
        if not self.media_type.startswith("image/"):
            return None
        from PIL import Image

        img = Image.open(io.BytesIO(self.data))
        img.load()
        return img

    @property
    def poster(self) -> bytes | None:
        """A video item's first frame as WebP (the picture its player shows before it plays), made with
        PyAV on each access; None for images and audio, or without PyAV (the `video` extra)."""
        if not self.media_type.startswith("video/"):
            return None
        from ..media.poster import video_poster

        return video_poster(self.data)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """Shown alone in a cell: the image itself, or a one-line description."""
        text = f"{self.media_type}, {len(self.data)} bytes" + (f", saved as {self.path}" if self.path else "")
        if self.media_type in ("image/png", "image/jpeg"):
            return {self.media_type: self.data, "text/plain": text}
        return {"text/plain": text}


@dataclass(slots=True)
class MediaResult(ChatResult):
    """A media turn: `result[0]` is the first sample, `result.images` Pillow images, `result.data` bytes."""

    _items: dict[int, list[MediaItem]] = field(default_factory=dict, repr=False)

    def add(self, item: MediaItem) -> None:
        self._items.setdefault(item.index, []).append(item)

    @property
    def items(self) -> list[MediaItem]:
        """Every sample that arrived, in sample order (a call that returned several keeps their order)."""
        return [item for index in sorted(self._items) for item in self._items[index]]

    @property
    def images(self) -> list[Any]:
        """Pillow images of the image items."""
        return [item.image for item in self.items if item.media_type.startswith("image/")]

    @property
    def data(self) -> list[bytes]:
        return [item.data for item in self.items]

    @property
    def paths(self) -> list[Path]:
        """Where `--save` wrote the items."""
        return [item.path for item in self.items if item.path is not None]

    def __getitem__(self, i: int) -> MediaItem:
        return self.items[i]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[MediaItem]:
        return iter(self.items)
