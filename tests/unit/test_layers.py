"""The layers of axio_nb, as the tree shows them, and what each may import."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "axio_nb"

#: Jupyter-side packages: the pure layers must run (and be tested) without any of them.
JUPYTER = ("IPython", "ipykernel", "anywidget", "ipywidgets", "traitlets", "jupyter_client", "zmq", "comm")

#: Which axio_nb layers each layer may import (besides itself, `errors` and the package root's metadata).
ALLOWED = {
    "stream": {"media"},
    "media": set(),
    "render": {"stream", "media"},
    "views": {"stream", "render"},
    "run": {"stream", "render", "media", "views"},
    "magics": {"run"},
    "demo": set(),
}


def _internal_imports(path: Path) -> set[str]:
    """The axio_nb layers a module imports (relative or absolute), by their top-level name."""
    tree = ast.parse(path.read_text())
    rel = path.relative_to(PACKAGE.parent).with_suffix("").parts  # ("axio_nb", "stream", "wire")
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(rel[: len(rel) - node.level])
                target = [*base, *(node.module.split(".") if node.module else [])]
                names = [target] if node.module else [[*target, a.name] for a in node.names]
            elif node.module and node.module.split(".")[0] == "axio_nb":
                names = [node.module.split(".")]
            else:
                continue
            for parts in names:
                if len(parts) > 1:
                    found.add(parts[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "axio_nb" and len(parts) > 1:
                    found.add(parts[1])
    return found


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).glob("*.py"))


class TestLayers:
    @pytest.mark.parametrize("layer", sorted(ALLOWED))
    def test_layer_imports_only_the_layers_below_it(self, layer: str) -> None:
        """A module's path says what it may import: stream and media import no other layer, views no runner."""
        modules = _modules(layer)
        assert modules, f"axio_nb/{layer}/ has no modules"
        allowed = ALLOWED[layer] | {layer, "errors"}
        for module in modules:
            stray = {name for name in _internal_imports(module) if name not in allowed}
            assert not stray, f"{module.relative_to(PACKAGE)} imports axio_nb.{sorted(stray)}"

    @pytest.mark.parametrize("layer", ["stream", "render", "media"])
    def test_pure_layers_load_no_jupyter_package(self, layer: str) -> None:
        """The fold, the wire and the snapshot import, directly or not, nothing of IPython or the widget stack."""
        modules = [f"axio_nb.{layer}.{m.stem}" for m in _modules(layer) if m.stem != "__init__"]
        code = (
            "import importlib, json, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            f"print(json.dumps(sorted({{n.split('.')[0] for n in sys.modules}} & set({list(JUPYTER)!r}))))"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert json.loads(out) == [], f"axio_nb.{layer} pulls in {out.strip()}"

    def test_every_module_sits_in_a_layer(self) -> None:
        """No flat module grows back beside the layers: the root holds only the API and the errors."""
        flat = sorted(p.name for p in PACKAGE.glob("*.py"))
        assert flat == ["__init__.py", "errors.py"]
        layers = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
        assert layers == sorted(ALLOWED)
