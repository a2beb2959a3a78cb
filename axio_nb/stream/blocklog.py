"""The blocks of one transcript, changed only through ops: every change returns the op that shows it."""

from __future__ import annotations

from typing import Any

from .blocks import Block, BlockFields, BlockKind, Op

#: Where an append lands: a block id and the path of a string field inside it.
type _Key = tuple[int, tuple[str, ...]]


class BlockLog:
    """Blocks in arrival order (a block's `id` is its index), and the ops that built them.

    Appended text is kept as a list of parts per field and joined when the blocks are read: adding
    each delta to the string so far copied the whole text on every delta, so a 1 MB answer cost
    15× more per delta than a 40 KB one. Reads (`blocks`) happen when a view asks for the state and
    when the turn ends, not per delta.
    """

    __slots__ = ("_blocks", "_parts", "_stale")

    def __init__(self) -> None:
        self._blocks: list[Block] = []
        self._parts: dict[_Key, list[str]] = {}
        self._stale: set[_Key] = set()

    @property
    def blocks(self) -> list[Block]:
        """Every block, its appended text joined (cheap when nothing was appended since the last read)."""
        for key in self._stale:
            self._join(key)
        self._stale.clear()
        return self._blocks

    @property
    def tail(self) -> Block | None:
        """The newest block; its appended text may not be joined yet (read fields that are set, not appended)."""
        return self._blocks[-1] if self._blocks else None

    @property
    def newest(self) -> Block:
        """The block just opened (there is one)."""
        return self._blocks[-1]

    def last(self, kind: BlockKind) -> Block | None:
        for block in reversed(self._blocks):
            if block["kind"] == kind:
                return block
        return None

    def text(self, block: Block, path: tuple[str, ...]) -> str:
        """One string field, joined now."""
        key = (block["id"], path)
        if key in self._stale:
            self._join(key)
            self._stale.discard(key)
        return _get(block, path)

    # -- changes, each returning its op ---------------------------------------------------------
    def open(self, fields: BlockFields) -> list[Op]:
        block: Block = {"id": len(self._blocks), **fields}
        self._blocks.append(block)
        return [{"op": "open", "block": copy_block(block)}]

    def append(self, block: Block, path: tuple[str, ...], text: str) -> list[Op]:
        key = (block["id"], path)
        parts = self._parts.get(key)
        if parts is None:
            parts = self._parts[key] = [_get(block, path)]
        parts.append(text)
        self._stale.add(key)
        return [{"op": "append", "id": block["id"], "path": list(path), "text": text}]

    def set(self, block: Block, path: tuple[str, ...], value: Any) -> list[Op]:
        key = (block["id"], path)
        self._parts.pop(key, None)
        self._stale.discard(key)
        _put(block, path, value)
        return [{"op": "set", "id": block["id"], "path": list(path), "value": value}]

    def _join(self, key: _Key) -> None:
        parts = self._parts[key]
        joined = "".join(parts)
        parts[:] = [joined]
        _put(self._blocks[key[0]], key[1], joined)


def copy_block(block: Block) -> Block:
    """A copy deep enough to hand to another thread or serialise while the fold goes on."""
    copy = dict(block)
    for key in ("fields", "output"):
        if key in copy:
            copy[key] = dict(copy[key])
    if "citations" in copy:
        copy["citations"] = list(copy["citations"])
    return copy


def _get(block: Block, path: tuple[str, ...]) -> str:
    target: Any = block
    for key in path:
        target = target.get(key, "") if isinstance(target, dict) else ""
    return target if isinstance(target, str) else ""


def _put(block: Block, path: tuple[str, ...], value: Any) -> None:
    target = block
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
