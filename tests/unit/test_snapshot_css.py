"""A snapshot carries the CSS its markup uses (rule by rule: axio_nb/render/css.py `css_for`; the check that
no dropped rule matches anything is in tests/unit/test_snapshot.py)."""

from __future__ import annotations

from axio import ImageOutput, TextDelta, ToolResult, ToolUseStart

from axio_nb.demo.transport import _demo_png
from axio_nb.render.css import SNAPSHOT_CSS
from axio_nb.render.snapshot import to_html
from axio_nb.stream.transcript import Transcript


def _style(*events: object) -> str:
    t = Transcript()
    for e in events:
        t.apply(e)  # type: ignore[arg-type]
    html = to_html(t)
    assert html.startswith("<style>")
    return html[len("<style>") : html.index("</style>")]


class TestSnapshotCss:
    def test_a_short_answer_carries_no_code_media_or_tool_rules(self) -> None:
        """Each output holds its own CSS: a one-line answer must not carry a stylesheet ten times its size."""
        css = _style(TextDelta(0, "Hello there."))
        assert css.startswith(".axio-nb-snapshot{")
        assert "axio-nb-copy" not in css and "axio-nb-media-turn" not in css and ".axio-nb-tool{" not in css
        assert len(css) < len(SNAPSHOT_CSS) / 3

    def test_code_and_tools_bring_their_rules(self) -> None:
        css = _style(
            TextDelta(0, "```python\nx = 1\n```\n"),
            ToolUseStart(1, "c", "get"),
            ToolResult("c", "get", False, "ok"),
        )
        assert "div.axio-nb-stream.axio-nb-snapshot pre{" in css and ".axio-nb-copy{" in css
        assert ".axio-nb-hl ." in css and ".axio-nb-tool{" in css

    def test_images_bring_the_media_rules(self) -> None:
        css = _style(ImageOutput(0, _demo_png(), "image/png"))
        assert ".axio-nb-snapshot .axio-nb-image img{" in css
