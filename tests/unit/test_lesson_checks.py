"""notebooks/lesson_checks.py: the lesson's checks say "not done yet" for a stub and what is wrong for a bad answer.

The given solutions passing them is proved by nbval on notebooks/06-lesson-how-an-agent-loop-works.ipynb.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from axio import Message, TextBlock, TextDelta, ToolResultBlock

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.fixture(scope="module")
def checks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lesson_checks", NOTEBOOKS / "lesson_checks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["lesson_checks"] = module
    spec.loader.exec_module(module)
    return module


async def stub(*args: Any, **kwargs: Any) -> Any:
    raise NotImplementedError


class TestLessonChecks:
    """A stub is "not done yet" (no error, so Run All goes on); a wrong answer fails with what to fix."""

    async def test_stubs_are_not_done_yet(self, checks: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
        for n, check in enumerate((checks.check_read_turn, checks.check_run_tools, checks.check_agent_loop), 1):
            await check(stub)
            assert f"Exercise {n} is not done yet" in capsys.readouterr().out

    async def test_reading_only_text_misses_the_tool_calls(self, checks: ModuleType) -> None:
        async def text_only(events: Any) -> Any:
            text = "".join([e.delta async for e in events if isinstance(e, TextDelta)])
            return text, [], None

        with pytest.raises(AssertionError, match="expected the two calls the model made"):
            await checks.check_read_turn(text_only)

    async def test_results_without_the_call_ids_are_refused(self, checks: ModuleType) -> None:
        async def no_ids(calls: Any, tools: Any) -> Message:
            return Message(role="user", content=[ToolResultBlock(tool_use_id="x", content="7") for _ in calls])

        with pytest.raises(AssertionError, match="tool_use_id must be its call's id"):
            await checks.check_run_tools(no_ids)

    async def test_a_loop_that_never_runs_tools_is_refused(self, checks: ModuleType) -> None:
        async def one_call(prompt: str, transport: Any, tools: Any) -> Any:
            return "", [Message(role="user", content=[TextBlock(text=prompt)])]

        with pytest.raises(AssertionError, match="the history should be"):
            await checks.check_agent_loop(one_call)
