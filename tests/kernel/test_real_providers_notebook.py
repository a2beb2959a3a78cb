"""notebooks/07-real-providers.ipynb end to end, with the real transport packages pointed at loopback fakes.

In CI the notebook runs with no key (Makefile, `test-notebooks`), so every provider cell prints "Skipped: …"
and nothing in it is ever really run. Here nbclient executes the whole notebook in a real kernel, as
`make test-notebooks` does (`AXIO_NB_DISPLAY=static`, `AXIO_NB_TRANSPORT=demo`), but with fake keys in its
environment, and the real `axio_transport_openai` and `axio_transport_google` reach the project's fakes the
way docs/testing.md ("Pointing the real axio transports at loopback fakes") describes:

* OpenAI chat, speech, transcription and embeddings: `OPENAI_BASE_URL`, one server with the routes of
  tests/fakes/openai_server.py and tests/fakes/openai_media.py;
* OpenAI Realtime: `OPENAI_REALTIME_URL`, tests/fakes/openai_realtime.py;
* Gemini chat and images: the same server with tests/fakes/google_server.py, reached through one setup cell
  inserted (in memory only) before the notebook's own, which patches `axio_transport_google._DEVELOPER_API_BASE`.

The notebook's own cell after the realtime one ends the voice session it started (a real one is billed while
open); one more cell, appended in memory, checks that no task outlives it.
Each OpenAI and Gemini cell must then have run (no "Skipped", no error), show what the fake answered, and have
reached the fake with its key; no key may appear in the executed notebook. There is no Anthropic fake: its
cell is run with `ANTHROPIC_API_KEY` unset, so it must print its one "Skipped" line, which names the package
too when `axio_transport_anthropic` is not installed.
"""

from __future__ import annotations

import base64
import importlib.util
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from axio_nb.media.audio import pcm_to_wav
from axio_nb.run.realtime import STATIC_NOTE
from tests.fakes.google_server import CHAT_ANSWER, CHAT_USAGE, add_google_routes
from tests.fakes.openai_media import RATE, add_media_routes, embedding, heard, png, speech_pcm
from tests.fakes.openai_realtime import FakeRealtime, fake_openai_realtime
from tests.fakes.openai_server import USAGE, FakeOpenAI, Request, fake_openai, script

pytestmark = pytest.mark.kernel

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "07-real-providers.ipynb"
OPENAI_KEY = "sk-fake-NB07-SECRET-OPENAI"
GEMINI_KEY = "gm-fake-NB07-SECRET-GEMINI"
SECRETS = (OPENAI_KEY, GEMINI_KEY)
#: Seconds nbclient gives each cell (the whole notebook takes a few).
CELL_TIMEOUT = 60

#: The notebook's provider cells, each found by the `%%axio` line it runs (its position may change).
OPENAI_CELLS = {
    "chat": '"chat --transport openai',
    "speech": '"tts --transport openai',
    "embed": '"embed --transport openai',
    "realtime": '"realtime --transport openai',
}
GEMINI_CELLS = {"gemini_chat": '"chat --transport google', "gemini_image": '"image --transport google'}
ANTHROPIC_CELL = '"chat --transport anthropic'
#: What the notebook sends (its cells' text): the tests look for these in the fakes' logs.
CHAT_PROMPT = "In two sentences: what is an agent loop?"
SPOKEN = "Hello, class!"
EMBED_TEXTS = ["a cat on a mat", "a kitten on a rug", "interest rates"]
GEMINI_PROMPT = "In two sentences: what is a tool call?"
IMAGE_PROMPT = "a watercolor robot reading to a class"

#: The notebook's cell that ends the voice session the realtime cell started.
END_CELL = 'if "call" in globals():\n    call.end()'
#: After it: is the session done, and is any background task left? (Appended in memory.)
CHECK_CALL = """
from axio_nb.run.loop import BACKGROUND

print(f"call done: {call.done}, background tasks: {len(BACKGROUND)}")
"""


@dataclass
class Executed:
    """The executed notebook and what the fakes heard."""

    nb: Any
    fake: FakeOpenAI
    realtime: FakeRealtime

    def cell(self, marker: str) -> Any:
        (cell,) = [c for c in self.nb.cells if c.cell_type == "code" and marker in c.source]
        return cell

    def requests(self, suffix: str) -> list[Request]:
        return [r for r in self.fake.requests if r.path.endswith(suffix)]


# -- helpers -------------------------------------------------------------------------------------
def texts(cell: Any) -> list[str]:
    """Every text a cell's outputs hold: streams, the text/plain and text/html of displays, error tracebacks."""
    out: list[str] = []
    for o in cell.outputs:
        if o.output_type == "stream":
            out.append(o.text)
        elif o.output_type == "error":
            out.append("\n".join([o.ename, o.evalue, *o.traceback]))
        else:
            out += [str(v) for k, v in o.get("data", {}).items() if k.startswith("text/")]
    return out


def stdout(cell: Any) -> str:
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")


