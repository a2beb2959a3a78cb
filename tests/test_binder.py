"""Binder, simulated: a fresh environment built from binder/ alone, as repo2docker builds it, runs every notebook.

What repo2docker does with this repository (docs/facts.md has no entry for it; the behaviour is repo2docker's,
restated here): once binder/ exists only its files count; `runtime.txt` picks the Python (`python-3.12`);
its base environment brings JupyterLab 4, Notebook 7 and ipywidgets 8; then it runs
`pip install -r binder/requirements.txt` from the repository root, so `.` is this repository. No Docker
engine or network to mybinder.org here: the test builds that environment as a virtualenv with the same
Python (found as the Makefile finds it, `.ci/find-python.sh`), from PyPI with pip's cache, and executes every
notebook in it with `jupyter nbconvert --execute` on the demo transport. docker/Dockerfile installs from the
same files, which the last test checks.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: repo2docker's base environment (its conda environment.py-3.12.yml pins these majors).
BASE = ["jupyterlab==4.*", "notebook==7.*", "ipywidgets==8.*"]
#: Files repo2docker reads from binder/; each one present must be one the Dockerfile uses.
CONFIG = {"runtime.txt", "requirements.txt", "apt.txt", "postBuild", "start", "environment.yml", "Dockerfile"}
NO_KEYS = ("OPENAI_API_KEY", "GEMINI_API_KEY", "ANTHROPIC_API_KEY", "GOOGLE_API_KEY")


def runtime_python() -> str:
    text = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(3\.\d+)", text)
    assert match, f"binder/runtime.txt must read python-X.Y (repo2docker refuses a patch version); got {text!r}"
    return match[1]


def find_python(version: str) -> str:
    out = subprocess.run(
        [str(ROOT / ".ci/find-python.sh")], capture_output=True, text=True, env={**os.environ, "PYTHON": ""}
    )
    path = out.stdout.strip()
    if out.returncode or not path:
        pytest.fail(f"no Python {version} for the Binder simulation: {out.stderr.strip()}")
    got = subprocess.run([path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True)
    if got.stdout.decode().strip() != version:
        pytest.fail(f"binder/runtime.txt asks for Python {version}; .ci/find-python.sh found {path} instead")
    return path


def run(cmd: list[str], **kwargs: object) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


def output_shape(cell: dict[str, object]) -> list[tuple[str, tuple[str, ...]]]:
    outputs = cell.get("outputs") or []
    assert isinstance(outputs, list)
    return [(o["output_type"], tuple(sorted(o.get("data", {})))) for o in outputs]


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_every_notebook_runs_in_an_environment_built_from_binder_alone(tmp_path: Path) -> None:
    started = time.monotonic()
    python = find_python(runtime_python())
    venv = tmp_path / "binder-env"
    run([python, "-m", "venv", str(venv)])
    pip = [str(venv / "bin/python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    run([*pip, *BASE])
    run([*pip, "-r", "binder/requirements.txt"], cwd=ROOT)  # from the repository root, as repo2docker does
    built = time.monotonic() - started

    out = tmp_path / "executed"
    env = {k: v for k, v in os.environ.items() if k not in NO_KEYS and not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env |= {"AXIO_NB_DISPLAY": "static", "AXIO_NB_TRANSPORT": "demo", "PATH": f"{venv / 'bin'}:{env['PATH']}"}
    run(
        [str(venv / "bin/jupyter"), "nbconvert", "--to", "notebook", "--execute", "--output-dir", str(out)]
        + [str(p) for p in NOTEBOOKS],
        env=env,
        cwd=tmp_path,
    )
    for saved in NOTEBOOKS:
        fresh = json.loads((out / saved.name).read_text())
        kept = json.loads(saved.read_text())
        assert len(fresh["cells"]) == len(kept["cells"])
        for i, (a, b) in enumerate(zip(fresh["cells"], kept["cells"], strict=True)):
            if a["cell_type"] != "code" or "nbval-ignore-output" in b["metadata"].get("tags", []):
                continue
            assert output_shape(a) == output_shape(b), f"{saved.name} cell {i}: outputs differ in the Binder build"
    print(f"binder simulation: environment {built:.0f} s, all {time.monotonic() - started:.0f} s", file=sys.stderr)


class TestImageRecipe:
    """docker/Dockerfile builds from exactly the binder/ files the simulation uses."""

    def test_the_dockerfile_installs_the_binder_files(self) -> None:
        dockerfile = (ROOT / "docker/Dockerfile").read_text()
        lines = [line for line in dockerfile.splitlines() if not line.lstrip().startswith("#")]
        text = "\n".join(lines)
        assert f"FROM python:{runtime_python()}-slim" in text, "the image's Python must be binder/runtime.txt's"
        assert "COPY binder ./binder" in text
        assert "pip install --no-cache-dir -r binder/requirements.txt" in text
        for pin in BASE:
            assert f'"{pin}"' in text, f"the image must bring what repo2docker's base does: {pin}"
        assert "jupyterhub" in text and 'CMD ["jupyterhub-singleuser"]' in text
        present = {p.name for p in BINDER.iterdir()} & CONFIG
        assert present == {"runtime.txt", "requirements.txt"}, (
            f"binder/ now has {sorted(present)}: make docker/Dockerfile use each (apt.txt → apt-get, "
            "postBuild → RUN), then update this test"
        )
        assert not (ROOT / ".binder").exists() and not (BINDER / "Dockerfile").exists(), (
            "repo2docker would use .binder/ or binder/Dockerfile instead of these files"
        )

    def test_the_requirements_install_this_repository(self) -> None:
        reqs = [
            line.strip()
            for line in (BINDER / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")
        ]
        assert reqs[0].startswith(".["), "the first requirement is this repository, from the root, not editable"


class TestBinderLink:
    """`make binder-link` turns the clone's GitHub `origin` into the README badge's link, and says what to do
    without one."""

    def link(self, tmp_path: Path, origin: str | None) -> subprocess.CompletedProcess[str]:
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
        if origin:
            subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin", origin], check=True)
        cmd = ["make", "-s", "-C", str(tmp_path), "-f", str(ROOT / "Makefile"), "binder-link"]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30)

    @pytest.mark.parametrize(
        "origin",
        [
            "git@github.com:alice/axio_nb.git",
            "https://github.com/alice/axio_nb",
            "ssh://git@github.com/alice/axio_nb.git",
        ],
    )
    def test_a_github_origin_gives_the_quickstart_link(self, tmp_path: Path, origin: str) -> None:
        got = self.link(tmp_path, origin)
        assert got.returncode == 0, got.stderr
        assert (
            got.stdout.strip()
            == "https://mybinder.org/v2/gh/alice/axio_nb/HEAD?urlpath=lab/tree/notebooks/01-quickstart.ipynb"
        )
        badge = re.search(r"https://mybinder\.org/v2/gh/OWNER/axio_nb/HEAD\?[^)\s]+", (ROOT / "README.md").read_text())
        assert badge and got.stdout.strip() == badge[0].replace("OWNER", "alice"), (
            "the README's badge and the target disagree"
        )

    @pytest.mark.parametrize("origin", [None, "https://gitlab.com/alice/axio_nb.git"])
    def test_no_github_origin_says_what_to_do(self, tmp_path: Path, origin: str | None) -> None:
        got = self.link(tmp_path, origin)
        assert got.returncode != 0 and got.stdout == ""
        assert "push this repository to GitHub, then run make binder-link again" in got.stderr, got.stderr
