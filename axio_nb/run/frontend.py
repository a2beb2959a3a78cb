"""Which front end shows this kernel's outputs, as far as the kernel can tell, and what it blocks there.

The signals and their sources are in docs/facts.md#vs-code-and-colab. Colab imports `google.colab` into
every kernel; VS Code's Jupyter extension puts `__vsc_ipynb_file__` into the namespace of the kernels it
starts (not of remote ones it connects to); Jupyter Server sets `JPY_SESSION_NAME` for the kernels it
starts (JupyterLab, Notebook 7, JupyterHub, Binder), which wins over a `VSCODE_*` variable a server started
from VS Code's terminal inherits. A wrong guess costs a hint, never a feature: widgets still open, and
the browser itself reports a blocked microphone (widgets/src/lib/audio/capture.js).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Container, Mapping
from typing import Any, Literal

type Frontend = Literal["jupyter", "vscode", "colab", "unknown"]
type MicUse = Literal["stt", "realtime"]

#: Said above the microphone widgets in VS Code, whose notebook webviews are denied the microphone.
VSCODE_MIC = "VS Code notebooks cannot use the microphone (microsoft/vscode#119127)"
MIC_INSTEAD: dict[MicUse, str] = {
    "stt": "pass a recording instead: `%axio stt recording.wav`, or open the notebook in JupyterLab.",
    "realtime": "type your turns in the box below, or open the notebook in JupyterLab to talk.",
}


def detect(
    user_ns: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    modules: Container[str] | None = None,
) -> Frontend:
    """The front end of the running kernel; the arguments default to the live namespace, environment and
    imported modules (tests pass their own)."""
    modules = sys.modules if modules is None else modules
    environ = os.environ if environ is None else environ
    if user_ns is None:
        from IPython import get_ipython

        shell = get_ipython()
        user_ns = shell.user_ns if shell is not None else {}
    if "google.colab" in modules:
        return "colab"
    if "__vsc_ipynb_file__" in user_ns:
        return "vscode"
    if "JPY_SESSION_NAME" in environ:
        return "jupyter"
    if any(name.startswith("VSCODE_") for name in environ):
        return "vscode"
    return "unknown"


def mic_notice(use: MicUse, frontend: Frontend | None = None) -> str | None:
    """The one line to show above a microphone widget where the front end blocks the microphone, else None."""
    if (frontend or detect()) == "vscode":
        return f"{VSCODE_MIC}: {MIC_INSTEAD[use]}"
    return None


def show_mic_notice(use: MicUse) -> None:
    """Display `mic_notice` as the cell's own output line, where there is one."""
    notice = mic_notice(use)
    if notice is not None:
        from IPython.display import display

        display({"text/plain": notice}, raw=True)  # type: ignore[no-untyped-call]
