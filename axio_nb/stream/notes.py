"""Events of axio_nb's own, folded like axio's: what a media turn has to say that axio has no event for."""

from __future__ import annotations

from dataclasses import dataclass

from axio import StreamEvent

from .blocks import NoticeLevel


@dataclass(frozen=True, slots=True)
class Note:
    """A line to show in the transcript (a notice block), e.g. a sample too large to show."""

    text: str
    level: NoticeLevel = NoticeLevel.info


@dataclass(frozen=True, slots=True)
class Saved:
    """The newest media block's bytes were written to `path` (`--save`): the views and the snapshot say where."""

    path: str


type OwnEvent = Note | Saved
#: What the fold takes: axio's events and these.
type FoldEvent = StreamEvent | OwnEvent
