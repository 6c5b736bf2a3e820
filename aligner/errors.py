"""The one family of exceptions the library raises; only the CLI prints them."""

from __future__ import annotations


class AlignerError(Exception):
    """A user-facing error: its message is one line naming the file, the position and the fix."""


class InputError(AlignerError):
    """An input file cannot be read, decoded or understood."""


class OutputError(AlignerError, OSError):
    """A file cannot be written (a missing or read-only folder, a full disk). An OSError too, so
    that callers for whom a failed write only costs time (the caches) still catch it. Made as
    `OutputError(errno, message)`; it reads as its message alone."""

    def __str__(self) -> str:
        return str(self.strerror)


class SchemaError(AlignerError):
    """A TEI file is malformed or breaks the shipped RELAX NG schema."""


class CorpusError(AlignerError):
    """The corpus directory is inconsistent (unknown doc-id, collision, dangling pointer)."""


class LanguageError(InputError):
    """A language code is missing or not a BCP 47 tag."""


class InputTooLongError(AlignerError):
    """A "sentence" is so long that the input was evidently not split into sentences: the one at
    `index` of the `side` ("source" or "target") the engine was given, so that a caller holding
    the files or the sentences can name it."""

    def __init__(self, message: str, side: str, index: int) -> None:
        super().__init__(message)
        self.side = side
        self.index = index


class SearchError(AlignerError):
    """A query cannot be run (syntax), or the index cannot be built."""


class EditError(AlignerError):
    """An edit cannot be made: a link or sentence that does not exist, or an edit that makes no sense."""


class StaleError(EditError):
    """An edit was made on an older version of a document than the one stored now."""
