"""IPython magics: `%axio` / `%%axio` parse the user's words and hand the work to `axio_nb.run`."""

from __future__ import annotations

from .axio import AxioMagics
from .transform import await_axio

__all__ = ["AxioMagics", "await_axio"]
