"""Model choice fields that answer a hostile id (a number past what the database holds, or not a
number) as the invalid choice it is, instead of passing it to the database, which raises; and that
read their options in one plain query."""

from django import forms

BIGGEST_ID = 2**63 - 1


def plausible_id(text: str) -> int | None:
    """`text` as an id the database could hold (ASCII digits, not past BIGGEST_ID: "²" and twenty
    digits are no id), else None."""
    return int(text) if text.isascii() and text.isdigit() and int(text) <= BIGGEST_ID else None


def _plausible(value) -> bool:
    return plausible_id(str(value).strip()) is not None


# What an optional or not yet chosen select shows in place of Django's "---------".
EMPTY_LABEL = "— pilih —"


class OneQueryChoices(forms.models.ModelChoiceIterator):
    """Django reads a select's options through `QuerySet.iterator()`, which on PostgreSQL declares a
    server-side cursor: three round trips (declare, fetch, close) and a held result for a list of
    agencies or officials that one query reads whole (the archive's filter: 0.5 ms of its page)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class IdChoiceField(forms.ModelChoiceField):
    iterator = OneQueryChoices

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", EMPTY_LABEL)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value not in self.empty_values and not _plausible(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = OneQueryChoices

    def _check_values(self, value):
        for item in value:
            if not _plausible(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return super()._check_values(value)
