"""`%%axio chat` in a real ipykernel, driven as a user (and JupyterLab's Run All) would drive it."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import Kernel, Run, streamed_text, widget_comm_id, wire_messages

pytestmark = pytest.mark.kernel

SETUP = """
%load_ext axio_nb
async def get_weather(city: str) -> str:
    \"\"\"Current weather for a city.\"\"\"
    return f"Sunny in {city}, 21°C"
"""


@pytest.fixture(scope="module")
def kernel() -> Iterator[Kernel]:
    k = Kernel()
    assert k.execute(SETUP).status == "ok"
    yield k
    k.shutdown()


def has_text_op(run: Run) -> bool:
    return bool(streamed_text(run))


def one_line_usage_error(run: Run) -> str:
    """IPython prints a UsageError as one stderr line with no traceback."""
    assert run.errors == [], run.errors
    text = run.stdout.strip()
    assert text.startswith("UsageError: "), text
    assert "\n" not in text, text
    return text


class TestStreaming:
    def test_chat_cell_streams_then_leaves_a_snapshot(self, kernel: Kernel) -> None:
        """The live widget gets ops as the answer streams; the cell ends on a static snapshot."""
        run = kernel.execute("%%axio chat --out r\nExplain what a transport is in axio.")
        assert run.status == "ok"
        assert "application/vnd.jupyter.widget-view+json" in run.data()[0]
        assert "Explain what a transport" in streamed_text(run)
        final = run.final_output
        assert set(final) == {"text/html", "text/plain"}
        assert '<h2 class="jp-toc-ignore tocSkip">A transport, in short</h2>' in final["text/html"]
        assert "demo-1" in final["text/plain"] and "end_turn" in final["text/plain"]

    def test_result_object(self, kernel: Kernel) -> None:
        run = kernel.execute("print(r.stop_reason, r.model, r.usage['output'] > 0, r.status, len(r.blocks))")
        assert run.stdout.split() == ["end_turn", "demo-1", "True", "done", "2"]

    def test_displaying_the_result_again_shows_the_whole_transcript(self, kernel: Kernel) -> None:
        first = kernel.execute("%%axio chat --out again\nTell me about transports").final_output
        shown = kernel.execute("again").data("execute_result")
        assert shown and shown[0]["text/plain"] == first["text/plain"]
        assert shown[0]["text/html"] == first["text/html"]

    def test_queued_cell_runs_after_and_reads_out(self, kernel: Kernel) -> None:
        """Run All: a cell queued behind a streaming cell waits for it and sees its result."""
        kernel.execute("%axio use demo pace=20000")
        first = kernel.submit("%%axio chat --out queued\nlong 4000")
        second = kernel.submit("print(queued.status, len(queued.text) > 3000)")
        kernel.collect(first)
        kernel.collect(second)
        assert first.status == second.status == "ok"
        assert second.stdout.split() == ["done", "True"]
        kernel.execute("%axio use demo pace=0")

    def test_widget_messages_are_handled_during_the_cell(self, kernel: Kernel) -> None:
        """A view's hello sent mid-stream is answered with the state before the cell ends (no nest_asyncio)."""
        kernel.execute("%axio use demo pace=4000")
        run = kernel.submit("%%axio chat\nlong 12000")
        kernel.wait_until(run, has_text_op)
        hello = kernel.comm_send(widget_comm_id(run), {"type": "hello", "seq": 0})
        kernel.wait_until(hello, lambda r: bool(wire_messages(r, "state")))
        assert not Kernel._idle(run), "the state reply should arrive while the cell still runs"
        kernel.collect(run)
        state = wire_messages(hello, "state")[0]
        assert state["blocks"] and state["meta"]["status"] == "streaming"
        kernel.execute("%axio use demo pace=0")

    def test_view_messages_are_handled_on_the_stream_loop_thread(self, kernel: Kernel) -> None:
        """A view's hello is handled on the thread that runs the stream, never beside it (no torn state).

        Through jupyter_client (even on a subshell) ipykernel 7.4 already delivers comm messages on the
        main thread; in a JupyterLab run they were seen on another thread, tearing a replayed state.
        StreamView hands them to the loop's thread either way; this pins the invariant.
        """
        kernel.execute(
            "import threading, axio_nb.stream.wire as _w\n_seen = []\n_orig = _w.Wire.receive\n"
            "def _spy(self, m):\n    _seen.append(threading.get_ident())\n    return _orig(self, m)\n"
            "_w.Wire.receive = _spy\n%axio use demo pace=4000"
        )
        run = kernel.submit("%%axio chat\nlong 8000")
        kernel.wait_until(run, has_text_op)
        hello = kernel.comm_send(widget_comm_id(run), {"type": "hello", "seq": 0})
        kernel.wait_until(hello, lambda r: bool(wire_messages(r, "state")) or Kernel._idle(r))
        kernel.collect(run)
        # Two hellos: the one a rendered view sends at once (the harness plays it), and this one.
        check = kernel.execute(
            "print(len(_seen) == 2 and set(_seen) == {threading.main_thread().ident})\n_w.Wire.receive = _orig"
        )
        assert check.stdout.strip() == "True"
        kernel.execute("%axio use demo pace=0")

    def test_wire_is_coalesced(self, kernel: Kernel) -> None:
        """12 000 chars at 4 000 chars/s in 4-char deltas (3 000 deltas) travel in ≤ 30 messages a second."""
        kernel.execute("%axio use demo pace=4000")
        run = kernel.execute("%%axio chat\nlong 12000")
        ops = wire_messages(run, "ops")
        seqs = [m["seq"] for m in ops]
        assert seqs == list(range(1, len(seqs) + 1))
        assert len(ops) <= 4 * 30 + 10, len(ops)
        kernel.execute("%axio use demo pace=0")

    def test_static_display_mode(self, kernel: Kernel) -> None:
        """Headless runs get one final display and no widget."""
        run = kernel.execute("%%axio chat --display static\nHello")
        assert run.types["display_data"] == 1 and run.types["update_display_data"] == 0
        assert "application/vnd.jupyter.widget-view+json" not in run.data()[0]
        assert run.types["comm_open"] == 0

    def test_background_turns_keep_session_order(self, kernel: Kernel) -> None:
        kernel.execute("%axio use demo pace=20000")
        run = kernel.execute("%%axio chat --background --session bg --out b1\nlong 3000\n")
        assert run.status == "ok"
        kernel.execute("%%axio chat --background --session bg --out b2\nsecond question")
        run = kernel.execute("await b2.wait(); print(b1.status, b2.status, b1.transcript.meta['elapsed_ms'] >= 0)")
        assert run.stdout.split() == ["done", "done", "True"]
        history = kernel.execute("%axio history bg").stdout
        assert history.index("long 3000") < history.index("second question")
        kernel.execute("%axio use demo pace=0")

    def test_new_in_background_does_not_block_the_cell(self, kernel: Kernel) -> None:
        """`--new` clears the history when the turn runs, after the session's earlier turns, not before."""
        kernel.execute("%axio use demo pace=8000")
        kernel.execute("%%axio chat --background --session fresh --out f1\nlong 8000")
        started = time.monotonic()
        kernel.execute("%%axio chat --background --new --session fresh --out f2\nonly me")
        assert time.monotonic() - started < 0.8, "the cell waited for the earlier turn"
        kernel.execute("await f2.wait()")
        history = kernel.execute("%axio history fresh").stdout
        assert "only me" in history and "long 8000" not in history
        kernel.execute("%axio use demo pace=0")

    def test_tools_are_called_and_shown(self, kernel: Kernel) -> None:
        run = kernel.execute("%%axio chat --tools get_weather --out w\nWhat's the weather in Paris?")
        tool = [
            b
            for b in json.loads(kernel.execute("import json; print(json.dumps(w.blocks))").stdout)
            if b["kind"] == "tool"
        ]
        assert tool and tool[0]["fields"] == {"city": "Paris"} and tool[0]["status"] == "ok"
        assert "Sunny in Paris" in tool[0]["result"]
        assert "get_weather" in run.final_output["text/html"]

    def test_max_tokens_cut_is_a_visible_warning(self, kernel: Kernel) -> None:
        """A truncated answer never looks whole: stop reason max_tokens, a warning in the snapshot."""
        run = kernel.execute("%%axio chat --max-tokens 20 --temperature 0.2 --out cut\nExplain transports at length")
        assert "Cut short" in run.final_output["text/plain"] and "max_tokens" in run.final_output["text/plain"]
        assert kernel.execute("print(cut.stop_reason, cut.incomplete)").stdout.split() == ["max_tokens", "True"]

    def test_model_flag_selects_the_model(self, kernel: Kernel) -> None:
        kernel.execute("%%axio chat --model demo-mini --out mini\nHi")
        assert kernel.execute("print(mini.model)").stdout.strip() == "demo-mini"

    def test_agent_flag_uses_its_system_tools_and_transport(self, kernel: Kernel) -> None:
        kernel.execute(
            "from axio import Agent\nfrom axio_nb.demo import DemoTransport\n"
            "helper = Agent(system='Be brief.', transport=DemoTransport(), tools=[])"
        )
        run = kernel.execute("%%axio chat --agent helper --tools get_weather --out ag\nweather in Paris?")
        assert run.status == "ok"
        assert "get_weather" in run.final_output["text/html"]

    def test_view_code_is_sent_once_on_request_not_in_every_comm_open(self, kernel: Kernel) -> None:
        """comm_open carries the ~2 KB loader; each bundle travels by name, once per page, as buffers."""
        run = kernel.execute("%%axio chat\nHi")
        opens = [m for m in run.messages if m["msg_type"] == "comm_open"]
        assert opens and max(len(json.dumps(m["content"])) for m in opens) < 8_000
        static = Path(__file__).resolve().parents[2] / "axio_nb" / "static"
        for name in ("stream", "katex"):
            request = kernel.comm_send(widget_comm_id(run), {"type": "code?", "name": name})
            kernel.wait_until(request, lambda r: bool(wire_messages(r, "code")))
            (reply,) = [m for m in request.comm_msgs if m["content"]["data"]["content"].get("type") == "code"]
            assert reply["content"]["data"]["content"]["name"] == name
            assert reply["buffers"][0] == (static / f"{name}.js").read_bytes()
            assert reply["buffers"][1] == (static / f"{name}.css").read_bytes()

    def test_refusal_is_styled_apart(self, kernel: Kernel) -> None:
        run = kernel.execute("%%axio chat --out no\nPlease refuse this")
        assert "[declined]" in run.final_output["text/plain"] and "axio-nb-refusal" in run.final_output["text/html"]
        assert kernel.execute("print(no.stop_reason)").stdout.strip() == "refusal"

    def test_failure_mid_stream_keeps_the_partial_answer(self, kernel: Kernel) -> None:
        """An error keeps everything above it, the cell succeeds, and the next turn of the session works."""
        run = kernel.execute("%%axio chat --session flaky --out bad\nThis will fail")
        assert run.status == "ok"
        plain = run.final_output["text/plain"]
        assert "A transport, in short" in plain and "[error] demo: the connection dropped" in plain
        assert kernel.execute("print(bad.status)").stdout.strip() == "error"
        assert kernel.execute("print(bad.error)").stdout.strip().startswith("demo: the connection dropped")
        assert kernel.execute("%%axio chat --session flaky\nAgain?").status == "ok"

    def test_inline_image(self, kernel: Kernel) -> None:
        run = kernel.execute("%%axio chat\nDraw an image")
        assert '<img src="data:image/png;base64,' in run.final_output["text/html"]
        opened = [op["block"] for m in wire_messages(run, "ops") for op in m["ops"] if op["op"] == "open"]
        image = next(b for b in opened if b["kind"] == "image")
        assert (image["width"], image["height"]) == (160, 96)
        # Its bytes reach the view once: with its open op, or, opened before the view said hello, in the state.
        assert ("buffer" in image) != bool(image.get("deferred"))

        def pngs(r: Run) -> list[bytes]:
            return [bytes(b) for m in r.comm_msgs for b in m.get("buffers", []) if bytes(b).startswith(b"\x89PNG")]

        # The view's hello may be answered after the cell ended (the turn is that fast): wait for it.
        kernel.wait_until(run, lambda r: bool(pngs(r)), timeout=10)
        assert len(pngs(run)) == 1

    def test_repetition_cut_is_a_visible_warning(self, kernel: Kernel) -> None:
        """axio's repetition detector ends a looping answer; it must not look whole.

        docs/axio-events.md#repetition-is-not-in-incomplete
        """
        run = kernel.execute("%%axio chat --out loop\nrepeat after me")
        assert "Cut short: axio detected repetitive output" in run.final_output["text/plain"]
        assert kernel.execute("print(loop.stop_reason, loop.incomplete)").stdout.split() == ["repetition", "True"]

    def test_nest_asyncio_is_never_imported(self, kernel: Kernel) -> None:
        run = kernel.execute("import sys; print('nest_asyncio' in sys.modules, 'nest_asyncio2' in sys.modules)")
        assert run.stdout.split() == ["False", "False"]


