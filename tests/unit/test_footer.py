"""The snapshot's footer says what the live view's says: both read tests/fixtures/footer.json."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pytest

from axio_nb.render.footer import footer_items
from axio_nb.render.snapshot import to_html, to_text
from axio_nb.stream.transcript import Transcript

CASES = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "footer.json").read_text())["cases"]


class TestFooter:
    @pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
    def test_items_match_the_shared_fixture(self, case: dict[str, object]) -> None:
        """Same facts, same words, same order as widgets/src/lib/footer.js (widgets/test/footer.test.js)."""
        assert [list(i) for i in footer_items(case["meta"])] == case["items"]
        assert [list(i) for i in footer_items(case["meta"], timings=False)] == case["plain"]

    @pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
    def test_snapshot_shows_the_items(self, case: dict[str, object]) -> None:
        """The HTML footer holds one span per item with the live view's classes; the text output the plain items."""
        t = Transcript()
        t.meta.clear()
        t.meta.update(case["meta"])  # type: ignore[typeddict-item]
        html = to_html(t)
        for key, text in case["items"]:  # type: ignore[attr-defined]
            assert f'<span class="axio-nb-footer-item axio-nb-footer-{key}">{escape(text)}</span>' in html
        plain = [text for _key, text in case["plain"]]  # type: ignore[attr-defined]
        assert to_text(t).endswith(("— " + " · ".join(plain)) if plain else "")
        assert ('<div class="axio-nb-footer' in html) == bool(case["items"])
