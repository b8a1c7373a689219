"""The store's errors: each carries the Vietnamese message a person reads (``message``)."""

from __future__ import annotations


class StoreError(Exception):
    """A store problem a person must act on; ``message`` is the Vietnamese text to print."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreUnavailable(StoreError):
    """The database could not be reached or opened (bad URL, server down, no permission)."""


class NotAStore(StoreError):
    """The file or database holds something other than a dti store."""


class StoreTooNew(StoreError):
    """The store was written by a newer dti (its schema revision is unknown to this one)."""

    def __init__(self, message: str, revision: str, head: str) -> None:
        super().__init__(message)
        self.revision = revision
        self.head = head


class StoreBusy(StoreError):
    """Another run holds the store and did not finish within the wait."""

    def __init__(self, message: str, waited: float) -> None:
        super().__init__(message)
        self.waited = waited


class StoreNotEmpty(StoreError):
    """An import was asked into a store that already holds rows."""


class ExportInvalid(StoreError):
    """An export folder to import is incomplete, altered or of another schema revision."""
