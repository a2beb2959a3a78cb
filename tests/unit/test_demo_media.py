"""The demo media transports: every axio media protocol, offline, with real Pillow, PyAV and wave."""

from __future__ import annotations

import asyncio
import io
import math
import re
import shutil
import struct
import subprocess
import time
import wave
from importlib.metadata import entry_points
from pathlib import Path

import av
import pytest
from axio.blocks import ImageBlock
from axio.transport import (
    AudioGenTransport,
    CompletionTransport,
    EmbeddingTransport,
    ImageEditTransport,
    ImageGenTransport,
    STTTransport,
    TTSTransport,
    VideoGenTransport,
)
from PIL import Image, ImageChops

from axio_nb.demo import (
    AUDIO_MEDIA_TYPE,
    IMAGE_MEDIA_TYPE,
    TTS_PCM_MEDIA_TYPE,
    VIDEO_MEDIA_TYPE,
    DemoSTT,
    DemoTransport,
    DemoTTS,
)
from axio_nb.demo.embed import DIMENSIONS, cosine
from axio_nb.demo.images import parse_size, render_image
from axio_nb.demo.sound import sound_kind, wav_bytes
from axio_nb.demo.speech import MAX_SPEECH_SECONDS, TTS_RATE, measure, speech_frames, voice_pitch
from axio_nb.demo.video import video_poster

TRANSCRIPT = re.compile(r"\[demo transcript\] (\d+\.\d\d) s of audio, RMS (-?[\d.]+|-inf) dBFS, (\d+) Hz (\w+)")


def png(size: tuple[int, int], colour: tuple[int, ...] = (200, 40, 40), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, format="PNG")
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    """The decoded image; its `format` is what the file was ("PNG"), not lost as `copy()` would lose it."""
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def pcm_of(samples: list[int]) -> bytes:
    return struct.pack(f"<{len(samples)}h", *samples)


