"""The real transport packages' media through the magics in a real kernel, against the project's loopback fakes.

One server on 127.0.0.1 (tests/fakes/openai_server.py with the routes of tests/fakes/openai_media.py and
tests/fakes/google_server.py) stands in for OpenAI, ChatGPT's image endpoint and the Gemini API. Each
real client is pointed at it the way a notebook user would (docs/facts.md#what-the-media-fakes-must-speak):

* OpenAI (speech, transcription, embeddings): `%axio use openai base_url=…`; the key comes from the
  kernel's environment, as keys should. The environment's own `OPENAI_BASE_URL` leads nowhere, so only
  the setting can reach the fake.
* Google (images, Veo): the transport has no setting for its host, so a cell patches the module
  constant `axio_transport_google._DEVELOPER_API_BASE`.
* ChatGPT (images): it needs an OAuth account object, so a cell builds a `ChatGPTTransport` on a
  stand-in account and hands it over with `axio_nb.register_transport`.

What the user sees is read from the iopub messages; what each client sent, from the fake's log.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import time
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from axio_nb.media.audio import pcm_to_wav
from tests.fakes.google_server import add_google_routes, video
from tests.fakes.openai_media import (
    CODEX_IMAGES,
    RATE,
    SPEECH_CHUNKS,
    add_media_routes,
    embedding,
    heard,
    png,
    speech_mp3,
    speech_pcm,
)
from tests.fakes.openai_server import FakeOpenAI, Request, fake_openai
from tests.kernel.harness import Kernel, Run, wire_messages

pytestmark = pytest.mark.kernel

OPENAI_KEY = "sk-fake-MEDIA-SECRET-456"
GEMINI_KEY = "gm-fake-MEDIA-SECRET-789"
CHATGPT_TOKEN = "chatgpt-fake-TOKEN-012"
SECRETS = (OPENAI_KEY, GEMINI_KEY, CHATGPT_TOKEN)

CHATGPT_SETUP = """
import os, aiohttp, axio_nb
from axio_transport_openai import ChatGPTTransport

class StandInAccount:
    \"\"\"What ChatGPT's image route asks of an account session: no quota error, and request headers.\"\"\"
    plan_usage_error = None
    supports_images = True

    async def request_headers(self, *, images: bool = False) -> dict[str, str]:
        token = os.environ["AXIO_NB_TEST_CHATGPT_TOKEN"]
        return {"Authorization": f"Bearer {token}", "ChatGPT-Account-Id": "acct-fake"}

async def _open_chatgpt():
    return ChatGPTTransport(account=StandInAccount(), session=aiohttp.ClientSession(), image_base_url=%r)

