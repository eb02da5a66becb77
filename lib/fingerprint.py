"""What a page, a form or a cache carries to tell whether the values it was made from still stand:
a digest of their Python representation (tuples, lists, strings, numbers, dates, in a fixed order)."""

import hashlib


def fingerprint(values, length: int | None = None) -> str:
    """The SHA-256 of `repr(values)` in hex, its first `length` characters when given. The same
    values in the same order give the same mark in every process; any change gives another."""
    digest = hashlib.sha256(repr(values).encode()).hexdigest()
    return digest[:length] if length else digest
