"""Video posters: a video's first frame as a small WebP, made with PyAV when it is installed.

axio's `generate_videos` returns bare bytes, with no poster; the first frame of the video is one, and
decoding it costs a few ms (3 ms for the demo's 320×180 VP8). WebP at quality 60 keeps it small beside
the video (1.7 KB for that frame: PNG was 10.6 KB, JPEG 3.4 KB), since the saved notebook and the wire
carry it too. PyAV is the `video` extra: without it, or for bytes it cannot decode, there is no poster.
"""

from __future__ import annotations

import io
from typing import Final

POSTER_MEDIA_TYPE: Final = "image/webp"
#: The poster's longer side at most: the player is rarely drawn larger, and a 4K frame would be heavy.
MAX_SIDE: Final = 960
QUALITY: Final = 60


def video_poster(data: bytes) -> bytes | None:
    """The first frame of `data` as WebP, or None (no PyAV, no video stream, bytes it cannot decode)."""
    try:
        import av
    except ImportError:
        return None
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.video:
                return None
            frame = next(container.decode(video=0))
            image = frame.to_image()  # type: ignore[no-untyped-call,unused-ignore]
    except Exception:  # PyAV raises many types for bytes that are not a video it can read
        return None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=QUALITY)
    return out.getvalue()
