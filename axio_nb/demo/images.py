"""Demo images: Pillow draws the prompt on a colour hashed from it; an edit paints the prompt over the source."""

from __future__ import annotations

import asyncio
import io
import re
from typing import ClassVar, Final

from axio.blocks import ImageBlock
from PIL import Image, ImageDraw, ImageFont, ImageOps

from .samples import check_count, draw, pause, seed

#: What `generate_images` and `edit_images` return (the protocol returns bare bytes).
IMAGE_MEDIA_TYPE: Final = "image/png"
DEFAULT_SIZE: Final = "512x512"
MIN_SIDE: Final = 16
MAX_SIDE: Final = 2048
MAX_IMAGES: Final = 8
#: More than fits on any image; it bounds the wrapping work for a pasted document.
MAX_PROMPT_CHARS: Final = 2000
_SIZE = re.compile(r"\s*(\d{1,5})\s*[x×X]\s*(\d{1,5})\s*")
type Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
type RGB = tuple[int, int, int]


def parse_size(size: object) -> tuple[int, int]:
    """`"WxH"` as (width, height) in pixels, each side from MIN_SIDE to MAX_SIDE."""
    match = _SIZE.fullmatch(size) if isinstance(size, str) else None
    if match is None:
        msg = f"size must be 'WxH' in pixels, e.g. '512x512'; got {size!r}"
        raise ValueError(msg)
    width, height = int(match.group(1)), int(match.group(2))
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        msg = f"size {width}x{height} is out of range: each side must be {MIN_SIDE} to {MAX_SIDE} pixels"
        raise ValueError(msg)
    return width, height


def prompt_colour(prompt: str) -> RGB:
    """A mid-tone colour from the prompt's hash, dark or light enough for white or black text to read on it."""
    value = seed("colour", prompt)
    return (40 + value % 176, 40 + (value >> 8) % 176, 40 + (value >> 16) % 176)


def ink_for(colour: RGB) -> RGB:
    """Black on light colours, white on dark ones (Rec. 601 luma)."""
    red, green, blue = colour
    return (20, 20, 20) if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else (250, 250, 250)


def font(size: int) -> Font:
    """Pillow's bundled font: no font file on disk is needed, so every machine draws the same glyphs."""
    return ImageFont.load_default(size=max(8, size))


def wrap(draw: ImageDraw.ImageDraw, text: str, face: Font, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap measured in pixels; a word wider than the line is cut, the last line ends in '…'.

    It stops once the lines overflow `max_lines`, so a pasted document costs no more than a sentence.
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        while word and len(lines) <= max_lines:
            candidate = f"{line} {word}" if line else word
            if draw.textlength(candidate, font=face) <= width:
                line, word = candidate, ""
            elif line:
                lines.append(line)
                line = ""
            else:
                cut = _fit(draw, word, face, width)
                lines.append(word[:cut])
                word = word[cut:]
        if len(lines) > max_lines:
            break
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1] + " …"]
    return lines


def _fit(draw: ImageDraw.ImageDraw, word: str, face: Font, width: int) -> int:
    """How many leading characters of `word` fit in `width` pixels (at least one), by bisection."""
    low, high = 1, min(len(word), width)
    while low < high:
        mid = (low + high + 1) // 2
        if draw.textlength(word[:mid], font=face) <= width:
            low = mid
        else:
            high = mid - 1
    return low


