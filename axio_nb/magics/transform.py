"""The input transformer that makes a `%%axio` cell await its magic, as top-level await on the kernel's loop."""

from __future__ import annotations

import re

#: `get_ipython().run_cell_magic('axio', …)` / `run_line_magic('axio', …)` at the start of a line,
#: alone or assigned: what IPython makes of `%%axio` and `%axio` before our transformer runs.
_MAGIC_CALL = re.compile(
    r"^(?P<assign>[A-Za-z_][\w.]*\s*=\s*)?(?P<call>get_ipython\(\)\.run_(?:cell|line)_magic\('axio',)"
)


def await_axio(lines: list[str]) -> list[str]:
    """Input transformer: make the cell await what the magic returns, as top-level await.

    Why not run the stream here: docs/facts.md#no-re-entrant-event-loop and #the-cell-awaits-the-magic.

    Only our own magic calls at column 0 are touched; indented ones (inside a def) are left alone.
    The magic returns a coroutine only for the async commands; `_maybe_await` lets the rest pass.
    """
    out = []
    for line in lines:
        match = _MAGIC_CALL.match(line)
        if match:
            assign = match.group("assign") or ""
            line = f"{assign}await __import__('axio_nb')._maybe_await({line[len(assign) :].rstrip()})\n"
        out.append(line)
    return out
