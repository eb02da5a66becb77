"""A text cut to a column's length where it must be, so that a reader sees it was cut."""

MARK = " …"


def clipped(text: str, limit: int, *, more: str = "") -> str:
    """`text` if it fits in `limit` characters; else cut at the last word boundary that leaves room
    for " …" and `more` (what the reader is told of the rest, e.g. where the whole text is)."""
    if len(text) <= limit:
        return text
    room = limit - len(MARK) - len(more)
    cut = text[:room]
    space = cut.rfind(" ")
    # A cut inside a word only when the word is most of the room (a long link).
    if space > room // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–-") + MARK + more
