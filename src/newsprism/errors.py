"""One error hierarchy for newsprism.

Every fault that newsprism raises is a :class:`NewsprismError`. Each carries a short stable ``code``
(greppable, documented in docs/errors.md) and, where there is one, the ``origin`` it concerns: a file
path, ``path:line`` for a JSONL line, a URL or ``<stdin>``. ``str(err)`` is one line a person can act on.

Expected rejections (an article empty after cleaning, a duplicate) are *not* errors: they are
:class:`newsprism.model.Rejection` values counted in a run's stats.
"""

from __future__ import annotations


class NewsprismError(Exception):
    """Base class of every error newsprism raises."""

    code: str = "NP000"

    def __init__(self, message: str, *, origin: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.origin = origin

    def __str__(self) -> str:
        where = f"{self.origin}: " if self.origin else ""
        return f"{where}{self.message} [{self.code}]"


class ConfigError(NewsprismError):
    """A setting is missing or invalid."""

    code = "NP100"


class UsageError(ConfigError):
    """A command was called wrongly: an unknown option or value, a missing argument."""

    code = "NP101"


class InputError(NewsprismError):
    """An input cannot be read: missing, binary, undecodable, too large, malformed."""

    code = "NP200"


class EmptyInputError(InputError):
    code = "NP201"


class BinaryInputError(InputError):
    code = "NP202"


class EncodingError(InputError):
    code = "NP203"


class InputTooLargeError(InputError):
    code = "NP204"


class MalformedInputError(InputError):
    """Structured input (JSON line, HTML) that does not parse or lacks a required field."""

    code = "NP205"


class FetchError(InputError):
    """A URL could not be fetched: network error, timeout, HTTP error status, or robots.txt."""

    code = "NP210"


class ExtractionError(NewsprismError):
    """Cleaning or main-text extraction failed on an input that could be read."""

    code = "NP300"


class ModelError(NewsprismError):
    """An NLP model (spaCy pipeline, sentence embeddings) is missing or failed to load."""

    code = "NP400"


class StoreError(NewsprismError):
    """The article store failed."""

    code = "NP500"


class StoreOpenError(StoreError):
    """The database cannot be opened or reached (missing directory rights, server down...)."""

    code = "NP501"


class StoreSchemaError(StoreError):
    """The database's schema is newer than this newsprism, or a migration failed."""

    code = "NP502"


class StoreIntegrityError(StoreError):
    """A write refers to an article or story that is not stored, or breaks a constraint."""

    code = "NP503"


class StoreQueryError(StoreError):
    """A search query or filter cannot be run (no searchable word, bad limit...)."""

    code = "NP504"


class StoreBusyError(StoreError):
    """Another process held a lock for longer than the busy timeout."""

    code = "NP505"


class RenderError(NewsprismError):
    """A brief cannot be rendered: an unknown format, or a span that does not fit its source."""

    code = "NP600"
