"""Demo embeddings: words, word pairs and character trigrams hashed into 256 signed dimensions, L2-normalised.

Near-duplicates share most features and land close (cosine > 0.8: a changed ending keeps most trigrams);
unrelated sentences share few, and the signs of their hashed collisions cancel (cosine < 0.3). Function
words are left out of the word features: two unrelated English sentences would otherwise meet on "the".
"""

from __future__ import annotations

import hashlib
import math
import re
from typing import Final

from .samples import pause

DIMENSIONS: Final = 256
#: Weight of each feature kind; words carry the meaning, trigrams absorb inflection and typos.
WORD: Final = 1.0
PAIR: Final = 0.3
TRIGRAM: Final = 0.5
MAX_TEXTS: Final = 2048
_WORDS = re.compile(r"\w+")
STOP_WORDS: Final = frozenset(
    "a an the is are was were be been am of to in on at by for and or but not it its this that these those "
    "i me my you your he him his she her we our they them their how what do does did can could will would "
    "with from as into over so if then there here".split()
)


def features(text: str) -> list[tuple[str, float]]:
    """(feature, weight) pairs: content words, adjacent content-word pairs, and trigrams of `<word>`."""
    words = _WORDS.findall(text.lower())
    content = [w for w in words if w not in STOP_WORDS] or words
    found = [(f"w:{w}", WORD) for w in content]
    found += [(f"p:{a} {b}", PAIR) for a, b in zip(content, content[1:], strict=False)]
    for word in content:
        padded = f"<{word}>"
        found += [(f"c:{padded[i : i + 3]}", TRIGRAM) for i in range(len(padded) - 2)]
    if not found:
        padded = f"<{text.strip().lower()}>"
        found = [(f"c:{padded[i : i + 3]}", TRIGRAM) for i in range(len(padded) - 2)]
    return found


def embed_text(text: str) -> list[float]:
    """One unit vector of DIMENSIONS floats; a feature's hash picks its dimension and its sign."""
    vector = [0.0] * DIMENSIONS
    for feature, weight in features(text):
        value = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little")
        vector[value % DIMENSIONS] += weight if value >> 63 else -weight
    norm = math.sqrt(math.fsum(x * x for x in vector))
    if norm == 0:  # every feature cancelled out: rare, and a zero vector would break cosine
        vector[0], norm = 1.0, 1.0
    return [x / norm for x in vector]


def cosine(a: list[float], b: list[float]) -> float:
    """Cosine similarity of two embeddings (their dot product, since both are unit vectors)."""
    return math.fsum(x * y for x, y in zip(a, b, strict=True))


class DemoEmbeddings:
    """`EmbeddingTransport` for DemoTransport: `embed_text` for each text, offline and deterministic."""

    __slots__ = ()
    media_delay: float

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """One DIMENSIONS-long unit vector per text, in order; an empty text is an error, as with OpenAI."""
        if isinstance(texts, str):
            msg = "embed takes a list of texts; wrap one text in a list: embed([text])"
            raise ValueError(msg)
        if len(texts) > MAX_TEXTS:
            msg = f"embed takes at most {MAX_TEXTS} texts per call; got {len(texts)}"
            raise ValueError(msg)
        for i, text in enumerate(texts):
            if not isinstance(text, str) or not text.strip():
                msg = f"text {i} is {text!r}; every text to embed must be a non-empty string"
                raise ValueError(msg)
        await pause(self.media_delay)
        return [embed_text(text) for text in texts]
