"""`%%axio embed`: each line of the cell (or `--texts VAR`) embedded; the vectors in `--out`, a similarity view shown.

Embedding does not stream and takes a moment, so the cell shows one static output, updated once:
"embedding N texts…", then the heatmap (axio_nb/render/similarity.py).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from axio.transport import EmbeddingTransport
from IPython.display import display

from ..errors import AxioNbError
from ..render.similarity import cosine_matrix, similarity_html, similarity_text
from .protocols import require
from .transports import Transports

MAX_TEXTS = 2048


@dataclass(slots=True)
class EmbedResult:
    """`texts`, `vectors` (a list of lists), `array` (numpy, when installed) and the cosine `similarity`."""

    texts: list[str]
    vectors: list[list[float]] = field(repr=False)
    transport: str = ""

    @property
    def dims(self) -> int:
        return len(self.vectors[0]) if self.vectors else 0

    @property
    def similarity(self) -> list[list[float]]:
        return cosine_matrix(self.vectors)

    @property
    def array(self) -> Any:
        """The vectors as a numpy array (numpy is optional: ImportError says to install it)."""
        import numpy as np  # type: ignore[import-not-found,unused-ignore]

        return np.asarray(self.vectors, dtype=float)

    def __len__(self) -> int:
        return len(self.vectors)

    def __getitem__(self, i: int) -> list[float]:
        return self.vectors[i]

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        matrix = self.similarity
        return {
            "text/html": similarity_html(self.texts, matrix, self.transport, self.dims),
            "text/plain": similarity_text(self.texts, matrix, self.transport, self.dims),
        }


def texts_from(cell: str, var: str | None, namespace: Mapping[str, Any]) -> list[str]:
    """The texts to embed: the cell's non-empty lines, or a list of strings in the namespace."""
    if var is not None:
        if var not in namespace:
            raise AxioNbError(f"--texts {var}: no variable `{var}` in the notebook; define a list of strings first.")
        value = namespace[var]
        if isinstance(value, str) or not isinstance(value, Sequence) or not all(isinstance(t, str) for t in value):
            raise AxioNbError(f"--texts {var}: `{var}` is a {type(value).__name__}, not a list of strings.")
        texts = list(value)
    else:
        texts = [line.strip() for line in cell.splitlines() if line.strip()]
    if not texts:
        raise AxioNbError("Nothing to embed: write one text per line below `%%axio embed`, or pass --texts VAR.")
    if len(texts) > MAX_TEXTS:
        raise AxioNbError(f"{len(texts)} texts: embed at most {MAX_TEXTS} per cell; split them.")
    return texts


async def run_embed(
    transports: Transports, name: str | None, texts: list[str], model: str | None = None, *, live: bool = True
) -> EmbedResult:
    picked = transports.pick(name)
    require(transports, picked, "embed", "embed")
    transport = await transports.open(picked)
    if model is not None:
        # OpenAI's `embed` sends the transport's own model, a chat model unless one is chosen
        # (docs/facts.md#what-the-media-fakes-must-speak).
        try:
            transport = transports.configure(picked, transport, model=model, max_tokens=None, temperature=None)
        except ValueError as exc:
            raise AxioNbError(f"--model {model}: transport `{picked}` refused it: {exc}") from None
    if not isinstance(transport, EmbeddingTransport):
        raise AxioNbError(f"Transport `{picked}` cannot embed (it has no `embed`).")
    # Live: a line while it works, replaced by the result. Static (nbval, nbconvert): one display at the
    # end, since those never see an update.
    handle = (
        display(  # type: ignore[no-untyped-call]
            {"text/plain": f"embedding {len(texts)} texts with {picked}…"}, raw=True, display_id=True
        )
        if live
        else None
    )
    try:
        made: Any = transport.embed(texts)
        if inspect.isawaitable(made):
            made = await made
    except Exception as exc:
        message = " ".join(transports.entry(picked).format_error(exc).split())[:500] or type(exc).__name__
        if handle is not None:
            handle.update({"text/plain": f"embedding failed: {message}"}, raw=True)
        raise AxioNbError(f"Embedding with `{picked}` failed: {message}") from None
    vectors = [list(map(float, v)) for v in made]
    if len(vectors) != len(texts):
        raise AxioNbError(f"`{picked}` returned {len(vectors)} vectors for {len(texts)} texts.")
    result = EmbedResult(texts, vectors, picked)
    if handle is not None:
        handle.update(result)
    else:
        display(result)  # type: ignore[no-untyped-call]
    return result
