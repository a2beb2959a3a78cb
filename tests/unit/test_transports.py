"""Transports by name: one the caller opened stands in for a name; the listing never shows a blank model;
`%%axio embed --model` reaches the transport."""

from __future__ import annotations

import pytest
from axio.models import ModelSpec

import axio_nb
from axio_nb.errors import AxioNbError, TransportNotFound
from axio_nb.run.embed_runner import run_embed
from axio_nb.run.transports import Transports, redact


class Opened:
    """A transport some other code opened (e.g. on an account session no setting can describe)."""

    async def generate_images(self, prompt: str, *, model: str | None = None, n: int = 1) -> list[bytes]:
        return []


class TestRegister:
    async def test_open_returns_the_registered_object_without_asking_for_credentials(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("OPENAI_API_KEY", raising=False)
        transports = Transports()
        opened = Opened()
        transports.register("openai", opened)
        assert await transports.open("openai") is opened
        await transports.aclose()

    def test_an_unknown_name_is_refused(self) -> None:
        with pytest.raises(TransportNotFound, match="No transport named `nosuch`"):
            Transports().register("nosuch", Opened())

    async def test_new_settings_replace_it(self) -> None:
        transports = Transports()
        opened = Opened()
        transports.register("demo", opened)
        transports.set_settings("demo", {"pace": 0})
        assert await transports.open("demo") is not opened
        await transports.aclose()

    def test_the_public_function_needs_the_extension(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(axio_nb, "_STATE", {})
        with pytest.raises(AxioNbError, match="load_ext axio_nb"):
            axio_nb.register_transport("demo", Opened())


class TestListing:
    def test_every_row_names_a_default_model(self) -> None:
        """A transport that learns its models only when opened shows `?`, not a blank column."""
        rows = Transports().listing()
        assert rows and all(row.default_model for row in rows), [(r.name, r.default_model) for r in rows]


class Embedder:
    """An embedding transport that, like axio's OpenAI one, sends its own model's id."""

    def __init__(self) -> None:
        self.model = ModelSpec("chat-model")
        self.sent: list[str] = []

    async def embed(self, texts: list[str]) -> list[list[float]]:
        self.sent.append(self.model.id)
        return [[1.0, float(i)] for i, _ in enumerate(texts)]


class TestEmbedModel:
    async def test_model_is_set_on_a_copy(self) -> None:
        transports = Transports()
        embedder = Embedder()
        transports.register("openai", embedder)
        result = await run_embed(transports, "openai", ["a", "b"], model="text-embedding-3-small")
        assert embedder.sent == ["text-embedding-3-small"] and len(result) == 2
        assert embedder.model.id == "chat-model", "the open transport keeps its model for chat"

    async def test_without_model_the_transport_decides(self) -> None:
        transports = Transports()
        embedder = Embedder()
        transports.register("openai", embedder)
        await run_embed(transports, "openai", ["a"])
        assert embedder.sent == ["chat-model"]


class TestSecretSettings:
    """`%axio use` refuses settings that name a secret, and only those: the README's demo settings pass."""

    @pytest.mark.parametrize(
        "key", ["api_key", "apiKey", "OPENAI_API_KEY", "token", "access_token", "client_secret", "password", "auth"]
    )
    def test_a_secret_is_refused(self, key: str) -> None:
        with pytest.raises(ValueError, match=f"`{key}=` would put a secret into the notebook"):
            Transports().set_settings("openai", {key: "x"})

    @pytest.mark.parametrize("key", ["first_token_delay", "pace", "chunk", "base_url", "max_tokens", "media_delay"])
    def test_an_ordinary_setting_is_kept(self, key: str) -> None:
        transports = Transports()
        transports.set_settings("demo", {key: 1})
        assert transports.settings["demo"] == {key: 1}


class TestRedact:
    """An error shown in a cell never carries a key: neither a transport's secret fields nor a `key=` query."""

    def test_a_refused_gemini_live_handshake_loses_its_key(self) -> None:
        from axio_transport_google.realtime import GeminiLiveTransport

        transport = GeminiLiveTransport(api_key="gm-secret-123", base_url="ws://127.0.0.1:9/live")
        message = "403, message='Invalid response status', url='ws://127.0.0.1:9/live?key=gm-secret-123'"
        shown = redact(message, transport)
        assert "gm-secret-123" not in shown
        assert shown == "403, message='Invalid response status', url='ws://127.0.0.1:9/live?key=…'"

    def test_a_secret_field_is_removed_wherever_it_appears(self) -> None:
        class Holder:
            def __init__(self) -> None:
                self.access_token = "tok-abcdef"
                self.model = "m"

        assert redact("bearer tok-abcdef failed for m", Holder()) == "bearer … failed for m"
        assert redact("GET /x?a=1&token=zzz&b=2") == "GET /x?a=1&token=…&b=2"
