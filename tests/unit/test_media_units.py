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


class TestVideoPoster:
    """A video block gets its first frame as a small WebP poster, made with PyAV; without it, nothing."""

    def _video(self) -> bytes:
        from axio_nb.demo.video import render_video

        return render_video("a ball crosses", duration_seconds=1, aspect_ratio="16:9")

    def test_the_poster_is_the_first_frame(self) -> None:
        from axio_nb.demo.video import video_poster as drawn_first_frame
        from axio_nb.media.poster import video_poster

        poster = video_poster(self._video())
        assert poster is not None and len(poster) < 4_000
        got = Image.open(io.BytesIO(poster)).convert("RGB")
        want = Image.open(io.BytesIO(drawn_first_frame("a ball crosses"))).convert("RGB")
        assert got.format is None and got.size == want.size == (320, 180)
        # Lossy both ways (VP8, then WebP): the same picture within a few levels on average.
        from PIL import ImageChops, ImageStat

        assert max(ImageStat.Stat(ImageChops.difference(got, want)).mean) < 8

    def test_no_pyav_or_no_video_means_no_poster_and_no_error(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from axio_nb.media.poster import video_poster

        assert video_poster(b"not a video") is None
        video = self._video()
        monkeypatch.setitem(__import__("sys").modules, "av", None)  # `import av` raises ImportError
        assert video_poster(video) is None

    def test_fold_wire_and_snapshot_carry_it_once(self) -> None:
        import base64

        from axio import VideoOutput

        from axio_nb.render.snapshot import to_html
        from axio_nb.stream.transcript import Transcript
        from axio_nb.stream.wire import Wire

        video = self._video()
        t = Transcript()
        sent: list[tuple[dict[str, object], list[bytes]]] = []
        wire = Wire(t, lambda m, b: sent.append((m, b)))
        wire.receive({"type": "hello", "seq": 0})
        wire.push(t.apply(VideoOutput(0, video, "video/webm")))
        ((block, buffers),) = [
            (op["block"], b)
            for m, b in sent
            for op in m.get("ops", [])
            if op["op"] == "open"  # type: ignore[attr-defined]
        ]
        poster = t.posters[block["id"]]
        assert block["poster"] == "image/webp" and buffers[block["poster_buffer"]] == poster
        assert buffers[block["buffer"]] == video and len(buffers) == 2
        state, state_buffers = wire.state_message()
        assert state_buffers[state["blocks"][0]["poster_buffer"]] == poster  # type: ignore[index]
        t.finish()
        # Embedded, the video shows its own first frame: the snapshot does not save that picture twice.
        html = to_html(t)
        assert base64.b64encode(poster).decode() not in html and "poster=" not in html
        assert f'<video controls src="data:video/webm;base64,{base64.b64encode(video).decode()}">' in html

    def test_a_video_over_the_embed_limit_leaves_its_first_frame(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import base64

        from axio import VideoOutput

        from axio_nb.render.snapshot import to_html
        from axio_nb.stream.transcript import Transcript

        video = self._video()
        t = Transcript()
        t.apply(VideoOutput(0, video, "video/webm"))
        t.finish()
        monkeypatch.setenv("AXIO_NB_MAX_EMBED_MB", str(len(video) / 2 / 1024 / 1024))
        html = to_html(t)
        poster = next(iter(t.posters.values()))
        assert html.count(f'<img src="data:image/webp;base64,{base64.b64encode(poster).decode()}"') == 1
        assert "<video" not in html and "not embedded in the notebook" in html

    def test_a_video_item_offers_its_first_frame(self) -> None:
        from axio_nb.run.media_result import MediaItem

        video = self._video()
        poster = MediaItem(0, video, "video/webm").poster
        assert poster is not None and poster[8:12] == b"WEBP"
        assert MediaItem(0, b"RIFF....WAVE", "audio/wav").poster is None
