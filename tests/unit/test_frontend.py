"""Which front end runs the kernel, from the signals each one leaves (docs/facts.md#vs-code-and-colab)."""

from __future__ import annotations

from axio_nb.run.frontend import MIC_INSTEAD, VSCODE_MIC, detect, mic_notice

JUPYTER_ENV = {"JPY_SESSION_NAME": "/home/me/notebooks/01-quickstart.ipynb"}


class TestDetect:
    def test_colab_by_its_module(self) -> None:
        assert detect({}, {}, {"google.colab", "sys"}) == "colab"

    def test_vscode_by_the_notebook_path_it_injects(self) -> None:
        """`__vsc_ipynb_file__` wins even over a Jupyter Server session (VS Code starting a server's kernel)."""
        assert detect({"__vsc_ipynb_file__": "/w/a.ipynb"}, JUPYTER_ENV, set()) == "vscode"

    def test_jupyter_server_kernels(self) -> None:
        """JupyterLab, Notebook 7, a hub or Binder: the server names the session."""
        assert detect({}, JUPYTER_ENV, set()) == "jupyter"

    def test_a_server_started_from_vscodes_terminal_is_still_jupyter(self) -> None:
        """VSCODE_PID is inherited by anything started in VS Code's terminal, a browser's JupyterLab included."""
        assert detect({}, {**JUPYTER_ENV, "VSCODE_PID": "42"}, set()) == "jupyter"

    def test_vscode_env_without_a_jupyter_server(self) -> None:
        assert detect({}, {"VSCODE_PID": "42", "VSCODE_CWD": "/w"}, set()) == "vscode"

    def test_nothing_known(self) -> None:
        assert detect({}, {"PATH": "/bin"}, {"sys"}) == "unknown"

    def test_live_defaults_do_not_fail_outside_a_kernel(self) -> None:
        assert detect() in ("jupyter", "vscode", "colab", "unknown")


class TestMicNotice:
    def test_vscode_says_what_to_do_instead(self) -> None:
        stt, voice = mic_notice("stt", "vscode"), mic_notice("realtime", "vscode")
        assert stt is not None and stt.startswith(VSCODE_MIC) and "`%axio stt recording.wav`" in stt
        assert voice is not None and voice.startswith(VSCODE_MIC) and MIC_INSTEAD["realtime"] in voice
        for line in (stt, voice):
            assert "\n" not in line and len(line) < 200

    def test_nothing_to_say_elsewhere(self) -> None:
        for frontend in ("jupyter", "colab", "unknown"):
            assert mic_notice("stt", frontend) is None  # type: ignore[arg-type]
