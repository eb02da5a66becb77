"""What a write came through, for its audit event: a write made with an API token carries the
token's name into the event's details (`AuditQuerySet.describe`), whichever service wrote it."""

from contextvars import ContextVar, Token

_token_name: ContextVar[str | None] = ContextVar("api_token_name", default=None)


def name_writes(name: str) -> Token:
    """Every audit event written from now on names the token `name`, until `stop_naming` is given
    what this returned. Set and reset in one `try`/`finally` (api.views_base.ApiView.dispatch): not
    a generator's context manager, whose `finally` ran only when the collector freed a request that
    failed midway, in whatever request was running then."""
    return _token_name.set(name)


def stop_naming(token: Token) -> None:
    _token_name.reset(token)


def details() -> dict:
    name = _token_name.get()
    return {"token_api": name} if name else {}
