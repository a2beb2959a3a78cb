"""Prompt building: `{name}` interpolation from the notebook's namespace, with `{{`/`}}` escapes."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from ..errors import PromptError


class _Formatter(string.Formatter):
    def get_value(self, key: int | str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, int) or key == "":
            msg = "The prompt has `{}` with no name in it: write `{{}}` for literal braces, or pass --no-interpolate."
            raise PromptError(msg)
        if key not in kwargs:
            msg = (
                f"`{{{key}}}` in the prompt names nothing defined in the notebook: define `{key}` first, "
                f"write `{{{{{key}}}}}` for literal braces, or pass --no-interpolate."
            )
            raise PromptError(msg)
        return kwargs[key]


def interpolate(template: str, namespace: Mapping[str, Any]) -> str:
    """Fill `{name}`, `{obj.attr}` and `{seq[0]}` from the namespace; `{{` and `}}` stay literal braces."""
    try:
        return _Formatter().vformat(template, (), namespace)
    except PromptError:
        raise
    except (ValueError, IndexError) as exc:
        msg = (
            f"The prompt's braces do not parse ({exc}): write `{{{{` and `}}}}` for literal braces, "
            "or pass --no-interpolate."
        )
        raise PromptError(msg) from exc
    except (AttributeError, KeyError, TypeError) as exc:
        msg = f"A `{{…}}` field in the prompt failed: {type(exc).__name__}: {exc}. Fix it or pass --no-interpolate."
        raise PromptError(msg) from exc
