"""Demo videos: a ball crossing the prompt, encoded offline as VP8 in WebM by PyAV.

Why PyAV, and why VP8/WebM:

- PyAV's wheels carry FFmpeg's libraries, libvpx and libx264 included, so nothing is downloaded at run
  time and no ffmpeg process is started: frames go from Pillow to the encoder in memory.
  imageio-ffmpeg ships a whole ffmpeg binary instead and pipes raw frames to a subprocess per video.
- VP8 in WebM plays in every Chromium build, including open-source builds without the proprietary
  H.264 decoder, and in Firefox; MPEG-4 part 2 plays in none of them. libvpx at deadline "realtime"
  encodes 3 s of 320×180 at 12 fps in about 30 ms.
- The muxer and the encoder run bit-exact and single-threaded, so the same request gives the same bytes.

PyAV is the `video` extra (`pip install 'axio_nb[video]'`, part of `test`); it is imported only when a
video is made, so the chat demo never pays for it.
"""

from __future__ import annotations

import asyncio
import io
import math
from typing import ClassVar, Final

from PIL import Image, ImageDraw, ImageOps

from .images import draw_caption, font, ink_for, open_image, prompt_colour
from .samples import check_count, draw, pause, seed

#: What `generate_videos` returns (the protocol returns bare bytes).
VIDEO_MEDIA_TYPE: Final = "video/webm"
VIDEO_CODEC: Final = "vp8"
FPS: Final = 12
#: Frame size per aspect ratio: small, so a notebook stays light and encoding stays well under a second.
FRAME_SIZES: Final = {"16:9": (320, 180), "9:16": (180, 320), "1:1": (240, 240)}
DEFAULT_ASPECT: Final = "16:9"
DEFAULT_SECONDS: Final = 3
MIN_SECONDS: Final = 1
MAX_SECONDS: Final = 10
MAX_VIDEOS: Final = 4
type Layers = tuple[Image.Image, Image.Image]


def frame_size(aspect_ratio: str | None) -> tuple[int, int]:
    """(width, height) for "16:9" (the default), "9:16" or "1:1"."""
    ratio = DEFAULT_ASPECT if aspect_ratio is None else aspect_ratio
    if ratio not in FRAME_SIZES:
        msg = f"aspect_ratio must be one of {', '.join(FRAME_SIZES)}; got {aspect_ratio!r}"
        raise ValueError(msg)
    return FRAME_SIZES[ratio]


def clamp_seconds(duration_seconds: int | None) -> int:
    """The video's length: 3 s by default, else `duration_seconds` clamped to 1..10."""
    if duration_seconds is None:
        return DEFAULT_SECONDS
    if isinstance(duration_seconds, bool) or not isinstance(duration_seconds, int | float):
        msg = f"duration_seconds must be a number of seconds; got {duration_seconds!r}"
        raise ValueError(msg)
    return max(MIN_SECONDS, min(MAX_SECONDS, round(duration_seconds)))


def _layers(prompt: str, size: tuple[int, int], image: Image.Image | None, caption: str) -> Layers:
    """What stays still: the seed image cropped to fill the frame (or the prompt's colour), and the caption
    on a transparent layer that goes over the ball, so the prompt always reads."""
    colour = prompt_colour(prompt)
    back = Image.new("RGB", size, colour) if image is None else ImageOps.fit(image.convert("RGB"), size)
    text = Image.new("RGBA", size, (0, 0, 0, 0))
    draw_caption(text, prompt, caption, ink_for(colour), plate=None if image is None else colour, scale=11)
    return back, text