def square(amplitude: int, frames: int, period: int = 40) -> list[int]:
    return [amplitude if (i // (period // 2)) % 2 == 0 else -amplitude for i in range(frames)]


class TestProtocols:
    @pytest.mark.parametrize(
        "protocol",
        [
            CompletionTransport,
            ImageGenTransport,
            ImageEditTransport,
            VideoGenTransport,
            AudioGenTransport,
            EmbeddingTransport,
        ],
    )
    def test_demo_transport_is_every_media_protocol(self, protocol: type) -> None:
        """DemoTransport answers chat and makes images, edits, videos, sounds and embeddings."""
        assert isinstance(DemoTransport(), protocol)

    def test_speech_has_its_own_transports(self) -> None:
        """TTS and STT are separate classes, as axio's own speech transports are."""
        assert isinstance(DemoTTS(), TTSTransport)
        assert isinstance(DemoSTT(), STTTransport)

    @pytest.mark.parametrize(("group", "cls"), [("axio.transport.tts", DemoTTS), ("axio.transport.stt", DemoSTT)])
    def test_entry_points_resolve(self, group: str, cls: type) -> None:
        """The installed package registers `demo` in axio's speech entry-point groups."""
        found = {ep.name: ep for ep in entry_points(group=group)}
        assert found["demo"].load() is cls

    def test_mixins_keep_the_transport_slotted(self) -> None:
        """The media bases add no instance dict to the slots dataclass, and `media_delay` is a setting."""
        transport = DemoTransport(media_delay=0.01)
        assert not hasattr(transport, "__dict__")
        assert transport.media_delay == 0.01


class TestImages:
    async def test_each_call_draws_new_samples_as_a_model_would(self) -> None:
        """`-n 4` is four one-sample calls: they differ; a fresh transport draws the same sequence again."""
        demo = DemoTransport()
        calls = [await demo.generate_images("a fox", n=1) for _ in range(3)]
        assert len({c[0] for c in calls}) == 3
        assert calls[0] == await DemoTransport().generate_images("a fox", n=1)
        assert [c[0] for c in calls] == await DemoTransport().generate_images("a fox", n=3)

    async def test_same_prompt_same_bytes(self) -> None:
        """Generation is deterministic; the n samples differ from each other."""
        first = await DemoTransport().generate_images("a lighthouse at dusk", n=3)
        again = await DemoTransport().generate_images("a lighthouse at dusk", n=3)
        assert first == again
        assert len(set(first)) == 3
        assert first != await DemoTransport().generate_images("a lighthouse at noon", n=3)

    @pytest.mark.parametrize(
        ("size", "expected"), [(None, (512, 512)), ("320x200", (320, 200)), ("64×900", (64, 900))]
    )
    async def test_png_of_the_requested_size(self, size: str | None, expected: tuple[int, int]) -> None:
        """Every sample is a PNG Pillow verifies, of the size asked for (512x512 by default)."""
        transport = DemoTransport()
        images = await (
            transport.generate_images("x", n=2, size=size) if size else transport.generate_images("x", n=2)
        )
        assert DemoTransport.image_media_type == IMAGE_MEDIA_TYPE == "image/png"
        for data in images:
            img = opened(data)
            assert (img.format, img.size) == ("PNG", expected)

    @pytest.mark.parametrize("size", ["12", "big", "10x10", "5000x20", "512 by 512", 512])
    async def test_bad_size_is_a_clear_error(self, size: object) -> None:
        """A malformed or out-of-range size is one ValueError that shows the value and an example."""
        with pytest.raises(ValueError, match=r"size") as info:
            await DemoTransport().generate_images("x", size=size)  # type: ignore[arg-type]
        assert "\n" not in str(info.value)

    @pytest.mark.parametrize(("prompt", "size"), [("x" * 5000, "16x16"), ("word " * 100_000, "512x512")])
    def test_a_pasted_document_still_renders(self, prompt: str, size: str) -> None:
        """Wrapping stops at the lines that fit: an unbreakable or endless prompt is drawn, cut with '…'."""
        assert opened(render_image(prompt, size=size)).size == parse_size(size)

    @pytest.mark.parametrize("n", [0, 9, -1, 1.5, True])
    async def test_bad_count_is_a_clear_error(self, n: object) -> None:
        with pytest.raises(ValueError, match=r"n must be a whole number from 1 to 8"):
            await DemoTransport().generate_images("x", n=n)  # type: ignore[arg-type]


class TestImageEdits:
    async def test_edit_keeps_the_source_size(self) -> None:
        """An edit returns n different PNGs of the first image's size, the same bytes each time."""
        source = ImageBlock("image/png", png((300, 200)))
        edits = await DemoTransport().edit_images("add a boat", images=[source], n=2)
        assert edits == await DemoTransport().edit_images("add a boat", images=[source], n=2)
        assert len(set(edits)) == 2
        assert all(opened(data).size == (300, 200) for data in edits)

    async def test_wrong_size_mask_is_refused(self) -> None:
        """A mask of another size is a one-line ValueError naming both sizes."""
        source = ImageBlock("image/png", png((512, 512)))
        mask = ImageBlock("image/png", png((100, 80), (0, 0, 0, 0), "RGBA"))
        with pytest.raises(ValueError) as info:
            await DemoTransport().edit_images("x", images=[source], mask=mask)
        assert str(info.value) == "mask is 100×80 but the image is 512×512; give a mask of the image's size"

    async def test_transparent_mask_paints_only_there(self) -> None:
        """With an alpha mask, transparent pixels are painted and opaque ones keep the source exactly."""
        source = opened(png((200, 100)))
        mask = Image.new("RGBA", (200, 100), (0, 0, 0, 255))
        mask.paste((0, 0, 0, 0), (0, 0, 100, 100))
        out = io.BytesIO()
        mask.save(out, format="PNG")
        (edit,) = await DemoTransport().edit_images(
            "x", images=[ImageBlock("image/png", png((200, 100)))], mask=ImageBlock("image/png", out.getvalue())
        )
        result = opened(edit).convert("RGB")
        kept = ImageChops.difference(result.crop((100, 0, 200, 100)), source.crop((100, 0, 200, 100)))
        painted = ImageChops.difference(result.crop((0, 0, 100, 100)), source.crop((0, 0, 100, 100)))
        assert kept.getbbox() is None
        assert painted.getbbox() is not None

    async def test_grey_mask_paints_white(self) -> None:
        """A mask with no alpha channel paints where it is white and keeps the source where it is black."""
        mask = Image.new("L", (200, 100), 0)
        mask.paste(255, (100, 0, 200, 100))
        out = io.BytesIO()
        mask.save(out, format="PNG")
        (edit,) = await DemoTransport().edit_images(
            "x", images=[ImageBlock("image/png", png((200, 100)))], mask=ImageBlock("image/png", out.getvalue())
        )
        result, source = opened(edit).convert("RGB"), opened(png((200, 100)))
        assert ImageChops.difference(result.crop((0, 0, 100, 100)), source.crop((0, 0, 100, 100))).getbbox() is None
        assert ImageChops.difference(result.crop((100, 0, 200, 100)), source.crop((100, 0, 200, 100))).getbbox()

    async def test_missing_or_broken_sources_are_clear_errors(self) -> None:
        with pytest.raises(ValueError, match=r"at least one source image"):
            await DemoTransport().edit_images("x", images=[])
        with pytest.raises(ValueError, match=r"image 1 is not an image Pillow can read \(9 bytes\)"):
            await DemoTransport().edit_images("x", images=[ImageBlock("image/png", b"not a png")])


class TestVideo:
    @staticmethod
    def probe(data: bytes) -> tuple[str, str, float, int, int, int]:
        """(container, codec, duration in s, width, height, frames) as FFmpeg reads them."""
        with av.open(io.BytesIO(data), mode="r") as container:
            stream = container.streams.video[0]
            frames = sum(1 for _ in container.decode(video=0))
            assert container.duration is not None
            return (
                container.format.name,
                stream.codec_context.name,
                container.duration / av.time_base,
                stream.width,
                stream.height,
                frames,
            )

    async def test_webm_vp8_a_browser_plays(self) -> None:
        """3 s of 320×180 VP8 in WebM at 12 fps by default: a format every Chromium build plays."""
        (video,) = await DemoTransport().generate_videos("a cat chasing a laser")
        assert DemoTransport.video_media_type == VIDEO_MEDIA_TYPE == "video/webm"
        assert self.probe(video) == ("matroska,webm", "vp8", 3.0, 320, 180, 36)

    @pytest.mark.parametrize(
        ("duration", "aspect", "expected"),
        [(1, "9:16", (1.0, 180, 320)), (0, "1:1", (1.0, 240, 240)), (60, None, (10.0, 320, 180))],
    )
    async def test_duration_is_clamped_and_aspect_honoured(
        self, duration: int, aspect: str | None, expected: tuple[float, int, int]
    ) -> None:
        """duration_seconds is clamped to 1..10; the aspect ratio picks the frame size."""
        (video,) = await DemoTransport().generate_videos("x", duration_seconds=duration, aspect_ratio=aspect)
        _, _, seconds, width, height, frames = self.probe(video)
        assert (seconds, width, height) == expected
        assert frames == round(expected[0] * 12)

    async def test_same_prompt_same_bytes(self) -> None:
        """Encoding is bit-exact: the same request gives the same bytes; samples differ."""
        first = await DemoTransport().generate_videos("waves", n=2, duration_seconds=1)
        assert first == await DemoTransport().generate_videos("waves", n=2, duration_seconds=1)
        assert first[0] != first[1]

    async def test_image_is_the_backdrop_of_the_first_frame(self) -> None:
        """A seed image fills the frame: the first frame is mostly the image's colour."""
        (video,) = await DemoTransport().generate_videos("x", image=png((64, 48), (220, 30, 30)), duration_seconds=1)
        with av.open(io.BytesIO(video), mode="r") as container:
            first = next(container.decode(video=0))
            assert first.key_frame
            picture = first.to_image()  # type: ignore[no-untyped-call]
        red, green, blue = picture.getpixel((picture.width - 3, picture.height // 2))
        assert red > 190 and green < 60 and blue < 60

    def test_poster_is_the_first_frame_as_png(self) -> None:
        poster = opened(video_poster("x", aspect_ratio="9:16"))
        assert (poster.format, poster.size) == ("PNG", (180, 320))

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"aspect_ratio": "4:3"}, r"aspect_ratio must be one of 16:9, 9:16, 1:1; got '4:3'"),
            ({"duration_seconds": "long"}, r"duration_seconds must be a number of seconds"),
            ({"n": 5}, r"n must be a whole number from 1 to 4"),
            ({"image": b"nope"}, r"image is not an image Pillow can read"),
        ],
    )
    async def test_bad_options_are_clear_errors(self, kwargs: dict[str, object], message: str) -> None:
        with pytest.raises(ValueError, match=message):
            await DemoTransport().generate_videos("x", **kwargs)  # type: ignore[arg-type]


