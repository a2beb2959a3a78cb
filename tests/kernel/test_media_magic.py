"""`%%axio image|edit|video|audio` in a real ipykernel with the offline demo transport.

Invariants: a media turn goes the chat turn's way (live widget with `meta.expected`, media bytes as
binary buffers in `open` ops, a static snapshot at the end); `--out` holds the samples in order,
`--save` writes them under safe names; bad input is one UsageError line and loses nothing.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import Kernel, Run, wire_messages

pytestmark = pytest.mark.kernel


@pytest.fixture(scope="module")
def kernel() -> Iterator[Kernel]:
    k = Kernel()
    assert k.execute("%load_ext axio_nb\n%axio use demo pace=0").status == "ok"
    yield k
    k.shutdown()


def one_line_usage_error(run: Run) -> str:
    assert run.errors == [], run.errors
    text = run.stdout.strip()
    assert text.startswith("UsageError: ") and "\n" not in text, text
    return text


def opened(run: Run, kind: str) -> list[dict[str, object]]:
    return [
        op["block"]
        for message in wire_messages(run, "ops")
        for op in message["ops"]
        if op["op"] == "open" and op["block"]["kind"] == kind
    ]


def buffers(run: Run) -> list[bytes]:
    return [bytes(b) for m in run.comm_msgs for b in m.get("buffers", [])]


def data_uris(html: str, prefix: str) -> list[bytes]:
    return [base64.b64decode(m) for m in re.findall(rf'src="data:{prefix}[^;]*;base64,([^"]+)"', html)]


class TestImage:
    def test_grid_streams_images_and_leaves_them_in_the_snapshot(self, kernel: Kernel, tmp_path: Path) -> None:
        run = kernel.execute(f"%%axio image -n 3 --size 256x192 --out cats --save {tmp_path}\na watercolor cat")
        assert run.status == "ok", run.stdout
        assert "application/vnd.jupyter.widget-view+json" in run.data()[0]
        # The view learns `expected` from the state it asks for with `hello` (no browser here: read the meta).
        assert kernel.execute("print(cats.transcript.meta['expected'])").stdout.strip() == "3"
        blocks = opened(run, "image")
        assert len(blocks) == 3 and all(b["width"] == 256 and b["height"] == 192 for b in blocks), blocks
        # Media wait for a view's hello (the harness plays the view): that answer may come after the cell.
        kernel.wait_until(run, lambda r: len([b for b in buffers(r) if b.startswith(b"\x89PNG")]) >= 3, timeout=10)
        pngs = [b for b in buffers(run) if b.startswith(b"\x89PNG")]
        assert len(pngs) == 3
        html = run.final_output["text/html"]
        shown = data_uris(html, "image/png")
        assert len(shown) == 3 and sorted(shown) == sorted(pngs[:3])
        assert "axio-nb-media-turn" in html

    def test_out_holds_pillow_images_bytes_and_saved_paths(self, kernel: Kernel, tmp_path: Path) -> None:
        run = kernel.execute(
            "print(len(cats), [im.size for im in cats.images], cats[0].media_type, "
            "all(p.exists() and p.read_bytes() == i.data for p, i in zip(cats.paths, cats)), "
            "[p.name for p in cats.paths], cats.status)"
        )
        out = run.stdout
        assert out.startswith("3 [(256, 192), (256, 192), (256, 192)] image/png True"), out
        assert "'a-watercolor-cat-0.png', 'a-watercolor-cat-1.png', 'a-watercolor-cat-2.png'" in out, out
        assert out.strip().endswith("done"), out

    def test_save_never_overwrites(self, kernel: Kernel, tmp_path: Path) -> None:
        for _ in range(2):
            assert kernel.execute(f"%%axio image --save {tmp_path} --display static\nsame prompt").status == "ok"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["same-prompt-0-2.png", "same-prompt-0.png"]

    def test_edit_takes_an_earlier_out_item(self, kernel: Kernel) -> None:
        run = kernel.execute("%%axio edit --image cats[0] --out edited --display static\ngive the cat a red scarf")
        assert run.status == "ok", run.stdout
        assert kernel.execute("print(edited[0].image.size, edited[0].data != cats[0].data)").stdout.split() == [
            "(256,",
            "192)",
            "True",
        ]

    def test_static_display_shows_one_output(self, kernel: Kernel) -> None:
        run = kernel.execute("%%axio image -n 2 --display static\ntwo dots")
        assert run.types["display_data"] == 1 and "comm_open" not in run.types
        assert len(data_uris(run.final_output["text/html"], "image/png")) == 2


class TestAudioVideo:
    def test_audio_players(self, kernel: Kernel) -> None:
        run = kernel.execute("%%axio audio -n 2 --out rain\nrain on a tin roof")
        assert run.status == "ok", run.stdout
        assert len(opened(run, "audio")) == 2
        html = run.final_output["text/html"]
        assert html.count("<audio controls") == 2 and len(data_uris(html, "audio/")) == 2
        assert kernel.execute("print(rain[0].media_type, rain[0].data[:4])").stdout.split() == ["audio/wav", "b'RIFF'"]

    def test_video_player(self, kernel: Kernel) -> None:
        run = kernel.execute(
            "%%axio video --duration 2 --aspect 16:9 --image cats[1] --out clip\nthe cat turns the page"
        )
        assert run.status == "ok", run.stdout
        (block,) = opened(run, "video")
        html = run.final_output["text/html"]
        assert html.count("<video controls") == 1 and len(data_uris(html, "video/")) == 1
        # Its first frame as a poster (PyAV is installed with the tests): live, beside the video's bytes
        # once the view said hello, and on the `--out` item; the snapshot's player draws it from the video.
        assert block["poster"] == "image/webp"
        kernel.wait_until(run, lambda r: any(b.startswith(b"RIFF") for b in buffers(r)), timeout=10)
        (poster,) = [b for b in buffers(run) if b.startswith(b"RIFF") and b[8:12] == b"WEBP"]
        assert base64.b64encode(poster).decode() not in html
        assert kernel.execute(f"print(clip[0].poster == bytes.fromhex({poster.hex()!r}))").stdout.strip() == "True"


class TestBadInput:
    @pytest.mark.parametrize(
        ("cell", "expected"),
        [
            ("%%axio image -n 0\nx", "UsageError: -n 0: ask for 1 to 10 samples."),
            ("%%axio image --size big\nx", "UsageError: --size big: write WIDTHxHEIGHT, e.g. --size 1024x1024."),
            (
                "%%axio image\n   ",
                "UsageError: The cell has no prompt: describe what to make below the `%%axio image` line.",
            ),
            (
                "%%axio edit\nx",
                "UsageError: `%%axio edit` needs --image: a path, bytes, a Pillow image or an earlier --out item.",
            ),
            (
                "%%axio edit --image /no/such.png\nx",
                "UsageError: --image /no/such.png: no such file and no such variable; "
                "give a path, or a variable holding an image.",
            ),
            ("%%axio edit --image cats[9]\nx", "UsageError: --image cats[9]: `cats` has no item 9."),
            ("%%axio video --aspect 5:4\nx", "UsageError: --aspect 5:4: use one of 16:9, 9:16, 1:1, 4:3, 3:4."),
        ],
    )
    def test_one_line_each(self, kernel: Kernel, cell: str, expected: str) -> None:
        assert one_line_usage_error(kernel.execute(cell)) == expected

    def test_truncated_png_as_image(self, kernel: Kernel, tmp_path: Path) -> None:
        kernel.execute(f"open({str(tmp_path / 'cut.png')!r}, 'wb').write(cats[0].data[:100])")
        text = one_line_usage_error(kernel.execute(f"%%axio edit --image {tmp_path / 'cut.png'}\nx"))
        assert text.startswith(f"UsageError: --image {tmp_path / 'cut.png'}: not a readable image"), text

    def test_decompression_bomb(self, kernel: Kernel, tmp_path: Path) -> None:
        bomb = tmp_path / "bomb.png"
        kernel.execute(f"from PIL import Image\nImage.new('1', (20000, 20000)).save({str(bomb)!r})")
        text = one_line_usage_error(kernel.execute(f"%%axio edit --image {bomb}\nx"))
        assert "pixel limit" in text or "decompression bomb" in text, text

    def test_mask_of_the_wrong_size(self, kernel: Kernel) -> None:
        kernel.execute("from PIL import Image\nsmall = Image.new('L', (100, 80))")
        text = one_line_usage_error(kernel.execute("%%axio edit --image cats[0] --mask small\nx"))
        assert text == (
            "UsageError: --mask small: it is 100×80 but the image is 256×192; give a mask of the image's size."
        )

    def test_a_transport_without_the_protocol_names_those_with_it(self, kernel: Kernel) -> None:
        kernel.execute("%env OPENROUTER_API_KEY=sk-test-not-real")
        text = one_line_usage_error(kernel.execute("%%axio image --transport openrouter\nx"))
        assert text.startswith(
            "UsageError: Transport `openrouter` cannot generate images (it has no `generate_images`)."
        ), text
        assert "demo" in text and "--transport" in text
        assert "sk-test" not in text

    def test_nothing_is_lost_after_bad_input(self, kernel: Kernel) -> None:
        assert kernel.execute("print(len(cats))").stdout.strip() == "3"
        assert kernel.execute("%%axio image --display static\nstill fine").status == "ok"


class TestSpeech:
    def test_tts_streams_chunks_and_leaves_a_player(self, kernel: Kernel) -> None:
        run = kernel.execute("%%axio tts --voice coral --out speech\nWelcome to today's lesson on agents.")
        assert run.status == "ok", run.stdout
        ops = [op for m in wire_messages(run, "ops") for op in m["ops"]]
        (opened_audio,) = [op["block"] for op in ops if op["op"] == "open" and op["block"]["kind"] == "audio"]
        assert opened_audio["streaming"] is True and opened_audio["media_type"].startswith("audio/pcm")
        chunks = [op for op in ops if op["op"] == "chunk"]
        assert len(chunks) >= 2, "speech must arrive in several messages, to play before it ends"
        html = run.final_output["text/html"]
        (wav,) = data_uris(html, "audio/wav")
        kernel.wait_until(run, lambda r: len(b"".join(buffers(r))) >= len(wav) - 44, timeout=10)
        pcm = b"".join(buffers(run))
        assert wav[:4] == b"RIFF" and wav[44:] == pcm[: len(pcm) - len(pcm) % 2]
        out = kernel.execute("print(speech[0].media_type, len(speech[0].data) == len(speech[0].data) // 2 * 2)")
        assert out.stdout.split()[0].startswith("audio/pcm"), out.stdout

    def test_stt_of_a_file_a_variable_and_samples(self, kernel: Kernel, tmp_path: Path) -> None:
        wav = tmp_path / "tone.wav"
        kernel.execute(
            "import wave, math, struct\n"
            f"with wave.open({str(wav)!r}, 'wb') as w:\n"
            "    w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000)\n"
            "    w.writeframes(b''.join(struct.pack('<h', int(8000*math.sin(i/5))) for i in range(32000)))"
        )
        said = kernel.execute(f"%axio stt {wav} --out heard").stdout
        assert "2.00 s" in said, said
        assert kernel.execute("print(type(heard).__name__)").stdout.strip() == "str"
        assert "2.00 s" in kernel.execute(f"raw = open({str(wav)!r}, 'rb').read()\n%axio stt raw").stdout

    def test_stt_refuses_a_wav_whose_header_lies(self, kernel: Kernel, tmp_path: Path) -> None:
        bad = tmp_path / "lying.wav"
        kernel.execute(f"open({str(bad)!r}, 'wb').write(raw[:2000])")
        text = one_line_usage_error(kernel.execute(f"%axio stt {bad}"))
        assert text.startswith(f"UsageError: {bad}: not a usable WAV:"), text

    def test_stt_without_a_source_records_only_where_a_browser_is(self, kernel: Kernel) -> None:
        """Headless (static display) there is no page and no microphone: one line says what to give instead."""
        kernel.execute("%env AXIO_NB_DISPLAY=static")
        try:
            text = one_line_usage_error(kernel.execute("%axio stt"))
        finally:
            kernel.execute("%env AXIO_NB_DISPLAY=")
        assert text == (
            "UsageError: Recording needs a live notebook (the microphone is in the browser): "
            "pass a file or a variable."
        )


class TestEmbed:
    def test_vectors_and_a_similarity_heatmap(self, kernel: Kernel) -> None:
        run = kernel.execute(
            "%%axio embed --out vecs\nThe cat sat on the mat.\nThe cat sat on a mat.\nStock prices fell sharply."
        )
        assert run.status == "ok", run.stdout
        final = run.final_output
        assert final["text/html"].count("<td") == 9 and "3 texts" in final["text/html"]
        got = kernel.execute("s = vecs.similarity\nprint(len(vecs), s[0][1] > 0.8 > s[0][2], round(s[0][0], 6))")
        assert got.stdout.split() == ["3", "True", "1.0"], got.stdout

    def test_texts_from_a_variable(self, kernel: Kernel) -> None:
        kernel.execute("docs = ['alpha beta', 'alpha beta gamma']")
        assert kernel.execute("%axio embed --texts docs --out v2").status == "ok"
        assert kernel.execute("print(len(v2))").stdout.strip() == "2"


class TestSizeLimits:
    def test_a_sample_over_the_limit_is_saved_not_sent(self, kernel: Kernel, tmp_path: Path) -> None:
        """$AXIO_NB_MAX_MEDIA_MB (here 0.001 MB) keeps a sample out of the browser and the notebook."""
        kernel.execute("%env AXIO_NB_MAX_MEDIA_MB=0.001")
        try:
            run = kernel.execute(f"%%axio video --duration 1 --save {tmp_path} --out big\na long film")
        finally:
            kernel.execute("%env AXIO_NB_MAX_MEDIA_MB=")
        assert run.status == "ok", run.stdout
        assert opened(run, "video") == [] and not [b for b in buffers(run) if len(b) > 1000]
        (saved,) = tmp_path.iterdir()
        text = run.final_output["text/plain"] + run.final_output["text/html"]
        assert f"saved as {saved}" in text and "$AXIO_NB_MAX_MEDIA_MB" in text
        assert (
            kernel.execute(f"print(big[0].path == __import__('pathlib').Path({str(saved)!r}))").stdout.strip()
            == "True"
        )

    def test_media_over_the_embed_limit_is_described_with_its_file(self, kernel: Kernel, tmp_path: Path) -> None:
        kernel.execute("%env AXIO_NB_MAX_EMBED_MB=0.001")
        try:
            run = kernel.execute(f"%%axio audio --save {tmp_path}\nrain")
        finally:
            kernel.execute("%env AXIO_NB_MAX_EMBED_MB=")
        html = run.final_output["text/html"]
        (saved,) = tmp_path.iterdir()
        i = html.find("not embedded")
        assert "<audio" not in html and "not embedded in the notebook (over 0.001 MB)" in html, html[i - 200 : i + 300]
        assert f"saved as <code>{saved}</code>" in html
        assert len(opened(run, "audio")) == 1  # the live view still played it


class TestToolMedia:
    def test_media_a_tool_returns_shows_under_its_card(self, kernel: Kernel) -> None:
        """axio emits a tool's media just before its ToolResult: the fold gives it the call's id."""
        kernel.execute(
            "import io\n"
            "from PIL import Image\n"
            "from axio.blocks import ImageBlock, TextBlock\n"
            "async def draw(what: str) -> list:\n"
            "    '''Draw a picture of something.'''\n"
            "    buf = io.BytesIO(); Image.new('RGB', (8, 8), 'blue').save(buf, 'PNG')\n"
            "    return [TextBlock(text=f'drew {what}'), ImageBlock(media_type='image/png', data=buf.getvalue())]"
        )
        run = kernel.execute("%%axio chat --tools draw\nplease call the draw tool")
        assert run.status == "ok", run.stdout
        ops = [op for m in wire_messages(run, "ops") for op in m["ops"]]
        (card,) = [op["block"] for op in ops if op["op"] == "open" and op["block"]["kind"] == "tool"]
        marks = [op for op in ops if op["op"] == "set" and op["path"] == ["tool_use_id"]]
        assert [m["value"] for m in marks] == [card["tool_use_id"]]
        html = run.final_output["text/html"]
        assert 'class="axio-nb-block axio-nb-image axio-nb-tool-media"' in html
        assert len(data_uris(html, "image/png")) == 1

    def test_tools_by_entry_point_name(self, kernel: Kernel) -> None:
        """`--tools` also takes names packages register under `axio.tools` (axio-transport-google's)."""
        assert kernel.execute("%%axio chat --tools generate_image --display static\nhello there").status == "ok"
        text = one_line_usage_error(kernel.execute("%%axio chat --tools no_such_tool\nhi"))
        assert text.startswith(
            "UsageError: --tools no_such_tool: no variable `no_such_tool` in the notebook and no `axio.tools` "
            "entry point"
        ), text
        assert "generate_image" in text and "generate_video" in text