def _frame(layers: Layers, prompt: str, index: int, frame: int, frames: int) -> Image.Image:
    """The backdrop, a ball bouncing across it on a path seeded by (prompt, sample), the caption and the clock."""
    back, text = layers
    img = back.copy()
    width, height = img.size
    draw = ImageDraw.Draw(img)
    path = seed("path", prompt, index)
    radius = max(8, min(width, height) // 9)
    t = frame / max(1, frames - 1)
    laps = 1 + path % 2
    phase = (path >> 8) % 100 / 100
    sweep = (t * laps + phase) % 2
    x = radius + (width - 2 * radius) * (sweep if sweep <= 1 else 2 - sweep)
    y = height / 2 + (height / 2 - radius) * math.sin(2 * math.pi * (t * (2 + (path >> 16) % 3) + phase))
    ball = tuple(255 - c for c in prompt_colour(prompt))
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=ball, outline=(255, 255, 255), width=2)
    img.paste(text, mask=text)
    draw.text((6, 4), f"{frame / FPS:4.1f} s", font=font(min(width, height) // 14), fill=(255, 255, 255))
    return img


def render_video(
    prompt: str,
    *,
    index: int = 0,
    n: int = 1,
    duration_seconds: int | None = None,
    aspect_ratio: str | None = None,
    image: bytes | None = None,
) -> bytes:
    """One WebM (VP8, FPS frames a second, no audio) of `duration_seconds` (clamped 1..10, default 3)."""
    try:
        import av
    except ImportError as exc:
        msg = "demo videos need PyAV, which is not installed: pip install 'axio_nb[video]'"
        raise ImportError(msg) from exc
    size = frame_size(aspect_ratio)
    seconds = clamp_seconds(duration_seconds)
    source = None if image is None else open_image(image, "image")
    layers = _layers(prompt, size, source, f"demo-video · sample {index + 1}")
    frames = seconds * FPS
    out = io.BytesIO()
    with av.open(out, mode="w", format="webm", options={"fflags": "+bitexact"}) as container:
        stream = container.add_stream(
            "libvpx", rate=FPS, options={"deadline": "realtime", "cpu-used": "8", "flags": "+bitexact"}
        )
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.bit_rate = 500_000
        stream.codec_context.gop_size = FPS  # a keyframe each second: seeking in <video> stays instant
        stream.codec_context.thread_count = 1
        for number in range(frames):
            # PyAV's stub leaves from_image unannotated; it takes a PIL image and returns a VideoFrame.
            picture = av.VideoFrame.from_image(_frame(layers, prompt, index, number, frames))  # type: ignore[no-untyped-call]
            container.mux(stream.encode(picture))
        container.mux(stream.encode(None))
    return out.getvalue()


def video_poster(
    prompt: str, *, index: int = 0, n: int = 1, aspect_ratio: str | None = None, image: bytes | None = None
) -> bytes:
    """The video's first frame as a PNG, for `<video poster=…>`; the same picture as its first keyframe."""
    size = frame_size(aspect_ratio)
    source = None if image is None else open_image(image, "image")
    layers = _layers(prompt, size, source, f"demo-video · sample {index + 1}")
    out = io.BytesIO()
    _frame(layers, prompt, index, 0, DEFAULT_SECONDS * FPS).save(out, format="PNG")
    return out.getvalue()


class DemoVideo:
    """`VideoGenTransport` for DemoTransport: WebM (VP8) clips made offline; `video_media_type` says so."""

    __slots__ = ()
    media_delay: float
    draws: dict[str, int]
    video_media_type: ClassVar[str] = VIDEO_MEDIA_TYPE

    async def generate_videos(
        self,
        prompt: str,
        *,
        model: str | None = None,
        n: int = 1,
        image: bytes | None = None,
        duration_seconds: int | None = None,
        aspect_ratio: str | None = None,
    ) -> list[bytes]:
        """`n` clips; `image` (bytes Pillow reads) becomes the backdrop of every frame, the first included."""
        count = check_count(n, MAX_VIDEOS)
        frame_size(aspect_ratio)
        clamp_seconds(duration_seconds)
        if image is not None:
            open_image(image, "image")
        first = draw(self.draws, "video", prompt, count)
        await pause(self.media_delay)
        return await asyncio.to_thread(
            lambda: [
                render_video(
                    prompt,
                    index=first + i,
                    n=count,
                    duration_seconds=duration_seconds,
                    aspect_ratio=aspect_ratio,
                    image=image,
                )
                for i in range(count)
            ]
        )
