"""axio_nb's errors: one root, so a caller can catch everything the toolkit raises on purpose."""

from __future__ import annotations


class AxioNbError(Exception):
    """Something the user can fix; the message says how."""


class TransportNotFound(AxioNbError):
    """No installed transport has that name."""


class MissingCredentials(AxioNbError):
    """The transport needs a key that is not set."""


class PromptError(AxioNbError):
    """The prompt cannot be built (an undefined `{name}`, a stray brace)."""
