"""`%%axio chat` as a Python call: options → agent → turn. The magic only parses."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from axio import Agent, Tool
from axio.transport import select_transport_model

from ..errors import AxioNbError
from ..stream.blocks import Usage
from ..stream.transcript import Transcript
from .loop import in_background
from .present import Mode
from .prompt import interpolate
from .result import ChatResult
from .sessions import DEFAULT_SESSION, Sessions
from .transports import Transports, model_spec
from .turn import run_turn


@dataclass(frozen=True, slots=True)
class ChatOptions:
    transport: str | None = None
    model: str | None = None
    system: str | None = None
    agent: str | None = None
    tools: tuple[str, ...] = ()
    session: str = DEFAULT_SESSION
    new: bool = False
    out: str | None = None
    background: bool = False
    interpolate: bool = True
    max_tokens: int | None = None
    temperature: float | None = None
    display: Mode | None = None


DEFAULT_SYSTEM = "You are a helpful assistant working inside a Jupyter notebook. Answer in Markdown."


class ChatRunner:
    """Owns the kernel's transports and sessions; one instance per loaded extension."""

    def __init__(self, default_mode: Callable[[], Mode]) -> None:
        self.transports = Transports()
        self.sessions = Sessions()
        self._default_mode = default_mode

    def default_mode(self) -> Mode:
        """live or static, for a turn that names neither (the media runner asks too)."""
        return self._default_mode()

    def prepare(
        self, opts: ChatOptions, cell: str, namespace: Mapping[str, Any]
    ) -> tuple[str, Agent | None, list[Tool[Any]]]:
        """Everything that can fail on the user's input, checked before anything is shown."""
        prompt = interpolate(cell, namespace) if opts.interpolate else cell
        if not prompt.strip():
            msg = "The cell has no prompt: write the question below the `%%axio chat` line."
            raise AxioNbError(msg)
        agent = _lookup(namespace, opts.agent, Agent, "--agent", "an axio Agent") if opts.agent else None
        tools = [_as_tool(name, _tool_source(namespace, name)) for name in opts.tools]
        if opts.transport is not None:
            self.transports.entry(opts.transport)
        return prompt.strip(), agent, tools

    async def run(
        self,
        opts: ChatOptions,
        prompt: str,
        agent: Agent | None,
        tools: list[Tool[Any]],
        bind: Callable[[ChatResult], None] | None = None,
    ) -> ChatResult:
        """Run one turn. `bind` gets the result before the turn starts: it fills in as the turn streams."""
        transport_name = self.transports.pick(opts.transport)
        agent = await self._agent(opts, agent, tools, transport_name)
        entry = self.transports.entry(transport_name) if (opts.agent is None or opts.transport) else None
        transcript = Transcript(
            transport=transport_name if entry else type(agent.transport).__name__,
            format_error=entry.format_error if entry else str,
        )
        session = self.sessions.get(opts.session)
        model = getattr(agent.transport, "model", None)
        if model is not None:
            transcript.meta["requested_model"] = model.id
            transcript.pricing = _cost(model)
        result = ChatResult(transcript, session.name)
        if bind is not None:
            bind(result)
        mode = opts.display or self._default_mode()
        turn = run_turn(
            lambda: agent.run_stream(prompt, session.context),
            transcript,
            mode=mode,
            session=session,
            result=result,
            fresh=opts.new,
        )
        if opts.background:
            in_background(turn)
            return result
        return await turn

    async def _agent(self, opts: ChatOptions, agent: Agent | None, tools: list[Tool[Any]], name: str) -> Agent:
        if agent is not None and opts.transport is None:
            transport = agent.transport
            if opts.model is not None:
                transport = select_transport_model(transport, model_spec(transport, opts.model))
            if opts.max_tokens is not None or opts.temperature is not None:
                msg = "--max-tokens and --temperature with --agent need --transport too (they configure a transport)."
                raise AxioNbError(msg)
        else:
            opened = await self.transports.open(name)
            try:
                transport = self.transports.configure(
                    name,
                    opened,
                    model=opts.model or (self.transports.default_model if not opts.transport else None),
                    max_tokens=opts.max_tokens,
                    temperature=opts.temperature,
                )
            except ValueError as exc:
                raise AxioNbError(str(exc)) from exc
        if agent is None:
            return Agent(system=opts.system or DEFAULT_SYSTEM, transport=transport, tools=tools)
        overrides: dict[str, Any] = {"transport": transport}
        if opts.system is not None:
            overrides["system"] = opts.system
        if tools:
            overrides["tools"] = [*agent.tools, *tools]
        return agent.copy(**overrides)


def _lookup(namespace: Mapping[str, Any], name: str, kind: type, flag: str, what: str) -> Any:
    if name not in namespace:
        msg = f"{flag} {name}: no variable `{name}` in the notebook. Define it first ({what})."
        raise AxioNbError(msg)
    value = namespace[name]
    if not isinstance(value, kind):
        msg = f"{flag} {name}: `{name}` is a {type(value).__name__}, not {what}."
        raise AxioNbError(msg)
    return value


def _tool_source(namespace: Mapping[str, Any], name: str) -> Any:
    """A tool by name: a notebook variable, else one a package registers under the `axio.tools` entry points
    (axio-transport-google registers `generate_image` and `generate_video` there)."""
    if name in namespace:
        return namespace[name]
    from importlib.metadata import entry_points

    for ep in entry_points(group="axio.tools", name=name):
        try:
            return ep.load()
        except Exception as exc:
            msg = f"--tools {name}: the `axio.tools` entry point `{ep.value}` failed to load ({type(exc).__name__})."
            raise AxioNbError(msg) from None
    registered = sorted(ep.name for ep in entry_points(group="axio.tools"))
    known = f" Packages register: {', '.join(registered)}." if registered else ""
    msg = f"--tools {name}: no variable `{name}` in the notebook and no `axio.tools` entry point of that name.{known}"
    raise AxioNbError(msg)


def _as_tool(name: str, value: Any) -> Tool[Any]:
    if isinstance(value, Tool):
        return value
    if inspect.iscoroutinefunction(value):
        return Tool(name=value.__name__, handler=value)
    msg = f"--tools {name}: `{name}` is a {type(value).__name__}; pass an axio Tool or an `async def` function."
    raise AxioNbError(msg)


def _cost(model: Any) -> Callable[[Usage], float | None]:
    """USD for a usage, from the ModelSpec's prices (per million tokens); None when it has none."""
    input_cost = float(getattr(model, "input_cost", 0.0) or 0.0)
    output_cost = float(getattr(model, "output_cost", 0.0) or 0.0)

    def cost(usage: Usage) -> float | None:
        if not input_cost and not output_cost:
            return None
        return (usage["input"] * input_cost + usage["output"] * output_cost) / 1_000_000

    return cost
