"""`%%axio tts` in a real JupyterLab with Chromium: the speech plays while it still streams, then a player keeps it.

The demo voice is 60 ms of tone per character, sent in 100 ms chunks 50 ms apart (twice real time), so
a 36-character sentence is ~2.2 s of speech arriving over ~1.1 s. The page marks (User Timing, see
docs/testing.md) when the first chunk arrived, the latest chunk, and when the player's first frame
reached the speakers.
"""

from __future__ import annotations

import pytest

from .conftest import OpenNotebook
from .harness import CELL_TIMEOUT_MS, SNAPSHOT, NotebookPage

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

SETUP = "%load_ext axio_nb\n%axio use demo pace=0"
SENTENCE = "Welcome to today's lesson on agents."
TTS_CELL = f"%%axio tts --out speech\n{SENTENCE}"
#: Characters × 60 ms: the clip's length.
SECONDS = len(SENTENCE) * 0.06

MARKS = """() => Object.fromEntries(["axio-nb:speech-first-chunk", "axio-nb:speech-chunk", "axio-nb:speech-playing"]
    .map((name) => [name.slice(15), performance.getEntriesByName(name).at(-1)?.startTime ?? null]))"""

DURATION = """(root) => new Promise((resolve) => {
    const a = root.querySelector("audio");
    if (!a) return resolve(null);
    if (a.readyState >= 1) return resolve(a.duration);
    a.addEventListener("loadedmetadata", () => resolve(a.duration), { once: true });
    a.addEventListener("error", () => resolve(-1), { once: true });
    a.load();
})"""


def _clip_seconds(nb: NotebookPage, cell: int) -> float:
    root = nb.outputs(cell).locator(SNAPSHOT)
    root.wait_for(state="attached", timeout=CELL_TIMEOUT_MS)
    return float(root.evaluate(DURATION))


class TestSpeech:
    def test_plays_while_streaming_then_keeps_a_player(self, open_notebook: OpenNotebook) -> None:
        nb = open_notebook("speech", [SETUP, TTS_CELL, "print('done')"])
        nb.run_cells([0, 1, 2])
        nb.wait_executed(2)
        nb.page.wait_for_function(
            "() => performance.getEntriesByName('axio-nb:speech-playing').length > 0", timeout=CELL_TIMEOUT_MS
        )
        marks = nb.page.evaluate(MARKS)
        assert marks["first-chunk"] is not None and marks["chunk"] is not None, marks
        # Heard before the last chunk came, within 150 ms of the first (BENCHMARKS.md has the numbers).
        assert marks["playing"] < marks["chunk"], marks
        assert marks["playing"] - marks["first-chunk"] < 500, marks
        assert abs(_clip_seconds(nb, 1) - SECONDS) < 0.05
        out = nb.output_text(1)
        assert "Traceback" not in out and "Error displaying widget" not in out, out

        nb.save()
        nb.shutdown_kernel()
        nb.reload()
        assert abs(_clip_seconds(nb, 1) - SECONDS) < 0.05
        assert nb.page.get_by_text("Error displaying widget").count() == 0

    def test_speech_still_playing_after_the_swap_can_be_stopped(self, open_notebook: OpenNotebook) -> None:
        """The demo streams speech at twice real time: when the snapshot replaces the view, seconds of it are
        still to play. The snapshot offers "Stop speaking" for them, and it stops every player at once."""
        long_text = "This sentence is long enough that its speech outlasts the stream that carried it. " * 2
        nb = open_notebook("speech-stop", [SETUP, f"%%axio tts\n{long_text}"])
        nb.run_cells([0, 1])
        nb.wait_executed(1)
        stop = nb.outputs(1).locator(".axio-nb-stop-speaking")
        stop.wait_for(state="visible", timeout=CELL_TIMEOUT_MS)
        assert nb.page.evaluate("() => window[Symbol.for('axio_nb.speaking')].size") >= 1
        stop.click()
        nb.page.wait_for_function("() => window[Symbol.for('axio_nb.speaking')].size === 0", timeout=CELL_TIMEOUT_MS)
        assert stop.count() == 0
        assert nb.outputs(1).locator(f"{SNAPSHOT} audio").count() == 1