class TestStopping:
    def test_stop_button_keeps_partial_output_and_the_cell_succeeds(self, kernel: Kernel) -> None:
        kernel.execute("%axio use demo pace=2000")
        run = kernel.submit("%%axio chat --session stop --out s\nlong 20000")
        kernel.wait_until(run, has_text_op)
        kernel.comm_send(widget_comm_id(run), {"type": "stop"})
        kernel.collect(run)
        assert run.status == "ok"
        assert "Interrupted" in run.final_output["text/plain"]
        check = kernel.execute("print(s.status, 0 < len(s.text) < 20000)")
        assert check.stdout.split() == ["interrupted", "True"]
        kernel.execute("%axio use demo pace=0")
        assert kernel.execute("%%axio chat --session stop\nAnd now?").status == "ok"

    def test_interrupt_keeps_partial_output_and_history_stays_valid(self, kernel: Kernel) -> None:
        """Ctrl-C mid-stream: partial answer shown as interrupted, no two user messages in a row, next turn works."""
        kernel.execute("%axio use demo pace=2000")
        run = kernel.submit("%%axio chat --session irq --out i\nlong 20000")
        kernel.wait_until(run, has_text_op)
        kernel.interrupt()
        kernel.collect(run)
        assert "Interrupted" in run.final_output["text/plain"]
        check = kernel.execute("print(i.status, 0 < len(i.text) < 20000)")
        assert check.stdout.split() == ["interrupted", "True"]
        kernel.execute("%axio use demo pace=0")
        after = kernel.execute("%%axio chat --session irq --out j\nDid that work?")
        assert after.status == "ok"
        roles = kernel.execute(
            "import axio_nb\n"
            "h = await axio_nb._STATE['chat'].sessions.get('irq').context.get_history()\n"
            "print(' '.join(m.role for m in h))"
        ).stdout.split()
        assert roles == ["user", "assistant", "user", "assistant"], roles
        assert kernel.execute("print(j.status)").stdout.strip() == "done"


