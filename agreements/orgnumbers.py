"""Norwegian organisation numbers (organisasjonsnummer): nine digits, the last a MOD11 check digit."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def normalise_org_number(value: str) -> str:
    """Return the number without spaces; the brønnøysund register prints it as '983 974 899'."""
    return "".join(value.split())


def is_valid_org_number(value: str) -> bool:
    """True when ``value`` is nine digits whose last digit is the MOD11 check digit.

    A remainder of 0 gives check digit 0; a computed check digit of 10 means no valid number exists
    with those eight first digits, so such input is always invalid.
    """
    digits = normalise_org_number(value)
    if len(digits) != 9 or not digits.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(digits[:8], _WEIGHTS, strict=True)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(digits[8])


def validate_org_number(value: str) -> None:
    if not is_valid_org_number(value):
        raise ValidationError(
            _("«%(value)s» er ikke et gyldig organisasjonsnummer (ni siffer med kontrollsiffer)."),
            params={"value": value},
            code="invalid_org_number",
        )
