"""Widgets shared by the forms of every app."""

from django import forms

from ..dates import EARLIEST_DATE, LATEST_DATE


class DateInput(forms.DateInput):
    """The browser's date picker, offering only the dates the use cases accept."""

    input_type = "date"

    def __init__(self, attrs=None, **kwargs):
        limits = {"min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}
        super().__init__(attrs={**limits, **(attrs or {})}, format="%Y-%m-%d", **kwargs)
