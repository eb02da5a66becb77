"""A sentence closed once: a name ending in a degree ("Andi Saputra, S.Kom.") gets no second stop."""


def sentence(text: str) -> str:
    """`text` closed with a full stop unless it already ends a sentence (a name like "S.K.M." does)."""
    text = (text or "").strip()
    return text if not text or text[-1] in ".!?:;" else f"{text}."