def draw_caption(
    img: Image.Image, prompt: str, footer: str, ink: RGB, plate: RGB | None = None, scale: int = 14
) -> None:
    """The prompt, wrapped and centred, with a one-line footer (sample index, model) at the bottom.

    `plate` fills a box behind the prompt, so it reads over a photograph or an earlier caption; the text is
    1/`scale` of the image's shorter side.
    """
    draw = ImageDraw.Draw(img)
    width, height = img.size
    face = font(min(width, height) // scale)
    small = font(min(width, height) * 2 // (scale * 3))
    margin = max(4, width // 16)
    step = int(face.size * 1.25) if isinstance(face, ImageFont.FreeTypeFont) else 12
    shown = prompt[:MAX_PROMPT_CHARS] or "(empty prompt)"
    lines = wrap(draw, shown, face, width - 2 * margin, max(1, (height * 2 // 3) // step))
    top = (height - step * len(lines)) // 2
    if plate is not None:
        widest = max(draw.textlength(line, font=face) for line in lines)
        pad = step // 3
        box = (width // 2 - widest / 2 - pad, top - pad, width // 2 + widest / 2 + pad, top + step * len(lines) + pad)
        draw.rounded_rectangle(box, radius=pad, fill=plate)
    for i, line in enumerate(lines):
        draw.text((width // 2, top + i * step), line, font=face, fill=ink, anchor="ma")
    foot = (width // 2, height - margin // 2)
    if plate is not None:
        left, upper, right, lower = draw.textbbox(foot, footer, font=small, anchor="md")
        draw.rectangle((left - 4, upper - 3, right + 4, lower + 3), fill=plate)
    draw.text(foot, footer, font=small, fill=ink, anchor="md")


def render_image(
    prompt: str, *, index: int = 0, n: int = 1, size: str = DEFAULT_SIZE, model: str | None = None
) -> bytes:
    """One PNG: the prompt on its colour, with a band whose place differs per sample so the n samples differ."""
    width, height = parse_size(size)
    colour = prompt_colour(prompt)
    img = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(img)
    band = seed("band", prompt, index) % max(1, height // 2)
    draw.rectangle((0, band, width, band + height // 12), fill=tuple(min(255, c + 30) for c in colour))
    draw_caption(img, prompt, f"{model or 'demo-image'} · sample {index + 1}", ink_for(colour))
    return _png(img)


def open_image(data: bytes, what: str) -> Image.Image:
    """Decoded pixels of `data`, or a ValueError naming which input was not an image."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            return img.copy()
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        msg = f"{what} is not an image Pillow can read ({len(data)} bytes): {exc}"
        raise ValueError(msg) from exc


def edit_weight(mask: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Where to paint, as 8-bit weights (255: paint fully).

    As OpenAI's image edits read a mask, a mask with an alpha channel marks the area to edit by
    transparency (alpha 0 → paint, opaque → keep). A mask with no alpha is read as grey levels: white
    paints, black keeps.
    """
    if mask.size != size:
        msg = (
            f"mask is {mask.width}×{mask.height} but the image is {size[0]}×{size[1]}; give a mask of the image's size"
        )
        raise ValueError(msg)
    if mask.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in mask.info:
        return ImageOps.invert(mask.convert("RGBA").getchannel("A"))
    return mask.convert("L")


def render_edit(
    prompt: str, source: Image.Image, weight: Image.Image | None, *, index: int = 0, n: int = 1, refs: int = 0
) -> bytes:
    """The source with a tint of the prompt's colour and the prompt written over it, only where `weight` allows."""
    mode = "RGBA" if "A" in source.getbands() else "RGB"
    base = source.convert(mode)
    colour = prompt_colour(prompt)
    tint = Image.new(mode, base.size, colour if mode == "RGB" else (*colour, 255))
    painted = Image.blend(base, tint, 0.45 + 0.1 * (index % 3))
    footer = f"edit {index + 1}" + (f" · {refs} reference image{'s' * (refs > 1)}" if refs else "")
    draw_caption(painted, prompt, footer, ink_for(colour), plate=colour)
    out = painted if weight is None else Image.composite(painted, base, weight)
    return _png(out)


def _png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=6)
    return out.getvalue()


class DemoImages:
    """`ImageGenTransport` and `ImageEditTransport` for DemoTransport: PNGs drawn offline with Pillow.

    `media_delay` (seconds, on the transport) is waited once per call, as a provider's latency.
    """

    __slots__ = ()
    media_delay: float
    draws: dict[str, int]
    image_media_type: ClassVar[str] = IMAGE_MEDIA_TYPE

    async def generate_images(
        self, prompt: str, *, model: str | None = None, n: int = 1, size: str = DEFAULT_SIZE
    ) -> list[bytes]:
        """`n` PNGs of `size` ("WxH", default 512x512) showing the prompt and the sample's index."""
        count = check_count(n, MAX_IMAGES)
        parse_size(size)
        first = draw(self.draws, "image", prompt, count)
        await pause(self.media_delay)
        return await asyncio.to_thread(
            lambda: [render_image(prompt, index=first + i, n=count, size=size, model=model) for i in range(count)]
        )

    async def edit_images(
        self,
        prompt: str,
        *,
        images: list[ImageBlock],
        mask: ImageBlock | None = None,
        model: str | None = None,
        n: int = 1,
    ) -> list[bytes]:
        """`n` PNGs of the first image, painted with the prompt where the mask allows (see `edit_weight`).

        Further images are references: the demo only counts them in the footer.
        """
        count = check_count(n, MAX_IMAGES)
        if not images:
            msg = "edit_images needs at least one source image: images=[ImageBlock('image/png', data)]"
            raise ValueError(msg)
        source = open_image(images[0].data, "image 1")
        weight = None if mask is None else edit_weight(open_image(mask.data, "the mask"), source.size)
        for i, block in enumerate(images[1:], start=2):
            open_image(block.data, f"image {i}")
        first = draw(self.draws, "edit", prompt, count)
        await pause(self.media_delay)
        refs = len(images) - 1
        return await asyncio.to_thread(
            lambda: [render_edit(prompt, source, weight, index=first + i, n=count, refs=refs) for i in range(count)]
        )
