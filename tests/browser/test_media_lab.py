"""Media turns in a real JupyterLab with Chromium: the grid's images load, players know their media, and it all
survives save and reload with no kernel.

The demo transport makes the media offline: Pillow-drawn PNGs, WAV sound, a small video.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import OpenNotebook
from .harness import CELL_TIMEOUT_MS, LIVE, SNAPSHOT, NotebookPage

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

SETUP = "%load_ext axio_nb\n%axio use demo pace=200 media_delay=1.5"
IMAGE_CELL = "%%axio image -n 4 --size 320x240 --out cats\na watercolor cat reading a paper"
AUDIO_CELL = "%%axio audio -n 2\nrain on a tin roof"
VIDEO_CELL = "%%axio video --duration 2 --aspect 16:9\nthe cat turns the page"

#: What the cell's media elements report once loaded.
MEDIA_JS = """(root) => Promise.all([...root.querySelectorAll("img, audio, video")].map((el) => {
    const ready = () => ({
        tag: el.tagName.toLowerCase(),
        width: el.naturalWidth ?? el.videoWidth ?? 0,
        videoWidth: el.videoWidth ?? 0,
        duration: Number.isFinite(el.duration) ? el.duration : null,
    });
    if (el.tagName === "IMG") return el.decode().then(ready, ready);
    if (el.readyState >= 1) return ready();
    return new Promise((resolve) => {
        el.addEventListener("loadedmetadata", () => resolve(ready()), { once: true });
        el.addEventListener("error", () => resolve(ready()), { once: true });
        el.load();
    });
}))"""


#: Each video's first frame as drawn by the player: whether it has a `poster` attribute, the frame's width,
#: and the mean of its pixels (0: black, nothing drawn). The snapshot embeds no poster: the player draws
#: the first frame from the video's own bytes (axio_nb/render/media.py).
FIRST_FRAME_JS = """(root) => Promise.all([...root.querySelectorAll("video")].map(async (v) => {
    if (v.readyState < 2) {
        await new Promise((resolve) => {
            v.addEventListener("loadeddata", resolve, { once: true });
            v.addEventListener("error", resolve, { once: true });
        });
    }
    const c = document.createElement("canvas");
    c.width = v.videoWidth || 1;
    c.height = v.videoHeight || 1;
    const x = c.getContext("2d");
    x.drawImage(v, 0, 0);
    const d = x.getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) sum += d[i] + d[i + 1] + d[i + 2];
    return { poster: v.hasAttribute("poster"), width: v.videoWidth, mean: sum / (d.length / 4) };
}))"""


def _first_frames(nb: NotebookPage, cell: int) -> list[dict[str, Any]]:
    root = nb.outputs(cell).locator(SNAPSHOT)
    root.wait_for(state="attached", timeout=CELL_TIMEOUT_MS)
    return list(root.evaluate(FIRST_FRAME_JS))


def _shows_its_first_frame(frames: list[dict[str, Any]]) -> bool:
    return len(frames) == 1 and not frames[0]["poster"] and frames[0]["width"] == 320 and frames[0]["mean"] > 30


def _media(nb: NotebookPage, cell: int, selector: str = SNAPSHOT) -> list[dict[str, Any]]:
    root = nb.outputs(cell).locator(selector)
    root.wait_for(state="attached", timeout=CELL_TIMEOUT_MS)
    return list(root.evaluate(MEDIA_JS))


@pytest.fixture(scope="module")
def media_nb(module_notebook: OpenNotebook) -> NotebookPage:
    nb = module_notebook("media", [SETUP, IMAGE_CELL, AUDIO_CELL, VIDEO_CELL, "print('done')"])
    nb.run_cells([0, 1])
    # Placeholders while the samples come (the demo takes a moment per image at this pace).
    nb.outputs(1).locator(f"{LIVE} .axio-nb-pending-tile").first.wait_for(state="attached", timeout=CELL_TIMEOUT_MS)
    nb.wait_executed(1)
    nb.run_cells([2, 3, 4])
    nb.wait_executed(4)
    return nb


class TestMediaLive:
    """Right after the turns: the snapshot grid's four images decode with their real size, the audio
    players know their duration, the video knows its frame size and duration."""

    def test_images_load(self, media_nb: NotebookPage) -> None:
        got = _media(media_nb, 1)
        assert [m["tag"] for m in got] == ["img"] * 4, got
        assert all(m["width"] == 320 for m in got), got

    def test_audio_reports_its_duration(self, media_nb: NotebookPage) -> None:
        got = _media(media_nb, 2)
        assert [m["tag"] for m in got] == ["audio", "audio"], got
        assert all(m["duration"] and m["duration"] > 0.5 for m in got), got

    def test_video_loads_metadata(self, media_nb: NotebookPage) -> None:
        got = _media(media_nb, 3)
        assert [m["tag"] for m in got] == ["video"], got
        assert got[0]["videoWidth"] > 0 and got[0]["duration"] and got[0]["duration"] > 1, got
        frames = _first_frames(media_nb, 3)
        assert _shows_its_first_frame(frames), f"the player draws its first frame, with no poster saved: {frames}"

    def test_cells_finish_cleanly(self, media_nb: NotebookPage) -> None:
        for cell in (1, 2, 3):
            out = media_nb.output_text(cell)
            assert "Traceback" not in out and "Error displaying widget" not in out, out
        assert "done" in media_nb.output_text(4)


class TestMediaAfterReload:
    def test_media_show_after_save_and_reload_without_kernel(self, media_nb: NotebookPage) -> None:
        nb = media_nb
        nb.save()
        nb.shutdown_kernel()
        assert nb.server.kernels() == []
        nb.reload()
        assert [m["width"] for m in _media(nb, 1)] == [320] * 4
        assert all(m["duration"] for m in _media(nb, 2))
        assert _media(nb, 3)[0]["videoWidth"] > 0
        assert _shows_its_first_frame(_first_frames(nb, 3))
        assert nb.page.get_by_text("Error displaying widget").count() == 0
