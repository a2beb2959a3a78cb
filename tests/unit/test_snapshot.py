from __future__ import annotations

import re

from axio import Citation, Error, ImageOutput, ReasoningDelta, SessionEndEvent, TextDelta, ToolResult, ToolUseStart
from axio.types import StopReason, Usage

from axio_nb.demo.transport import _demo_png
from axio_nb.render.snapshot import mimebundle, to_html, to_text
from axio_nb.stream.transcript import Transcript

HOSTILE = (
    "<img src=x onerror=alert(1)> <script>alert(2)</script> [x](javascript:alert(3))\n\n```html\n<b onerror=1>\n```\n"
)


def fold(*events: object) -> Transcript:
    t = Transcript()
    for e in events:
        t.apply(e)  # type: ignore[arg-type]
    return t


class TestSafeByConstruction:
    def test_raw_html_in_model_text_is_escaped(self) -> None:
        html = to_html(fold(TextDelta(0, HOSTILE)))
        assert "<img src=x" not in html and "<script>alert" not in html and "<b onerror" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert 'href="javascript:' not in html

    def test_tool_names_results_and_errors_are_escaped(self) -> None:
        html = to_html(
            fold(
                ToolUseStart(0, "c", "<svg onload=1>"),
                ToolResult("c", "<svg onload=1>", False, "<script>x</script>"),
                Error(RuntimeError("<img src=y onerror=2>")),
            )
        )
        assert "<svg" not in html and "<script>x" not in html and "<img src=y" not in html

    def test_the_only_script_is_the_fixed_copy_script(self) -> None:
        """Model text never becomes script: the one <script> is a constant, whatever the answer says."""
        from axio_nb.render.snapshot import COPY_SCRIPT

        html = to_html(fold(TextDelta(0, HOSTILE + "\n\n```js\n</script><script>alert(4)</script>\n```\n")))
        assert html.count("<script>") == 1 and html.endswith(COPY_SCRIPT)

    def test_citation_urls_must_be_http(self) -> None:
        html = to_html(fold(TextDelta(0, "a"), Citation(0, "c", title="t", url="javascript:alert(1)")))
        assert "javascript:" not in html


class TestContent:
    def test_markdown_and_code_are_rendered(self) -> None:
        html = to_html(fold(TextDelta(0, "## Title\n\n- one\n\n```python\nx = 1\n```\n")))
        assert "<h2>Title</h2>" in html and "<li>one</li>" in html and 'class="language-python axio-nb-hl"' in html

    def test_image_is_a_verified_data_uri(self) -> None:
        html = to_html(fold(ImageOutput(0, _demo_png(), "image/png")))
        assert 'src="data:image/png;base64,' in html

    def test_reasoning_is_collapsed(self) -> None:
        assert "<details><summary>Thinking" in to_html(fold(ReasoningDelta(0, "hmm")))

    def test_plain_text_is_deterministic_and_has_no_timings(self) -> None:
        events = [TextDelta(0, "Hello"), SessionEndEvent(StopReason.max_tokens, Usage(10, 4))]
        first, second = to_text(fold(*events)), to_text(fold(*events))
        assert first == second
        assert "Hello" in first and "Cut short" in first and "10 in / 4 out tokens" in first
        assert not re.search(r"\d (ms|s|min)\b", first.split("—")[-1]), first

    def test_long_text_is_whole_in_html_and_clipped_in_plain(self) -> None:
        t = fold(TextDelta(0, "word " * 4000))
        assert ("word " * 4000).strip() in to_html(t)
        assert "more characters in the HTML output" in to_text(t) and len(to_text(t)) < 9000

    def test_bundle_has_html_and_plain(self) -> None:
        assert set(mimebundle(fold(TextDelta(0, "x")))) == {"text/html", "text/plain"}