axio_nb.register_transport("chatgpt", await _open_chatgpt())
"""


@dataclass
class Cell:
    """One magic cell: what the kernel sent to iopub, what the fake received, and how long it took."""

    run: Run
    requests: list[Request]
    seconds: float


# -- helpers -------------------------------------------------------------------------------------
def all_messages(kernel: Kernel) -> list[dict[str, Any]]:
    return [m for run in kernel._runs.values() for m in run.messages] + list(kernel.other)


def ops(run: Run) -> list[dict[str, Any]]:
    return [op for m in wire_messages(run, "ops") for op in m["ops"]]


def opened(run: Run, kind: str) -> list[dict[str, Any]]:
    return [op["block"] for op in ops(run) if op["op"] == "open" and op["block"]["kind"] == kind]


def op_buffers(run: Run) -> list[bytes]:
    """The binary buffers the view got, in order (media bytes travel there, not in JSON): those of the
    `ops` messages, and of the `state` that answers the view's first hello (media opened before a view
    listened wait for it: axio_nb/stream/wire.py)."""
    out: list[bytes] = []
    for m in run.comm_msgs:
        content = m["content"].get("data", {}).get("content", {})
        if content.get("type") in ("ops", "state"):
            out += [bytes(b) for b in m.get("buffers", [])]
    return out


def data_uris(html: str, prefix: str) -> list[bytes]:
    return [base64.b64decode(m) for m in re.findall(rf'src="data:{prefix}[^;]*;base64,([^"]+)"', html)]


def printed(kernel: Kernel, code: str) -> str:
    run = kernel.execute(code)
    assert run.status == "ok", run.errors
    return run.stdout.strip()


def run_cell(kernel: Kernel, fake: FakeOpenAI, code: str, timeout: float = 30) -> Cell:
    before = len(fake.requests)
    start = time.monotonic()
    run = kernel.execute(code, timeout=timeout)
    seconds = time.monotonic() - start
    assert run.status == "ok", (run.errors, run.stdout)
    return Cell(run, fake.requests[before:], seconds)


def wav_file(path: Path, seconds: float = 0.5, rate: int = 16000) -> bytes:
    samples = bytes(i * 37 % 256 for i in range(int(seconds * rate) * 2))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples)
    return path.read_bytes()


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    with fake_openai(extra=[add_media_routes, add_google_routes]) as server:
        yield server


@pytest.fixture(scope="module")
def kernel(fake: FakeOpenAI) -> Iterator[Kernel]:
    env = {
        "OPENAI_API_KEY": OPENAI_KEY,
        # Nothing listens there: a client that ignored `%axio use openai base_url=…` would fail, not reach out.
        "OPENAI_BASE_URL": "http://127.0.0.1:9/not-the-fake",
        "GEMINI_API_KEY": GEMINI_KEY,
        "AXIO_NB_TEST_CHATGPT_TOKEN": CHATGPT_TOKEN,
        "AXIO_NB_TRANSPORT": "demo",
    }
    k = Kernel(env=env)
    try:
        setup = k.execute(f"%load_ext axio_nb\n%axio use openai base_url={fake.url}")
        assert setup.status == "ok", (setup.errors, setup.stdout)
        yield k
    finally:
        k.shutdown()


@pytest.fixture(scope="module")
def google(kernel: Kernel, fake: FakeOpenAI) -> None:
    patch = kernel.execute(f"import axio_transport_google as _g\n_g._DEVELOPER_API_BASE = {fake.root + '/v1beta'!r}")
    assert patch.status == "ok", patch.errors


@pytest.fixture(scope="module")
def chatgpt(kernel: Kernel, fake: FakeOpenAI) -> None:
    setup = kernel.execute(CHATGPT_SETUP % (fake.root + CODEX_IMAGES.removesuffix("/images/generations")))
    assert setup.status == "ok", (setup.errors, setup.stdout)


PCM_TEXT = "Hello from the loopback fake."
MP3_TEXT = "An MP3 this time."


@pytest.fixture(scope="module")
def pcm_turn(kernel: Kernel, fake: FakeOpenAI) -> Cell:
    return run_cell(kernel, fake, f"%%axio tts --transport openai --format pcm --voice alloy --out said\n{PCM_TEXT}")


@pytest.fixture(scope="module")
def mp3_turn(kernel: Kernel, fake: FakeOpenAI) -> Cell:
    return run_cell(kernel, fake, f"%%axio tts --transport openai --format mp3 --out said_mp3\n{MP3_TEXT}")


EMBED_TEXTS = ["The cat sat on the mat.", "The cat sat on a mat.", "Stock prices fell sharply."]


@pytest.fixture(scope="module")
def embed_turn(kernel: Kernel, fake: FakeOpenAI) -> Cell:
    code = "%%axio embed --transport openai --model text-embedding-3-small --out vecs\n" + "\n".join(EMBED_TEXTS)
    return run_cell(kernel, fake, code)


@pytest.fixture(scope="module")
def google_images(kernel: Kernel, fake: FakeOpenAI, google: None) -> Cell:
    return run_cell(kernel, fake, "%%axio image --transport google -n 2 --out foxes\na red fox in the snow")


@pytest.fixture(scope="module")
def chatgpt_image(kernel: Kernel, fake: FakeOpenAI, chatgpt: None) -> Cell:
    return run_cell(kernel, fake, "%%axio image --transport chatgpt --out lighthouse\na lighthouse at dusk")


VIDEO_PROMPT = "a paper boat on a pond"


@pytest.fixture(scope="module")
def veo(kernel: Kernel, fake: FakeOpenAI, google: None) -> Cell:
    code = f"%%axio video --transport google --duration 2 --aspect 16:9 --out boat\n{VIDEO_PROMPT}"
    return run_cell(kernel, fake, code, timeout=40)


# -- OpenAI speech -------------------------------------------------------------------------------
class TestOpenAISpeech:
    def test_pcm_request(self, pcm_turn: Cell) -> None:
        (request,) = pcm_turn.requests
        assert request.path == "/v1/audio/speech"
        assert request.body == {
            "model": "gpt-4o-mini-tts",
            "input": PCM_TEXT,
            "voice": "alloy",
            "response_format": "pcm",
            "speed": 1.0,
        }
        assert request.headers["Authorization"] == f"Bearer {OPENAI_KEY}"

    def test_pcm_streams_as_chunk_ops(self, pcm_turn: Cell) -> None:
        """The speech reaches the view in several chunk ops (so it plays while it arrives), byte for byte."""
        (block,) = opened(pcm_turn.run, "audio")
        assert block["streaming"] is True and block["media_type"] == f"audio/pcm;rate={RATE}"
        chunks = [op for op in ops(pcm_turn.run) if op["op"] == "chunk"]
        assert 2 <= len(chunks) <= SPEECH_CHUNKS, chunks
        assert b"".join(op_buffers(pcm_turn.run)) == speech_pcm(PCM_TEXT)
        assert [op["start"] for op in chunks] == [sum(c["size"] for c in chunks[:i]) for i in range(len(chunks))]

    def test_pcm_ends_as_a_wav_player(self, kernel: Kernel, pcm_turn: Cell) -> None:
        html = pcm_turn.run.final_output["text/html"]
        assert html.count("<audio controls") == 1
        (wav,) = data_uris(html, "audio/wav")
        assert wav == pcm_to_wav(speech_pcm(PCM_TEXT), RATE, 1)
        with wave.open(io.BytesIO(wav)) as w:
            assert (w.getframerate(), w.getnchannels(), w.getnframes()) == (RATE, 1, len(speech_pcm(PCM_TEXT)) // 2)
        digest = hashlib.sha256(speech_pcm(PCM_TEXT)).hexdigest()
        out = printed(kernel, "import hashlib; print(said[0].media_type, hashlib.sha256(said[0].data).hexdigest())")
        assert out == f"audio/pcm;rate={RATE} {digest}"

    def test_mp3_streams_and_ends_as_an_mp3_player(self, mp3_turn: Cell) -> None:
        (request,) = mp3_turn.requests
        assert request.body["response_format"] == "mp3" and request.body["input"] == MP3_TEXT
        (block,) = opened(mp3_turn.run, "audio")
        assert block["media_type"] == "audio/mpeg"
        assert len([op for op in ops(mp3_turn.run) if op["op"] == "chunk"]) >= 2
        mp3 = speech_mp3(MP3_TEXT)
        assert b"".join(op_buffers(mp3_turn.run)) == mp3
        html = mp3_turn.run.final_output["text/html"]
        assert html.count("<audio controls") == 1
        assert data_uris(html, "audio/mpeg") == [mp3]

    def test_the_mp3_is_real(self) -> None:
        """What the fake streams decodes as half a second of 24 kHz audio (so the player above has sound)."""
        import av

        with av.open(io.BytesIO(speech_mp3(MP3_TEXT))) as container:
            frames = list(container.decode(audio=0))
        assert frames[0].sample_rate == RATE
        assert abs(sum(f.samples for f in frames) - RATE // 2) < 2000


# -- OpenAI transcription ------------------------------------------------------------------------
class TestOpenAITranscription:
    def test_a_wav_file_arrives_intact(self, kernel: Kernel, fake: FakeOpenAI, tmp_path: Path) -> None:
        path = tmp_path / "lecture.wav"
        wav = wav_file(path)
        cell = run_cell(kernel, fake, f"%axio stt --transport openai --language en --out text {path}")
        assert cell.run.stdout.strip() == heard(wav)
        assert printed(kernel, "print(text)") == heard(wav)
        (request,) = cell.requests
        assert request.path == "/v1/audio/transcriptions"
        assert request.headers["Authorization"] == f"Bearer {OPENAI_KEY}"
        assert request.body == {
            "model": "gpt-4o-mini-transcribe",
            "response_format": "json",
            "file": {
                "filename": "audio.wav",
                "content_type": "audio/wav",
                "size": len(wav),
                "sha256": hashlib.sha256(wav).hexdigest(),
            },
            "language": "en",
        }

    def test_raw_pcm_is_sent_as_the_wav_axio_nb_wraps_it_in(self, kernel: Kernel, fake: FakeOpenAI) -> None:
        pcm = bytes(range(256)) * 40
        kernel.execute(f"raw_pcm = {pcm!r}")
        cell = run_cell(kernel, fake, "%axio stt --transport openai --rate 8000 raw_pcm")
        assert cell.run.stdout.strip() == heard(pcm_to_wav(pcm, 8000, 1))


# -- OpenAI embeddings ---------------------------------------------------------------------------
class TestOpenAIEmbeddings:
    def test_vectors_in_the_order_of_the_texts(self, kernel: Kernel, embed_turn: Cell) -> None:
        (request,) = [r for r in embed_turn.requests if r.path == "/v1/embeddings"]
        assert request.body == {"model": "text-embedding-3-small", "input": EMBED_TEXTS}
        assert request.headers["Authorization"] == f"Bearer {OPENAI_KEY}"
        vectors = json.loads(printed(kernel, "import json; print(json.dumps(vecs.vectors))"))
        assert vectors == [embedding(t) for t in EMBED_TEXTS]  # the fake listed them in reverse

    def test_without_model_the_transport_sends_its_own(self, kernel: Kernel, fake: FakeOpenAI) -> None:
        """axio's OpenAI `embed` sends the transport's model: the chat model, unless `--model` picks one."""
        cell = run_cell(kernel, fake, "%%axio embed --transport openai\none\ntwo")
        (request,) = [r for r in cell.requests if r.path == "/v1/embeddings"]
        assert request.body["model"] == "gpt-4.1-mini"

    def test_similarity_heatmap(self, kernel: Kernel, embed_turn: Cell) -> None:
        html = embed_turn.run.final_output["text/html"]
        assert html.count("<td") == 9 and "3 texts" in html
        near, far = printed(kernel, "print(round(vecs.similarity[0][1], 3), round(vecs.similarity[0][2], 3))").split()
        assert float(near) > 0.8 > float(far)


# -- Google: Gemini images and Veo ---------------------------------------------------------------
class TestGoogleImages:
    def test_each_sample_is_a_generate_content_call_with_the_key_as_query(self, google_images: Cell) -> None:
        calls = [r for r in google_images.requests if r.path.endswith(":generateContent")]
        assert len(calls) == 2
        for call in calls:
            assert call.path == "/v1beta/models/gemini-3-pro-image:generateContent"
            assert call.query == {"key": GEMINI_KEY}
            assert call.body["contents"][0]["parts"][0]["text"] == "a red fox in the snow"
            assert call.body["generationConfig"] == {"responseModalities": ["IMAGE"]}
        # Opening the transport fetched its catalog from the fake too, not from Google.
        assert any(r.path == "/v1beta/models" for r in google_images.requests)

    def test_images_stream_and_stay_in_the_snapshot(self, kernel: Kernel, google_images: Cell) -> None:
        image = png("a red fox in the snow")
        blocks = opened(google_images.run, "image")
        assert len(blocks) == 2 and all(b["media_type"] == "image/png" for b in blocks)
        assert op_buffers(google_images.run) == [image, image]
        assert data_uris(google_images.run.final_output["text/html"], "image/png") == [image, image]
        assert printed(kernel, "print(len(foxes), foxes[0].image.size, foxes.status)") == "2 (64, 48) done"

    def test_a_provider_error_is_one_error_block(self, kernel: Kernel, fake: FakeOpenAI, google: None) -> None:
        cell = run_cell(kernel, fake, "%%axio image --transport google --out bad\nhttp400 please")
        (block,) = opened(cell.run, "error")
        assert "400" in block["message"] and "The fake refuses this prompt." in block["message"]
        assert "Traceback" not in cell.run.stdout
        assert printed(kernel, "print(len(bad), bad.status)") == "0 error"


@pytest.mark.slow
class TestVeo:
    """The one slow test: the client waits 5 s before it polls, and the fake makes it poll once."""

    def test_one_poll_then_the_video(self, veo: Cell) -> None:
        start, *rest = veo.requests
        assert start.path == "/v1beta/models/veo-3.1-fast-generate-001:predictLongRunning"
        assert start.query == {"key": GEMINI_KEY}
        assert start.body == {
            "instances": [{"prompt": VIDEO_PROMPT}],
            "parameters": {"sampleCount": 1, "durationSeconds": 2, "aspectRatio": "16:9"},
        }
        polls = [r for r in rest if "/operations/" in r.path]
        assert [r.path for r in polls] == ["/v1beta/models/veo-3.1-fast-generate-001/operations/op-1"]
        assert polls[0].query == {"key": GEMINI_KEY}
        assert veo.seconds >= 5

    def test_the_video_plays_in_the_cell(self, kernel: Kernel, veo: Cell) -> None:
        clip = video(VIDEO_PROMPT, 2, "16:9")
        (block,) = opened(veo.run, "video")
        assert block["media_type"] == "video/webm"
        # The clip's exact bytes, and beside them its first frame as a WebP poster (axio_nb/media/poster.py).
        sent, poster = op_buffers(veo.run)
        assert sent == clip and block["poster"] == "image/webp"
        assert poster.startswith(b"RIFF") and poster[8:12] == b"WEBP"
        html = veo.run.final_output["text/html"]
        assert html.count("<video controls") == 1 and data_uris(html, "video/webm") == [clip]
        assert printed(kernel, "print(boat[0].media_type, len(boat[0].data))") == f"video/webm {len(clip)}"


# -- ChatGPT images ------------------------------------------------------------------------------
class TestChatGPTImages:
    def test_the_codex_image_route_gets_the_account_headers(self, chatgpt_image: Cell) -> None:
        (request,) = chatgpt_image.requests
        assert request.path == CODEX_IMAGES
        assert request.body == {
            "model": "gpt-image-2",
            "prompt": "a lighthouse at dusk",
            "background": "opaque",
            "quality": "auto",
            "size": "auto",
        }
        assert request.headers["Authorization"] == f"Bearer {CHATGPT_TOKEN}"
        assert request.headers["ChatGPT-Account-Id"] == "acct-fake"
        assert request.headers["x-codex-image-turn-id"]

    def test_the_image_streams_and_stays_in_the_snapshot(self, kernel: Kernel, chatgpt_image: Cell) -> None:
        image = png("a lighthouse at dusk")
        (block,) = opened(chatgpt_image.run, "image")
        assert block["media_type"] == "image/png"
        assert op_buffers(chatgpt_image.run) == [image]
        assert data_uris(chatgpt_image.run.final_output["text/html"], "image/png") == [image]
        assert printed(kernel, "print(lighthouse[0].media_type, lighthouse.status)") == "image/png done"


# -- no secret in any output ---------------------------------------------------------------------
class TestSecretsNeverShown:
    def test_no_message_carries_a_key_or_token(
        self,
        kernel: Kernel,
        fake: FakeOpenAI,
        pcm_turn: Cell,
        mp3_turn: Cell,
        embed_turn: Cell,
        google_images: Cell,
        chatgpt_image: Cell,
        veo: Cell,
    ) -> None:
        # Cells most likely to leak one: listings, reprs, and the errors each client raises.
        for code in (
            "%axio transports",
            "print(repr(said), repr(foxes), repr(lighthouse), repr(boat))",
            "%%axio tts --transport openai --format opus\nno such format at the fake",
            "%%axio image --transport google\nhttp400 again",
        ):
            kernel.execute(code)
        messages = all_messages(kernel)
        assert len(messages) > 50
        leaks = [
            (secret[:8], m["msg_type"])
            for m in messages
            for secret in SECRETS
            if secret in json.dumps(m, default=str) or any(secret.encode() in bytes(b) for b in m.get("buffers", []))
        ]
        assert leaks == []
        # Each secret did reach the fake, so the search above looks for something real.
        sent = [json.dumps({"h": r.headers, "q": r.query}) for r in fake.requests]
        assert all(any(secret in s for s in sent) for secret in SECRETS)
