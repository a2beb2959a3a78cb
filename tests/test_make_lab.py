"""`make lab`, the README's main command, serves JupyterLab on 127.0.0.1 with the notebooks listed."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TestMakeLab:
    def test_serves_jupyterlab_with_the_quickstart(self) -> None:
        """The main job starts from the README's words alone and lists notebooks/01-quickstart.ipynb."""
        port, token = free_port(), secrets.token_hex(8)
        env = {**os.environ, "JUPYTER_TOKEN": token}
        proc = subprocess.Popen(
            ["make", "lab", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            listing = None
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and listing is None:
                try:
                    url = f"http://127.0.0.1:{port}/api/contents?token={token}"
                    with urllib.request.urlopen(url, timeout=2) as response:
                        listing = json.load(response)
                except OSError:
                    time.sleep(0.5)
            assert listing is not None, "JupyterLab did not answer on 127.0.0.1"
            names = [item["name"] for item in listing["content"]]
            assert "01-quickstart.ipynb" in names
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=5) as response:
                assert response.status == 200 and b"JupyterLab" in response.read()
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