class TestBadInput:
    def test_unknown_flag(self, kernel: Kernel) -> None:
        text = one_line_usage_error(kernel.execute("%%axio chat --frobnicate\nhi"))
        assert text == "UsageError: unrecognized arguments: --frobnicate"

    def test_unknown_transport_lists_installed_ones(self, kernel: Kernel) -> None:
        text = one_line_usage_error(kernel.execute("%%axio chat --transport opnai\nhi"))
        assert "opnai" in text and "demo" in text and "openai" in text and "%axio transports" in text

    def test_missing_credentials_names_the_variable(self, kernel: Kernel) -> None:
        kernel.execute("%env OPENAI_API_KEY=")
        text = one_line_usage_error(kernel.execute("%%axio chat --transport openai\nhi"))
        assert "OPENAI_API_KEY is not set" in text and "--transport demo" in text

    def test_undefined_variable(self, kernel: Kernel) -> None:
        text = one_line_usage_error(kernel.execute("%%axio chat\nHello {nobody_defined_this}"))
        assert "nobody_defined_this" in text and "--no-interpolate" in text

    def test_unknown_command(self, kernel: Kernel) -> None:
        text = one_line_usage_error(kernel.execute("%axio frob"))
        assert text == (
            "UsageError: Unknown command `frob`. "
            "Use one of: chat, image, edit, video, audio, embed, tts, stt, realtime, "
            "transports, use, sessions, history, reset. "
            "See `%axio?`."
        )

    def test_nothing_is_lost_after_bad_input(self, kernel: Kernel) -> None:
        """Earlier results survive and the next turn works."""
        assert kernel.execute("print(r.status)").stdout.strip() == "done"
        assert kernel.execute("%%axio chat\nStill there?").status == "ok"

    def test_secret_settings_are_refused(self, kernel: Kernel) -> None:
        text = one_line_usage_error(kernel.execute("%axio use openai api_key=sk-123"))
        assert "environment" in text and "sk-123" not in text


