"""Checks for 06-lesson-how-an-agent-loop-works.ipynb: each says what is wrong, in words a student can act on.

An exercise still raising NotImplementedError is "not done yet" (a line, no error), so Run All goes
through the whole lesson; any other wrong answer fails its assert with a message saying what to fix.
Everything runs on the offline demo transport, which calls every tool a prompt names.
"""

from __future__ import annotations

from typing import Any

from axio import Message, TextBlock, Tool, ToolResultBlock, ToolUseBlock
from axio.types import StopReason

from axio_nb.demo import DemoTransport


async def add(a: int, b: int) -> str:
    """Add two whole numbers."""
    return str(a + b)


async def shout(text: str) -> str:
    """Say it louder."""
    return text.upper() + "!"


TOOLS = [Tool(name="add", handler=add), Tool(name="shout", handler=shout)]


def _user(text: str) -> list[Message]:
    return [Message(role="user", content=[TextBlock(text=text)])]


def _not_done(n: int, name: str) -> None:
    print(f"… Exercise {n} is not done yet: write `{name}` in the cell above (replace `raise NotImplementedError`).")


async def check_read_turn(read_turn: Any) -> None:
    """Exercise 1: `await read_turn(events)` gives `(text, calls, stop_reason)`."""
    events = DemoTransport().stream(_user("Please add and shout."), TOOLS, "")
    try:
        got = await read_turn(events)
    except NotImplementedError:
        return _not_done(1, "read_turn")
    assert isinstance(got, tuple) and len(got) == 3, (
        f"read_turn should return a tuple (text, calls, stop_reason); it returned {got!r}"
    )
    text, calls, stop = got
    assert isinstance(text, str) and "tools" in text, (
        f"text should join every TextDelta's .delta (here 'Let me check with the tools.'); got {text!r}"
    )
    assert "The user asks" not in text, "text holds the reasoning too: keep only TextDelta, not ReasoningDelta"
    assert isinstance(calls, list) and all(isinstance(c, ToolUseBlock) for c in calls), (
        f"calls should be a list of ToolUseBlock(id, name, input); got {calls!r}"
    )
    assert [c.name for c in calls] == ["add", "shout"], (
        f"expected the two calls the model made, add then shout; got {[c.name for c in calls]}"
    )
    assert calls[0].input == {"a": 3, "b": 3}, (
        f"a call's input is the JSON of its ToolInputDelta pieces joined, then json.loads: "
        f"expected {{'a': 3, 'b': 3}}, got {calls[0].input!r}"
    )
    assert stop == StopReason.tool_use, (
        f"the stop reason comes from the IterationEnd event; expected tool_use, got {stop!r}"
    )
    print("✓ Exercise 1 passed: text, two tool calls with their arguments, and stop reason tool_use.")


async def check_run_tools(run_tools: Any) -> None:
    """Exercise 2: `await run_tools(calls, tools)` gives one user message of ToolResultBlocks."""
    calls = [ToolUseBlock(id="c1", name="add", input={"a": 2, "b": 5}), ToolUseBlock("c2", "shout", {"text": "hi"})]
    try:
        got = await run_tools(calls, TOOLS)
    except NotImplementedError:
        return _not_done(2, "run_tools")
    assert isinstance(got, Message), f"run_tools should return one Message; got {type(got).__name__}"
    assert got.role == "user", f"tool results go back in a message with role 'user'; got {got.role!r}"
    results = got.content
    assert all(isinstance(r, ToolResultBlock) for r in results) and len(results) == 2, (
        f"the message should hold one ToolResultBlock per call (2 here); got {results!r}"
    )
    assert [r.tool_use_id for r in results] == ["c1", "c2"], (
        "each ToolResultBlock's tool_use_id must be its call's id, in order: the model matches them by id"
    )
    assert [r.content for r in results] == ["7", "HI!"], (
        f"each result is what the tool returned (add → '7', shout → 'HI!'); got {[r.content for r in results]}"
    )
    print("✓ Exercise 2 passed: each call ran, and its result carries the call's id.")


async def check_agent_loop(agent_loop: Any) -> None:
    """Exercise 3: `await agent_loop(prompt, transport, tools)` gives `(answer, messages)`."""
    try:
        got = await agent_loop("What is 3 + 3? Use add.", DemoTransport(), TOOLS)
    except NotImplementedError:
        return _not_done(3, "agent_loop")
    assert isinstance(got, tuple) and len(got) == 2, f"agent_loop should return (answer, messages); got {got!r}"
    answer, messages = got
    roles = [m.role for m in messages]
    assert roles == ["user", "assistant", "user", "assistant"], (
        "the history should be: your prompt, the assistant's tool call, the tool results, the final answer; "
        f"got roles {roles}"
    )
    assert any(isinstance(b, ToolUseBlock) for b in messages[1].content), (
        "the first assistant message must keep its ToolUseBlocks, or the model cannot match the results"
    )
    assert "**add**: 6" in answer, f"the final answer should use the tool's result (add → 6); got {answer!r}"
    print("✓ Exercise 3 passed: prompt → tool call → result → answer, in four messages.")
