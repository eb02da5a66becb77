"""What a write came through, for its audit event: a write made with an API token carries the
token's name into the event's details (`AuditQuerySet.describe`), whichever service wrote it."""

from contextlib import contextmanager
from contextvars import ContextVar

_token_name: ContextVar[str | None] = ContextVar("api_token_name", default=None)


@contextmanager
def api_token(name: str):
    """Every audit event written inside the block names the token `name`."""
    reset = _token_name.set(name)
    try:
        yield
    finally:
        _token_name.reset(reset)


def details() -> dict:
    name = _token_name.get()
    return {"token_api": name} if name else {}
