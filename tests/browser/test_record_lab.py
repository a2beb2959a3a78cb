"""`%axio stt` with no source in a real JupyterLab: the recorder widget records Chromium's fake microphone.

Chromium's fake capture device plays a WAV that espeak-ng spoke and sox resampled (once: `%noloop`).
The recording goes to the kernel in 40 ms chunks as binary custom messages, becomes a WAV, and the
demo transcriber reports its duration and loudness, which must match the file's. Without the fake-UI
flag, headless Chromium denies the microphone: the widget and the cell say what to do instead.
"""

from __future__ import annotations

import array
import math
import re
import shutil
import subprocess
import wave
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright

from .harness import CELL_TIMEOUT_MS, LabServer, NotebookPage, launch_chromium, new_context

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

SENTENCE = "Hello from the fake microphone, recorded in a notebook."
SETUP = "%load_ext axio_nb\n%axio use demo pace=0"
RECORDER = ".axio-nb-recorder"


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = [tool for tool in ("espeak-ng", "sox") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"{' and '.join(missing)} missing: `make system-deps` installs them")
    root = tmp_path_factory.mktemp("record")
    raw, wav = root / "raw.wav", root / "speech.wav"
    subprocess.run(["espeak-ng", "-w", str(raw), SENTENCE], check=True, timeout=30)
    subprocess.run(["sox", str(raw), "-r", "48000", "-c", "1", "-b", "16", str(wav)], check=True, timeout=30)
    return wav


def wav_stats(path: Path) -> tuple[float, float]:
    """(seconds, RMS in dBFS) of a PCM16 mono WAV, as the demo transcriber computes them."""
    with wave.open(str(path)) as w:
        samples = array.array("h", w.readframes(w.getnframes()))
        seconds = w.getnframes() / w.getframerate()
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768
    return seconds, 20 * math.log10(rms)


def _open(lab_server: LabServer, browser: Browser, name: str, cells: list[str]) -> NotebookPage:
    ctx = new_context(browser)
    nb = NotebookPage(ctx.new_page(), lab_server, lab_server.write_notebook(name, cells))
    return nb.open()


class TestRecording:
    def test_fake_microphone_reaches_the_transcriber(
        self, lab_server: LabServer, playwright: Playwright, speech_wav: Path
    ) -> None:
        seconds, dbfs = wav_stats(speech_wav)
        flags = (
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={speech_wav}%noloop",
        )
        browser = launch_chromium(playwright, flags)
        try:
            cell = f"%axio stt --no-processing --max-seconds {seconds + 0.3:.2f} --out heard"
            nb = _open(lab_server, browser, "record", [SETUP, cell, "print(repr(heard))"])
            nb.run_cells([0, 1])
            nb.outputs(1).locator(f"{RECORDER} .axio-nb-record").click(timeout=CELL_TIMEOUT_MS)
            nb.outputs(1).locator(f'{RECORDER}[data-state="recording"]').wait_for(timeout=CELL_TIMEOUT_MS)
            nb.wait_executed(1)
            out = nb.output_text(1)
            got = re.search(r"([\d.]+) s of audio, RMS (-?[\d.]+) dBFS, (\d+) Hz mono", out)
            assert got, out
            got_s, got_db, rate = float(got[1]), float(got[2]), int(got[3])
            print(f"\nfile {seconds:.2f} s at {dbfs:.2f} dBFS; transcriber got {got_s:.2f} s at {got_db:.2f} dBFS")
            assert rate == 16000
            # The recording runs to its limit: the file plus 0.3 s of the device's silence after it.
            assert abs(got_s - (seconds + 0.3)) < 0.15 * seconds, (got_s, seconds)
            # Silence after the speech lowers the mean power by the ratio of the lengths.
            expected_db = dbfs + 10 * math.log10(seconds / got_s)
            assert abs(got_db - expected_db) < 2.0, (got_db, expected_db)
            # The widget left a player of the recording, not a widget that a reload would break.
            player = nb.outputs(1).locator("audio")
            assert player.count() == 1 and "Recorded" in out
            nb.run_cell(2)
            nb.wait_executed(2)
            assert "[demo transcript]" in nb.output_text(2)
        finally:
            browser.close()
            lab_server.shutdown_kernels()

    def test_denied_microphone_says_what_to_do(self, lab_server: LabServer, playwright: Playwright) -> None:
        # A microphone is there, but nothing answers the permission prompt: headless Chromium denies it.
        browser = launch_chromium(playwright, ("--use-fake-device-for-media-stream",))
        try:
            nb = _open(lab_server, browser, "record-denied", [SETUP, "%axio stt", "print('next cell fine')"])
            nb.run_cells([0, 1])
            nb.outputs(1).locator(f"{RECORDER} .axio-nb-record").click(timeout=CELL_TIMEOUT_MS)
            nb.wait_executed(1)
            out = nb.output_text(1)
            assert "Microphone blocked: allow it in the browser's site settings" in out, out
            assert "UsageError" in out and "Traceback" not in out, out
            nb.run_cell(2)
            nb.wait_executed(2)
            assert "next cell fine" in nb.output_text(2)
        finally:
            browser.close()
            lab_server.shutdown_kernels()
