"""The pure parts of media turns: sniffing bytes, safe file names, the similarity view."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from axio_nb.media.kinds import sniff
from axio_nb.media.save import save_media, stem_for
from axio_nb.render.similarity import MAX_MATRIX, cosine_matrix, similarity_html, similarity_text, top_pairs


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 3)).save(buf, "PNG")
    return buf.getvalue()


class TestSniff:
    @pytest.mark.parametrize(
        ("head", "kind", "expected"),
        [
            (_png(), "image", "image/png"),
            (b"\xff\xd8\xff\xe0....", "image", "image/jpeg"),
            (b"GIF89a....", "image", "image/gif"),
            (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image", "image/webp"),
            (b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio", "audio/wav"),
            (b"ID3\x04\x00....", "audio", "audio/mpeg"),
            (b"\xff\xfb\x90\x00", "audio", "audio/mpeg"),
            (b"OggS\x00\x02", "audio", "audio/ogg"),
            (b"\x00\x00\x00\x18ftypmp42", "video", "video/mp4"),
            (b"\x1a\x45\xdf\xa3\x9f", "video", "video/webm"),
            (b"????", "video", "video/mp4"),
            (b"????", "image", "image/png"),
        ],
    )
    def test_media_types(self, head: bytes, kind: str, expected: str) -> None:
        assert sniff(head, kind) == expected


class TestSave:
    def test_names_are_safe_and_never_overwrite(self, tmp_path: Path) -> None:
        assert stem_for("../../etc/passwd; rm -rf /") == "etc-passwd-rm-rf"
        assert stem_for("★★★") == "media"
        first = save_media(tmp_path / "out", "A cat!", 0, b"1", "image/png")
        second = save_media(tmp_path / "out", "A cat!", 0, b"2", "image/png")
        assert (first.name, second.name) == ("a-cat-0.png", "a-cat-0-2.png")
        assert first.read_bytes() == b"1" and second.read_bytes() == b"2"
        assert save_media(tmp_path, "x", 1, b"", "video/webm").suffix == ".webm"


class TestSimilarity:
    def test_cosine(self) -> None:
        m = cosine_matrix([[1, 0], [1, 1], [0, 0]])
        assert m[0][0] == pytest.approx(1) and m[0][1] == pytest.approx(2**-0.5) and m[2][0] == 0

    def test_matrix_view_escapes_texts(self) -> None:
        texts = ["<script>alert(1)</script>", "plain", "a ' quote"]
        html = similarity_html(texts, cosine_matrix([[1, 0], [0, 1], [1, 1]]), "demo", 2)
        assert "<script>alert" not in html and "&lt;script&gt;" in html
        assert "title='a &#x27; quote'" in html
        assert html.count("<td") == 9 and "3 texts, 2 dimensions, demo" in html

    def test_a_large_set_is_summarised(self) -> None:
        n = MAX_MATRIX + 1
        vectors = [[1.0, i / n] for i in range(n)]
        html = similarity_html([f"t{i}" for i in range(n)], cosine_matrix(vectors), "demo", 2)
        assert "<td" not in html and html.count("<li>") == 10 and "More than 50 texts" in html

    def test_text_lists_the_most_similar_pairs_first(self) -> None:
        m = cosine_matrix([[1, 0], [1, 0.1], [0, 1]])
        assert top_pairs(m, 1)[0][1:] == (0, 1)
        text = similarity_text(["a", "b", "c"], m, "demo", 2)
        assert re.match(r"3 texts, 2 dimensions, demo: most similar pairs\n  0\.995  'a' / 'b'", text), text


class TestFoldImages:
    def test_a_format_no_browser_shows_becomes_png_whatever_its_label(self) -> None:
        from axio import ImageOutput

        from axio_nb.stream.transcript import Transcript

        buf = io.BytesIO()
        Image.new("RGB", (5, 4), "red").save(buf, "TIFF")
        t = Transcript()
        t.apply(ImageOutput(0, buf.getvalue(), "image/png"))  # mislabelled by its transport
        (block,) = t.blocks
        assert block["media_type"] == "image/png" and (block["width"], block["height"]) == (5, 4)
        assert bytes(t.media[block["id"]]).startswith(b"\x89PNG")

    def test_a_corrupt_image_is_a_block_that_says_so(self) -> None:
        from axio import ImageOutput

        from axio_nb.stream.transcript import Transcript

        t = Transcript()
        t.apply(ImageOutput(0, _png()[:30], "image/png"))
        assert t.blocks[0]["invalid"].startswith("not a readable image")


class TestMediaTurnOrder:
    def test_the_snapshot_shows_samples_by_number_not_arrival(self) -> None:
        from axio import Error, ImageOutput

        from axio_nb.render.snapshot import to_html, to_text
        from axio_nb.stream.transcript import Transcript

        def png(colour: str) -> bytes:
            buf = io.BytesIO()
            Image.new("RGB", (2, 2), colour).save(buf, "PNG")
            return buf.getvalue()

        t = Transcript()
        t.meta["expected"] = 3
        t.apply(ImageOutput(2, png("blue"), "image/png"))
        t.apply(Error(RuntimeError("sample 1 failed")))
        t.apply(ImageOutput(0, png("red"), "image/png"))
        t.finish()
        html = to_html(t)
        assert html.index('data-block-id="2"') < html.index('data-block-id="0"') < html.index("sample 1 failed")
        assert to_text(t).index("sample 1 failed") > to_text(t).index("image")
