"""`%axio realtime` in a real JupyterLab: Chromium's fake microphone talks to the demo realtime session.

Chromium plays an espeak-ng sentence (resampled by sox, once: `%noloop`) as its microphone. Microphone
starts capture at the session's input rate; the 100 ms chunks reach the kernel as binary custom messages;
the demo's VAD hears the sentence end in the device's silence and answers; the live view shows both
captions and plays the answer from its first chunk. End leaves the static snapshot with both captions.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Playwright

from .harness import CELL_TIMEOUT_MS, LabServer, NotebookPage, launch_chromium, new_context

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

SENTENCE = "Hello there, this is the fake microphone speaking to a realtime session."
SETUP = "%load_ext axio_nb\n%axio use demo voice_pace=1"
VOICE = ".axio-nb-voice"


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = [tool for tool in ("espeak-ng", "sox") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"{' and '.join(missing)} missing: `make system-deps` installs them")
    root = tmp_path_factory.mktemp("voice")
    raw, wav = root / "raw.wav", root / "speech.wav"
    subprocess.run(["espeak-ng", "-w", str(raw), SENTENCE], check=True, timeout=30)
    subprocess.run(["sox", str(raw), "-r", "48000", "-c", "1", "-b", "16", str(wav)], check=True, timeout=30)
    return wav


class TestVoice:
    def test_fake_microphone_talks_and_end_leaves_the_snapshot(
        self, lab_server: LabServer, playwright: Playwright, speech_wav: Path
    ) -> None:
        flags = (
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={speech_wav}%noloop",
            "--autoplay-policy=no-user-gesture-required",
        )
        browser = launch_chromium(playwright, flags)
        try:
            cells = [
                SETUP,
                "%axio realtime --out v",
                "print(v.stats.input_rate, v.stats.mic_rate, v.stats.mic_chunks)",
                "import time\ntime.sleep(4)",  # a cell that keeps the kernel busy while the microphone streams
                # a second for the page to hear the kernel again and send what it held back (`skipped`)
                "import asyncio\nawait asyncio.sleep(1)\nprint(v.stats.dropped, v.stats.mic_chunks)",
            ]
            nb = NotebookPage(new_context(browser).new_page(), lab_server, lab_server.write_notebook("voice", cells))
            nb.open()
            nb.run_cells([0, 1])
            nb.wait_executed(1)  # the cell returns at once; the session runs in the background
            out = nb.outputs(1)
            out.locator(f'{VOICE}[data-state="listening"]').wait_for(timeout=CELL_TIMEOUT_MS)
            out.locator(f"{VOICE} .axio-nb-voice-mic").click(timeout=CELL_TIMEOUT_MS)
            out.locator(f'{VOICE}[data-mic="on"]').wait_for(timeout=CELL_TIMEOUT_MS)
            # Both captions in the live view: the user's (what the demo heard) and the assistant's answer.
            out.locator(".axio-nb-bubble", has_text="(heard").wait_for(timeout=CELL_TIMEOUT_MS)
            out.get_by_text("seconds of speech", exact=False).first.wait_for(timeout=CELL_TIMEOUT_MS)
            nb.page.wait_for_function(
                "() => performance.getEntriesByName('axio-nb:speech-playing').length > 0", timeout=CELL_TIMEOUT_MS
            )
            nb.run_cell(2)
            nb.wait_executed(2)
            input_rate, mic_rate, mic_chunks = (int(x) for x in nb.output_text(2).split()[:3])
            assert input_rate == 24000 and mic_rate == input_rate and mic_chunks > 25, nb.output_text(2)
            # While a cell keeps the kernel busy for 4 s, the page sends 2 s of microphone beyond the last chunk
            # the kernel said it read (`heard`), and holds back the rest: counted as dropped, not queued in the
            # kernel's memory (docs/facts.md, "A busy kernel keeps the microphone's messages in its memory").
            nb.run_cells([3, 4])
            nb.wait_executed(4)
            dropped, after = (int(x) for x in nb.output_text(4).split()[:2])
            assert 10 <= dropped <= 30 and after > mic_chunks, nb.output_text(4)

            out.locator(f"{VOICE} .axio-nb-voice-end").click(timeout=CELL_TIMEOUT_MS)
            nb.page.wait_for_function("(sel) => !document.querySelector(sel)", arg=VOICE, timeout=CELL_TIMEOUT_MS)
            out.get_by_text("Voice session ended", exact=False).wait_for(timeout=CELL_TIMEOUT_MS)
            text = nb.output_text(1)
            assert "(heard" in text and "seconds of speech" in text, text
            assert "Error displaying widget" not in text and "Traceback" not in text, text
            assert out.locator(".axio-nb-blocks").count() == 0  # the live view is gone: the snapshot stays
        finally:
            browser.close()
            lab_server.shutdown_kernels()
