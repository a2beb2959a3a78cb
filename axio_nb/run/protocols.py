"""Which axio protocols each installed transport speaks: `%axio transports` prints it as a table.

axio reads only the `axio.transport` entry-point group; transport packages also declare
`axio.transport.tts`, `axio.transport.stt` and `axio.transport.realtime` (axio-transport-openai does),
each naming its own class. A transport's classes are merged by name and each protocol is told by the
method it needs, on the class: nothing is opened or instantiated to list them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, Final

from ..errors import AxioNbError

#: Column → the method a class needs for it (axio/transport.py's protocols).
PROTOCOL_METHODS: Final = {
    "chat": "stream",
    "image": "generate_images",
    "edit": "edit_images",
    "video": "generate_videos",
    "audio": "generate_audios",
    "tts": "synthesize",
    "stt": "transcribe",
    "embed": "embed",
    "realtime": "connect",
}
#: Entry-point groups besides `axio.transport`, and the protocol each one's classes speak.
EXTRA_GROUPS: Final = {"axio.transport.tts": "tts", "axio.transport.stt": "stt", "axio.transport.realtime": "realtime"}


@dataclass(slots=True)
class TransportProtocols:
    name: str
    classes: dict[str, Any] = field(default_factory=dict)  # protocol → the class that speaks it
    errors: list[str] = field(default_factory=list)

    @property
    def protocols(self) -> list[str]:
        return [p for p in PROTOCOL_METHODS if p in self.classes]


def protocol_table(main: dict[str, Any]) -> dict[str, TransportProtocols]:
    """name → what it speaks, from `main` (name → class of `axio.transport`) and the extra groups."""
    table: dict[str, TransportProtocols] = {}
    for name, cls in main.items():
        row = table.setdefault(name, TransportProtocols(name))
        for protocol, method in PROTOCOL_METHODS.items():
            if protocol != "realtime" and callable(getattr(cls, method, None)):
                row.classes[protocol] = cls
    for group, protocol in EXTRA_GROUPS.items():
        for ep in entry_points(group=group):
            row = table.setdefault(ep.name, TransportProtocols(ep.name))
            try:
                cls = ep.load()
            except Exception as exc:  # a broken package must not hide the others
                row.errors.append(f"{group}: {type(exc).__name__}: {exc}")
                continue
            if callable(getattr(cls, PROTOCOL_METHODS[protocol], None)):
                row.classes[protocol] = cls
    return table


def able_to(table: dict[str, TransportProtocols], protocol: str) -> list[str]:
    """The transports that speak `protocol`, by name."""
    return sorted(name for name, row in table.items() if protocol in row.classes)


def require(transports: Any, name: str, protocol: str, verb: str) -> None:
    """An AxioNbError naming the transports that can, if `name`'s class lacks `protocol`."""
    entries = transports.catalog.entries
    table = protocol_table({n: e.cls for n, e in entries.items()})
    if name in table and protocol in table[name].classes:
        return
    able = [n for n in able_to(table, protocol) if n in entries]
    method = PROTOCOL_METHODS[protocol]
    msg = f"Transport `{name}` cannot {verb} (it has no `{method}`). " + (
        f"Transports that can: {', '.join(able)}; pick one with --transport."
        if able
        else "No installed transport can."
    )
    raise AxioNbError(msg)
