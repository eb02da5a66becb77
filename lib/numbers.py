"""Figures as Indonesian offices write them: thousands grouped by dots, "1.406"."""


def grouped(number: int) -> str:
    return f"{number:,}".replace(",", ".")
