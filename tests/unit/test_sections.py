"""A long answer's snapshot in sections: the same HTML as one render, cut between top-level blocks, each
section out of sight skipped for style, layout and paint and saying an estimated height meanwhile
(axio_nb/render/markdown.py, `render_sections`; the end-of-turn figures in BENCHMARKS.md)."""

from __future__ import annotations

import re

from axio_nb.demo.mixed import mixed_markdown
from axio_nb.render.markdown import _SECTION_CHARS, render_markdown, render_sections

OPEN = re.compile(r'<div class="axio-nb-part" style="contain-intrinsic-block-size:auto (\d+)px">')


def _unwrapped(html: str) -> str:
    return OPEN.sub("", re.sub(r"</div>(?=<div class=\"axio-nb-part\"|$)", "", html))


class TestSections:
    def test_a_short_answer_is_one_render(self) -> None:
        text = "## Title\n\nSome *text*.\n"
        assert render_sections(text) == render_markdown(text)

    def test_sections_hold_exactly_the_one_render(self) -> None:
        for seed in (3, 7, 11):
            text = mixed_markdown(60_000, seed, code_lines=120 * (seed % 2))
            html = render_sections(text)
            assert len(OPEN.findall(html)) >= 60_000 // _SECTION_CHARS - 1, seed
            assert _unwrapped(html) == render_markdown(text), seed

    def test_cuts_fall_between_top_level_blocks(self) -> None:
        """No section starts inside a list, a table, a quote or a code block: each opens on a new block."""
        text = mixed_markdown(60_000, 5, code_lines=300)
        for piece in OPEN.split(render_sections(text))[2::2]:
            assert re.match(r"<(p|h[1-6]|ul|ol|table|blockquote|pre|hr|div class=\"axio-nb-math)", piece), piece[:80]

    def test_estimates_grow_with_the_content(self) -> None:
        paragraph = "A sentence of some length that wraps once or twice in a notebook. " * 3  # 198 chars: 2 lines
        prose = "\n\n".join([paragraph] * 40)
        code = "```python\n" + "x = 1\n" * 400 + "```\n"
        first, second = (int(h) for h in OPEN.findall(render_sections(prose + "\n\n" + code)))
        paragraphs = -(-_SECTION_CHARS // len(paragraph))  # the first section ends once it holds enough
        assert first == paragraphs * (2 * 22 + 16), first
        assert second >= 400 * 17 + (40 - paragraphs) * (2 * 22 + 16), second
