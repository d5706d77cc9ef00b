"""Widgets shared by the forms of every app."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from ..dates import EARLIEST_DATE, LATEST_DATE


class DateInput(forms.DateInput):
    """The browser's date picker, offering only the dates the use cases accept."""

    input_type = "date"

    def __init__(self, attrs=None, **kwargs):
        limits = {"min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}
        super().__init__(attrs={**limits, **(attrs or {})}, format="%Y-%m-%d", **kwargs)


class PlainSelect(forms.Select):
    """A ``<select>`` written in Python rather than through the form templates.

    The same markup as Django's ``Select`` for flat choices; for long lists (the register
    filter's two hundred suppliers) it saves the two template includes per option that made
    the filter form most of the list page's time. Grouped choices fall back to ``Select``.
    """

    def render(self, name, value, attrs=None, renderer=None):
        # iter() first: list() asks a ModelChoiceIterator's len(), a COUNT query of its own.
        choices = list(iter(self.choices))
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, " selected" if str(option) in chosen else "", label)
                for option, label in choices
            ),
        )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)
