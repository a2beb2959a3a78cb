"""The seeded benchmark document: `long N seed S [code L]`."""

from __future__ import annotations

from axio_nb.demo.mixed import mixed_markdown
from axio_nb.demo.transport import _answer


class TestMixedMarkdown:
    """The same seed gives the same text, of about the size asked, holding every block shape."""

    def test_deterministic_and_sized(self) -> None:
        a, b = mixed_markdown(50_000, 7), mixed_markdown(50_000, 7)
        assert a == b
        assert a != mixed_markdown(50_000, 8)
        assert 50_000 <= len(a) < 60_000

    def test_every_shape(self) -> None:
        text = mixed_markdown(60_000, 3, code_lines=120)
        for mark in ("\n## ", "\n> ", "\n  - ", "$$", "$x_", "|---|", "```python\ndef generated_"):
            assert mark in text, mark
        longest = max(len(part.splitlines()) - 1 for part in text.split("```")[1::2])
        assert longest == 120

    def test_demo_prompt(self) -> None:
        assert _answer("long 20k seed 5 code 50", 7) == mixed_markdown(20_000, 5, 50)
        assert _answer("long 20k seed 5", 7) == mixed_markdown(20_000, 5)
