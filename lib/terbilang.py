"""Numbers in Indonesian words, as a letter writes a count beside its figure: "2 (dua) lembar"."""

from lib.numbers import grouped

ONES = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas")
# Each group of three digits above the hundreds, with its word; "se-" for one of the first ("seribu").
GROUPS = ((1_000_000_000_000, "triliun"), (1_000_000_000, "miliar"), (1_000_000, "juta"), (1_000, "ribu"))


def terbilang(n: int) -> str:
    """A count in words. A province's Nota counts its table's indicators: 2,000 rows read "2000
    (2000) indikator" when only 1 to 999 were spelled."""
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
    for size, word in GROUPS:
        if n >= size:
            count, rest = divmod(n, size)
            head = "seribu" if size == 1_000 and count == 1 else f"{terbilang(count)} {word}"
            return head + (f" {terbilang(rest)}" if rest else "")
    raise ValueError(n)  # unreachable: every count from 1,000 has a group


def counted(number: int) -> str:
    """A count as an official letter writes it, the figure grouped by dots: "1.406 (seribu empat ratus enam)"."""
    return f"{grouped(number)} ({terbilang(number)})"
