"""Transports by name (axio's discover_transports), their credentials, and the one aiohttp session."""

from __future__ import annotations

import copy
import dataclasses
import os
import re
from contextlib import AsyncExitStack
from dataclasses import dataclass, replace
from typing import Any

from axio.models import Capability, ModelSpec
from axio.transport import TransportCatalog, TransportEntry, discover_transports

from ..errors import MissingCredentials, TransportNotFound

DEMO = "demo"
#: A setting is refused as a secret when its name ends in one of these (`api_key`, `access_token`) or holds
#: one of the others anywhere; `first_token_delay` (the demo's) or `max_tokens` name no secret.
_SECRET_ENDINGS = ("key", "token", "auth", "authorization")
_SECRET_WORDS = ("secret", "password", "credential", "apikey", "api_key")


def is_secret_setting(key: str) -> bool:
    low = key.lower()
    return low.endswith(_SECRET_ENDINGS) or any(word in low for word in _SECRET_WORDS)


_SECRET_FIELD_WORDS = ("key", "token", "secret", "password", "credential")
_SECRET_QUERY = re.compile(r"([?&](?:key|api_key|apikey|token|access_token)=)[^&\s'\"]+", re.IGNORECASE)


def redact(message: str, holder: Any = None) -> str:
    """`message` with no credential in it: a `key=`/`token=` query value, and the value of any string field of
    `holder` (a transport) named like a secret. Gemini Live sends its key in the websocket URL's query, and
    aiohttp names that URL in the error of a refused handshake."""
    if dataclasses.is_dataclass(holder):
        fields = {f.name: getattr(holder, f.name, None) for f in dataclasses.fields(holder)}
    else:
        fields = dict(getattr(holder, "__dict__", {}))
    for name, value in fields.items():
        if isinstance(value, str) and len(value) >= 4 and any(word in name.lower() for word in _SECRET_FIELD_WORDS):
            message = message.replace(value, "…")
    return _SECRET_QUERY.sub(r"\1…", message)


@dataclass(frozen=True, slots=True)
class TransportInfo:
    name: str
    display_name: str
    env_vars: tuple[str, ...]
    has_credentials: bool
    default_model: str


