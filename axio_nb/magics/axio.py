"""`%axio` and `%%axio`: parse with magic_arguments, hand the work to `run.chat_runner`, UsageError on bad input."""

from __future__ import annotations

import ast
from collections.abc import Callable, Coroutine
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.utils._process_common import arg_split

from ..errors import AxioNbError
from ..run.chat_runner import ChatOptions, ChatRunner
from ..run.embed_runner import run_embed, texts_from
from ..run.media_runner import MediaJob, MediaOptions, MediaRunner
from ..run.prompt import interpolate
from ..run.protocols import PROTOCOL_METHODS, protocol_table
from ..run.realtime import RealtimeOptions, resolve_tools, start_realtime
from ..run.sessions import readable
from ..run.speech import SpeechOptions, SttOptions, audio_input, record_in_browser, run_stt, run_tts
from .flags import (
    HELP,
    chat_args,
    embed_args,
    media_args,
    realtime_args,
    session_args,
    stt_args,
    tts_args,
    use_args,
)


@magics_class
class AxioMagics(Magics):
    def __init__(self, shell: Any, chat: ChatRunner) -> None:
        super().__init__(shell)
        self.chat = chat
        self.media = MediaRunner(chat.transports, chat.default_mode)

    @line_cell_magic
    def axio(self, line: str, cell: str | None = None) -> Coroutine[Any, Any, None] | None:
        words = arg_split(line, posix=True)
        if not words:
            raise UsageError(
                "Say what to do: `%%axio chat` (cell) or `%axio transports|use|sessions|history|reset`. See `%axio?`."
            )
        command, rest = words[0], words[1:]
        handler = self._commands().get(command)
        if handler is None:
            raise UsageError(f"Unknown command `{command}`. Use one of: {', '.join(self._commands())}. See `%axio?`.")
        try:
            result: Coroutine[Any, Any, None] | None = handler(rest, cell)
            return result
        except AxioNbError as exc:
            raise UsageError(str(exc)) from None

    @property
    def _namespace(self) -> dict[str, Any]:
        assert self.shell is not None
        ns: dict[str, Any] = self.shell.user_ns
        return ns

    def _commands(self) -> dict[str, Callable[[list[str], str | None], Any]]:
        return {
            "chat": self._chat,
            "image": self._media("image"),
            "edit": self._media("edit"),
            "video": self._media("video"),
            "audio": self._media("audio"),
            "embed": self._embed,
            "tts": self._tts,
            "stt": self._stt,
            "realtime": self._realtime,
            "transports": self._transports,
            "use": self._use,
            "sessions": self._sessions,
            "history": self._history,
            "reset": self._reset,
        }

    def _chat(self, args: list[str], cell: str | None) -> Coroutine[Any, Any, None]:
        if cell is None:
            raise UsageError("`chat` is a cell magic: put `%%axio chat` on the first line and the prompt below it.")
        parsed = chat_args.parser.parse_args(args)
        opts = ChatOptions(
            transport=parsed.transport,
            model=parsed.model,
            system=parsed.system,
            agent=parsed.agent,
            tools=tuple(t.strip() for t in (parsed.tools or "").split(",") if t.strip()),
            session=parsed.session,
            new=parsed.new,
            out=parsed.out,
            background=parsed.background,
            interpolate=not parsed.no_interpolate,
            max_tokens=parsed.max_tokens,
            temperature=parsed.temperature,
            display=parsed.display,
        )
        if opts.out is not None and not opts.out.isidentifier():
            raise UsageError(f"--out {opts.out}: not a valid variable name.")
        prompt, agent, tools = self.chat.prepare(opts, cell, self._namespace)
        return self._run_chat(opts, prompt, agent, tools)

    async def _run_chat(self, opts: ChatOptions, prompt: str, agent: Any, tools: list[Any]) -> None:
        def bind(result: Any) -> None:
            if opts.out is not None:
                self._namespace[opts.out] = result

        try:
            await self.chat.run(opts, prompt, agent, tools, bind)
        except AxioNbError as exc:
            raise UsageError(str(exc)) from None

    def _media(self, command: str) -> Callable[[list[str], str | None], Coroutine[Any, Any, None]]:
        def handler(args: list[str], cell: str | None) -> Coroutine[Any, Any, None]:
            if cell is None:
                raise UsageError(
                    f"`{command}` is a cell magic: put `%%axio {command}` on the first line, the prompt below."
                )
            parsed = media_args.parser.parse_args(args)
            opts = MediaOptions(
                command=command,
                transport=parsed.transport,
                model=parsed.model,
                n=parsed.n,
                size=parsed.size,
                image=parsed.image,
                mask=parsed.mask,
                duration=parsed.duration,
                aspect=parsed.aspect,
                out=parsed.out,
                save=parsed.save,
                display=parsed.display,
                interpolate=not parsed.no_interpolate,
            )
            if opts.out is not None and not opts.out.isidentifier():
                raise UsageError(f"--out {opts.out}: not a valid variable name.")
            job = self.media.prepare(opts, cell, self._namespace)
            return self._run_media(opts, job)

        return handler

    async def _run_media(self, opts: MediaOptions, job: MediaJob) -> None:
        def bind(result: Any) -> None:
            if opts.out is not None:
                self._namespace[opts.out] = result

        try:
            await self.media.run(opts, job, bind)
        except AxioNbError as exc:
            raise UsageError(str(exc)) from None

    def _tts(self, args: list[str], cell: str | None) -> Coroutine[Any, Any, None]:
        if cell is None:
            raise UsageError("`tts` is a cell magic: put `%%axio tts` on the first line and the text below it.")
        parsed = tts_args.parser.parse_args(args)
        text = (interpolate(cell, self._namespace) if not parsed.no_interpolate else cell).strip()
        if not text:
            raise UsageError("The cell has no text: write what to say below the `%%axio tts` line.")
        if parsed.out is not None and not parsed.out.isidentifier():
            raise UsageError(f"--out {parsed.out}: not a valid variable name.")
        opts = SpeechOptions(
            transport=parsed.transport,
            model=parsed.model,
            voice=parsed.voice,
            format=parsed.format,
            speed=parsed.speed,
            out=parsed.out,
            display=parsed.display,
        )
        return self._run_tts(opts, text)

    async def _run_tts(self, opts: SpeechOptions, text: str) -> None:
        def bind(result: Any) -> None:
            if opts.out is not None:
                self._namespace[opts.out] = result

        try:
            await run_tts(self.chat.transports, opts, text, self.chat.default_mode, bind)
        except AxioNbError as exc:
            raise UsageError(str(exc)) from None

    def _stt(self, args: list[str], cell: str | None) -> Coroutine[Any, Any, None]:
        parsed = stt_args.parser.parse_args(args)
        if parsed.out is not None and not parsed.out.isidentifier():
            raise UsageError(f"--out {parsed.out}: not a valid variable name.")
        if parsed.transport is not None:
            self.chat.transports.entry(parsed.transport)
        opts = SttOptions(parsed.transport, parsed.model, parsed.language, parsed.rate, parsed.out)
        if parsed.source is None:
            return self._run_stt(opts, None, "", parsed.max_seconds, not parsed.no_processing)
        data, media_type = audio_input(parsed.source, self._namespace, parsed.rate)
        return self._run_stt(opts, data, media_type)

    async def _run_stt(
        self, opts: SttOptions, data: bytes | None, media_type: str, max_seconds: float = 60, processing: bool = True
    ) -> None:
        try:
            if data is None:  # record in the browser
                data, _ = await record_in_browser(opts.rate, max_seconds, self.chat.default_mode(), processing)
                media_type = "audio/wav"
            text = await run_stt(self.chat.transports, opts, data, media_type)
        except AxioNbError as exc:
            raise UsageError(str(exc)) from None
        if opts.out is not None:
            self._namespace[opts.out] = text
        print(text)

    def _realtime(self, args: list[str], cell: str | None) -> Coroutine[Any, Any, None]:
        if cell is not None:
            raise UsageError("`realtime` is a line magic: `%axio realtime [flags]`; you speak, you do not type.")
        parsed = realtime_args.parser.parse_args(args)
        if parsed.out is not None and not parsed.out.isidentifier():
            raise UsageError(f"--out {parsed.out}: not a valid variable name.")
        names = [t.strip() for t in (parsed.tools or "").split(",") if t.strip()]
        tools = resolve_tools(names, self._namespace)
        opts = RealtimeOptions(
            parsed.transport, parsed.voice, parsed.system, parsed.out, parsed.push_to_talk, parsed.keep_audio
        )
        return self._run_realtime(opts, tools)

    async def _run_realtime(self, opts: RealtimeOptions, tools: list[Any]) -> None:
        def bind(result: Any) -> None:
            if opts.out is not None:
                self._namespace[opts.out] = result

        try:
            await start_realtime(self.chat.transports, opts, tools, self.chat.default_mode(), bind)
        except AxioNbError as exc:
            raise UsageError(str(exc)) from None

    def _embed(self, args: list[str], cell: str | None) -> Coroutine[Any, Any, None]:
        parsed = embed_args.parser.parse_args(args)
        if cell is None and parsed.texts is None:
            raise UsageError("`embed` takes one text per line below `%%axio embed`, or `%axio embed --texts VAR`.")
        if parsed.out is not None and not parsed.out.isidentifier():
            raise UsageError(f"--out {parsed.out}: not a valid variable name.")
        if parsed.transport is not None:
            self.chat.transports.entry(parsed.transport)
        texts = texts_from(cell or "", parsed.texts, self._namespace)
        return self._run_embed(parsed.transport, texts, parsed.out, parsed.model)

    async def _run_embed(self, transport: str | None, texts: list[str], out: str | None, model: str | None) -> None:
        try:
            live = self.chat.default_mode() == "live"
            result = await run_embed(self.chat.transports, transport, texts, model, live=live)
        except AxioNbError as exc:
            raise UsageError(str(exc)) from None
        if out is not None:
            self._namespace[out] = result

    def _transports(self, args: list[str], cell: str | None) -> None:
        if args:
            raise UsageError("`%axio transports` takes no arguments.")
        current = self.chat.transports.pick(None)
        table = protocol_table({n: e.cls for n, e in self.chat.transports.catalog.entries.items()})
        infos = {info.name: info for info in self.chat.transports.listing()}
        marks = "".join(f"{'voice' if p == 'realtime' else p:6}" for p in PROTOCOL_METHODS)
        lines = [f"{'':2}{'name':16}{'key':5}{marks}{'default model':24}needs"]
        for name in sorted(table):
            info = infos.get(name)
            mark = "→ " if name == current else "  "
            key = ("yes" if info.has_credentials else "no") if info else "-"
            model = info.default_model if info else ""
            model = model if model.isprintable() and "<" not in model else "?"
            speaks = "".join(f"{'✓' if p in table[name].classes else '·':6}" for p in PROTOCOL_METHODS)
            needs = " or ".join(info.env_vars) if info else ""
            lines.append(f"{mark}{name:16}{key:5}{speaks}{model[:23]:24}{needs or '-'}")
            lines.extend(f"  {name:16}failed to load: {error}" for error in table[name].errors)
        for name, error in self.chat.transports.catalog.errors.items():
            lines.append(f"  {name:16}failed to load: {error}")
        print("\n".join(lines))

    def _use(self, args: list[str], cell: str | None) -> None:
        parsed = use_args.parser.parse_args(args)
        self.chat.transports.entry(parsed.name)
        if parsed.settings:
            try:
                self.chat.transports.set_settings(parsed.name, _parse_settings(parsed.settings))
            except ValueError as exc:
                raise UsageError(str(exc)) from None
        self.chat.transports.default_name = parsed.name
        self.chat.transports.default_model = parsed.model
        print(
            f"Using `{parsed.name}`" + (f" with model `{parsed.model}`" if parsed.model else "") + " for later turns."
        )

    def _sessions(self, args: list[str], cell: str | None) -> None:
        if args:
            raise UsageError("`%axio sessions` takes no arguments.")
        names = self.chat.sessions.names()
        if not names:
            print("No sessions yet: run a `%%axio chat` cell.")
        for name in names:
            print(f"{name}: {self.chat.sessions.get(name).turns} turns")

    def _history(self, args: list[str], cell: str | None) -> Coroutine[Any, Any, None]:
        name = session_args.parser.parse_args(args).session
        if name not in self.chat.sessions:
            raise UsageError(f"No session `{name}`. Sessions: {', '.join(self.chat.sessions.names()) or 'none yet'}.")
        return self._print_history(name)

    async def _print_history(self, name: str) -> None:
        history = await self.chat.sessions.get(name).context.get_history()
        if not history:
            print(f"Session `{name}` is empty.")
        for message in history:
            print(f"{message.role}: {readable(message)}")

    def _reset(self, args: list[str], cell: str | None) -> Coroutine[Any, Any, None]:
        name = session_args.parser.parse_args(args).session
        return self._do_reset(name)

    async def _do_reset(self, name: str) -> None:
        await self.chat.sessions.reset(name)
        print(f"Session `{name}` cleared.")


# argparse names a command after the function magic_arguments decorated; name them as users type them.
AxioMagics.axio.__doc__ = HELP


def _parse_settings(pairs: list[str]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.isidentifier():
            raise UsageError(
                f"`{pair}` is not KEY=VALUE: write e.g. `pace=4000` or `base_url=http://127.0.0.1:8000/v1`."
            )
        try:
            settings[key] = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            settings[key] = raw
    return settings
