"""JSON bodies handed to the pages' Django forms. A form reads what a browser posts: text, or a
list of texts for a multiple choice. JSON can carry numbers, booleans, lists and objects
anywhere, which form fields trip over; so values are turned into text as a browser would send
them, and what no browser could send is refused per field before the form sees it."""

from django.http import QueryDict
from django.utils.translation import gettext as _

from .problems import InvalidInput


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _is_scalar(value) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def form_data(data) -> dict:
    """The JSON object ``data`` as form data (a posted form as it is); ``InvalidInput`` for
    anything else."""
    if isinstance(data, QueryDict):
        return data
    if not isinstance(data, dict):
        raise InvalidInput({"__all__": [_("Forventet et JSON-objekt.")]})
    converted, errors = {}, {}
    for name, value in data.items():
        if _is_scalar(value):
            converted[name] = _as_text(value)
        elif isinstance(value, list) and all(_is_scalar(v) for v in value):
            converted[name] = [_as_text(v) for v in value]
        else:
            errors[name] = [_("Forventet en verdi eller en liste av verdier.")]
    if errors:
        raise InvalidInput(errors)
    return converted


def check_shapes(form) -> None:
    """Raise ``InvalidInput`` for a list given to a field that takes one value."""
    errors = {
        name: [_("Forventet én verdi.")]
        for name, field in form.fields.items()
        if isinstance(form.data.get(name), list)
        and not getattr(field.widget, "allow_multiple_selected", False)
    }
    if errors:
        raise InvalidInput(errors)
