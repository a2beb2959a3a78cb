from __future__ import annotations

import pytest

from axio_nb.errors import PromptError
from axio_nb.run.prompt import interpolate


class TestInterpolate:
    def test_names_attributes_and_escapes(self) -> None:
        assert interpolate("Hi {name}, {{literal}} {xs[1]}", {"name": "Ada", "xs": [0, 7]}) == "Hi Ada, {literal} 7"

    def test_undefined_name_is_named_in_the_error(self) -> None:
        with pytest.raises(PromptError, match=r"`\{who\}` .* define `who` first"):
            interpolate("Hi {who}", {})

    def test_stray_brace_suggests_the_fix(self) -> None:
        with pytest.raises(PromptError, match="--no-interpolate"):
            interpolate('json: {"a": 1', {})