class Transports:
    """Opens transports on the kernel's loop and keeps them, with one shared HTTP session, until unload."""

    def __init__(self) -> None:
        self._catalog: TransportCatalog | None = None
        self._open: dict[str, Any] = {}
        self._stack = AsyncExitStack()
        self._http: Any = None
        self.default_name: str | None = None
        self.default_model: str | None = None
        self.settings: dict[str, dict[str, Any]] = {}

    def set_settings(self, name: str, settings: dict[str, Any]) -> None:
        """Constructor settings for `name` (as axio's TUI stores them); it is reopened with them next time."""
        secret = [key for key in settings if is_secret_setting(key)]
        if secret:
            env = " / ".join(self.entry(name).env_vars) or "the environment"
            msg = f"`{secret[0]}=` would put a secret into the notebook: set {env} in the environment instead."
            raise ValueError(msg)
        self.settings[name] = settings
        self._open.pop(name, None)

    def register(self, name: str, transport: Any) -> None:
        """Use `transport`, opened by the caller, for `name` from now on: for one that settings cannot make
        (a ChatGPT account session is an object, not a setting). The caller closes it; new settings for
        `name` (`set_settings`) replace it with one opened from them."""
        self.entry(name)
        self._open[name] = transport

    @property
    def catalog(self) -> TransportCatalog:
        if self._catalog is None:
            self._catalog = discover_transports()
        return self._catalog

    def entry(self, name: str) -> TransportEntry:
        if name in self.catalog.errors:
            msg = f"Transport `{name}` is installed but failed to load: {self.catalog.errors[name]}. Reinstall it."
            raise TransportNotFound(msg)
        if name not in self.catalog.entries:
            known = ", ".join(sorted(self.catalog.entries)) or "none"
            msg = (
                f"No transport named `{name}`. Installed: {known}. "
                "Run `%axio transports` to see which have credentials."
            )
            raise TransportNotFound(msg)
        return self.catalog.entries[name]

    def listing(self) -> list[TransportInfo]:
        rows = []
        for name, entry in sorted(self.catalog.entries.items()):
            model = getattr(getattr(entry.cls, "model", None), "id", None) or _default_model(entry)
            rows.append(TransportInfo(name, entry.display_name, entry.env_vars, entry.has_credentials(), model))
        return rows

    def pick(self, name: str | None) -> str:
        """The transport to use: the one named, else `%axio use`, else $AXIO_NB_TRANSPORT, else one with a key."""
        if name:
            return name
        if self.default_name:
            return self.default_name
        env = os.environ.get("AXIO_NB_TRANSPORT")
        if env:
            return env
        for entry_name, entry in self.catalog.entries.items():
            if entry_name != DEMO and entry.auto_select and entry.has_credentials():
                return entry_name
        return DEMO

    async def open(self, name: str) -> Any:
        """The open transport called `name`, opened on first use on the running loop."""
        if name in self._open:
            return self._open[name]
        entry = self.entry(name)
        if not entry.has_credentials():
            raise MissingCredentials(_missing_key_message(entry))
        settings = self.settings.get(name, {})
        opener = entry.open(session=await self._session(name), **settings)
        try:
            transport = await self._stack.enter_async_context(opener)
        except TypeError as exc:
            msg = (
                f"Transport `{name}` rejected its settings {sorted(settings)}: {exc}. Fix them: `%axio use {name} …`."
            )
            raise TransportNotFound(msg) from exc
        self._open[name] = transport
        return transport

    def configure(
        self, name: str, transport: Any, *, model: str | None, max_tokens: int | None, temperature: float | None
    ) -> Any:
        """A copy of `transport` with the model, output limit and temperature asked for."""
        entry = self.entry(name)
        if model is not None:
            transport = entry.select_model(transport, model_spec(transport, model))
        if max_tokens is not None:
            spec = replace(transport.model, max_output_tokens=max_tokens)
            transport = entry.select_model(transport, spec)
        if temperature is not None:
            transport = _with_temperature(name, transport, temperature)
        return transport

    async def http_session(self) -> Any:
        """The kernel's one aiohttp session (made on first use), for the speech classes made outside `open`."""
        return await self._session("")

    async def _session(self, name: str) -> Any:
        if name == DEMO:
            return None
        if self._http is None:
            import aiohttp

            self._http = aiohttp.ClientSession()
        return self._http

    async def aclose(self) -> None:
        await self._stack.aclose()
        self._stack = AsyncExitStack()
        self._open.clear()
        if self._http is not None:
            await self._http.close()
            self._http = None


def _default_model(entry: TransportEntry) -> str:
    try:
        field = entry.cls.__dataclass_fields__["model"]
        # A transport that learns its models when opened (antigravity) has a placeholder with no id.
        return str(field.default_factory().id) or "?"
    except (AttributeError, KeyError, TypeError):
        return "?"


def model_spec(transport: Any, model_id: str) -> ModelSpec:
    models = getattr(transport, "models", None)
    if models is not None and model_id in models:
        spec: ModelSpec = models[model_id]
        return spec
    # A compatible server (vLLM, a proxy) serves models no registry lists: take the id as given.
    caps = getattr(getattr(transport, "model", None), "capabilities", frozenset({Capability.text}))
    return ModelSpec(model_id, frozenset(caps))


def _with_temperature(name: str, transport: Any, temperature: float) -> Any:
    if hasattr(transport, "temperature"):
        clone = copy.copy(transport)
        clone.temperature = temperature
        return clone
    if hasattr(transport, "extra_params"):
        clone = copy.copy(transport)
        clone.extra_params = {**dict(transport.extra_params), "temperature": temperature}
        return clone
    msg = f"Transport `{name}` takes no temperature; leave out --temperature."
    raise ValueError(msg)


def _missing_key_message(entry: TransportEntry) -> str:
    if entry.env_vars:
        var = entry.env_vars[0]
        others = f" (or {', '.join(entry.env_vars[1:])})" if len(entry.env_vars) > 1 else ""
        return f"{var}{others} is not set; `%env {var}=…` or use `--transport demo`."
    return f"Transport `{entry.name}` has no saved account; sign in with the axio CLI, or use `--transport demo`."
