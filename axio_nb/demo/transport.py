"""DemoTransport: an offline, deterministic axio CompletionTransport for teaching, tests and benchmarks."""

from __future__ import annotations

import asyncio
import io
import json
import re
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from axio import (
    ImageOutput,
    IterationEnd,
    IterationStart,
    Message,
    ReasoningDelta,
    Refusal,
    StreamEvent,
    TextBlock,
    TextDelta,
    Tool,
    ToolInputDelta,
    ToolResultBlock,
    ToolUseStart,
)
from axio.exceptions import StreamError
from axio.models import Capability, ModelRegistry, ModelSpec
from axio.types import StopReason, Usage

from .embed import DemoEmbeddings
from .images import DemoImages
from .mixed import mixed_markdown
from .sound import DemoAudio
from .text import long_markdown
from .video import DemoVideo

_CAPS = frozenset({Capability.text, Capability.tool_use, Capability.reasoning, Capability.vision})
DEMO_MODELS = ModelRegistry(
    [
        # Room for the 200 KB answers the benchmarks stream; `--max-tokens` shows a cut.
        ModelSpec(
            "demo-1", _CAPS, max_output_tokens=128_000, context_window=1_000_000, input_cost=0.5, output_cost=1.5
        ),
        ModelSpec("demo-mini", _CAPS, max_output_tokens=4096, context_window=32_000),
    ]
)
_TS_PREFIX = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[^\]]*\] ")


