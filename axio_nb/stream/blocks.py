"""The wire contract in code: block kinds and their fields, statuses, ops and meta (see widgets/PROTOCOL.md).

The fold builds blocks and ops from these definitions, the wire carries them, the snapshot and
`ChatResult` read them; `widgets/src/lib/protocol.js` mirrors the same words for the browser. A
word that names a kind or a status is spelt here and nowhere else.

Blocks travel and are stored as plain dicts (they are JSON on the wire and a view patches them by
path); the TypedDicts below give each kind's fields, and the fold builds every block through them,
so mypy checks each field a block is opened with.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Final, Literal, NotRequired, TypedDict


class BlockKind(StrEnum):
    """What a block is; the front end has exactly one renderer per kind."""

    text = "text"
    reasoning = "reasoning"
    tool = "tool"
    image = "image"
    audio = "audio"
    video = "video"
    refusal = "refusal"
    error = "error"
    notice = "notice"
    user = "user"


MEDIA_KINDS: Final = frozenset({BlockKind.image, BlockKind.audio, BlockKind.video})
#: Blocks whose text is the answer (what `get_final_text()` would say).
ANSWER_KINDS: Final = frozenset({BlockKind.text, BlockKind.refusal})


class Status(StrEnum):
    """Where a turn is: `meta.status`."""

    waiting = "waiting"
    streaming = "streaming"
    done = "done"
    error = "error"
    interrupted = "interrupted"


#: A turn in one of these has ended; nothing more will be appended.
FINISHED: Final = frozenset({Status.done, Status.error, Status.interrupted})
#: A turn that ended in one of these left partial output and a history that may need repair.
BROKEN: Final = frozenset({Status.error, Status.interrupted})


class ToolStatus(StrEnum):
    running = "running"
    ok = "ok"
    error = "error"


class NoticeLevel(StrEnum):
    warning = "warning"
    info = "info"


# -- block fields, by kind -------------------------------------------------------------------------
class Citation(TypedDict):
    title: str | None
    url: str | None
    cited_text: str


class TextFields(TypedDict):
    kind: Literal[BlockKind.text]
    text: str
    citations: list[Citation]


class ReasoningFields(TypedDict):
    kind: Literal[BlockKind.reasoning]
    text: str
    redacted: bool
    done: bool


class ToolFields(TypedDict):
    kind: Literal[BlockKind.tool]
    tool_use_id: str
    name: str
    args: str
    fields: dict[str, str]
    output: dict[str, str]
    result: str
    status: ToolStatus


class MediaFields(TypedDict):
    kind: Literal[BlockKind.image, BlockKind.audio, BlockKind.video]
    index: NotRequired[int]  # the event's index: in a media turn, the sample's number (its place in the grid)
    media_type: str
    size: int
    width: NotRequired[int]
    height: NotRequired[int]
    poster: NotRequired[str]  # video: the media type of its poster (its first frame), sent as its own buffer
    invalid: NotRequired[str]
    streaming: NotRequired[bool]  # audio that is still arriving in chunk ops (stream/audio.py)
    cut: NotRequired[bool]  # realtime barge-in: the user spoke over it; the page stops playing it at once
    path: NotRequired[str]  # where `--save` wrote it (stream/notes.py, Saved)
    tool_use_id: NotRequired[str]  # returned by this tool call: shown as part of its card


class RefusalFields(TypedDict):
    kind: Literal[BlockKind.refusal]
    text: str
    category: str | None
    blocked_input: bool
    spoken: bool


class ErrorFields(TypedDict):
    kind: Literal[BlockKind.error]
    message: str


class NoticeFields(TypedDict):
    kind: Literal[BlockKind.notice]
    level: NoticeLevel
    text: str


class UserFields(TypedDict):
    kind: Literal[BlockKind.user]
    text: str


type BlockFields = (
    TextFields | ReasoningFields | ToolFields | MediaFields | RefusalFields | ErrorFields | NoticeFields | UserFields
)
#: A block as stored and sent: its kind's fields plus `id` (arrival order, unique in its transcript).
type Block = dict[str, Any]


# -- meta -------------------------------------------------------------------------------------------
class Usage(TypedDict):
    input: int
    output: int
    cached: int
    reasoning: int


class Meta(TypedDict, total=False):
    """Facts about the whole turn; every field is optional to a view."""

    status: Status
    started_at: int  # epoch ms on the kernel
    transport: str
    requested_model: str
    model: str  # the model that served the turn
    iterations: int
    usage: Usage
    cost: float | None  # USD, None when the model has no prices
    elapsed_ms: int
    ttft_ms: int
    stop_reason: str
    incomplete: bool  # the answer is not whole: shown as a warning
    vad: Literal["speaking", "silent"]
    expected: int  # media turns: how many samples were asked for (the view keeps placeholders for the rest)


# -- ops --------------------------------------------------------------------------------------------
class OpenOp(TypedDict):
    op: Literal["open"]
    block: Block


class AppendOp(TypedDict):
    op: Literal["append"]
    id: int
    path: list[str]
    text: str


class SetOp(TypedDict):
    op: Literal["set"]
    id: int
    path: list[str]
    value: Any


class ChunkOp(TypedDict):
    """Bytes `start`..`start + size` of block `id`'s media were added: sent as one binary buffer."""

    op: Literal["chunk"]
    id: int
    start: int
    size: int


class MetaOp(TypedDict):
    op: Literal["meta"]
    value: Meta


type Op = OpenOp | AppendOp | SetOp | ChunkOp | MetaOp