class TestAudioGen:
    async def test_wav_round_trip(self) -> None:
        """Each sample is a 3 s PCM16 mono WAV at 24 kHz; n samples differ; the same request, the same bytes."""
        sounds = await DemoTransport().generate_audios("a happy tune", n=2)
        assert sounds == await DemoTransport().generate_audios("a happy tune", n=2)
        assert sounds[0] != sounds[1]
        assert DemoTransport.audio_media_type == AUDIO_MEDIA_TYPE == "audio/wav"
        for data in sounds:
            with wave.open(io.BytesIO(data)) as wav:
                assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 24_000)
                assert wav.getnframes() == 72_000

    @pytest.mark.parametrize(
        ("prompt", "kind"),
        [("Rain on a tin roof", "noise"), ("a drum beat", "drums"), ("a door bell", "bells"), ("jazz", "tune")],
    )
    def test_prompt_picks_the_sound(self, prompt: str, kind: str) -> None:
        assert sound_kind(prompt) == kind

    async def test_duration_and_level(self) -> None:
        """duration_seconds is honoured (clamped 0.5..10) and every kind is audible and unclipped."""
        for prompt in ("rain", "drums", "bell", "tune"):
            (data,) = await DemoTransport().generate_audios(prompt, duration_seconds=1.5)
            stats = measure(data)
            assert stats.seconds == 1.5
            assert -30 < stats.rms_dbfs < -3


