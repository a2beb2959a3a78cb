"""Math in the snapshot: the live view's rules, TeX that markdown never touches, HTML that MathJax typesets."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from axio import TextDelta

from axio_nb.demo.transport import _math_answer
from axio_nb.render.math import IGNORE_CLASSES, math_html
from axio_nb.render.snapshot import render_markdown, to_html
from axio_nb.stream.transcript import Transcript

#: Shared with widgets/test/math.test.js: the live view and the snapshot must find the same math.
FIXTURES = Path(__file__).resolve().parents[2] / "widgets/test/fixtures"
CASES = json.loads((FIXTURES / "math-cases.json").read_text())
#: Shared with widgets/test/math.test.js: formulas as the snapshot writes them, for `typesetSnapshot`.
SNAPSHOT_CASES = json.loads((FIXTURES / "snapshot-math.json").read_text())


class _Maths(HTMLParser):
    """[kind, TeX] of every math element, and the text outside them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[list[str]] = []
        self.outside: list[str] = []
        self.ems: list[str] = []
        self._depth = 0
        self._em = 0
        self._kind = ""
        self._tex: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self._depth:
            self._depth += 1
        elif "axio-nb-math" in classes:
            self._depth = 1
            self._kind = "display" if "axio-nb-math-display" in classes else "inline"
            self._tex = []
        if tag == "em":
            self._em += 1
            self.ems.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "em":
            self._em -= 1
        if self._depth:
            self._depth -= 1
            if not self._depth:
                self.found.append([self._kind, "".join(self._tex)])

    def handle_data(self, data: str) -> None:
        if self._depth:
            self._tex.append(data)
        else:
            self.outside.append(data)
        if self._em and not self._depth:
            self.ems[-1] += data


def parse(markup: str) -> _Maths:
    p = _Maths()
    p.feed(markup)
    return p


def maths(text: str) -> list[list[str]]:
    """[kind, TeX] with the delimiters the snapshot wraps the TeX in taken off again."""
    out = []
    for kind, tex in parse(render_markdown(text)).found:
        opener, closer = ("\\[", "\\]") if kind == "display" else ("\\(", "\\)")
        assert tex.startswith(opener) and tex.endswith(closer), tex
        out.append([kind, tex[2:-2]])
    return out


class TestSameRulesAsTheLiveView:
    """Every shared case parses to the same math as in the browser (widgets/test/math.test.js)."""

    @pytest.mark.parametrize("case", CASES, ids=[c["text"][:30] for c in CASES])
    def test_shared_case(self, case: dict[str, object]) -> None:
        assert maths(str(case["text"])) == case["math"]


class TestMarkdownNeverSeesTheTeX:
    """`_` and `*` in math are never emphasis; prices stay text; the TeX is escaped for HTML."""

    def test_underscores_and_stars_stay_tex(self) -> None:
        got = parse(render_markdown("Let $a_1 * b_2$ and $c_3 * d_4$, then *this* and $$x_i * y_j$$ and \\(u_v\\)."))
        assert got.ems == ["this"]
        assert [t for _, t in got.found] == ["\\(a_1 * b_2\\)", "\\(c_3 * d_4\\)", "\\[x_i * y_j\\]", "\\(u_v\\)"]

    def test_prices_stay_text(self) -> None:
        out = render_markdown("It costs $5 and $10, or $ 3.")
        assert "axio-nb-math" not in out and "$5 and $10" in out

    def test_tex_is_escaped(self) -> None:
        out = render_markdown("$<img src=x onerror=alert(1)> & x$\n\n$$\n</div><script>alert(2)</script>\n$$")
        assert "<img" not in out and "<script" not in out and "</div><" not in out
        assert "\\(&lt;img src=x onerror=alert(1)&gt; &amp; x\\)" in out
        assert "&lt;/div&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in out

    def test_display_math_keeps_its_blank_lines(self) -> None:
        text = "$$\n\\begin{aligned}\na &= 1\n\nb &= 2\n\\end{aligned}\n$$\n\nafter"
        assert maths(text) == [["display", "\n\\begin{aligned}\na &= 1\n\nb &= 2\n\\end{aligned}\n"]]


class TestMathJaxSeesOnlyTheMath:
    """The snapshot's root is ignored by MathJax; each formula is processed, in `\\(…\\)` or `\\[…\\]`."""

    def test_root_is_ignored_formulas_are_processed(self) -> None:
        t = Transcript()
        t.apply(TextDelta(0, "Costs $5 and $10; also $x_1$."))
        out = to_html(t)
        root = re.search(r'<div class="([^"]*axio-nb-snapshot[^"]*)"', out)
        assert root and set(IGNORE_CLASSES.split()) <= set(root.group(1).split())
        assert '<span class="tex2jax_process mathjax_process axio-nb-math">\\(x_1\\)</span>' in out
        assert "$5 and $10" in out

    def test_math_html(self) -> None:
        assert (
            math_html("a<b", False) == '<span class="tex2jax_process mathjax_process axio-nb-math">\\(a&lt;b\\)</span>'
        )
        display = math_html("x", True, "div")
        assert display.startswith('<div class="tex2jax_process mathjax_process axio-nb-math axio-nb-math-display">')
        assert html.unescape(display).endswith("\\[x\\]</div>")

    @pytest.mark.parametrize("case", SNAPSHOT_CASES, ids=lambda c: c["tex"][:20])
    def test_formulas_as_the_page_typesets_them(self, case: dict[str, Any]) -> None:
        """widgets/test/math.test.js typesets these strings with KaTeX as the snapshot's script does."""
        tag = "div" if case["html"].startswith("<div") else "span"
        assert math_html(case["tex"], case["display"], tag) == case["html"]


class TestDemoMathAnswer:
    """The demo's `math` answer holds every form the browser tests count: four inline, two displayed."""

    def test_every_form_once(self) -> None:
        found = maths(_math_answer("math please"))
        assert [kind for kind, _ in found] == ["inline"] * 3 + ["display", "inline", "display"]
        assert "\n\n" in found[3][1], "the display block keeps its blank line"
        assert "$5 and $10" in render_markdown(_math_answer("math please"))
