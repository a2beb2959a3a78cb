"""The voice controls in a real JupyterLab: barge-in, mute, push-to-talk, typed turns, reload, a denied or missing mic.

Chromium's fake microphone plays an espeak-ng WAV once (`%noloop`), built to the test's timing: speech,
a pause the demo's VAD takes for the end of the turn, then more speech that lands on the answer. The
demo runs in real time (`voice_pace=1`) and leaves the cancelling to the kernel (`interrupt_response=False`),
so a barge-in must reach the page (its player flushed, measured there) and the session (`interrupt()`).
Each test is one session, kept short: the whole browser suite must stay within its time budget.
"""

from __future__ import annotations

import array
import shutil
import subprocess
import wave
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright

from .conftest import OpenNotebook
from .harness import CELL_TIMEOUT_MS, LabServer, NotebookPage, launch_chromium, new_context

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

SETUP = "%load_ext axio_nb\n%axio use demo voice_pace=1 interrupt_response=False"
VOICE = ".axio-nb-voice"
RATE = 48000


def _say(root: Path, name: str, text: str) -> array.array[int]:
    raw, wav = root / f"{name}-raw.wav", root / f"{name}.wav"
    subprocess.run(["espeak-ng", "-w", str(raw), text], check=True, timeout=30)
    subprocess.run(["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(wav)], check=True, timeout=30)
    with wave.open(str(wav)) as w:
        return array.array("h", w.readframes(w.getnframes()))


@pytest.fixture(scope="module")
def talk_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Speech (~2 s), 1.2 s of silence (the demo answers 0.5 s into it), then speech over the answer."""
    missing = [tool for tool in ("espeak-ng", "sox") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"{' and '.join(missing)} missing: `make system-deps` installs them")
    root = tmp_path_factory.mktemp("voice-controls")
    first = _say(root, "first", "Tell me about the weather, please.")
    second = _say(root, "second", "Wait, stop, I have another question for you about the sea.")
    samples = first + array.array("h", bytes(2 * int(RATE * 1.2))) + second + array.array("h", bytes(2 * RATE))
    out = root / "talk.wav"
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.tobytes())
    return out


def _fake_mic(wav: Path) -> tuple[str, ...]:
    return (
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={wav}%noloop",
        "--autoplay-policy=no-user-gesture-required",
    )


def _open(lab_server: LabServer, browser: Browser, name: str, cells: list[str]) -> NotebookPage:
    nb = NotebookPage(new_context(browser).new_page(), lab_server, lab_server.write_notebook(name, cells))
    return nb.open()


def _printed(nb: NotebookPage, index: int) -> list[str]:
    nb.run_cell(index)
    nb.wait_executed(index)
    return nb.output_text(index).split()


def _no_task_left(nb: NotebookPage, index: int) -> None:
    assert _printed(nb, index)[-1] == "0", nb.output_text(index)


TASKS = "print(len(__import__('axio_nb.run.loop', fromlist=['x']).BACKGROUND))"


class TestBargeInAndMute:
    def test_speaking_over_the_answer_flushes_the_page_and_interrupts_then_mute_stops_chunks(
        self, lab_server: LabServer, playwright: Playwright, talk_wav: Path
    ) -> None:
        browser = launch_chromium(playwright, _fake_mic(talk_wav))
        try:
            stats = (
                "s = v.stats\nprint(len(v.session.interrupts), s.barge_ins, s.interrupts, s.played, s.played_ms, "
                "s.mic_chunks, s.muted, s.underruns, s.audio_chunks)"
            )
            nb = _open(lab_server, browser, "voice-barge", [SETUP, "%axio realtime --out v", stats, TASKS])
            nb.run_cells([0, 1])
            nb.wait_executed(1)
            out = nb.outputs(1)
            out.locator(f'{VOICE}[data-state="listening"]').wait_for(timeout=CELL_TIMEOUT_MS)
            out.get_by_role("button", name="Microphone", exact=True).click()
            out.locator(f'{VOICE}[data-mic="on"]').wait_for(timeout=CELL_TIMEOUT_MS)
            # The answer to the first sentence plays; the second sentence lands on it: the page drops its voice.
            nb.page.wait_for_function(
                "() => performance.getEntriesByName('axio-nb:voice-flush').length > 0", timeout=CELL_TIMEOUT_MS
            )
            flush = nb.page.evaluate(
                """() => {
                    const cut = performance.getEntriesByName('axio-nb:voice-flush')[0];
                    const playing = performance.getEntriesByName('axio-nb:speech-playing')[0];
                    return {playing: playing?.startTime ?? null, at: cut.startTime, dropped: cut.detail?.buffered_ms};
                }"""
            )
            assert flush["playing"] is not None and flush["playing"] < flush["at"], flush  # it was audible first
            assert flush["dropped"] > 0, flush  # buffered voice was dropped, not drained
            out.get_by_text("Cut short: you spoke over the answer", exact=False).wait_for(timeout=CELL_TIMEOUT_MS)
            seen, barge_ins, interrupts, played, played_ms, *_ = (int(x) for x in _printed(nb, 2)[:5])
            assert seen >= 1 and barge_ins >= 1 and interrupts == seen, nb.output_text(2)  # the demo saw interrupt()
            assert played > 0 and played_ms > 0, nb.output_text(2)  # the page reported what it played
            print(f"\nplayed {played} deltas ({played_ms} ms); underruns, chunks: {_printed(nb, 2)[7:9]}")

            out.get_by_role("button", name="Mute", exact=True).click()
            out.locator(f'{VOICE}[data-muted="true"]').wait_for(timeout=CELL_TIMEOUT_MS)
            assert out.locator(".axio-nb-voice-state").inner_text().endswith("muted")
            before = _printed(nb, 2)
            nb.page.wait_for_timeout(1000)
            after = _printed(nb, 2)
            assert before[5] == after[5] and after[6] == "True", (before, after)  # no chunk while muted

            out.get_by_role("button", name="End", exact=True).click()
            out.get_by_text("Voice session ended", exact=False).wait_for(timeout=CELL_TIMEOUT_MS)
            assert "Cut short: you spoke over the answer" in nb.output_text(1)
            _no_task_left(nb, 3)
        finally:
            browser.close()
            lab_server.shutdown_kernels()


class TestPushToTalkTypedAndReload:
    def test_release_commits_the_box_sends_and_a_reload_reattaches(
        self, lab_server: LabServer, playwright: Playwright, talk_wav: Path
    ) -> None:
        browser = launch_chromium(playwright, _fake_mic(talk_wav))
        try:
            cells = [
                SETUP,
                "%axio realtime --push-to-talk --out p",
                "print(len(p.transcript), p.stats.commits)",
                TASKS,
                "p",
            ]
            nb = _open(lab_server, browser, "voice-ptt", cells)
            nb.run_cells([0, 1])
            nb.wait_executed(1)
            out = nb.outputs(1)
            out.locator(f'{VOICE}[data-state="listening"]').wait_for(timeout=CELL_TIMEOUT_MS)
            talk = out.get_by_role("button", name="Push to talk", exact=True)
            talk.focus()
            nb.page.keyboard.down("Space")  # held: the microphone opens and its audio goes out
            out.locator(f'{VOICE}[data-mic="on"][data-talking="true"]').wait_for(timeout=CELL_TIMEOUT_MS)
            nb.page.wait_for_timeout(1500)
            assert out.locator(".axio-nb-bubble", has_text="(heard").count() == 0  # server VAD is off: no turn yet
            nb.page.keyboard.up("Space")  # released: commit()
            out.locator(".axio-nb-bubble", has_text="(heard").wait_for(timeout=CELL_TIMEOUT_MS)
            out.get_by_text("seconds of speech", exact=False).first.wait_for(timeout=CELL_TIMEOUT_MS)
            assert _printed(nb, 2)[1] == "1"

            box = out.get_by_role("textbox", name="Message to send", exact=True)
            box.fill("first typed turn")
            box.press("Enter")
            out.get_by_text("You typed: first typed turn", exact=False).wait_for(timeout=CELL_TIMEOUT_MS)

            # Reload mid-session: the controls and the transcript come back, attached to the running session.
            nb.save()
            nb.reload()
            out = nb.outputs(1)
            out.locator(f'{VOICE}[data-state="listening"]').wait_for(timeout=CELL_TIMEOUT_MS)
            assert out.get_by_role("button", name="Push to talk", exact=True).is_enabled()
            out.get_by_text("You typed: first typed turn", exact=False).wait_for(timeout=CELL_TIMEOUT_MS)
            box = out.get_by_role("textbox", name="Message to send", exact=True)
            box.fill("after the reload")
            out.get_by_role("button", name="Send", exact=True).click()
            out.get_by_text("You typed: after the reload", exact=False).wait_for(timeout=CELL_TIMEOUT_MS)

            out.get_by_role("button", name="End", exact=True).click()
            # A reloaded page's outputs have no display id the kernel could update (Jupyter keeps none in the
            # file): the views themselves show the end, and displaying the session gives its snapshot.
            out.locator(f'{VOICE}[data-state="ended"]').wait_for(timeout=CELL_TIMEOUT_MS)
            _no_task_left(nb, 3)
            nb.run_cell(4)
            nb.wait_executed(4)
            text = nb.output_text(4)
            assert "(heard" in text and "You typed: after the reload" in text and "Error displaying" not in text
            assert nb.outputs(4).locator("audio").count() == 0  # no audio in the snapshot without --keep-audio
        finally:
            browser.close()
            lab_server.shutdown_kernels()


class TestNoMicrophone:
    @pytest.mark.parametrize(
        ("flags", "said"),
        [
            # A device is there, but nothing answers the permission prompt: headless Chromium denies it.
            (("--use-fake-device-for-media-stream",), "Microphone blocked"),
            # Prompts pass, but there is no fake device and this machine has no sound card: NotFoundError.
            (("--use-fake-ui-for-media-stream",), "No microphone found"),
        ],
        ids=["denied", "no-device"],
    )
    def test_one_line_in_the_widget_and_the_cell_and_the_box_still_works(
        self, lab_server: LabServer, playwright: Playwright, flags: tuple[str, ...], said: str
    ) -> None:
        browser = launch_chromium(playwright, flags)
        try:
            nb = _open(lab_server, browser, f"voice-{said.split()[0]}", [SETUP, "%axio realtime --out m", TASKS])
            nb.run_cells([0, 1])
            nb.wait_executed(1)
            out = nb.outputs(1)
            out.locator(f'{VOICE}[data-state="listening"]').wait_for(timeout=CELL_TIMEOUT_MS)
            out.get_by_role("button", name="Microphone", exact=True).click()
            message = out.locator(".axio-nb-voice-message")
            message.get_by_text(said, exact=False).wait_for(timeout=CELL_TIMEOUT_MS)
            assert message.inner_text().endswith("or type your turn in the box below."), message.inner_text()
            # The same line in the cell's output, as a notice of the transcript (it stays in the snapshot).
            out.locator(".axio-nb-notice-text", has_text=said).wait_for(timeout=CELL_TIMEOUT_MS)
            box = out.get_by_role("textbox", name="Message to send", exact=True)
            box.fill("no microphone here")
            box.press("Enter")
            out.get_by_text("You typed: no microphone here", exact=False).wait_for(timeout=CELL_TIMEOUT_MS)
            out.get_by_role("button", name="End", exact=True).click()
            out.get_by_text("Voice session ended", exact=False).wait_for(timeout=CELL_TIMEOUT_MS)
            assert said in nb.output_text(1)
            _no_task_left(nb, 2)
        finally:
            browser.close()
            lab_server.shutdown_kernels()


class TestKernelRestart:
    def test_restarting_the_kernel_leaves_the_controls_visibly_ended(self, open_notebook: OpenNotebook) -> None:
        nb = open_notebook("voice-restart", [SETUP, "%axio realtime --out r"], live_probe=False)
        nb.run_cells([0, 1])
        nb.wait_executed(1)
        out = nb.outputs(1)
        out.locator(f'{VOICE}[data-state="listening"]').wait_for(timeout=CELL_TIMEOUT_MS)
        # As a user does it (a restart through the REST API alone does not tell the page's widget manager).
        nb.page.locator(".lm-MenuBar-itemLabel", has_text="Kernel").click()
        nb.page.locator(".lm-Menu-itemLabel", has_text="Restart Kernel…").first.click()
        nb.page.locator(".jp-Dialog button.jp-mod-accept").click()
        # The session's task died with the old kernel; the page says so rather than offering dead controls.
        out.locator(f'{VOICE}[data-state="ended"]').wait_for(timeout=CELL_TIMEOUT_MS)
        assert out.locator(".axio-nb-voice-state").inner_text() == "Ended: the kernel is gone"
        assert out.get_by_role("button", name="Send", exact=True).is_disabled()