class TestTTS:
    async def test_chunks_add_up_to_the_text(self) -> None:
        """60 ms per character of PCM16 mono at 24 kHz, in 100 ms chunks (several of them), deterministic."""
        text = "Hello from the demo voice."
        tts = DemoTTS(delay=0)
        chunks = [chunk async for chunk in tts.synthesize(text)]
        assert tts.media_type == TTS_PCM_MEDIA_TYPE == "audio/pcm;rate=24000"
        assert len(b"".join(chunks)) == speech_frames(text) * 2 == len(text) * 1440 * 2
        assert len(chunks) == math.ceil(len(text) * 60 / 100) > 5
        assert all(len(chunk) == 4800 for chunk in chunks[:-1])
        assert chunks == [chunk async for chunk in DemoTTS(delay=0).synthesize(text)]

    async def test_length_is_capped(self) -> None:
        pcm = b"".join([chunk async for chunk in DemoTTS(delay=0, chunk_ms=1000).synthesize("word " * 200)])
        assert len(pcm) == MAX_SPEECH_SECONDS * TTS_RATE * 2

    async def test_voice_changes_pitch(self) -> None:
        """Two voices speak the same text at different pitches."""
        assert voice_pitch("alto") != voice_pitch("bass")
        alto = [c async for c in DemoTTS(delay=0).synthesize("aaaa", voice="alto")]
        bass = [c async for c in DemoTTS(delay=0, voice="bass").synthesize("aaaa")]
        assert alto != bass

    async def test_chunks_are_paced(self) -> None:
        """With a delay, the first chunk arrives well before the last, so playback can start early."""
        arrivals = [time.monotonic() async for _ in DemoTTS(delay=0.02).synthesize("x" * 10)]
        assert len(arrivals) == 6
        assert arrivals[-1] - arrivals[0] >= 5 * 0.02 * 0.9

    async def test_wav_format_has_a_true_header(self) -> None:
        """response_format="wav": the first chunk starts with a header that already holds the final sizes."""
        tts = DemoTTS(delay=0, response_format="wav")
        data = b"".join([chunk async for chunk in tts.synthesize("Hi there")])
        assert tts.media_type == "audio/wav"
        with wave.open(io.BytesIO(data)) as wav:
            assert (wav.getframerate(), wav.getnframes()) == (TTS_RATE, speech_frames("Hi there"))
        assert measure(data).seconds == 8 * 0.06

    @pytest.mark.parametrize(
        ("tts", "message"),
        [
            (DemoTTS(), r"needs some text"),
            (DemoTTS(response_format="mp3"), r"response_format must be 'pcm' or 'wav'"),  # type: ignore[arg-type]
            (DemoTTS(chunk_ms=0), r"chunk_ms must be 10 to 1000"),
        ],
    )
    async def test_bad_requests_are_clear_errors(self, tts: DemoTTS, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            _ = [chunk async for chunk in tts.synthesize("  " if "text" in message else "hi")]


class TestSTT:
    async def test_wav_duration_and_rms(self) -> None:
        """A ±8192 square wave of 2.41 s at 16 kHz: exactly 2.41 s, RMS 20·log10(8192/32768) = -12.04 dBFS."""
        wav = wav_bytes(pcm_of(square(8192, 38_560)), rate=16_000)
        text = await DemoSTT().transcribe(wav, "audio/wav")
        assert text == "[demo transcript] 2.41 s of audio, RMS -12.0 dBFS, 16000 Hz mono"
        assert abs(measure(wav).rms_dbfs - 20 * math.log10(0.25)) < 1e-9

    async def test_sine_rms(self) -> None:
        """A full sine of amplitude A has RMS A/√2: -3.01 dB under its peak, within 0.1 dB."""
        samples = [round(10_000 * math.sin(2 * math.pi * 440 * i / 16_000)) for i in range(16_000)]
        match = TRANSCRIPT.fullmatch(await DemoSTT().transcribe(wav_bytes(pcm_of(samples), rate=16_000)))
        assert match is not None
        assert abs(float(match.group(2)) - (20 * math.log10(10_000 / 32768) - 3.0103)) < 0.1
        assert (match.group(1), match.group(3), match.group(4)) == ("1.00", "16000", "mono")

    async def test_raw_pcm_takes_its_rate_from_the_media_type(self) -> None:
        pcm = pcm_of(square(16384, 24_000))
        text = await DemoSTT().transcribe(pcm, "audio/pcm;rate=24000")
        assert text == "[demo transcript] 1.00 s of audio, RMS -6.0 dBFS, 24000 Hz mono"
        stereo = await DemoSTT().transcribe(pcm, "audio/pcm; rate=8000; channels=2")
        assert stereo == "[demo transcript] 1.50 s of audio, RMS -6.0 dBFS, 8000 Hz stereo"

    async def test_silence_is_minus_infinity(self) -> None:
        text = await DemoSTT().transcribe(wav_bytes(bytes(3200), rate=16_000))
        assert text == "[demo transcript] 0.10 s of audio, RMS -inf dBFS, 16000 Hz mono"

    async def test_tts_round_trip(self) -> None:
        """What DemoTTS says, DemoSTT measures at its true length."""
        pcm = b"".join([chunk async for chunk in DemoTTS(delay=0).synthesize("Round trip")])
        assert measure(pcm, TTS_PCM_MEDIA_TYPE).seconds == 0.6

    @pytest.mark.skipif(shutil.which("sox") is None, reason="sox is not installed (make system-deps)")
    def test_agrees_with_sox(self, tmp_path: Path) -> None:
        """sox's own RMS of a WAV sox made agrees with ours within 0.1 dB, and its length exactly."""
        path = tmp_path / "tone.wav"
        subprocess.run(
            [
                "sox",
                "-n",
                "-r",
                "16000",
                "-b",
                "16",
                "-c",
                "1",
                str(path),
                "synth",
                "2.41",
                "sine",
                "300",
                "vol",
                "0.3",
            ],
            check=True,
        )
        stat = subprocess.run(["sox", str(path), "-n", "stat"], capture_output=True, text=True, check=True).stderr
        sox_rms = float(re.search(r"RMS\s+amplitude:\s+([\d.]+)", stat).group(1))  # type: ignore[union-attr]
        stats = measure(path.read_bytes())
        assert stats.seconds == 2.41
        assert abs(stats.rms_dbfs - 20 * math.log10(sox_rms)) < 0.1

    @pytest.mark.parametrize(
        ("mangle", "message"),
        [
            (lambda w: w[:-100], r"WAV header says the file is 32044 bytes but it is 31944"),
            (lambda w: w[:40] + struct.pack("<I", 16_000) + w[44:], r"no chunk header at byte 16044"),
            (lambda w: w[:4] + struct.pack("<I", len(w) - 8 + 6) + w[8:] + bytes(6), r"ends in 6 bytes that are no"),
            (lambda w: w[:40] + struct.pack("<I", 0xFFFFFFFF) + w[44:], r"chunk 'data' says it holds 4294967295"),
            (lambda w: w[:4] + struct.pack("<I", 36) + w[8:40] + bytes(4), r"the WAV holds no samples"),
            (lambda w: b"ID3" + w[3:], r"not a WAV file: it starts"),
        ],
    )
    async def test_a_lying_or_cut_wav_is_refused(self, mangle: object, message: str) -> None:
        """A truncated file, or a header whose sizes disagree with the bytes, is one clear ValueError."""
        wav = wav_bytes(pcm_of(square(1000, 16_000)), rate=16_000)
        with pytest.raises(ValueError, match=message) as info:
            await DemoSTT().transcribe(mangle(wav))  # type: ignore[operator]
        assert "\n" not in str(info.value)

    async def test_other_sample_widths_and_types_are_refused(self) -> None:
        out = io.BytesIO()
        with wave.open(out, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(1)
            wav.setframerate(8000)
            wav.writeframes(bytes(800))
        with pytest.raises(ValueError, match=r"8-bit samples; the demo transcriber reads 16-bit PCM only"):
            await DemoSTT().transcribe(out.getvalue())
        with pytest.raises(ValueError, match=r"reads audio/vnd.wave, audio/wav, .* got 'audio/mpeg'"):
            await DemoSTT().transcribe(b"ID3", "audio/mpeg")
        with pytest.raises(ValueError, match=r"raw PCM16 needs its sample rate"):
            await DemoSTT().transcribe(bytes(10), "audio/pcm")
        with pytest.raises(ValueError, match=r"2-byte frames; got 3 bytes"):
            await DemoSTT().transcribe(bytes(3), "audio/pcm;rate=16000")
        with pytest.raises(ValueError, match=r"the audio is empty"):
            await DemoSTT().transcribe(b"")


class TestEmbeddings:
    NEAR = [
        ("The quick brown fox jumps over the lazy dog.", "the quick brown fox jumped over the lazy dog!"),
        ("How do I reset my password?", "How can I reset my password"),
        ("Paris is the capital of France.", "The capital of France is Paris."),
        ("Transports stream events from the model.", "A transport streams the events from a model."),
    ]
    UNRELATED = [
        "Quarterly revenue grew by twelve percent in Europe.",
        "The mitochondria is the powerhouse of the cell.",
        "Please water the plants on Tuesday.",
        "I love listening to jazz in the evening.",
        "Paris is the capital of France.",
        "How do I reset my password?",
        "The quick brown fox jumps over the lazy dog.",
        "She sells sea shells by the sea shore.",
    ]

    async def test_unit_vectors_in_order(self) -> None:
        """One 256-float unit vector per text, in order, the same each time."""
        vectors = await DemoTransport().embed(["one", "two", "one"])
        assert [len(v) for v in vectors] == [DIMENSIONS] * 3
        assert all(abs(math.fsum(x * x for x in v) - 1) < 1e-9 for v in vectors)
        assert vectors[0] == vectors[2] != vectors[1]

    async def test_near_duplicates_are_close_and_unrelated_far(self) -> None:
        """Near-duplicate sentences: cosine > 0.8; every pair of unrelated ones: < 0.3."""
        for a, b in self.NEAR:
            va, vb = await DemoTransport().embed([a, b])
            assert cosine(va, vb) > 0.8, (a, b)
        vectors = await DemoTransport().embed(self.UNRELATED)
        for i, va in enumerate(vectors):
            for j in range(i + 1, len(vectors)):
                assert cosine(va, vectors[j]) < 0.3, (self.UNRELATED[i], self.UNRELATED[j])

    async def test_bad_input_is_a_clear_error(self) -> None:
        with pytest.raises(ValueError, match=r"text 1 is ' '; every text to embed must be a non-empty string"):
            await DemoTransport().embed(["fine", " "])
        with pytest.raises(ValueError, match=r"wrap one text in a list"):
            await DemoTransport().embed("just one")  # type: ignore[arg-type]


class TestLatency:
    async def test_media_delay_is_waited(self) -> None:
        """`media_delay` simulates the provider's latency; the default 0 does not wait at all."""
        started = time.monotonic()
        await DemoTransport(media_delay=0.05).embed(["x"])
        assert time.monotonic() - started >= 0.045
        task = asyncio.ensure_future(DemoTransport().embed(["x"]))
        await asyncio.sleep(0)
        assert task.done()
