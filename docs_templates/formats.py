"""The Norwegian formatting filters agreement templates may use (``dato``, ``tall``, ``prosent``,
``ja_nei``); ``rendering.make_environment`` registers them."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def format_date(value: Any) -> str:
    """Format a date as dd.mm.yyyy; ``None`` gives ``""``.

    Aware datetimes are shown in Europe/Oslo; ISO strings ("2022-10-01") are accepted.
    Raises ``TypeError`` for anything else.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"«{value}» er ikke en dato") from None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(OSLO)
        value = value.date()
    if not isinstance(value, date):
        raise TypeError(f"ventet en dato, fikk {type(value).__name__}")
    return value.strftime("%d.%m.%Y")


def format_number(value: Any) -> str:
    """Format a number Norwegian style: decimal comma, no trailing zeros ("99,5", "100")."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"ventet et tall, fikk {type(value).__name__}")
    text = format(Decimal(str(value)).normalize(), "f")
    return text.replace(".", ",")


def format_percent(value: Any) -> str:
    """Format a number as a Norwegian percentage: 99.5 -> "99,5 %" (non-breaking space)."""
    return f"{format_number(value)}\u00a0%"


def format_yes_no(value: Any) -> str:
    """Return «Ja» for a true value and «Nei» otherwise."""
    return "Ja" if value else "Nei"
