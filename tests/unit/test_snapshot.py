from __future__ import annotations

import html as _html
import re
from typing import Any

from axio import (
    AudioOutput,
    AudioOutputDelta,
    Citation,
    Error,
    ImageOutput,
    IterationStart,
    ReasoningDelta,
    ReasoningSignature,
    Refusal,
    SessionEndEvent,
    TextDelta,
    ToolInputDelta,
    ToolOutputDelta,
    ToolResult,
    ToolUseStart,
    VideoOutput,
)
from axio.types import StopReason, Usage

from axio_nb.demo.transport import _demo_png
from axio_nb.media.audio import pcm_to_wav
from axio_nb.render.css import SNAPSHOT_CSS, _split
from axio_nb.render.script import _HEAD, _PARTS, _TAIL, FULL_SCRIPT
from axio_nb.render.snapshot import mimebundle, to_html, to_text
from axio_nb.stream.transcript import Transcript

HOSTILE = (
    "<img src=x onerror=alert(1)> <script>alert(2)</script> [x](javascript:alert(3))\n\n```html\n<b onerror=1>\n```\n"
)


def _parts(*names: str) -> str:
    """Script parts by what they do, in their order: math, place, image, speech, copy."""
    order = ("math", "place", "image", "speech", "copy")
    return "".join(part for name, (_needs, part) in zip(order, _PARTS, strict=True) if name in names)


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

    def test_the_only_script_is_made_of_the_fixed_parts(self) -> None:
        """Model text never becomes script: the one <script> is fixed parts, whatever the answer says."""
        html = to_html(fold(TextDelta(0, HOSTILE + "\n\n```js\n</script><script>alert(4)</script>\n```\n")))
        assert html.count("<script>") == 1
        script = html[html.index("<script>") :]
        assert script == _HEAD + _parts("place", "copy") + _TAIL, "text with a code block, no math, image or audio"

    def test_citation_urls_must_be_http(self) -> None:
        html = to_html(fold(TextDelta(0, "a"), Citation(0, "c", title="t", url="javascript:alert(1)")))
        assert "javascript:" not in html


class TestContent:
    def test_markdown_and_code_are_rendered(self) -> None:
        html = to_html(fold(TextDelta(0, "## Title\n\n- one\n\n```python\nx = 1\n```\n")))
        assert '<h2 class="jp-toc-ignore tocSkip">Title</h2>' in html and "<li>one</li>" in html
        assert 'class="language-python axio-nb-hl"' in html


class TestLightSnapshot:
    """The snapshot JupyterLab swaps in at the end of a turn costs as little as the same look allows: the
    answer's headings stay out of the notebook's table of contents, neighbouring tokens of one colour share
    one span, and a code block out of sight is skipped until it comes near, holding its height meanwhile."""

    def test_headings_stay_out_of_the_table_of_contents(self) -> None:
        html = to_html(fold(TextDelta(0, "# A\n\n> ### B\n\n- #### C\n")))
        assert re.findall(r"<h\d[^>]*>", html) == [
            '<h1 class="jp-toc-ignore tocSkip">',
            '<h3 class="jp-toc-ignore tocSkip">',
            '<h4 class="jp-toc-ignore tocSkip">',
        ]

    def test_one_span_per_run_of_one_colour(self) -> None:
        html = to_html(fold(TextDelta(0, "```python\nx = 'a b' + \"c\"  # note\nimport os, sys\n```\n")))
        code = html[html.index("<code") : html.index("</code>")]
        assert (
            """x = <span class="s">'a b'</span> + <span class="s">"c"</span>  <span class="c"># note</span>""" in code
        )

    def test_code_keeps_its_text_exactly(self) -> None:
        source = "def f(a, b):\n    return a <= b and '</span><script>' != \"&amp;\"  # c\n"
        html = to_html(fold(TextDelta(0, f"```python\n{source}```\n")))
        code = html[html.index("<code") : html.index("</code>")].split(">", 1)[1]
        assert "<script>" not in code
        assert _html.unescape(re.sub(r"<[^>]+>", "", code)) == source

    def test_code_blocks_hold_their_height_out_of_sight(self) -> None:
        html = to_html(fold(TextDelta(0, "```python\n" + "x = 1\n" * 100 + "```\n")))
        assert '<pre class="axio-nb-code" style="contain-intrinsic-block-size:auto 1718px">' in html
        assert "content-visibility:auto" in html

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

    def test_plain_text_shows_tool_arguments_as_sent(self) -> None:
        call = [ToolUseStart(0, "c", "add"), ToolInputDelta(0, "c", '{"a": 3, "b": "x"}')]
        assert '[tool add(a=3, b="x") → running]' in to_text(fold(*call))
        # Unfinished arguments: what the fold has of each field so far.
        assert "[tool add(a='3') → running]" in to_text(fold(call[0], ToolInputDelta(0, "c", '{"a": 3')))

    def test_long_text_is_whole_in_html_and_clipped_in_plain(self) -> None:
        t = fold(TextDelta(0, "word " * 4000))
        assert ("word " * 4000).strip() in to_html(t)
        assert "more characters in the HTML output" in to_text(t) and len(to_text(t)) < 9000

    def test_bundle_has_html_and_plain(self) -> None:
        assert set(mimebundle(fold(TextDelta(0, "x")))) == {"text/html", "text/plain"}


