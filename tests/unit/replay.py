"""What a view does with the ops it is sent, in Python: the reference the data-path tests compare against."""

from __future__ import annotations

import json
from typing import Any

from axio_nb.stream.blocks import Op
from axio_nb.stream.transcript import Transcript


def replay(initial: tuple[list[dict[str, Any]], dict[str, Any]], ops: list[Op]) -> tuple[list[Any], dict[str, Any]]:
    """What a view does with ops (widgets/src/lib/store.js): open, append (creating ""), set, merge meta."""
    blocks = {b["id"]: json.loads(json.dumps(b)) for b in initial[0]}
    meta = dict(initial[1])
    for op in json.loads(json.dumps(ops)):
        match op["op"]:
            case "open":
                blocks[op["block"]["id"]] = op["block"]
            case "append" | "set":
                target = blocks[op["id"]]
                for key in op["path"][:-1]:
                    target = target.setdefault(key, {})
                last = op["path"][-1]
                target[last] = target.get(last, "") + op["text"] if op["op"] == "append" else op["value"]
            case "chunk":  # the bytes travel as a buffer; the block's size is where the last chunk ends
                blocks[op["id"]]["size"] = op["start"] + op["size"]
            case "meta":
                meta.update(op["value"])
    return [blocks[i] for i in sorted(blocks)], meta


def state_json(t: Transcript) -> tuple[list[Any], dict[str, Any]]:
    blocks, meta = t.state()
    return json.loads(json.dumps(blocks)), json.loads(json.dumps(meta))
