"""Streamed speech in a transcript: `AudioOutputDelta` chunks grow one audio block, sent as binary chunk ops.

TTS (`%%axio tts`) and realtime voice both yield audio in pieces that should play as they come. One
audio block collects a run of chunks of one media type (realtime interleaves its transcript's text
between them: the block stays open across it); its bytes live in `Transcript.media`, and each chunk
op names the byte range it added, which the wire sends as one binary buffer (widgets/PROTOCOL.md).
When the turn or the speech ends the block's `streaming` flag turns false. When the user starts speaking
over it (realtime barge-in, SpeechStarted) the open block is also marked `cut`: the page stops its
playback at once instead of draining what is buffered (widgets/src/lib/speech.js).
"""

from __future__ import annotations

from .blocklog import BlockLog
from .blocks import Block, BlockKind, ChunkOp, MediaFields, Op


class AudioChunks:
    """The open audio block of a transcript, and the bytes of every audio block."""

    __slots__ = ("_log", "_media", "_open")

    def __init__(self, log: BlockLog, media: dict[int, bytes | bytearray]) -> None:
        self._log = log
        self._media = media
        self._open: Block | None = None

    def chunk(self, data: bytes, media_type: str) -> list[Op]:
        """Append `data`; opens a streaming audio block first if none of this media type is open."""
        ops: list[Op] = []
        block = self._open
        if block is None or block["media_type"] != media_type:
            ops += self.close()
            ops += self._log.open(MediaFields(kind=BlockKind.audio, media_type=media_type, size=0, streaming=True))
            block = self._open = self._log.newest
            self._media[block["id"]] = bytearray()
        buf = self._media[block["id"]]
        assert isinstance(buf, bytearray)
        start = len(buf)
        buf.extend(data)
        block["size"] = len(buf)
        ops.append(ChunkOp(op="chunk", id=block["id"], start=start, size=len(data)))
        return ops

    def close(self) -> list[Op]:
        """The speech ended (turn over, or another kind of audio began): the open block stops streaming."""
        block, self._open = self._open, None
        if block is None:
            return []
        return self._log.set(block, ("streaming",), False)

    def cut(self) -> list[Op]:
        """The user spoke over the open speech: mark it `cut`, then close it (nothing when none is open)."""
        block = self._open
        if block is None:
            return []
        return self._log.set(block, ("cut",), True) + self.close()
