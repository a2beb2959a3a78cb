"""The protocol's words are spelt once per language, and both spell them the same."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest

from axio_nb.stream.blocks import BlockKind, NoticeLevel, Status, ToolStatus

PROTOCOL_JS = Path(__file__).resolve().parents[2] / "widgets" / "src" / "lib" / "protocol.js"


def _js_object(name: str) -> dict[str, str]:
    source = PROTOCOL_JS.read_text()
    body = re.search(rf"export const {name} = Object\.freeze\(\{{(.*?)\}}\);", source, re.S)
    assert body, f"protocol.js has no frozen object {name}"
    return dict(re.findall(r'(\w+): "([^"]*)"', body.group(1)))


class TestProtocolMirror:
    @pytest.mark.parametrize("enum", [BlockKind, Status, ToolStatus, NoticeLevel], ids=lambda e: e.__name__)
    def test_js_mirror_has_the_same_members(self, enum: type[StrEnum]) -> None:
        """widgets/src/lib/protocol.js holds exactly the Python enum's names and values."""
        assert _js_object(enum.__name__) == {m.name: m.value for m in enum}

    def test_no_module_spells_a_status_itself(self) -> None:
        """Outside blocks.py, the Python package compares statuses through the enums, not string literals."""
        package = Path(__file__).resolve().parents[2] / "axio_nb"
        words = "|".join(Status) + "|running"
        pattern = re.compile(rf"""(==|!=|\bin)\s*\(?["'](?:{words})["']""")
        offenders = [
            f"{path.relative_to(package)}:{n}"
            for path in package.rglob("*.py")
            if path.name != "blocks.py"
            for n, line in enumerate(path.read_text().splitlines(), 1)
            if pattern.search(line)
        ]
        assert offenders == []