def display(cell: Any, mime: str) -> str:
    """The one display a static cell shows, as `mime`."""
    (shown,) = [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")]
    return str(shown.data[mime])


def data_uris(html: str, prefix: str) -> list[bytes]:
    return [base64.b64decode(m) for m in re.findall(rf'src="data:{prefix}[^;]*;base64,([^"]+)"', html)]


def user_text(body: dict[str, Any]) -> str:
    """The text of the last user turn of a Gemini request."""
    user = [c for c in body.get("contents", []) if c.get("role") == "user"]
    return "".join(str(p.get("text", "")) for p in user[-1]["parts"]) if user else ""


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Executed]:
    with (
        fake_openai(extra=[add_media_routes, add_google_routes]) as fake,
        fake_openai_realtime() as realtime,
        pytest.MonkeyPatch.context() as env,
    ):
        # The kernel nbclient starts inherits this process's environment.
        for name, value in {
            "OPENAI_API_KEY": OPENAI_KEY,
            "OPENAI_BASE_URL": fake.url,
            "OPENAI_REALTIME_URL": realtime.url,
            "GEMINI_API_KEY": GEMINI_KEY,
            "AXIO_NB_DISPLAY": "static",
            "AXIO_NB_TRANSPORT": "demo",
        }.items():
            env.setenv(name, value)
        # No real key or other route out: Anthropic has no fake, and Vertex would leave the patched host.
        for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "GOOGLE_GENAI_USE_VERTEXAI"):
            env.delenv(name, raising=False)
        nb = nbformat.read(NOTEBOOK, as_version=4)
        patch = f"import axio_transport_google\naxio_transport_google._DEVELOPER_API_BASE = {fake.root + '/v1beta'!r}"
        nb.cells.insert(0, nbformat.v4.new_code_cell(patch))
        nb.cells.append(nbformat.v4.new_code_cell(CHECK_CALL))
        client = NotebookClient(
            nb,
            timeout=CELL_TIMEOUT,
            kernel_name="python3",
            resources={"metadata": {"path": str(tmp_path_factory.mktemp("nb07"))}},
        )
        client.execute()  # raises CellExecutionError if any cell raised
        yield Executed(nb, fake, realtime)


