"""`%%axio image|edit|video|audio` as Python calls: options → transport → media events → the chat turn's path.

A media turn is a stream of axio events like a chat turn (`ImageOutput`, `AudioOutput`, `VideoOutput`,
`Error`), folded by the same `Transcript`, shown by the same view and left as the same snapshot
(docs/design.md). `n` samples are `n` concurrent calls of one sample each, so each shows as soon as
it arrives; `meta.expected` tells the view how many placeholders to keep while they come.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import re
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from axio import AudioOutput, Error, ImageOutput, VideoOutput
from axio.blocks import ImageBlock
from axio.transport import AudioGenTransport, ImageEditTransport, ImageGenTransport, VideoGenTransport

from ..errors import AxioNbError
from ..media.inputs import InputError, image_size, resolve_image
from ..media.kinds import kind_of, sniff
from ..media.save import save_media
from ..stream.blocks import NoticeLevel
from ..stream.notes import FoldEvent, Note, Saved
from ..stream.transcript import Transcript
from .media_result import MediaItem, MediaResult
from .present import Mode
from .prompt import interpolate
from .protocols import require
from .transports import Transports
from .turn import run_turn

#: command → (protocol, method, what it makes, verb for messages)
PROTOCOLS: Final[dict[str, tuple[type, str, str, str]]] = {
    "image": (ImageGenTransport, "generate_images", "image", "generate images"),
    "edit": (ImageEditTransport, "edit_images", "image", "edit images"),
    "video": (VideoGenTransport, "generate_videos", "video", "generate video"),
    "audio": (AudioGenTransport, "generate_audios", "audio", "generate audio"),
}
MAX_SAMPLES: Final = 10
#: Where a sample too large to show goes when `--save` names no folder (relative to the kernel's directory).
OVERSIZE_DIR: Final = "axio_nb_media"


def max_media_bytes() -> int:
    """The largest sample a cell shows (and sends to the browser): $AXIO_NB_MAX_MEDIA_MB, default 50."""
    try:
        return int(float(os.environ.get("AXIO_NB_MAX_MEDIA_MB", "50")) * 1024 * 1024)
    except ValueError:
        return 50 * 1024 * 1024


def oversize_note(kind: str, size: int, path: Path | None) -> str:
    limit = round(max_media_bytes() / 1024 / 1024, 3)
    where = f"saved as {path}" if path is not None else "kept in --out only"
    mb = size / 1024 / 1024
    return f"A {kind} of {mb:.1f} MB is too large to show (over {limit:g} MB, $AXIO_NB_MAX_MEDIA_MB): {where}."


ASPECTS: Final = ("16:9", "9:16", "1:1", "4:3", "3:4")
_SIZE = re.compile(r"^(\d{2,5})x(\d{2,5})$")
_EVENT: Final = {"image": ImageOutput, "audio": AudioOutput, "video": VideoOutput}


@dataclass(frozen=True, slots=True)
class MediaOptions:
    command: str = "image"
    transport: str | None = None
    model: str | None = None
    n: int = 1
    size: str | None = None
    image: str | None = None
    mask: str | None = None
    duration: int | None = None
    aspect: str | None = None
    out: str | None = None
    save: str | None = None
    display: Mode | None = None
    interpolate: bool = True


@dataclass(frozen=True, slots=True)
class MediaJob:
    """What a media turn sends, checked before anything is shown."""

    prompt: str
    images: tuple[ImageBlock, ...] = ()
    mask: ImageBlock | None = None


class MediaRunner:
    """Runs media turns on the transports the chat runner opened (one set per kernel)."""

    def __init__(self, transports: Transports, default_mode: Callable[[], Mode]) -> None:
        self.transports = transports
        self._default_mode = default_mode

    def prepare(self, opts: MediaOptions, cell: str, namespace: Mapping[str, Any]) -> MediaJob:
        """Everything that can fail on the user's input, checked before anything is shown."""
        flag = f"%%axio {opts.command}"
        if opts.command not in PROTOCOLS:
            raise AxioNbError(f"`{opts.command}` is not a media command: use one of {', '.join(PROTOCOLS)}.")
        prompt = (interpolate(cell, namespace) if opts.interpolate else cell).strip()
        if not prompt:
            raise AxioNbError(f"The cell has no prompt: describe what to make below the `{flag}` line.")
        if not 1 <= opts.n <= MAX_SAMPLES:
            raise AxioNbError(f"-n {opts.n}: ask for 1 to {MAX_SAMPLES} samples.")
        if opts.size is not None and not _SIZE.match(opts.size):
            raise AxioNbError(f"--size {opts.size}: write WIDTHxHEIGHT, e.g. --size 1024x1024.")
        if opts.aspect is not None and opts.aspect not in ASPECTS:
            raise AxioNbError(f"--aspect {opts.aspect}: use one of {', '.join(ASPECTS)}.")
        if opts.duration is not None and not 1 <= opts.duration <= 60:
            raise AxioNbError(f"--duration {opts.duration}: give 1 to 60 seconds.")
        if opts.command == "edit" and opts.image is None:
            raise AxioNbError("`%%axio edit` needs --image: a path, bytes, a Pillow image or an earlier --out item.")
        if opts.image is not None and opts.command not in ("edit", "video"):
            raise AxioNbError(f"--image is for `%%axio edit` and `%%axio video`, not `{opts.command}`.")
        if opts.mask is not None and opts.command != "edit":
            raise AxioNbError("--mask is for `%%axio edit` only.")
        if opts.transport is not None:
            self.transports.entry(opts.transport)
        try:
            images = tuple(resolve_image(s.strip(), namespace, "--image") for s in (opts.image or "").split(",") if s)
            mask = resolve_image(opts.mask, namespace, "--mask") if opts.mask else None
        except InputError as exc:
            raise AxioNbError(str(exc)) from None
        if mask is not None:
            want, got = image_size(images[0]), image_size(mask)
            if want != got:
                msg = (
                    f"--mask {opts.mask}: it is {got[0]}×{got[1]} but the image is {want[0]}×{want[1]}; "
                    "give a mask of the image's size."
                )
                raise AxioNbError(msg)
        return MediaJob(prompt, images, mask)

    async def run(
        self, opts: MediaOptions, job: MediaJob, bind: Callable[[MediaResult], None] | None = None
    ) -> MediaResult:
        """Run one media turn; `bind` gets the result before it starts (items fill in as they arrive)."""
        protocol, method, kind, verb = PROTOCOLS[opts.command]
        name = self.transports.pick(opts.transport)
        # Told from the class, before opening: no credentials or network needed to learn it cannot.
        require(self.transports, name, opts.command, verb)
        transport = await self.transports.open(name)
        if not isinstance(transport, protocol):
            raise AxioNbError(f"Transport `{name}` cannot {verb} (it has no `{method}`).")
        call = getattr(transport, method)
        extra = self._extra(opts, call, name)
        entry = self.transports.entry(name)
        transcript = Transcript(transport=name, format_error=entry.format_error)
        transcript.meta["expected"] = opts.n
        if opts.model:
            transcript.meta["requested_model"] = opts.model
        result = MediaResult(transcript)
        if bind is not None:
            bind(result)

        async def one(index: int) -> tuple[int, list[bytes]]:
            kwargs: dict[str, Any] = {"model": opts.model, "n": 1, **extra}
            if opts.command == "edit":
                kwargs |= {"images": list(job.images), "mask": job.mask}
            elif opts.command == "video" and job.images:
                kwargs["image"] = job.images[0].data
            return index, list(await call(job.prompt, **kwargs))

        async def events() -> AsyncIterator[FoldEvent]:
            calls = [asyncio.ensure_future(one(i)) for i in range(opts.n)]
            try:
                for next_done in asyncio.as_completed(calls):
                    try:
                        index, samples = await next_done
                    except Exception as exc:  # one sample failed: say so, keep the others
                        yield Error(exception=exc)
                        continue
                    for data in samples:
                        media_type = sniff(data, kind)
                        shown = len(data) <= max_media_bytes()
                        folder = opts.save or (None if shown else OVERSIZE_DIR)
                        path = save_media(folder, job.prompt, index, data, media_type) if folder else None
                        result.add(MediaItem(index, data, media_type, path))
                        if not shown:
                            yield Note(oversize_note(kind_of(media_type), len(data), path), NoticeLevel.warning)
                            continue
                        event = _EVENT[kind_of(media_type)]
                        yield event(index=index, data=data, media_type=media_type)
                        if path is not None:
                            yield Saved(str(path))
            finally:
                for pending in calls:
                    pending.cancel()

        mode = opts.display or self._default_mode()
        await run_turn(events, transcript, mode=mode, result=result)
        return result

    @staticmethod
    def _extra(opts: MediaOptions, call: Any, name: str) -> dict[str, Any]:
        """Flags that map onto the call's own keywords; one the transport does not take is an error, not ignored."""
        wanted: dict[str, Any] = {}
        if opts.size is not None:
            wanted["size"] = opts.size
        if opts.duration is not None:
            wanted["duration_seconds"] = opts.duration
        if opts.aspect is not None:
            wanted["aspect_ratio"] = opts.aspect
        params = inspect.signature(call).parameters
        takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
        for key in wanted:
            if key not in params and not takes_any:
                flag = {"size": "--size", "duration_seconds": "--duration", "aspect_ratio": "--aspect"}[key]
                raise AxioNbError(f"{flag}: transport `{name}` does not take it for `{opts.command}`; leave it out.")
        return wanted