@dataclass(slots=True)
class DemoTransport(DemoImages, DemoVideo, DemoAudio, DemoEmbeddings):
    """Answers from a script chosen by words in the prompt, so every notebook runs with no key.

    - default: reasoning, then a markdown answer with a heading, a list and a Python code block;
    - tools given and the prompt mentions a tool, "tool", "weather" or "call": calls each tool, then answers
      from the results;
    - "image" / "draw": text and an inline PNG; "refuse": a refusal; "fail": text, then the
      connection drops; "long N" (N characters, `k` allowed): a long varied markdown answer;
      "long N seed S [code L]": a seeded document of every block shape (loose and nested lists, quotes,
      math, one L-line fence); "repeat": a looping answer that axio's repetition detector cuts short;
      "math": TeX inline and displayed, in dollars and in LaTeX's delimiters, with `_` and `*` inside and
      prices that must stay text.

    `pace` is characters per second (0: as fast as the loop allows); `chunk` is characters per delta.
    The model's `max_output_tokens` is honoured (a token is four characters), ending with `max_tokens`.

    It also makes images, videos, sounds and embeddings offline (its bases, in images.py, video.py, sound.py
    and embed.py), each call first waiting `media_delay` seconds; speech is DemoTTS and DemoSTT (speech.py).
    """

    display_name: ClassVar[str] = "Demo (offline)"
    env_vars: ClassVar[tuple[str, ...]] = ()
    supports_temperature: ClassVar[bool] = True
    supports_max_tokens: ClassVar[bool] = True
    supports_debug: ClassVar[bool] = False
    supports_thinking: ClassVar[bool] = True

    model: ModelSpec = field(default_factory=lambda: DEMO_MODELS["demo-1"])
    models: ModelRegistry = field(default_factory=lambda: DEMO_MODELS)
    session: Any = field(default=None, repr=False, compare=False)
    pace: float = 0.0
    chunk: int = 4
    seed: int = 7
    temperature: float | None = None
    first_token_delay: float = 0.0
    media_delay: float = 0.0
    #: How many samples of each (kind, prompt) this transport made: the next call makes the next ones.
    draws: dict[str, int] = field(default_factory=dict, repr=False)

    @classmethod
    def has_credentials(cls, config: Mapping[str, str] | None = None) -> bool:
        return True

    async def fetch_models(self) -> None:
        self.models = DEMO_MODELS

    @staticmethod
    def select_model(transport: DemoTransport, model: ModelSpec) -> DemoTransport:
        """axio's TransportEntry calls this on the class: `cls.select_model(transport, model)`."""
        return replace(transport, model=model)

    def stream(self, messages: list[Message], tools: list[Tool[Any]], system: str) -> AsyncIterator[StreamEvent]:
        return self._stream(messages, tools, system)

    async def _stream(
        self, messages: list[Message], tools: list[Tool[Any]], system: str
    ) -> AsyncIterator[StreamEvent]:
        prompt, results = _last_turn(messages)
        low = prompt.lower()
        words_in = sum(len(_text_of(m).split()) for m in messages) + len(system.split())
        yield IterationStart(0, id=f"demo-{len(messages)}", model=self.model.id)
        if self.first_token_delay:
            await asyncio.sleep(self.first_token_delay)
        budget = self.model.max_output_tokens * 4
        out = _Counter()

        if results:
            reply = "Here is what the tools said:\n\n" + "\n".join(f"- **{n}**: {r}" for n, r in results) + "\n"
            async for ev in self._text(TextDelta, reply, out, budget):
                yield ev
        elif "refuse" in low:
            for part in ("I can't help with that ", "request in this demo."):
                yield Refusal(0, part, category="demo")
            yield IterationEnd(0, StopReason.refusal, Usage(words_in, 8))
            return
        else:
            async for ev in self._text(ReasoningDelta, _reasoning(prompt), out, budget):
                yield ev
            calls = _tool_calls(tools, low)
            if calls:
                async for ev in self._text(TextDelta, "Let me check with the tools.\n", out, budget):
                    yield ev
                for i, (name, args) in enumerate(calls):
                    tid = f"demo_call_{len(messages)}_{i}"
                    yield ToolUseStart(i, tid, name)
                    payload = json.dumps(args)
                    for piece in ["", *[payload[j : j + 6] for j in range(0, len(payload), 6)]]:
                        yield ToolInputDelta(i, tid, piece)
                yield IterationEnd(0, StopReason.tool_use, Usage(words_in, out.chars // 4 + 12))
                return
            async for ev in self._text(TextDelta, _answer(prompt, self.seed), out, budget):
                yield ev
            if "image" in low or "draw" in low:
                yield ImageOutput(0, _demo_png(), "image/png")
            if "fail" in low:
                raise StreamError("demo: the connection dropped mid-answer (simulated failure)")
        reason = StopReason.max_tokens if out.cut else StopReason.end_turn
        reasoning = min(out.reasoning // 4, out.chars // 4)
        yield IterationEnd(0, reason, Usage(words_in, out.chars // 4 + 1, reasoning_tokens=reasoning))

    async def _text(
        self, kind: type[TextDelta] | type[ReasoningDelta], text: str, out: _Counter, budget: int
    ) -> AsyncIterator[StreamEvent]:
        started = time.monotonic()
        sent = 0
        for i in range(0, len(text), self.chunk):
            if out.chars >= budget:
                out.cut = True
                return
            piece = text[i : i + self.chunk]
            if self.pace > 0:
                due = started + sent / self.pace
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            sent += len(piece)
            out.chars += len(piece)
            if kind is ReasoningDelta:
                out.reasoning += len(piece)
            yield kind(0, piece)


@dataclass(slots=True)
class _Counter:
    chars: int = 0
    reasoning: int = 0
    cut: bool = False


def _text_of(message: Message) -> str:
    return " ".join(b.text for b in message.content if isinstance(b, TextBlock))


def _last_turn(messages: list[Message]) -> tuple[str, list[tuple[str, str]]]:
    """The user's last words, and the tool results that came after the last assistant message."""
    prompt = ""
    results: list[tuple[str, str]] = []
    names: dict[str, str] = {}
    for message in messages:
        for block in message.content:
            if hasattr(block, "name") and hasattr(block, "id"):
                names[str(block.id)] = str(block.name)
    for message in reversed(messages):
        if message.role == "assistant":
            break
        tool_results = [b for b in message.content if isinstance(b, ToolResultBlock)]
        for block in tool_results:
            content = block.content if isinstance(block.content, str) else _result_text(block.content)
            results.insert(0, (names.get(block.tool_use_id, "tool"), content))
        if not tool_results and message.role == "user" and not prompt:
            prompt = _TS_PREFIX.sub("", _text_of(message))
    if not prompt:
        for message in reversed(messages):
            if message.role == "user" and _text_of(message):
                prompt = _TS_PREFIX.sub("", _text_of(message))
                break
    return prompt, results


def _result_text(content: list[Any]) -> str:
    return " ".join(getattr(b, "text", "") for b in content)


def _tool_calls(tools: list[Tool[Any]], low: str) -> list[tuple[str, dict[str, Any]]]:
    if not tools:
        return []
    wanted = [t for t in tools if t.name.lower() in low]
    if not wanted and any(w in low for w in ("tool", "weather", "call")):
        wanted = tools[:2]
    return [(t.name, _example_args(t)) for t in wanted[:3]]


def _example_args(tool: Tool[Any]) -> dict[str, Any]:
    schema = tool.input_schema if hasattr(tool, "input_schema") else {}
    props = schema.get("properties", {}) if isinstance(schema, dict) else {}
    required: set[str] = set(schema.get("required") or props) if isinstance(schema, dict) else set()
    samples = {"string": "Paris", "integer": 3, "number": 2.5, "boolean": True, "array": [], "object": {}}
    args: dict[str, Any] = {}
    for key, spec in props.items():
        if key in required:
            args[key] = samples.get(spec.get("type", "string"), "Paris") if isinstance(spec, dict) else "Paris"
    return args


def _reasoning(prompt: str) -> str:
    topic = " ".join(prompt.split()[:12]) or "the question"
    return (
        f"The user asks about: {topic}. I should answer with a short explanation, "
        "a list of the key ideas and a small code example.\n"
    )


def _answer(prompt: str, seed: int) -> str:
    low = prompt.lower()
    match = re.search(r"\blong\s+(\d+)(k?)(?:\s+seed\s+(\d+))?(?:\s+code\s+(\d+))?", low)
    if match:
        size = int(match.group(1)) * (1000 if match.group(2) else 1)
        if match.group(3):
            return mixed_markdown(size, int(match.group(3)), int(match.group(4) or 0))
        return long_markdown(size, seed=seed, big_code=min(30_000, size // 7) if size >= 100_000 else 0)
    if "repeat" in low:
        return "Round and round we go. " * 200
    topic = " ".join(prompt.split()[:10]).rstrip("?.!") or "your question"
    if "math" in low:
        return _math_answer(topic)
    return (
        "## A transport, in short\n\n"
        f"You asked about *{topic}*. In axio, a **transport** is the object that talks to a model "
        "provider: it turns the conversation into a request and yields typed stream events back.\n\n"
        "- `stream()` yields `TextDelta`, `ReasoningDelta`, tool calls and usage\n"
        "- the `Agent` runs tools between iterations\n"
        "- this demo transport runs offline, with no API key\n\n"
        "```python\n"
        "from axio import Agent, MemoryContextStore\n\n"
        "agent = Agent(system='Be brief.', transport=transport)\n"
        "print(await agent.run('Hello!', MemoryContextStore()))\n"
        "```\n\n"
        "That is all a transport needs to do.\n"
    )


def _math_answer(topic: str) -> str:
    """Every math form the view typesets; the display block holds a blank line, as model output often does."""
    return (
        "## Some math\n\n"
        f"You asked about *{topic}*. The mean of $x_1, \\dots, x_n$ is "
        "$\\bar{x} = \\frac{1}{n}\\sum_{i=1}^{n} x_i$, and a product of two terms is $a_i * b_j$: "
        "none of those `_` or `*` is emphasis, while *this* is. Prices such as $5 and $10 stay text.\n\n"
        "$$\n"
        "\\begin{aligned}\n"
        "\\operatorname{Var}(x) &= \\frac{1}{n}\\sum_{i=1}^{n} (x_i - \\bar{x})^2 \\\\\n"
        "\n"
        "\\sigma_x &= \\sqrt{\\operatorname{Var}(x)}\n"
        "\\end{aligned}\n"
        "$$\n\n"
        "In LaTeX's own delimiters, \\(e^{i\\pi} + 1 = 0\\) inline and displayed:\n\n"
        "\\[\n"
        "\\hat{f}(\\xi) = \\int_{-\\infty}^{\\infty} f(x)\\, e^{-2 \\pi i x \\xi} \\, dx\n"
        "\\]\n\n"
        "That is all the math in this demo.\n"
    )


def _demo_png() -> bytes:
    from PIL import Image

    img = Image.new("RGB", (160, 96))
    img.putdata([(x * 255 // 159, y * 255 // 95, 160) for y in range(96) for x in range(160)])
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()