# -- every cell ran --------------------------------------------------------------------------------
class TestTheNotebookRan:
    def test_no_cell_raised(self, executed: Executed) -> None:
        errors = [o for c in executed.nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert errors == []

    @pytest.mark.parametrize("name", [*OPENAI_CELLS, *GEMINI_CELLS])
    def test_no_provider_cell_skipped_or_warned(self, executed: Executed, name: str) -> None:
        cell = executed.cell({**OPENAI_CELLS, **GEMINI_CELLS}[name])
        assert cell.outputs, "the cell showed nothing"
        assert not any("Skipped" in t for t in texts(cell)), texts(cell)
        assert [o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"] == []

    def test_both_transports_found_their_key(self, executed: Executed) -> None:
        listing = stdout(executed.cell("%axio transports"))
        rows = {cols[0]: cols for cols in (line.replace("→", "").split() for line in listing.splitlines()) if cols}
        assert rows["openai"][1] == "yes" and rows["google"][1] == "yes", listing

    def test_the_notebook_ends_the_voice_session_with_nothing_left_running(self, executed: Executed) -> None:
        assert re.fullmatch(r"ended after \d+ s", stdout(executed.cell(END_CELL)).strip()), executed.cell(END_CELL)
        assert stdout(executed.nb.cells[-1]).strip() == "call done: True, background tasks: 0"


# -- OpenAI --------------------------------------------------------------------------------------
class TestOpenAI:
    def test_chat_shows_the_fakes_answer(self, executed: Executed) -> None:
        (request,) = executed.requests("/v1/chat/completions")
        assert request.body["model"] == "gpt-4.1-mini" and request.body["stream"] is True
        assert CHAT_PROMPT in request.body["messages"][-1]["content"]
        assert request.headers["Authorization"] == f"Bearer {OPENAI_KEY}"
        answer = "".join(
            c["choices"][0]["delta"].get("content", "") for c in script("plain", request.body) if c["choices"]
        )
        cell = executed.cell(OPENAI_CELLS["chat"])
        assert display(cell, "text/plain").startswith(answer)
        assert f"<p>{answer}</p>" in display(cell, "text/html")
        usage = USAGE["plain"]
        assert f"{usage['prompt_tokens']} in / {usage['completion_tokens']} out tokens" in display(cell, "text/plain")

    def test_speech_plays_the_fakes_voice(self, executed: Executed) -> None:
        (request,) = executed.requests("/v1/audio/speech")
        assert request.body == {
            "model": "gpt-4o-mini-tts",
            "input": SPOKEN,
            "voice": "coral",
            "response_format": "pcm",
            "speed": 1.0,
        }
        assert request.headers["Authorization"] == f"Bearer {OPENAI_KEY}"
        html = display(executed.cell(OPENAI_CELLS["speech"]), "text/html")
        assert html.count("<audio controls") == 1
        assert data_uris(html, "audio/wav") == [pcm_to_wav(speech_pcm(SPOKEN), RATE, 1)]

    def test_transcription_prints_what_the_fake_heard(self, executed: Executed) -> None:
        """`stt hello[0]` sends the speech just made (as WAV) and prints the fake's transcript of exactly it."""
        wav = pcm_to_wav(speech_pcm(SPOKEN), RATE, 1)
        (request,) = executed.requests("/v1/audio/transcriptions")
        assert request.body["model"] == "gpt-4o-mini-transcribe"
        assert request.body["file"]["content_type"] == "audio/wav" and request.body["file"]["size"] == len(wav)
        assert request.headers["Authorization"] == f"Bearer {OPENAI_KEY}"
        assert stdout(executed.cell(OPENAI_CELLS["speech"])).strip() == heard(wav)

    def test_embeddings_show_the_fakes_similarities(self, executed: Executed) -> None:
        (request,) = executed.requests("/v1/embeddings")
        assert request.body == {"model": "text-embedding-3-small", "input": EMBED_TEXTS}
        assert request.headers["Authorization"] == f"Bearer {OPENAI_KEY}"
        cell = executed.cell(OPENAI_CELLS["embed"])
        html, plain = display(cell, "text/html"), display(cell, "text/plain")
        assert html.count("<td") == 9 and "3 texts, 16 dimensions, openai" in html
        vectors = [embedding(t) for t in EMBED_TEXTS]
        for (i, a), (j, b) in itertools.combinations(enumerate(EMBED_TEXTS), 2):
            similarity = sum(x * y for x, y in zip(vectors[i], vectors[j]))
            assert f"{similarity:.3f}  {a!r} / {b!r}" in plain, plain

    def test_realtime_connected_to_the_fake(self, executed: Executed) -> None:
        assert stdout(executed.cell(OPENAI_CELLS["realtime"])).strip() == STATIC_NOTE
        (conn,) = executed.realtime.connections
        assert conn.path == "/v1/realtime" and conn.query.get("model")
        assert conn.headers["Authorization"] == f"Bearer {OPENAI_KEY}"
        assert conn.types[0] == "session.update"
        assert conn.session["audio"]["output"]["format"] == {"type": "audio/pcm", "rate": 24000}


# -- Gemini --------------------------------------------------------------------------------------
class TestGemini:
    def test_chat_streams_the_fakes_answer(self, executed: Executed) -> None:
        (request,) = executed.requests(":streamGenerateContent")
        assert request.path.startswith("/v1beta/models/")
        assert request.query == {"key": GEMINI_KEY, "alt": "sse"}
        assert GEMINI_PROMPT in user_text(request.body)
        # Opening the transport fetched its catalog from the fake too, not from Google.
        assert executed.requests("/v1beta/models")
        cell = executed.cell(GEMINI_CELLS["gemini_chat"])
        assert display(cell, "text/plain").startswith(CHAT_ANSWER)
        assert f"<p>{CHAT_ANSWER}</p>" in display(cell, "text/html")
        tokens = f"{CHAT_USAGE['promptTokenCount']} in / {CHAT_USAGE['candidatesTokenCount']} out tokens"
        assert tokens in display(cell, "text/plain")

    def test_image_shows_the_fakes_png(self, executed: Executed) -> None:
        (request,) = executed.requests(":generateContent")
        assert request.query == {"key": GEMINI_KEY}
        assert user_text(request.body) == IMAGE_PROMPT
        assert request.body["generationConfig"] == {"responseModalities": ["IMAGE"]}
        html = display(executed.cell(GEMINI_CELLS["gemini_image"]), "text/html")
        assert html.count("<img ") == 1
        assert data_uris(html, "image/png") == [png(IMAGE_PROMPT)]


# -- Anthropic -----------------------------------------------------------------------------------
def test_anthropic_skips_with_one_line(executed: Executed) -> None:
    """No fake speaks Anthropic, and the key is unset: the cell says so in one line and runs nothing."""
    missing = ["`ANTHROPIC_API_KEY` in the environment"]
    if importlib.util.find_spec("axio_transport_anthropic") is None:
        missing.insert(0, "`pip install axio-transport-anthropic`")
    cell = executed.cell(ANTHROPIC_CELL)
    assert [o.output_type for o in cell.outputs] == ["stream"]
    assert stdout(cell) == "Skipped: this cell needs " + " and ".join(missing) + ".\n"


# -- no secret in the notebook -------------------------------------------------------------------
def test_no_key_in_the_executed_notebook(executed: Executed) -> None:
    saved = nbformat.writes(executed.nb)
    assert [s[:12] for s in SECRETS if s in saved] == []
    # Each key did reach a fake, so the search above looks for something real.
    sent = [str(r.headers.get("Authorization", "")) + str(r.query) for r in executed.fake.requests]
    assert all(any(s in line for line in sent) for s in SECRETS)
