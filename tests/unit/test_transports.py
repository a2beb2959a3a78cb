"""Transports by name: one the caller opened can stand in for a name, and the listing never shows a blank model."""

from __future__ import annotations

import pytest

import axio_nb
from axio_nb.errors import AxioNbError, TransportNotFound
from axio_nb.run.transports import Transports


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