class TestExtensionLifecycle:
    def test_unload_removes_everything_and_reload_works(self) -> None:
        """%unload_ext takes the magics and the transformer away; %load_ext brings them back."""
        k = Kernel()
        try:
            k.execute("%load_ext axio_nb")
            assert k.execute("%%axio chat --out a\nHi").status == "ok"
            k.execute("%unload_ext axio_nb")
            gone = k.execute("%axio sessions")
            assert gone.status == "error" or "not found" in gone.stdout
            check = "print(any('axio' in repr(t) for t in get_ipython().input_transformers_post))"
            assert k.execute(check).stdout.strip() == "False"
            k.execute("%load_ext axio_nb")
            assert k.execute("%%axio chat --out b\nHi again").status == "ok"
            assert k.execute("print(b.status)").stdout.strip() == "done"
        finally:
            k.shutdown()


class TestLineMagics:
    def test_transports_lists_demo_with_credentials(self, kernel: Kernel) -> None:
        out = kernel.execute("%axio transports").stdout
        assert any(line.split()[:2] in (["demo", "yes"], ["→", "demo"]) for line in out.splitlines()), out

    def test_transports_table_names_the_protocols_each_speaks(self, kernel: Kernel) -> None:
        """Columns from axio's protocols; tts/stt/voice come from the packages' own entry-point groups."""
        lines = kernel.execute("%axio transports").stdout.splitlines()
        header = lines[0].split()
        cols = ["chat", "image", "edit", "video", "audio", "tts", "stt", "embed", "voice"]
        assert header[:2] == ["name", "key"] and header[2:11] == cols, header
        rows = {line[2:].split()[0]: line[2:].split() for line in lines[1:] if line[2:].split()}
        speaks = {
            name: {c for c, mark in zip(cols, row[2:11], strict=True) if mark == "✓"} for name, row in rows.items()
        }
        assert "chat" in speaks["demo"], speaks
        assert {"chat", "tts", "stt", "embed", "voice"} <= speaks["openai"], speaks

    def test_sessions_history_reset(self, kernel: Kernel) -> None:
        kernel.execute("%%axio chat --session notes\nRemember this")
        assert "notes:" in kernel.execute("%axio sessions").stdout
        assert "user: Remember this" in kernel.execute("%axio history notes").stdout
        kernel.execute("%axio reset notes")
        assert "empty" in kernel.execute("%axio history notes").stdout

    def test_help_documents_every_flag(self, kernel: Kernel) -> None:
        doc = kernel.execute("import axio_nb.magics as m; print(m.AxioMagics.axio.__doc__)").stdout
        for flag in (
            "--transport",
            "--model",
            "--system",
            "--agent",
            "--tools",
            "--session",
            "--new",
            "--out",
            "--background",
            "--no-interpolate",
            "--max-tokens",
            "--temperature",
            "--display",
        ):
            assert flag in doc, flag
