"""Numbers in Indonesian words, as a letter writes a count beside its figure: "2 (dua) lembar"."""

ONES = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas")


def terbilang(n: int) -> str:
    """1 to 999 in words; larger counts (no letter has that many sheets) as figures."""
    if n < 12:
        return ONES[n]
    if n < 20:
        return f"{ONES[n - 10]} belas"
    if n < 100:
        tens, ones = divmod(n, 10)
        return f"{ONES[tens]} puluh" + (f" {ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "seratus" if hundreds == 1 else f"{ONES[hundreds]} ratus"
        return head + (f" {terbilang(rest)}" if rest else "")
    return str(n)
