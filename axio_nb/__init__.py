"""axio_nb: stream axio agents live in Jupyter cells (magics, widgets, static snapshots)."""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any

from .errors import AxioNbError
from .run.result import ChatResult

if TYPE_CHECKING:
    from axio import StreamEvent

    from .run.present import Mode
    from .run.voice_session import VoiceSession

__version__ = "0.1.0"
__all__ = [
    "AxioNbError",
    "ChatResult",
    "__version__",
    "load_ipython_extension",
    "realtime",
    "register_transport",
    "show",
    "unload_ipython_extension",
]

_STATE: dict[str, Any] = {}


async def show(
    stream: AsyncIterator[StreamEvent],
    *,
    display: Mode | None = None,
    transport: str = "",
) -> ChatResult:
    """Render any axio event stream live in this cell and return its ChatResult.

    `stream` is any async iterator of axio StreamEvents: an `Agent.run_stream(...)`, a raw
    `transport.stream(...)`, or your own generator. The cell shows it as it streams and keeps a
    static snapshot afterwards. `display="static"` shows only the final snapshot.
    """
    from .run.present import default_mode
    from .run.turn import run_turn
    from .stream.transcript import Transcript

    if not hasattr(stream, "__anext__"):
        msg = (
            f"show() takes an async iterator of axio events (e.g. agent.run_stream(...)), not {type(stream).__name__}."
        )
        raise AxioNbError(msg)
    transcript = Transcript(transport=transport)
    return await run_turn(lambda: stream, transcript, mode=display or default_mode())


def register_transport(name: str, transport: Any) -> None:
    """Make `--transport NAME` (and `%axio use NAME`) use `transport`, one you opened yourself.

    For a transport that `%axio use NAME key=value` settings cannot make: e.g. a `ChatGPTTransport` built
    on an account session object. `name` must be an installed transport (`%axio transports`); later
    cells use the object as it is, and you close it. New settings for that name replace it.
    """
    if not _STATE:
        raise AxioNbError("Load the extension first: `%load_ext axio_nb`.")
    _STATE["chat"].transports.register(name, transport)


def realtime(
    agent_or_transport: Any = None,
    *,
    tools: Sequence[Any] = (),
    voice: str | None = None,
    system: str = "",
    push_to_talk: bool = False,
    keep_audio: bool = False,
) -> VoiceSession:
    """Start a realtime voice session in the background and return it; display it to get its controls.

    `agent_or_transport`: an axio `RealtimeAgent` (its system prompt, tools, voice and audio formats), a
    realtime transport instance (e.g. `OpenAIRealtimeTransport(...)`), or None for the one `%axio realtime`
    would pick (the demo offline). `tools` are axio Tools or `async def` functions, added to the agent's.
    `push_to_talk` turns server VAD off (where the transport has `server_vad`): audio goes only while Push to
    talk (or the space bar) is held, and release commits the turn. `keep_audio` keeps each answer's voice
    in the transcript and its snapshot. The returned `VoiceSession` has `send_text(text)`, `mute()`,
    `unmute()`, `end()`, `await wait()`, `.transcript` (turns) and `.stats`.
    """
    from .run.present import default_mode
    from .run.realtime import as_tools, launch, make_agent
    from .run.speech import open_speech
    from .run.transports import Transports

    extra = as_tools(tools)
    if agent_or_transport is not None and not hasattr(agent_or_transport, "connect"):
        msg = (
            "realtime() takes an axio RealtimeAgent or a realtime transport (something with `connect`), "
            f"not {type(agent_or_transport).__name__}; or nothing for the default (`%axio realtime` picks it)."
        )
        raise AxioNbError(msg)
    source = agent_or_transport

    async def agent() -> Any:
        if source is not None:
            return make_agent(source, system=system, tools=extra, voice=voice, push_to_talk=push_to_talk)
        transports = _STATE["chat"].transports if _STATE else Transports()
        options: dict[str, Any] = {"voice": voice}
        if push_to_talk:
            options["server_vad"] = False
        transport = await open_speech(transports, "realtime", None, options)
        return make_agent(transport, system=system, tools=extra, voice=voice)

    held = getattr(source, "transport", source)
    label = type(held).__name__ if source is not None else "realtime"
    return launch(
        agent, label=label, mode=default_mode(), push_to_talk=push_to_talk, keep_audio=keep_audio, secrets=held
    )


async def _maybe_await(value: Any) -> Any:
    """What the input transformer wraps magic calls in: await a coroutine, pass anything else."""
    return await value if inspect.isawaitable(value) else value


def _axio_loggers() -> set[str]:
    """Top-level logger names of axio and of every installed axio transport package."""
    from importlib.metadata import entry_points

    names = {"axio", "axio_responses", "axio_sse", "axio_context_sqlite"}
    for group in ("axio.transport", "axio.transport.realtime", "axio.transport.tts", "axio.transport.stt"):
        for ep in entry_points(group=group):
            names.add(ep.value.split(":")[0].split(".")[0])
    names.discard("axio_nb")
    return names


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext axio_nb`: register `%axio`/`%%axio` and the transformer that awaits them."""
    from .magics import AxioMagics, await_axio
    from .run.chat_runner import ChatRunner
    from .run.present import default_mode

    if _STATE:
        return
    chat = ChatRunner(default_mode)
    ipython.register_magics(AxioMagics(ipython, chat))
    ipython.input_transformers_post.append(await_axio)
    # axio and its transports log failures (with tracebacks, endpoint URLs and raw error bodies);
    # with no handler those reach the cell's stderr through logging.lastResort, beside the error the
    # transcript already shows. Each package logs under its own name, so each gets a NullHandler.
    handler = logging.NullHandler()
    loggers = _axio_loggers()
    for name in loggers:
        logging.getLogger(name).addHandler(handler)
    _STATE.update(chat=chat, transformer=await_axio, handler=handler, loggers=loggers)
    if default_mode() == "live":
        # The page fetches the view's code now, not when the first turn needs it (axio_nb/views/prefetch.py).
        from .views.prefetch import Prefetch

        _STATE["prefetch"] = Prefetch()


def unload_ipython_extension(ipython: Any) -> None:
    """`%unload_ext axio_nb`: remove the magics and the transformer, cancel background turns, close transports."""
    import asyncio

    from .run.loop import cancel_background

    if not _STATE:
        return
    cancel_background()
    magics = ipython.magics_manager.magics
    magics["line"].pop("axio", None)
    magics["cell"].pop("axio", None)
    if _STATE["transformer"] in ipython.input_transformers_post:
        ipython.input_transformers_post.remove(_STATE["transformer"])
    for name in _STATE["loggers"]:
        logging.getLogger(name).removeHandler(_STATE["handler"])
    chat = _STATE["chat"]
    try:
        asyncio.get_running_loop().create_task(chat.transports.aclose())
    except RuntimeError:
        pass
    chat.sessions.drop_all()
    if "prefetch" in _STATE:
        _STATE["prefetch"].close()
    _STATE.clear()
