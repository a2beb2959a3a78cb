"""What media bytes are: sniffed from their first bytes, since axio's generation protocols return bare bytes."""

from __future__ import annotations

from typing import Final

#: (kind, magic prefix test, media type). Order matters: the first match wins.
_SIGNATURES: Final = (
    ("image", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"), "image/png"),
    ("image", lambda b: b.startswith(b"\xff\xd8\xff"), "image/jpeg"),
    ("image", lambda b: b[:6] in (b"GIF87a", b"GIF89a"), "image/gif"),
    ("image", lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP", "image/webp"),
    ("audio", lambda b: b[:4] == b"RIFF" and b[8:12] == b"WAVE", "audio/wav"),
    ("audio", lambda b: b.startswith(b"ID3") or (len(b) > 1 and b[0] == 0xFF and b[1] & 0xE0 == 0xE0), "audio/mpeg"),
    ("audio", lambda b: b.startswith(b"OggS"), "audio/ogg"),
    ("audio", lambda b: b.startswith(b"fLaC"), "audio/flac"),
    ("video", lambda b: b[4:8] == b"ftyp", "video/mp4"),
    ("video", lambda b: b.startswith(b"\x1a\x45\xdf\xa3"), "video/webm"),
)
#: What to call bytes nothing recognises, by the kind the protocol promised.
FALLBACK: Final = {"image": "image/png", "audio": "audio/wav", "video": "video/mp4"}
#: File extensions for saved media.
EXTENSIONS: Final = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "audio/wav": "wav",
    "audio/mpeg": "mp3",
    "audio/ogg": "ogg",
    "audio/flac": "flac",
    "video/mp4": "mp4",
    "video/webm": "webm",
}


def recognise(data: bytes) -> str | None:
    """The media type `data` starts like, or None."""
    head = data[:16]
    for _kind, test, media_type in _SIGNATURES:
        if test(head):
            return media_type
    return None


def sniff(data: bytes, kind: str) -> str:
    """The media type of `data`, which a transport of `kind` returned; its fallback when unrecognised.

    An MP4 that holds only audio still says video/mp4 (a `<video>` plays it); a sniffed type of
    another kind is kept (an image transport that returns a WebM is shown as what it is).
    """
    return recognise(data) or FALLBACK.get(kind, "application/octet-stream")


def kind_of(media_type: str) -> str:
    """image, audio or video for a media type (the part before the slash); video for anything else."""
    major = media_type.split("/", 1)[0]
    return major if major in ("image", "audio", "video") else "video"
