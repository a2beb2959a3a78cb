"""The shared loader's kernel side: built front-end bundles served by name to the `boot.js` loader.

anywidget puts `_esm` into every widget's comm_open, so a widget ships only the ~2 KB loader as `_esm`
and the loader asks for the code it needs once per page (`{"type": "code?", "name": …}`); the kernel
answers with the JS and CSS as binary buffers. Protocol: widgets/PROTOCOL.md.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any, Final, cast

import traitlets

_STATIC = Path(__file__).parent.parent / "static"

#: The bundles a view may ask for. A request names one of these or gets nothing: the name comes from the
#: browser, and must never become a path of its own choosing.
BUNDLES: Final = frozenset({"stream", "katex", "recorder", "voice"})


@cache
def bundle(name: str) -> tuple[str, bytes, bytes]:
    """(hash, JS, CSS) of a built bundle in axio_nb/static/. Read once per kernel."""
    if name not in BUNDLES:
        msg = f"No front-end bundle named {name!r}. Known: {', '.join(sorted(BUNDLES))}."
        raise ValueError(msg)
    js = (_STATIC / f"{name}.js").read_bytes()
    css = (_STATIC / f"{name}.css").read_bytes()
    return hashlib.sha256(js + css).hexdigest()[:16], js, css


def hashes(*names: str) -> dict[str, str]:
    """`{name: hash}` for a widget's `_bundles` trait: the loader caches each bundle per page by both."""
    return {name: bundle(name)[0] for name in names}


#: Traits the page's widget model defaults to these same values (@jupyter-widgets/base: `WidgetModel`
#: and `DOMWidgetModel` defaults), so a comm_open need not carry them.
_PAGE_DEFAULTS: Final[dict[str, Any]] = {"_dom_classes": [], "_view_count": None, "tabbable": None, "tooltip": None}


class BundleLoader(traitlets.HasTraits):
    """Mixed into a widget whose `_esm` is boot.js: declares its bundles and answers `code?` for them.

    `_view` names the bundle whose module renders the widget; `_bundles` maps every bundle the view may
    load (the view's own, and e.g. `katex` once an answer holds math) to its hash.

    Its comm_open carries only what the page cannot default (bench/media.py counts every byte of it):
    - no `layout`: ipywidgets gives every DOMWidget a Layout model of its own, a second comm_open of
      ~1.7 KB per widget that these views never read (their CSS lays them out); the page's DOMWidgetView
      skips a missing layout;
    - no trait whose value is the page's own default (`_PAGE_DEFAULTS`).
    """

    _view = traitlets.Unicode("").tag(sync=True)
    _bundles = traitlets.Dict().tag(sync=True)
    layout = traitlets.Any(None, allow_none=True)

    def get_state(self, key: Any = None, drop_defaults: bool = False) -> dict[str, Any]:
        # ipywidgets' Widget.get_state (untyped); only the whole state (comm_open) is trimmed.
        state: dict[str, Any] = cast(Any, super()).get_state(key, drop_defaults)
        if key is None:
            for name, default in _PAGE_DEFAULTS.items():
                value = state.get(name, ...)
                if value == default or (isinstance(value, tuple) and list(value) == default):
                    del state[name]
        return state

    def close(self) -> None:
        """Close the widget and its Layout: ipywidgets closes only the widget itself, and JupyterLab's "Save
        Widget State Automatically" would keep every finished cell's Layout model in the saved notebook."""
        layout = getattr(self, "layout", None)
        cast(Any, super()).close()
        if layout is not None:
            layout.close()

    def answer_code_request(self, content: dict[str, Any]) -> bool:
        """Send the bundle a `code?` message names. False if the message is not a code request."""
        if content.get("type") != "code?":
            return False
        name = content.get("name")
        if isinstance(name, str) and name in BUNDLES and name in self._bundles:
            digest, js, css = bundle(name)
            # `send` is the widget's (anywidget's Widget.send, untyped), not this mixin's.
            cast(Any, self).send({"type": "code", "name": name, "hash": digest}, [js, css])
        return True
