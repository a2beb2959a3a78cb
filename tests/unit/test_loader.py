"""The shared loader's kernel side: bundles by name from an allow-list, never a path the browser chose."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from axio_nb.views.loader import BUNDLES, BundleLoader, bundle, hashes

STATIC = Path(__file__).resolve().parents[2] / "axio_nb" / "static"


class FakeWidget(BundleLoader):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sent: list[tuple[dict[str, Any], list[bytes]]] = []

    def send(self, content: dict[str, Any], buffers: list[bytes]) -> None:
        self.sent.append((content, buffers))


class TestBundle:
    """`bundle(name)` reads axio_nb/static/{name}.js/.css for listed names only."""

    @pytest.mark.parametrize("name", sorted(BUNDLES))
    def test_reads_the_built_files(self, name: str) -> None:
        digest, js, css = bundle(name)
        assert js == (STATIC / f"{name}.js").read_bytes() and css == (STATIC / f"{name}.css").read_bytes()
        assert len(digest) == 16 and hashes(name) == {name: digest}

    @pytest.mark.parametrize("name", ["boot", "../pyproject", "/etc/passwd", "stream.js", "", "STREAM"])
    def test_refuses_names_off_the_list(self, name: str) -> None:
        with pytest.raises(ValueError, match="No front-end bundle named"):
            bundle(name)

    def test_katex_is_its_own_bundle_not_inside_the_view(self) -> None:
        """KaTeX travels only when math appears: the stream view must not carry it."""
        _, stream_js, _ = bundle("stream")
        _, katex_js, katex_css = bundle("katex")
        assert len(stream_js) < 300_000 and b"KaTeX parse error" not in stream_js
        assert b"KaTeX parse error" in katex_js
        assert katex_css.count(b"font/woff2;base64,") == 20 and b".ttf" not in katex_css


class TestCodeRequests:
    """A `code?` message is answered with the named bundle the widget declares, and nothing else."""

    def test_answers_with_name_hash_and_buffers(self) -> None:
        widget = FakeWidget(_view="stream", _bundles=hashes("stream", "katex"))
        assert widget.answer_code_request({"type": "code?", "name": "katex"})
        ((content, buffers),) = widget.sent
        digest, js, css = bundle("katex")
        assert content == {"type": "code", "name": "katex", "hash": digest}
        assert buffers == [js, css]

    @pytest.mark.parametrize("name", ["../../etc/passwd", "boot", None, 3, "katex/../stream"])
    def test_sends_nothing_for_other_names(self, name: object) -> None:
        widget = FakeWidget(_view="stream", _bundles=hashes("stream"))
        assert widget.answer_code_request({"type": "code?", "name": name})
        assert widget.answer_code_request({"type": "code?", "name": "katex"})  # not declared by this widget
        assert widget.sent == []

    def test_leaves_other_messages_alone(self) -> None:
        widget = FakeWidget(_view="stream", _bundles=hashes("stream"))
        assert not widget.answer_code_request({"type": "hello", "seq": 0})
        assert widget.sent == []


class TestLeanCommOpen:
    """A widget's comm_open carries what the page cannot default, and no Layout model (bench/media.py)."""

    def test_state_has_no_layout_and_no_page_defaults(self) -> None:
        from axio_nb.stream.transcript import Transcript
        from axio_nb.views.stream import StreamView

        view = StreamView(Transcript())
        state = view.get_state()
        assert "layout" not in state and view.layout is None
        assert not {"_dom_classes", "_view_count", "tabbable", "tooltip"} & set(state)
        assert {"_view", "_bundles", "_esm", "_model_name", "_view_name", "_view_module"} <= set(state)
        assert view.get_state("tooltip") == {"tooltip": None}, "asked for by name, a trait is sent as it is"
        view.add_class("x")
        assert view.get_state()["_dom_classes"] == ("x",), "a value that is not the page's default is sent"
        view.close()

    def test_prefetch_declares_the_view_bundle_and_answers_for_it(self) -> None:
        from axio_nb.views.prefetch import Prefetch

        widget = Prefetch()
        assert widget._view == "" and widget._bundles == hashes("stream")
        sent: list[dict[str, Any]] = []
        widget.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
        widget._handle({"type": "code?", "name": "stream"})
        widget._handle({"type": "code?", "name": "katex"})
        assert sent == [{"type": "code", "name": "stream", "hash": hashes("stream")["stream"]}]
        widget.close()