def _media_turn(*events: object) -> Transcript:
    t = Transcript(transport="demo")
    t.meta["expected"] = len(events)
    for e in events:
        t.apply(e)  # type: ignore[arg-type]
    t.finish()
    return t


def _every_kind() -> dict[str, Transcript]:
    """Snapshots of every block kind and footer state the renderers draw."""
    png = _demo_png()
    wav = pcm_to_wav(b"\0\1" * 2400, 24000)
    usage = Usage(input_tokens=3, output_tokens=4)
    answer = (
        "## Title\n\nSome *text*, `code`, $x^2$ and\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "```python\ndef f(x):\n    return 'y'  # note\n```\n"
    )
    return {
        "answer": fold(TextDelta(0, answer), SessionEndEvent(StopReason.end_turn, usage)),
        "plain": fold(TextDelta(0, "Just words."), SessionEndEvent(StopReason.end_turn, usage)),
        "long": fold(TextDelta(0, answer * 80), SessionEndEvent(StopReason.end_turn, usage)),
        "cut": fold(TextDelta(0, "Cut"), SessionEndEvent(StopReason.max_tokens, usage)),
        "thinking": fold(
            IterationStart(0, model="m-1"),
            ReasoningDelta(0, "hmm"),
            ReasoningSignature(0, signature="s", redacted=True),
            TextDelta(0, "ok"),
        ),
        "diff": fold(TextDelta(0, "```diff\n-a\n+b\n```\n")),
        "tools": fold(
            ToolUseStart(0, "a", "add"),
            ToolInputDelta(0, "a", '{"a": 1}'),
            ToolResult("a", "add", False, "2"),
            ToolUseStart(1, "b", "run"),
            ToolOutputDelta("b", "run", "stderr", "warning"),
            ImageOutput(0, png, "image/png"),
            ToolResult("b", "run", True, "boom"),
        ),
        "refusal": fold(Refusal("no", category="x")),
        "error": fold(TextDelta(0, "partial"), Error(RuntimeError("lost"))),
        "images": _media_turn(ImageOutput(0, png, "image/png"), ImageOutput(1, png, "image/png")),
        "audio": _media_turn(AudioOutput(0, wav, "audio/wav")),
        "video": _media_turn(VideoOutput(0, b"\x1aE\xdf\xa3" + bytes(64), "video/webm")),
        "speech": fold(AudioOutputDelta(data=b"\0\1" * 2400), AudioOutputDelta(data=b"\2\3" * 2400)),
    }


def _after_script(html: str) -> Any:
    """The snapshot's DOM as its script leaves it: copy buttons, a Stop speaking button, images at full size."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for code in soup.select("pre>code"):
        code.parent.append(soup.new_tag("button", attrs={"class": "axio-nb-copy"}))
    for audio in soup.select("audio"):
        audio.insert_before(soup.new_tag("button", attrs={"class": "axio-nb-stop-speaking"}))
    for image in soup.select(".axio-nb-image"):
        image["class"] = [*image["class"], "axio-nb-media-full"]
    return soup


class TestSnapshotWeight:
    """A snapshot carries the rules and script parts its content needs, and no others (BENCHMARKS.md)."""

    def test_every_rule_left_out_matches_nothing(self) -> None:
        """Checked with a CSS selector engine (soupsieve), on the DOM as the snapshot's script leaves it."""
        every_rule = re.findall(r"([^{}]+)\{[^{}]*\}", SNAPSHOT_CSS)
        kept_somewhere: set[str] = set()
        for name, transcript in _every_kind().items():
            html = to_html(transcript)
            style = html[len("<style>") : html.index("</style>")]
            soup = _after_script(html)
            for selectors in every_rule:
                if selectors + "{" in style:
                    kept_somewhere.add(selectors)
                    continue
                for selector in _split(selectors):
                    bare = re.sub(r":(hover|focus)\b", "", selector)
                    assert not soup.select(bare), f"{name}: left out {selector!r}, which matches"
        assert kept_somewhere == set(every_rule), "every rule is needed by some snapshot"

    def test_a_media_turn_carries_only_its_own_rules_and_script(self) -> None:
        kinds = _every_kind()
        html = to_html(kinds["images"])
        style = html[: html.index("</style>")]
        assert "pre{" not in style and "axio-nb-tool" not in style and "axio-nb-hl" not in style
        assert len(style) < 1_300, len(style)
        assert html[html.index("<script>") :] == _HEAD + _parts("image") + _TAIL
        assert "<script>" not in to_html(kinds["video"]), "nothing for a script to do"
        assert to_html(kinds["audio"]).endswith(_HEAD + _parts("speech") + _TAIL)

    def test_a_snapshot_with_everything_gets_the_whole_script(self) -> None:
        t = fold(
            TextDelta(0, "$x$\n\n```py\nx\n```\n"),
            ImageOutput(0, _demo_png(), "image/png"),
            AudioOutput(1, pcm_to_wav(b"\0\0" * 100, 8000), "audio/wav"),
        )
        assert to_html(t).endswith(FULL_SCRIPT)
